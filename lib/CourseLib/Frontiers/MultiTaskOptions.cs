using CourseLib.Training;

namespace CourseLib.Frontiers;

/// <summary>Settings of multi-task training (<see cref="MultiTaskTrainer"/>).</summary>
public sealed record MultiTaskOptions
{
    /// <summary>Units of each hidden ReLU layer of the shared trunk, in order (at least one layer). Default [64, 64].</summary>
    public int[] HiddenSizes { get; init; } = [64, 64];
    /// <summary>Passes over the training inputs, at least 1. Default 40.</summary>
    public int Epochs { get; init; } = 40;
    /// <summary>Inputs per gradient step, at least 1. Default 64.</summary>
    public int BatchSize { get; init; } = 64;
    /// <summary>Adam's step size, for the network and the log σ's alike, a finite number &gt; 0. Default 3e-3.</summary>
    public double LearningRate { get; init; } = 3e-3;
    /// <summary>Seed for the initial weights and the order of the mini-batches. Default 0.</summary>
    public int Seed { get; init; } = 0;

    // The record's printout, with the layer sizes listed.
    bool PrintMembers(System.Text.StringBuilder builder)
    {
        builder.Append(string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"HiddenSizes = [{string.Join(", ", HiddenSizes)}], Epochs = {Epochs}, BatchSize = {BatchSize}, LearningRate = {LearningRate}, Seed = {Seed}"));
        return true;
    }

    /// <summary>Throws an exception naming the first setting out of range.</summary>
    public void Validate()
    {
        Require.LayerSizes(HiddenSizes, nameof(HiddenSizes));
        Require.AtLeast(Epochs, 1, nameof(Epochs));
        Require.AtLeast(BatchSize, 1, nameof(BatchSize));
        Require.Positive(LearningRate, nameof(LearningRate));
    }
}
