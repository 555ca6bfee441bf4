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
        if (inputs <= Narrow) _transposeScratch = new float[inputs * outputs];
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

    /// <summary>
    /// Layers this narrow (at most this many outputs, or inputs) are computed in C#: a matrix product with two columns,
    /// or an inner dimension of four, is mostly overhead in a BLAS library.
    /// </summary>
    const int Narrow = 8;

    readonly float[] _transposeScratch = [];

    /// <summary>Y = X Wᵀ + b for a batch (X is batch × in, Y batch × out), then ReLU if asked.</summary>
    public unsafe void Forward(NativeFloats input, NativeFloats output, int batch, bool relu)
    {
        float* x = input.Pointer, y = output.Pointer, w = Weight.Pointer, b = Bias.Pointer;
        if (Outputs <= Narrow)
        {
            // A few outputs (the Q head): one pass over each input row computes all of them.
            for (int r = 0; r < batch; r++)
            {
                float* xRow = x + r * Inputs, yRow = y + r * Outputs;
                int j = 0;
                if (Inputs >= Vector<float>.Count)
                    for (; j + 2 <= Outputs; j += 2) Dot2(w + j * Inputs, xRow, Inputs, b + j, yRow + j);
                for (; j < Outputs; j++) yRow[j] = b[j] + Dot(w + j * Inputs, xRow, Inputs);
                if (relu) for (j = 0; j < Outputs; j++) if (yRow[j] < 0) yRow[j] = 0;
            }
            return;
        }
        if (Inputs <= Narrow)
        {
            // A few inputs (the first layer): Y_r = b + Σ_k x_rk (Wᵀ)_k, a handful of vector updates per row.
            fixed (float* wt = _transposeScratch)
            {
                Transpose(w, wt, Outputs, Inputs);
                for (int r = 0; r < batch; r++)
                {
                    float* xRow = x + r * Inputs, yRow = y + r * Outputs;
                    new Span<float>(b, Outputs).CopyTo(new Span<float>(yRow, Outputs));
                    for (int k = 0; k < Inputs; k++) Axpy(xRow[k], wt + k * Outputs, yRow, Outputs);
                    if (relu) Relu(new Span<float>(yRow, Outputs));
                }
            }
            return;
        }
        output.Tensor.addmm_(input.Tensor, _weightTransposed, beta: 0, alpha: 1);   // Y = X Wᵀ (libtorch)
        for (int r = 0; r < batch; r++) AddBias(y + r * Outputs, b, Outputs, relu);  // Y += b, ReLU, in one pass
    }

    /// <summary>
    /// Backpropagates ∂L/∂Y (batch × out): ∂L/∂W = (∂L/∂Y)ᵀ X, ∂L/∂b = Σ_rows ∂L/∂Y, and, when
    /// <paramref name="inputGradient"/> is given, ∂L/∂X = (∂L/∂Y) W masked by the ReLU that produced X.
    /// </summary>
    public unsafe void Backward(NativeFloats input, NativeFloats outputGradient, Tensor outputGradientTransposed, NativeFloats? inputGradient, int batch)
    {
        float* x = input.Pointer, dy = outputGradient.Pointer, w = Weight.Pointer, gw = WeightGradient.Pointer, gb = BiasGradient.Pointer;
        new Span<float>(gb, Outputs).Clear();
        if (Outputs <= Narrow)
        {
            new Span<float>(gw, Outputs * Inputs).Clear();
            float* dx = inputGradient != null ? inputGradient.Pointer : null;
            for (int r = 0; r < batch; r++)
            {
                float* xRow = x + r * Inputs, dyRow = dy + r * Outputs;
                if (dx != null) new Span<float>(dx + r * Inputs, Inputs).Clear();
                for (int j = 0; j < Outputs; j++)
                {
                    float g = dyRow[j];
                    if (g == 0) continue;
                    gb[j] += g;
                    Axpy(g, xRow, gw + j * Inputs, Inputs);                       // ∂L/∂W_j += g x
                    if (dx != null) Axpy(g, w + j * Inputs, dx + r * Inputs, Inputs); // ∂L/∂x += g W_j
                }
            }
        }
        else
        {
            if (Inputs <= Narrow)
            {
                // (∂L/∂W)ᵀ_k = Σ_r x_rk ∂L/∂Y_r, accumulated row by row, then transposed back.
                fixed (float* gwt = _transposeScratch)
                {
                    new Span<float>(gwt, Outputs * Inputs).Clear();
                    for (int r = 0; r < batch; r++)
                        for (int k = 0; k < Inputs; k++) Axpy(x[r * Inputs + k], dy + r * Outputs, gwt + k * Outputs, Outputs);
                    Transpose(gwt, gw, Inputs, Outputs);
                }
            }
            else WeightGradient.Tensor.addmm_(outputGradientTransposed, input.Tensor, beta: 0, alpha: 1);
            for (int r = 0; r < batch; r++) Axpy(1, dy + r * Outputs, gb, Outputs);
            inputGradient?.Tensor.addmm_(outputGradient.Tensor, Weight.Tensor, beta: 0, alpha: 1);
        }
        if (inputGradient != null) ReluBackward(inputGradient.Span, input.Span);
        if (Noisy)
        {
            // ∂L/∂μ = ∂L/∂W;  ∂L/∂σ = ∂L/∂W ⊙ ε
            WeightGradient.Span.CopyTo(WeightMean.Gradient.Span);
            BiasGradient.Span.CopyTo(BiasMean.Gradient.Span);
            var gradient = WeightGradient.Span; var gSigma = WeightSigma!.Gradient.Span;
            for (int j = 0; j < Outputs; j++)
            {
                float eOut = _noiseOut[j];
                int row = j * Inputs;
                for (int i = 0; i < Inputs; i++) gSigma[row + i] = gradient[row + i] * eOut * _noiseIn[i];
            }
            var gSigmaB = BiasSigma!.Gradient.Span;
            for (int j = 0; j < Outputs; j++) gSigmaB[j] = gb[j] * _noiseOut[j];
        }
    }

    /// <summary>y = W x + b for one input, in plain C#; <paramref name="meanWeights"/> uses μ instead of μ + σ ⊙ ε.</summary>
    public unsafe void ForwardOne(ReadOnlySpan<float> x, Span<float> y, bool relu, bool meanWeights)
    {
        float* w = meanWeights ? WeightMean.Value.Pointer : Weight.Pointer;
        float* b = meanWeights ? BiasMean.Value.Pointer : Bias.Pointer;
        fixed (float* xp = x)
        fixed (float* yp = y)
        {
            int j = 0;
            if (Inputs >= Vector<float>.Count)
                for (; j + 4 <= Outputs; j += 4) Dot4(w + j * Inputs, xp, Inputs, b + j, yp + j);
            for (; j < Outputs; j++) yp[j] = b[j] + Dot(w + j * Inputs, xp, Inputs);
            if (relu) for (j = 0; j < Outputs; j++) if (yp[j] < 0) yp[j] = 0;
        }
    }

    /// <summary>Σ_i a_i b_i over n floats.</summary>
    static unsafe float Dot(float* a, float* b, int n)
    {
        int i = 0;
        float sum = 0;
        if (Vector.IsHardwareAccelerated && n >= Vector<float>.Count)
        {
            int width = Vector<float>.Count;
            var acc = Vector<float>.Zero;
            for (; i <= n - width; i += width) acc = Vector.FusedMultiplyAdd(Vector.Load(a + i), Vector.Load(b + i), acc);
            sum = Vector.Sum(acc);
        }
        for (; i < n; i++) sum += a[i] * b[i];
        return sum;
    }

    /// <summary>Two rows of W times x at once: y[k] = b[k] + W_k · x.</summary>
    static unsafe void Dot2(float* w, float* x, int n, float* b, float* y)
    {
        int width = Vector<float>.Count, i = 0;
        Vector<float> a0 = default, a1 = default;
        for (; i <= n - width; i += width)
        {
            var xv = Vector.Load(x + i);
            a0 = Vector.FusedMultiplyAdd(Vector.Load(w + i), xv, a0);
            a1 = Vector.FusedMultiplyAdd(Vector.Load(w + n + i), xv, a1);
        }
        float s0 = Vector.Sum(a0), s1 = Vector.Sum(a1);
        for (; i < n; i++) { s0 += w[i] * x[i]; s1 += w[n + i] * x[i]; }
        y[0] = b[0] + s0; y[1] = b[1] + s1;
    }

    /// <summary>destination (columns × rows) = sourceᵀ for a rows × columns source.</summary>
    static unsafe void Transpose(float* source, float* destination, int rows, int columns)
    {
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < columns; j++) destination[j * rows + i] = source[i * columns + j];
    }

    /// <summary>Four rows of W times x at once (x is loaded once for the four): y[k] = b[k] + W_k · x.</summary>
    static unsafe void Dot4(float* w, float* x, int n, float* b, float* y)
    {
        int width = Vector<float>.Count, i = 0;
        Vector<float> a0 = default, a1 = default, a2 = default, a3 = default;
        for (; i <= n - width; i += width)
        {
            var xv = Vector.Load(x + i);
            a0 = Vector.FusedMultiplyAdd(Vector.Load(w + i), xv, a0);
            a1 = Vector.FusedMultiplyAdd(Vector.Load(w + n + i), xv, a1);
            a2 = Vector.FusedMultiplyAdd(Vector.Load(w + 2 * n + i), xv, a2);
            a3 = Vector.FusedMultiplyAdd(Vector.Load(w + 3 * n + i), xv, a3);
        }
        float s0 = Vector.Sum(a0), s1 = Vector.Sum(a1), s2 = Vector.Sum(a2), s3 = Vector.Sum(a3);
        for (; i < n; i++)
        {
            float xi = x[i];
            s0 += w[i] * xi; s1 += w[n + i] * xi; s2 += w[2 * n + i] * xi; s3 += w[3 * n + i] * xi;
        }
        y[0] = b[0] + s0; y[1] = b[1] + s1; y[2] = b[2] + s2; y[3] = b[3] + s3;
    }

    /// <summary>y ← y + a·x over n floats.</summary>
    static unsafe void Axpy(float a, float* x, float* y, int n)
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            int width = Vector<float>.Count;
            var av = new Vector<float>(a);
            for (; i <= n - width; i += width) Vector.Store(Vector.FusedMultiplyAdd(av, Vector.Load(x + i), Vector.Load(y + i)), y + i);
        }
        for (; i < n; i++) y[i] += a * x[i];
    }

    /// <summary>y ← y + b, then ReLU if asked, over n floats.</summary>
    static unsafe void AddBias(float* y, float* b, int n, bool relu)
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            int width = Vector<float>.Count;
            for (; i <= n - width; i += width)
            {
                var v = Vector.Load(y + i) + Vector.Load(b + i);
                Vector.Store(relu ? Vector.Max(v, Vector<float>.Zero) : v, y + i);
            }
        }
        for (; i < n; i++)
        {
            float v = y[i] + b[i];
            y[i] = relu && v < 0 ? 0 : v;
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
