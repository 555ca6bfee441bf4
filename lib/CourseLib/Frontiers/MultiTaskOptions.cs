namespace CourseLib.Frontiers;

/// <summary>Hyperparameters of multi-task training (<see cref="MultiTaskTrainer"/>).</summary>
public sealed record MultiTaskOptions
{
    /// <summary>Units in each of the trunk's two hidden layers. Default 64.</summary>
    public int HiddenUnits { get; init; } = 64;
    /// <summary>Passes over the training inputs. Default 40.</summary>
    public int Epochs { get; init; } = 40;
    /// <summary>Inputs per gradient step. Default 64.</summary>
    public int BatchSize { get; init; } = 64;
    /// <summary>Adam's step size, for the network and the log σ's alike. Default 3e-3.</summary>
    public double LearningRate { get; init; } = 3e-3;
    /// <summary>Seed for the initial weights and the order of the mini-batches. Default 0.</summary>
    public int Seed { get; init; } = 0;

    internal void Validate()
    {
        if (HiddenUnits < 1) throw new ArgumentOutOfRangeException(nameof(HiddenUnits), HiddenUnits, "HiddenUnits must be at least 1.");
        if (Epochs < 1) throw new ArgumentOutOfRangeException(nameof(Epochs), Epochs, "Epochs must be at least 1.");
        if (BatchSize < 1) throw new ArgumentOutOfRangeException(nameof(BatchSize), BatchSize, "BatchSize must be at least 1.");
        if (!(LearningRate > 0) || !double.IsFinite(LearningRate)) throw new ArgumentOutOfRangeException(nameof(LearningRate), LearningRate, "LearningRate must be a finite number > 0.");
    }
}
