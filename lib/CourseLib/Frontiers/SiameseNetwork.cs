using CourseLib.Training;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace CourseLib.Frontiers;

/// <summary>
/// A Siamese network: one embedding network f applied to both inputs of a pair with the same weights, and the
/// Euclidean distance d = ‖f(x₁) − f(x₂)‖ between the two embeddings. f is an MLP on the input vector, or (as in
/// SigNet and Koch et al. 2015) a convolutional network on a square image followed by that MLP.
/// </summary>
public sealed class SiameseNetwork : Module<Tensor, Tensor>
{
    /// <summary>The side of each convolution's square kernel.</summary>
    public const int KernelSize = 5;

    readonly Sequential? _convolutions;
    readonly Sequential _embedding;
    readonly int _side;

    /// <summary>
    /// An embedding network: optional convolution blocks (<paramref name="convolutionChannels"/>[i] channels each, 5 × 5
    /// kernels, ReLU, 2 × 2 max-pooling; the input is then a square image of √inputCount pixels a side), then one
    /// hidden ReLU layer of <paramref name="hiddenSizes"/>[i] units for each entry, then a linear layer to the embedding.
    /// </summary>
    public SiameseNetwork(int inputCount, IReadOnlyList<int> hiddenSizes, int embeddingSize, IReadOnlyList<int>? convolutionChannels = null)
        : base(nameof(SiameseNetwork))
    {
        Require.LayerSizes(hiddenSizes, nameof(hiddenSizes), allowEmpty: true);
        if (inputCount < 1) throw new ArgumentOutOfRangeException(nameof(inputCount), inputCount, "inputCount must be at least 1.");
        if (embeddingSize < 1) throw new ArgumentOutOfRangeException(nameof(embeddingSize), embeddingSize, "embeddingSize must be at least 1.");
        int width = inputCount;
        if (convolutionChannels is { Count: > 0 })
        {
            _side = (int)Math.Round(Math.Sqrt(inputCount));
            if (_side * _side != inputCount)
                throw new ArgumentException($"a convolutional embedding needs square images: inputCount {inputCount} is not a square.", nameof(inputCount));
            var blocks = new List<Module<Tensor, Tensor>>();
            int channels = 1, side = _side;
            foreach (int next in convolutionChannels)
            {
                if (next < 1) throw new ArgumentOutOfRangeException(nameof(convolutionChannels), next, "every convolution needs at least 1 channel.");
                side = (side - KernelSize + 1) / 2;
                if (side < 1)
                    throw new ArgumentException($"{convolutionChannels.Count} convolution blocks shrink a {_side}-pixel image to nothing; use fewer.", nameof(convolutionChannels));
                blocks.Add(Conv2d(channels, next, KernelSize)); blocks.Add(ReLU()); blocks.Add(MaxPool2d(2));
                channels = next;
            }
            _convolutions = Sequential(blocks);
            width = channels * side * side;
        }
        var layers = new List<Module<Tensor, Tensor>>();
        foreach (int units in hiddenSizes) { layers.Add(Linear(width, units)); layers.Add(ReLU()); width = units; }
        layers.Add(Linear(width, embeddingSize));
        _embedding = Sequential(layers);
        RegisterComponents();
    }

    /// <summary>The embedding f(x) of a batch [n, inputs]: [n, embedding].</summary>
    public override Tensor forward(Tensor input)
    {
        if (_convolutions == null) return _embedding.forward(input);
        using var image = input.reshape(-1, 1, _side, _side);
        using var features = _convolutions.forward(image);
        using var flat = features.flatten(1);
        return _embedding.forward(flat);
    }

    /// <summary>d = ‖f(x₁) − f(x₂)‖ for a batch of pairs [n, inputs] × [n, inputs]: [n]. Both branches share every weight.</summary>
    public Tensor Distance(Tensor first, Tensor second)
    {
        using var difference = forward(first) - forward(second);
        return (difference.pow(2).sum(1) + 1e-9).sqrt();   // the 1e-9 keeps the gradient finite at d = 0
    }
}
