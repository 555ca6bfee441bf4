using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace CourseLib.Frontiers;

/// <summary>
/// A Siamese network: one embedding network f (an MLP here; SigNet uses a CNN) applied to both inputs of a pair with
/// the same weights, and the Euclidean distance d = ‖f(x₁) − f(x₂)‖ between the two embeddings.
/// </summary>
public sealed class SiameseNetwork : Module<Tensor, Tensor>
{
    readonly Sequential _embedding;

    /// <summary>An embedding MLP: inputs → <paramref name="hiddenLayers"/> × hidden → embedding (ReLU after each hidden layer, none on the embedding).</summary>
    public SiameseNetwork(int inputCount, int hiddenUnits, int embeddingSize, int hiddenLayers = 2) : base(nameof(SiameseNetwork))
    {
        if (hiddenLayers < 0) throw new ArgumentOutOfRangeException(nameof(hiddenLayers), hiddenLayers, "hiddenLayers must be 0 or more.");
        if (inputCount < 1) throw new ArgumentOutOfRangeException(nameof(inputCount), inputCount, "inputCount must be at least 1.");
        if (hiddenUnits < 1) throw new ArgumentOutOfRangeException(nameof(hiddenUnits), hiddenUnits, "hiddenUnits must be at least 1.");
        if (embeddingSize < 1) throw new ArgumentOutOfRangeException(nameof(embeddingSize), embeddingSize, "embeddingSize must be at least 1.");
        var layers = new List<Module<Tensor, Tensor>>();
        int width = inputCount;
        for (int layer = 0; layer < hiddenLayers; layer++) { layers.Add(Linear(width, hiddenUnits)); layers.Add(ReLU()); width = hiddenUnits; }
        layers.Add(Linear(width, embeddingSize));
        _embedding = Sequential(layers);
        RegisterComponents();
    }

    /// <summary>The embedding f(x) of a batch [n, inputs]: [n, embedding].</summary>
    public override Tensor forward(Tensor input) => _embedding.forward(input);

    /// <summary>d = ‖f(x₁) − f(x₂)‖ for a batch of pairs [n, inputs] × [n, inputs]: [n]. Both branches share every weight.</summary>
    public Tensor Distance(Tensor first, Tensor second)
    {
        using var difference = forward(first) - forward(second);
        return (difference.pow(2).sum(1) + 1e-9).sqrt();   // the 1e-9 keeps the gradient finite at d = 0
    }
}
