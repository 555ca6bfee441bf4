using CourseLib.Exercises;
using CourseLib.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace CourseLib.Frontiers;

/// <summary>Mean figures over the updates since the previous record.</summary>
/// <param name="Update">The number of updates done.</param>
/// <param name="Loss">The mean contrastive loss (as the loss function trained with computed it).</param>
/// <param name="SimilarDistance">The mean distance of similar pairs (same class).</param>
/// <param name="DissimilarDistance">The mean distance of dissimilar pairs.</param>
public sealed record SiameseRecord(int Update, double Loss, double SimilarDistance, double DissimilarDistance);

/// <summary>
/// Trains a <see cref="SiameseNetwork"/> with the contrastive loss on random pairs of labelled examples (half similar,
/// half dissimilar; <see cref="PairSampler"/>), with Adam. Each update:
/// <code>
///   draw pairs (x₁ₖ, x₂ₖ, yₖ);   dₖ = ‖f(x₁ₖ) − f(x₂ₖ)‖                        (both through the same f)
///   L = MeanContrastiveLoss(d, y, m)                                        (the exercise's function, on doubles)
///   gₖ = ∂L/∂dₖ by central differences of that function                     (<see cref="CentralDifferences"/>)
///   backpropagate Σₖ gₖ·dₖ through f (its gradient with respect to every weight is ∂L/∂weight), Adam step
/// </code>
/// The loss is the function the student wrote (or <see cref="ContrastiveLoss.Mean"/>), so a wrong loss trains a wrong
/// embedding; autograd only carries ∂L/∂d back through the network.
/// </summary>
public static class SiameseTrainer
{
    /// <summary>Trains on <paramref name="inputs"/> with class <paramref name="labels"/> (only the classes present here are ever seen).</summary>
    /// <param name="inputs">One feature vector per example.</param>
    /// <param name="labels">The class of each example.</param>
    /// <param name="options">Settings, seed included (defaults: <see cref="SiameseOptions"/>).</param>
    /// <param name="contrastiveLoss">
    /// L = MeanContrastiveLoss(distances, labels, margin), the exercise's function (notebook 10); null: the library's
    /// <see cref="ContrastiveLoss.Mean"/>. A function that still throws <see cref="NotImplementedException"/> is replaced by
    /// the library's, with a one-line note (<see cref="Solution"/>.OrReference).
    /// </param>
    /// <param name="onRecord">Called after each record (every <see cref="SiameseOptions.RecordEvery"/> updates) with the record and
    /// the model as it is at that moment, e.g. to measure one-shot accuracy during training. Optional.</param>
    /// <param name="cancellationToken">Stops training between updates.</param>
    public static SiameseModel Train(IReadOnlyList<float[]> inputs, IReadOnlyList<int> labels, SiameseOptions? options = null,
        Func<double[], int[], double, double>? contrastiveLoss = null, Action<SiameseRecord, SiameseModel>? onRecord = null,
        CancellationToken cancellationToken = default)
    {
        options ??= new SiameseOptions();
        options.Validate();
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(labels);
        if (inputs.Count == 0) throw new ArgumentException("inputs is empty.", nameof(inputs));
        if (labels.Count != inputs.Count) throw new ArgumentException($"labels has {labels.Count} entries; it needs one per input ({inputs.Count}).", nameof(labels));
        var loss = Solution.OrReference(contrastiveLoss, ContrastiveLoss.Mean, "MeanContrastiveLoss");

        using var threads = TorchThreads.One();   // the network is small: one thread is fastest
        var network = NewNetwork(inputs[0].Length, options);
        using var optimizer = optim.Adam(network.parameters(), lr: options.LearningRate);
        var sampler = new PairSampler(labels, new Rng(options.Seed));
        using var all = InputBatch.ToTensor(inputs);
        var history = new List<SiameseRecord>();
        var model = new SiameseModel(network, inputs[0].Length, history, options);
        double lossSum = 0, similarSum = 0, dissimilarSum = 0;
        int sinceRecord = 0, similarCount = options.PairsPerBatch / 2;

        using var progress = TrainingProgress.Start("Siamese network, contrastive loss", total: options.Updates, unit: "updates");
        for (int update = 1; update <= options.Updates; update++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            using var scope = torch.NewDisposeScope();
            var (first, second, pairLabels) = sampler.Sample(options.PairsPerBatch);
            var distances = network.Distance(all.index_select(0, Indices(first)), all.index_select(0, Indices(second)));   // d_k = ‖f(x₁) − f(x₂)‖
            var d = distances.detach().data<float>().Select(x => (double)x).ToArray();
            double lossValue = loss((double[])d.Clone(), (int[])pairLabels.Clone(), options.Margin);                   // mean of (1−y)½d² + y½max(0, m−d)²
            if (!double.IsFinite(lossValue))
                throw new InvalidOperationException($"Contrastive loss became {lossValue} at update {update}; lower the LearningRate.");
            var gradient = CentralDifferences.Gradient(x => loss(x, (int[])pairLabels.Clone(), options.Margin), d,
                dk => Math.Min(1e-4, dk / 2), "MeanContrastiveLoss");                                                   // ∂L/∂d_k (d_k > 0: the step stays inside)
            var surrogate = (distances * tensor(gradient.Select(g => (float)g).ToArray())).sum();                      // Σ_k g_k d_k: same gradient as L
            optimizer.zero_grad();
            surrogate.backward();
            optimizer.step();

            lossSum += lossValue;
            similarSum += d.Take(similarCount).Average();
            dissimilarSum += d.Skip(similarCount).Average();
            sinceRecord++;
            if (update % options.RecordEvery == 0 || update == options.Updates)
            {
                var record = new SiameseRecord(update, lossSum / sinceRecord, similarSum / sinceRecord, dissimilarSum / sinceRecord);
                history.Add(record);
                lossSum = similarSum = dissimilarSum = 0;
                sinceRecord = 0;
                onRecord?.Invoke(record, model);
            }
            progress.Report(update, ("loss", lossValue));
        }
        return model;
    }

    /// <summary>
    /// The network of <paramref name="options"/> as training would start it (same seed, same weights), untrained:
    /// the baseline that shows what training added.
    /// </summary>
    public static SiameseModel Untrained(int inputCount, SiameseOptions? options = null)
    {
        options ??= new SiameseOptions();
        options.Validate();
        return new SiameseModel(NewNetwork(inputCount, options), inputCount, [], options);
    }

    static SiameseNetwork NewNetwork(int inputCount, SiameseOptions options)
    {
        var network = new SiameseNetwork(inputCount, options.HiddenSizes, options.EmbeddingSize, options.ConvolutionChannels);
        Networks.UniformInitialisation.Apply(network, options.Seed);
        return network;
    }

    static Tensor Indices(int[] indices) => tensor(indices.Select(i => (long)i).ToArray());
}

/// <summary>A trained Siamese embedding with its training history.</summary>
public sealed class SiameseModel : IDisposable
{
    readonly int _inputCount;

    internal SiameseModel(SiameseNetwork network, int inputCount, IReadOnlyList<SiameseRecord> history, SiameseOptions options)
    {
        Network = network; _inputCount = inputCount; History = history; Options = options;
    }

    /// <summary>The embedding network.</summary>
    public SiameseNetwork Network { get; }
    /// <summary>The figures recorded during training.</summary>
    public IReadOnlyList<SiameseRecord> History { get; }
    /// <summary>The options it was trained with.</summary>
    public SiameseOptions Options { get; }

    /// <summary>The embedding f(x) of each input.</summary>
    public float[][] Embed(IReadOnlyList<float[]> inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var result = new float[inputs.Count][];
        const int batch = 256;   // bounds the memory of a convolutional embedding's activations
        using var noGrad = torch.no_grad();
        for (int start = 0; start < inputs.Count; start += batch)
        {
            using var scope = torch.NewDisposeScope();
            var chunk = Enumerable.Range(start, Math.Min(batch, inputs.Count - start)).Select(i => inputs[i]).ToArray();
            var embeddings = Network.forward(InputBatch.ToTensor(chunk, _inputCount));
            var flat = embeddings.data<float>().ToArray();
            int width = (int)embeddings.shape[1];
            for (int r = 0; r < chunk.Length; r++) result[start + r] = flat.AsSpan(r * width, width).ToArray();
        }
        return result;
    }

    /// <summary>Frees the network's tensors.</summary>
    public void Dispose() => Network.Dispose();
}
