using System.Diagnostics;
using CourseLib.Data;

namespace CourseLib.Frontiers;

/// <summary>How one embedding does on the evaluation scripts.</summary>
/// <param name="Method">"Siamese network", "untrained network" or "raw pixels".</param>
/// <param name="FiveWay">5-way one-shot classification within a script.</param>
/// <param name="TwentyWay">20-way one-shot classification within a script.</param>
/// <param name="Verification">Same/different decisions on pairs (impostors from the same script).</param>
public sealed record OneShotComparison(string Method, NWayResult FiveWay, NWayResult TwentyWay, VerificationResult Verification);

/// <summary>The outcome of <see cref="OneShotCharacters.Run"/>.</summary>
public sealed class OneShotCharactersResult : IDisposable
{
    internal OneShotCharactersResult(SiameseModel model, IReadOnlyList<OneShotComparison> comparisons, float[][] evaluationInputs, int[] evaluationLabels,
        TimeSpan trainingTime, TimeSpan trainingCpuTime)
    {
        Model = model; Comparisons = comparisons; EvaluationInputs = evaluationInputs; EvaluationLabels = evaluationLabels;
        TrainingTime = trainingTime; TrainingCpuTime = trainingCpuTime;
    }

    /// <summary>The trained Siamese embedding.</summary>
    public SiameseModel Model { get; }
    /// <summary>The Siamese network, the same network untrained, and raw pixels, on the same episodes and pairs.</summary>
    public IReadOnlyList<OneShotComparison> Comparisons { get; }
    /// <summary>The trained network's results.</summary>
    public OneShotComparison Siamese => Comparisons[0];
    /// <summary>The untrained network's results.</summary>
    public OneShotComparison Untrained => Comparisons[1];
    /// <summary>Raw-pixel nearest neighbour's results.</summary>
    public OneShotComparison Pixels => Comparisons[2];
    /// <summary>Every image of the evaluation scripts (never trained on).</summary>
    public float[][] EvaluationInputs { get; }
    /// <summary>Their classes.</summary>
    public int[] EvaluationLabels { get; }
    /// <summary>Wall-clock time of training.</summary>
    public TimeSpan TrainingTime { get; }
    /// <summary>CPU time of this process during training (all threads): what it costs on a shared machine.</summary>
    public TimeSpan TrainingCpuTime { get; }

    /// <summary>Frees the network.</summary>
    public void Dispose() => Model.Dispose();
}

/// <summary>
/// Omniglot's one-shot protocol on the course's <see cref="Characters"/>: a convolutional Siamese network is trained
/// with the contrastive loss on pairs from the background scripts only; then, on the evaluation scripts it never saw,
/// N-way one-shot episodes (within one script) and same/different verification are scored for the trained network,
/// the same network untrained, and nearest neighbour on raw pixels, on the same seeded episodes and pairs.
/// </summary>
public static class OneShotCharacters
{
    /// <summary>
    /// The settings the notebook and the test use: two convolution blocks (16 and 32 channels), one hidden layer of
    /// 128, a 32-dimensional embedding, 400 updates of 64 pairs (about 20 s of CPU time on one core).
    /// </summary>
    public static SiameseOptions DefaultOptions { get; } = new()
    {
        ConvolutionChannels = [16, 32], HiddenSizes = [128], EmbeddingSize = 32,
        Updates = 400, PairsPerBatch = 64, LearningRate = 1e-3, Margin = 1.0, RecordEvery = 50, Seed = 0,
    };

    /// <summary>Trains on the background scripts and evaluates on the evaluation scripts.</summary>
    /// <param name="characters">The character set.</param>
    /// <param name="options">Siamese settings (default <see cref="DefaultOptions"/>).</param>
    /// <param name="episodes">One-shot episodes for each N. Default 400.</param>
    /// <param name="verificationPairs">Pairs for verification, half genuine. Default 4000.</param>
    /// <param name="contrastiveLoss">The loss to train with, MeanContrastiveLoss(distances, labels, margin) (notebook 10's exercise); null: <see cref="ContrastiveLoss.Mean"/>. See <see cref="SiameseTrainer.Train"/>.</param>
    /// <param name="cancellationToken">Stops training.</param>
    public static OneShotCharactersResult Run(Characters characters, SiameseOptions? options = null, int episodes = 400, int verificationPairs = 4000,
        Func<double[], int[], double, double>? contrastiveLoss = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(characters);
        options ??= DefaultOptions;
        var (trainInputs, trainLabels) = characters.Part(evaluation: false);
        var (evalInputs, evalLabels) = characters.Part(evaluation: true);

        var process = Process.GetCurrentProcess();
        var cpuBefore = process.TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        var model = SiameseTrainer.Train(trainInputs, trainLabels, options, contrastiveLoss, cancellationToken: cancellationToken);
        var wall = clock.Elapsed;
        process.Refresh();
        var cpu = process.TotalProcessorTime - cpuBefore;

        using var untrained = SiameseTrainer.Untrained(trainInputs[0].Length, options);
        var comparisons = new List<OneShotComparison>();
        foreach (var (method, embeddings) in new[] { ("Siamese network", model.Embed(evalInputs)), ("untrained network", untrained.Embed(evalInputs)), ("raw pixels", evalInputs) })
            comparisons.Add(new OneShotComparison(method,
                OneShot.NWay(embeddings, evalLabels, ways: 5, episodes, seed: 1, characters.ScriptOfClass),
                OneShot.NWay(embeddings, evalLabels, ways: 20, episodes, seed: 2, characters.ScriptOfClass),
                Verification.Evaluate(embeddings, evalLabels, verificationPairs, seed: 3, characters.ScriptOfClass)));
        return new OneShotCharactersResult(model, comparisons, evalInputs, evalLabels, wall, cpu);
    }
}
