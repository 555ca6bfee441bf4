using System.Runtime.InteropServices;

namespace CourseLib.Networks;

/// <summary>
/// The softmax π_a = exp(z_a/τ) / Σ_b exp(z_b/τ) in plain C#, computed stably: each exponent is taken after subtracting
/// the largest logit m, exp((z_a − m)/τ), so no logit overflows (±1000 is fine) and the largest term is exactly 1. In
/// double precision (float logits are widened before the subtraction). The library's one plain-C# softmax: sampled
/// policies (<see cref="PolicyGradient.MlpForward"/>, A2C's and A3C's plain-C# forward pass), tabular softmax policies,
/// Boltzmann exploration, notebook 03's score function, soft value iteration and the exercises' checks. (Batched
/// softmaxes inside a TorchSharp graph use torch's; DQN's from-scratch network in ValueBased/Deep keeps its own.)
/// </summary>
public static class Softmax
{
    /// <summary>
    /// Writes softmax(z/τ) into <paramref name="probabilities"/> (as long as <paramref name="logits"/>) and returns
    /// log Σ_b exp(z_b/τ) = m/τ + log Σ_b exp((z_b − m)/τ), the log-sum-exp (so log π_a = z_a/τ − the returned value).
    /// </summary>
    /// <param name="logits">The logits z (or preferences, or action values).</param>
    /// <param name="probabilities">Where the probabilities go; may be the same memory as <paramref name="logits"/>.</param>
    /// <param name="temperature">τ &gt; 0. Default 1.</param>
    public static double Write(ReadOnlySpan<double> logits, Span<double> probabilities, double temperature = 1)
    {
        Validate(logits.Length, probabilities.Length, temperature);
        double max = double.NegativeInfinity;
        foreach (double z in logits) max = Math.Max(max, z);
        double sum = 0;
        for (int a = 0; a < logits.Length; a++) sum += probabilities[a] = Math.Exp((logits[a] - max) / temperature);
        for (int a = 0; a < logits.Length; a++) probabilities[a] /= sum;
        return max / temperature + Math.Log(sum);
    }

    /// <summary>The same for float logits (a network's outputs), computed in double precision; τ = 1.</summary>
    public static double Write(ReadOnlySpan<float> logits, Span<double> probabilities)
    {
        Validate(logits.Length, probabilities.Length, 1);
        double max = double.NegativeInfinity;
        foreach (float z in logits) max = Math.Max(max, z);
        double sum = 0;
        for (int a = 0; a < logits.Length; a++) sum += probabilities[a] = Math.Exp(logits[a] - max);
        for (int a = 0; a < logits.Length; a++) probabilities[a] /= sum;
        return max + Math.Log(sum);
    }

    /// <summary>softmax(z/τ) as a new array.</summary>
    public static double[] Of(ReadOnlySpan<double> logits, double temperature = 1)
    {
        var probabilities = new double[logits.Length];
        Write(logits, probabilities, temperature);
        return probabilities;
    }

    /// <summary>log Σ_b exp(z_b) = m + log Σ_b exp(z_b − m) (m = max_b z_b), without overflow; −∞ for no logits.</summary>
    public static double LogSumExp(ReadOnlySpan<double> logits)
    {
        double max = double.NegativeInfinity, sum = 0;
        foreach (double z in logits) max = Math.Max(max, z);
        foreach (double z in logits) sum += Math.Exp(z - max);
        return max + Math.Log(sum);
    }

    /// <summary>Row <paramref name="row"/> of a matrix (such as θ[s, ·] or Q(s, ·)) as a span, without copying.</summary>
    internal static Span<double> Row(double[,] matrix, int row)
    {
        int columns = matrix.GetLength(1);
        if ((uint)row >= (uint)matrix.GetLength(0)) throw new ArgumentOutOfRangeException(nameof(row), row, $"row must be in 0..{matrix.GetLength(0) - 1}.");
        return columns == 0 ? Span<double>.Empty : MemoryMarshal.CreateSpan(ref matrix[row, 0], columns);
    }

    static void Validate(int logits, int probabilities, double temperature)
    {
        if (probabilities != logits)
            throw new ArgumentException($"probabilities has {probabilities} entries; there are {logits} logits.", nameof(probabilities));
        if (!(temperature > 0)) throw new ArgumentOutOfRangeException(nameof(temperature), temperature, "temperature must be > 0.");
    }
}
