using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace CourseLib.Networks;

/// <summary>
/// One dense layer's forward pass in plain C#, for acting: y = W x + b (W is [outputs × inputs], row by row, as torch
/// stores a linear layer's weight), then the hidden layers' nonlinearity. Sampling an action at every environment step
/// needs one tiny forward pass; through torch each costs tens of microseconds of dispatch and allocation, here about a
/// microsecond. <see cref="PolicyGradient.MlpForward"/> chains these layers. (A3C's plain-C# network,
/// <see cref="ActorCritic.ActorCriticNetwork"/>'s snapshot, keeps its own fused loop, tested to agree with this one;
/// DQN's from-scratch network in ValueBased/Deep has its own batched kernels.)
/// </summary>
public static class DenseForward
{
    /// <summary>y_o = b_o + Σ_i W[o, i] x_i for every output o (the dot product vectorised where the hardware allows).</summary>
    public static void Affine(ReadOnlySpan<float> weights, ReadOnlySpan<float> bias, ReadOnlySpan<float> input, Span<float> output)
    {
        int n = input.Length;
        if (bias.Length != output.Length)
            throw new ArgumentException($"bias has {bias.Length} values; the layer has {output.Length} outputs.", nameof(bias));
        if (weights.Length != n * output.Length)
            throw new ArgumentException($"weights has {weights.Length} values; a layer of {n} inputs and {output.Length} outputs needs {n * output.Length}.", nameof(weights));
        for (int o = 0; o < output.Length; o++) output[o] = bias[o] + Dot(weights.Slice(o * n, n), input);
    }

    /// <summary>x ← tanh(x), element by element.</summary>
    public static void Tanh(Span<float> values)
    {
        for (int i = 0; i < values.Length; i++) values[i] = MathF.Tanh(values[i]);
    }

    /// <summary>x ← max(0, x), element by element.</summary>
    public static void Relu(Span<float> values)
    {
        for (int i = 0; i < values.Length; i++) values[i] = MathF.Max(0, values[i]);
    }

    /// <summary>Σ_i a_i b_i in float, in <see cref="Vector{T}"/>-wide partial sums, then the remainder in order.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Dot(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        int i = 0;
        float sum = 0;
        if (Vector.IsHardwareAccelerated && a.Length >= Vector<float>.Count)
        {
            var va = MemoryMarshal.Cast<float, Vector<float>>(a);
            var vb = MemoryMarshal.Cast<float, Vector<float>>(b);
            var acc = Vector<float>.Zero;
            for (int k = 0; k < va.Length; k++) acc += va[k] * vb[k];
            sum = Vector.Sum(acc);
            i = va.Length * Vector<float>.Count;
        }
        for (; i < a.Length; i++) sum += a[i] * b[i];
        return sum;
    }
}
