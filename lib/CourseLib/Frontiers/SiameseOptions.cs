using CourseLib.Training;

namespace CourseLib.Frontiers;

/// <summary>Settings of Siamese training with the contrastive loss (<see cref="SiameseTrainer"/>).</summary>
public sealed record SiameseOptions
{
    /// <summary>Units of each hidden ReLU layer of the embedding network, in order (empty: a linear embedding). Default [128, 128].</summary>
    public int[] HiddenSizes { get; init; } = [128, 128];
    /// <summary>
    /// Channels of each convolution block (5 × 5 kernels, ReLU, 2 × 2 max-pooling) before the hidden layers; the
    /// inputs must then be square images. Default empty: an MLP on the input vector.
    /// </summary>
    public int[] ConvolutionChannels { get; init; } = [];
    /// <summary>The size of the embedding f(x), at least 1. Default 32.</summary>
    public int EmbeddingSize { get; init; } = 32;
    /// <summary>The margin m, a finite number &gt; 0: dissimilar pairs farther apart than m cost nothing. Default 1.</summary>
    public double Margin { get; init; } = 1.0;
    /// <summary>Pairs per gradient step, half similar and half dissimilar, at least 2. Default 128.</summary>
    public int PairsPerBatch { get; init; } = 128;
    /// <summary>Gradient steps, at least 1. Default 500.</summary>
    public int Updates { get; init; } = 500;
    /// <summary>Adam's step size, a finite number &gt; 0. Default 1e-3.</summary>
    public double LearningRate { get; init; } = 1e-3;
    /// <summary>Record the mean loss and distances every this many updates, at least 1. Default 25.</summary>
    public int RecordEvery { get; init; } = 25;
    /// <summary>Seed for the initial weights and the pairs. Default 0.</summary>
    public int Seed { get; init; } = 0;

    // The record's printout, with the layer sizes listed (e.g. "ConvolutionChannels = [16, 32]").
    bool PrintMembers(System.Text.StringBuilder builder)
    {
        var invariant = System.Globalization.CultureInfo.InvariantCulture;
        builder.Append(string.Create(invariant, $"HiddenSizes = [{string.Join(", ", HiddenSizes)}], "));
        builder.Append(string.Create(invariant, $"ConvolutionChannels = [{string.Join(", ", ConvolutionChannels)}], EmbeddingSize = {EmbeddingSize}, "));
        builder.Append(string.Create(invariant, $"Margin = {Margin}, PairsPerBatch = {PairsPerBatch}, Updates = {Updates}, "));
        builder.Append(string.Create(invariant, $"LearningRate = {LearningRate}, RecordEvery = {RecordEvery}, Seed = {Seed}"));
        return true;
    }

    /// <summary>Throws an exception naming the first setting out of range.</summary>
    public void Validate()
    {
        Require.LayerSizes(HiddenSizes, nameof(HiddenSizes), allowEmpty: true);
        Require.LayerSizes(ConvolutionChannels, nameof(ConvolutionChannels), allowEmpty: true);
        Require.AtLeast(EmbeddingSize, 1, nameof(EmbeddingSize));
        Require.Positive(Margin, nameof(Margin));
        Require.AtLeast(PairsPerBatch, 2, nameof(PairsPerBatch), "one similar and one dissimilar pair");
        Require.AtLeast(Updates, 1, nameof(Updates));
        Require.Positive(LearningRate, nameof(LearningRate));
        Require.AtLeast(RecordEvery, 1, nameof(RecordEvery));
    }
}
