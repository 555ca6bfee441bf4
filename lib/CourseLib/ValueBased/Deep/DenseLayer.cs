using System.Numerics;
using static TorchSharp.torch;

namespace CourseLib.ValueBased.Deep;

/// <summary>
/// A fully connected layer y = W x + b (W is out × in, row-major, as in torch.nn.Linear), with its forward and
/// backward passes written out. A noisy layer (Fortunato et al. 2018, factorised Gaussian noise) uses
/// W = μ_W + σ_W ⊙ (f(ε_out) f(ε_in)ᵀ) and b = μ_b + σ_b ⊙ f(ε_out) with f(x) = sgn(x)√|x|; its learnable
/// parameters are μ and σ, and ∂L/∂μ = ∂L/∂W, ∂L/∂σ = ∂L/∂W ⊙ ε.
/// </summary>
internal sealed class DenseLayer : IDisposable
{
    readonly Tensor _weightTransposed; // view of the effective weight, for x Wᵀ
    readonly float[] _noiseIn, _noiseOut;

    public DenseLayer(string name, int inputs, int outputs, bool noisy, double noiseScale, Rng rng)
    {
        Inputs = inputs; Outputs = outputs; Noisy = noisy;
        WeightMean = new Parameter(name + ".weight", outputs, inputs);
        BiasMean = new Parameter(name + ".bias", outputs);
        // torch.nn.Linear's initialisation: U(−1/√in, 1/√in) for weights and biases.
        double bound = 1 / Math.Sqrt(inputs);
        foreach (ref float w in WeightMean.Value.Span) w = (float)rng.Uniform(-bound, bound);
        foreach (ref float b in BiasMean.Value.Span) b = (float)rng.Uniform(-bound, bound);
        if (noisy)
        {
            WeightSigma = new Parameter(name + ".weight_sigma", outputs, inputs);
            BiasSigma = new Parameter(name + ".bias_sigma", outputs);
            WeightSigma.Value.Span.Fill((float)(noiseScale / Math.Sqrt(inputs)));
            BiasSigma.Value.Span.Fill((float)(noiseScale / Math.Sqrt(inputs)));
            Weight = new NativeFloats(outputs, inputs);
            Bias = new NativeFloats(outputs);
            WeightGradient = new NativeFloats(outputs, inputs);
            BiasGradient = new NativeFloats(outputs);
            _noiseIn = new float[inputs];
            _noiseOut = new float[outputs];
            ApplyNoise();
        }
        else
        {
            Weight = WeightMean.Value; Bias = BiasMean.Value;
            WeightGradient = WeightMean.Gradient; BiasGradient = BiasMean.Gradient;
            _noiseIn = _noiseOut = [];
        }
        _weightTransposed = Weight.Tensor.t();
    }

    public int Inputs { get; }
    public int Outputs { get; }
    public bool Noisy { get; }
    public Parameter WeightMean { get; }
    public Parameter BiasMean { get; }
    public Parameter? WeightSigma { get; }
    public Parameter? BiasSigma { get; }
    /// <summary>The weights in use (μ + σ ⊙ ε for a noisy layer, μ otherwise).</summary>
    public NativeFloats Weight { get; }
    public NativeFloats Bias { get; }
    public NativeFloats WeightGradient { get; }
    public NativeFloats BiasGradient { get; }

    public IEnumerable<Parameter> Parameters()
    {
        yield return WeightMean;
        yield return BiasMean;
        if (Noisy) { yield return WeightSigma!; yield return BiasSigma!; }
    }

    /// <summary>Draws new ε (noisy layers only) and recomputes the weights in use.</summary>
    public void ResampleNoise(Rng rng)
    {
        if (!Noisy) return;
        for (int i = 0; i < _noiseIn.Length; i++) _noiseIn[i] = ScaledNoise(rng);
        for (int j = 0; j < _noiseOut.Length; j++) _noiseOut[j] = ScaledNoise(rng);
        ApplyNoise();
    }

    /// <summary>W = μ + σ ⊙ ε with the current ε (after the optimiser has changed μ and σ).</summary>
    public void ApplyNoise()
    {
        if (!Noisy) return;
        var w = Weight.Span; var mu = WeightMean.Value.Span; var sigma = WeightSigma!.Value.Span;
        for (int j = 0; j < Outputs; j++)
        {
            float eOut = _noiseOut[j];
            int row = j * Inputs;
            for (int i = 0; i < Inputs; i++) w[row + i] = mu[row + i] + sigma[row + i] * eOut * _noiseIn[i];
        }
        var b = Bias.Span; var muB = BiasMean.Value.Span; var sigmaB = BiasSigma!.Value.Span;
        for (int j = 0; j < Outputs; j++) b[j] = muB[j] + sigmaB[j] * _noiseOut[j];
    }

    static float ScaledNoise(Rng rng)
    {
        double x = rng.NextGaussian();
        return (float)(Math.Sign(x) * Math.Sqrt(Math.Abs(x)));
    }

    /// <summary>Y = X Wᵀ + b for a batch (X is batch × in, Y batch × out), then ReLU if asked.</summary>
    public void Forward(NativeFloats input, NativeFloats output, int batch, bool relu)
    {
        var y = output.Span; var b = Bias.Span;
        for (int r = 0; r < batch; r++) b.CopyTo(y.Slice(r * Outputs, Outputs));
        output.Tensor.addmm_(input.Tensor, _weightTransposed, beta: 1, alpha: 1);
        if (relu) Relu(y);
    }

    /// <summary>
    /// Backpropagates ∂L/∂Y (batch × out): ∂L/∂W = (∂L/∂Y)ᵀ X, ∂L/∂b = Σ_rows ∂L/∂Y, and, when
    /// <paramref name="inputGradient"/> is given, ∂L/∂X = (∂L/∂Y) W masked by the ReLU that produced X.
    /// </summary>
    public void Backward(NativeFloats input, NativeFloats outputGradient, Tensor outputGradientTransposed, NativeFloats? inputGradient, int batch)
    {
        WeightGradient.Tensor.addmm_(outputGradientTransposed, input.Tensor, beta: 0, alpha: 1);
        var gb = BiasGradient.Span; var dy = outputGradient.Span;
        gb.Clear();
        for (int r = 0; r < batch; r++) Add(gb, dy.Slice(r * Outputs, Outputs));
        if (inputGradient != null)
        {
            inputGradient.Tensor.addmm_(outputGradient.Tensor, Weight.Tensor, beta: 0, alpha: 1);
            ReluBackward(inputGradient.Span, input.Span);
        }
        if (Noisy)
        {
            // ∂L/∂μ = ∂L/∂W;  ∂L/∂σ = ∂L/∂W ⊙ ε
            WeightGradient.Span.CopyTo(WeightMean.Gradient.Span);
            BiasGradient.Span.CopyTo(BiasMean.Gradient.Span);
            var gw = WeightGradient.Span; var gSigma = WeightSigma!.Gradient.Span;
            for (int j = 0; j < Outputs; j++)
            {
                float eOut = _noiseOut[j];
                int row = j * Inputs;
                for (int i = 0; i < Inputs; i++) gSigma[row + i] = gw[row + i] * eOut * _noiseIn[i];
            }
            var gSigmaB = BiasSigma!.Gradient.Span;
            for (int j = 0; j < Outputs; j++) gSigmaB[j] = gb[j] * _noiseOut[j];
        }
    }

    /// <summary>y = W x + b for one input, in plain C#; <paramref name="meanWeights"/> uses μ instead of μ + σ ⊙ ε.</summary>
    public void ForwardOne(ReadOnlySpan<float> x, Span<float> y, bool relu, bool meanWeights)
    {
        var w = meanWeights ? WeightMean.Value.Span : Weight.Span;
        var b = meanWeights ? BiasMean.Value.Span : Bias.Span;
        for (int j = 0; j < Outputs; j++)
        {
            float value = b[j] + Dot(w.Slice(j * Inputs, Inputs), x);
            y[j] = relu && value < 0 ? 0 : value;
        }
    }

    internal static float Dot(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        int i = 0;
        float sum = 0;
        if (Vector.IsHardwareAccelerated && a.Length >= Vector<float>.Count)
        {
            var acc = Vector<float>.Zero;
            int width = Vector<float>.Count;
            for (; i <= a.Length - width; i += width) acc += new Vector<float>(a[i..]) * new Vector<float>(b[i..]);
            sum = Vector.Sum(acc);
        }
        for (; i < a.Length; i++) sum += a[i] * b[i];
        return sum;
    }

    internal static void Relu(Span<float> values)
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            int width = Vector<float>.Count;
            for (; i <= values.Length - width; i += width) Vector.Max(new Vector<float>(values[i..]), Vector<float>.Zero).CopyTo(values[i..]);
        }
        for (; i < values.Length; i++) if (values[i] < 0) values[i] = 0;
    }

    /// <summary>g ← g where the ReLU's output was positive, 0 elsewhere.</summary>
    internal static void ReluBackward(Span<float> gradient, ReadOnlySpan<float> activation)
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            int width = Vector<float>.Count;
            for (; i <= gradient.Length - width; i += width)
            {
                var mask = Vector.GreaterThan(new Vector<float>(activation[i..]), Vector<float>.Zero);
                Vector.ConditionalSelect(mask, new Vector<float>(gradient[i..]), Vector<float>.Zero).CopyTo(gradient[i..]);
            }
        }
        for (; i < gradient.Length; i++) if (!(activation[i] > 0)) gradient[i] = 0;
    }

    internal static void Add(Span<float> accumulator, ReadOnlySpan<float> values)
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            int width = Vector<float>.Count;
            for (; i <= accumulator.Length - width; i += width) (new Vector<float>(accumulator[i..]) + new Vector<float>(values[i..])).CopyTo(accumulator[i..]);
        }
        for (; i < accumulator.Length; i++) accumulator[i] += values[i];
    }

    public void Dispose()
    {
        _weightTransposed.Dispose();
        foreach (var p in Parameters()) p.Dispose();
        if (Noisy) { Weight.Dispose(); Bias.Dispose(); WeightGradient.Dispose(); BiasGradient.Dispose(); }
    }
}
