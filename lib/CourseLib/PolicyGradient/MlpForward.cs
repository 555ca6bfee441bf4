using CourseLib.Networks;
using static TorchSharp.torch;

namespace CourseLib.PolicyGradient;

/// <summary>
/// The forward pass of an <see cref="Mlp"/> in plain C#, on a copy of its weights, layer by layer with the shared
/// <see cref="DenseForward"/>. Sampling an action at every environment step needs one tiny forward pass; through torch
/// each costs tens of microseconds of dispatch and allocation, here it costs about a microsecond (CartPole's 4-128-2
/// policy). Torch still does the batched forward and backward pass of the update. Call <see cref="Refresh"/> after
/// every optimizer step.
/// Not thread-safe: it keeps its scratch buffers.
/// </summary>
public sealed class MlpForward
{
    readonly Mlp _network;
    readonly float[][] _weights, _biases, _activations;

    /// <summary>A forward pass reading the current weights of <paramref name="network"/>.</summary>
    public MlpForward(Mlp network)
    {
        _network = network ?? throw new ArgumentNullException(nameof(network));
        var sizes = network.LayerSizes;
        int layerCount = sizes.Count - 1;
        _weights = new float[layerCount][];
        _biases = new float[layerCount][];
        _activations = new float[layerCount][];
        for (int l = 0; l < layerCount; l++)
        {
            _weights[l] = new float[sizes[l] * sizes[l + 1]];
            _biases[l] = new float[sizes[l + 1]];
            _activations[l] = new float[sizes[l + 1]];
        }
        Refresh();
    }

    /// <summary>Input length.</summary>
    public int InputLength => _network.LayerSizes[0];

    /// <summary>Output length.</summary>
    public int OutputLength => _network.LayerSizes[^1];

    /// <summary>Copies the network's current weights.</summary>
    public void Refresh()
    {
        using var _ = no_grad();
        for (int l = 0; l < _weights.Length; l++)
        {
            var layer = _network.Layer(l);
            using (var w = layer.weight!.detach().contiguous()) w.data<float>().CopyTo(_weights[l], 0, 0);
            using (var b = layer.bias!.detach().contiguous()) b.data<float>().CopyTo(_biases[l], 0, 0);
        }
    }

    /// <summary>The network's outputs (logits) for one input. The returned span is valid until the next call.</summary>
    public ReadOnlySpan<float> Forward(ReadOnlySpan<float> input)
    {
        if (input.Length != InputLength)
            throw new ArgumentException($"input has {input.Length} values; the network expects {InputLength}.", nameof(input));
        ReadOnlySpan<float> x = input;
        for (int l = 0; l < _weights.Length; l++)
        {
            var y = _activations[l];
            DenseForward.Affine(_weights[l], _biases[l], x, y);
            if (l + 1 < _weights.Length)
            {
                if (_network.Activation == MlpActivation.Tanh) DenseForward.Tanh(y);
                else DenseForward.Relu(y);
            }
            x = y;
        }
        return x;
    }

    /// <summary>Writes softmax(logits) of one input into <paramref name="probabilities"/> (length = outputs), with the shared <see cref="Networks.Softmax"/>.</summary>
    public void Probabilities(ReadOnlySpan<float> input, Span<double> probabilities) => Softmax.Write(Forward(input), probabilities);
}
