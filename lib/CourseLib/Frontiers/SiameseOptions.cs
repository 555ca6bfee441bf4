namespace CourseLib.Frontiers;

/// <summary>Hyperparameters of Siamese training with the contrastive loss (<see cref="SiameseTrainer"/>).</summary>
public sealed record SiameseOptions
{
    /// <summary>Units in each of the embedding network's two hidden layers. Default 128.</summary>
    public int HiddenUnits { get; init; } = 128;
    /// <summary>Hidden ReLU layers of the embedding network (0: a linear embedding). Default 2.</summary>
    public int HiddenLayers { get; init; } = 2;
    /// <summary>
    /// Channels of each convolution block (5 × 5 kernels, ReLU, 2 × 2 max-pooling) before the hidden layers; the
    /// inputs must then be square images. Default empty: an MLP on the input vector.
    /// </summary>
    public int[] ConvolutionChannels { get; init; } = [];
    /// <summary>The size of the embedding f(x). Default 32.</summary>
    public int EmbeddingSize { get; init; } = 32;
    /// <summary>The margin m: dissimilar pairs farther apart than m cost nothing. Default 1.</summary>
    public double Margin { get; init; } = 1.0;
    /// <summary>Pairs per gradient step, half similar and half dissimilar. Default 128.</summary>
    public int PairsPerBatch { get; init; } = 128;
    /// <summary>Gradient steps. Default 500.</summary>
    public int Updates { get; init; } = 500;
    /// <summary>Adam's step size. Default 1e-3.</summary>
    public double LearningRate { get; init; } = 1e-3;
    /// <summary>Record the mean loss and distances every this many updates. Default 25.</summary>
    public int RecordEvery { get; init; } = 25;
    /// <summary>Seed for the initial weights and the pairs. Default 0.</summary>
    public int Seed { get; init; } = 0;

    // The record's printout, with the convolution channels listed (e.g. "ConvolutionChannels = [16, 32]").
    bool PrintMembers(System.Text.StringBuilder builder)
    {
        var invariant = System.Globalization.CultureInfo.InvariantCulture;
        builder.Append(string.Create(invariant, $"HiddenUnits = {HiddenUnits}, HiddenLayers = {HiddenLayers}, "));
        builder.Append(string.Create(invariant, $"ConvolutionChannels = [{string.Join(", ", ConvolutionChannels)}], EmbeddingSize = {EmbeddingSize}, "));
        builder.Append(string.Create(invariant, $"Margin = {Margin}, PairsPerBatch = {PairsPerBatch}, Updates = {Updates}, "));
        builder.Append(string.Create(invariant, $"LearningRate = {LearningRate}, RecordEvery = {RecordEvery}, Seed = {Seed}"));
        return true;
    }

    internal void Validate()
    {
        if (HiddenUnits < 1) throw new ArgumentOutOfRangeException(nameof(HiddenUnits), HiddenUnits, "HiddenUnits must be at least 1.");
        if (HiddenLayers < 0) throw new ArgumentOutOfRangeException(nameof(HiddenLayers), HiddenLayers, "HiddenLayers must be 0 or more.");
        ArgumentNullException.ThrowIfNull(ConvolutionChannels, nameof(ConvolutionChannels));
        if (ConvolutionChannels.Any(c => c < 1)) throw new ArgumentOutOfRangeException(nameof(ConvolutionChannels), string.Join(", ", ConvolutionChannels), "every convolution block needs at least 1 channel.");
        if (EmbeddingSize < 1) throw new ArgumentOutOfRangeException(nameof(EmbeddingSize), EmbeddingSize, "EmbeddingSize must be at least 1.");
        if (!(Margin > 0) || !double.IsFinite(Margin)) throw new ArgumentOutOfRangeException(nameof(Margin), Margin, "Margin must be a finite number > 0.");
        if (PairsPerBatch < 2) throw new ArgumentOutOfRangeException(nameof(PairsPerBatch), PairsPerBatch, "PairsPerBatch must be at least 2 (one similar, one dissimilar).");
        if (Updates < 1) throw new ArgumentOutOfRangeException(nameof(Updates), Updates, "Updates must be at least 1.");
        if (!(LearningRate > 0) || !double.IsFinite(LearningRate)) throw new ArgumentOutOfRangeException(nameof(LearningRate), LearningRate, "LearningRate must be a finite number > 0.");
        if (RecordEvery < 1) throw new ArgumentOutOfRangeException(nameof(RecordEvery), RecordEvery, "RecordEvery must be at least 1.");
    }
}
