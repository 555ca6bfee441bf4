namespace CourseLib.Networks;

/// <summary>
/// Adam (Kingma and Ba 2015) on a plain C# parameter vector, with torch's defaults β₁ = 0.9, β₂ = 0.999, ε = 1e-8:
/// <code>
///   m ← β₁ m + (1 − β₁) g,   v ← β₂ v + (1 − β₂) g²,   θ ← θ − lr · (m / (1 − β₁ᵗ)) / (√(v / (1 − β₂ᵗ)) + ε)
/// </code>
/// The library's plain-C# optimiser step, for weights kept as one vector (torch's <c>optim.Adam</c> serves the
/// networks trained with autograd). A3C's shared optimiser: the workers step it one at a time (under A3C's lock), so its
/// moments stay consistent. (DQN's from-scratch Adam in ValueBased/Deep fuses the global-norm clip into a vectorised
/// float loop; a unit test checks that it follows this one.)
/// </summary>
public sealed class VectorAdam(int count, double learningRate)
{
    const double Beta1 = 0.9, Beta2 = 0.999, Epsilon = 1e-8;
    readonly double[] _mean = new double[count >= 0 ? count : throw new ArgumentOutOfRangeException(nameof(count), count, "count must be ≥ 0.")],
        _square = new double[count];
    long _steps;

    /// <summary>The step size (A3C anneals it).</summary>
    public double LearningRate { get; set; } = learningRate;

    /// <summary>One Adam step of <paramref name="parameters"/> along <paramref name="gradient"/>.</summary>
    public void Step(float[] parameters, ReadOnlySpan<float> gradient)
    {
        if (parameters.Length != _mean.Length || gradient.Length != _mean.Length)
            throw new ArgumentException($"Adam here updates {_mean.Length} parameters; got {parameters.Length} parameters and {gradient.Length} gradients.");
        _steps++;
        double correction1 = 1 - Math.Pow(Beta1, _steps), correction2 = 1 - Math.Pow(Beta2, _steps);
        double stepSize = LearningRate / correction1, rootCorrection2 = Math.Sqrt(correction2);
        for (int i = 0; i < parameters.Length; i++)
        {
            double g = gradient[i];
            _mean[i] = Beta1 * _mean[i] + (1 - Beta1) * g;
            _square[i] = Beta2 * _square[i] + (1 - Beta2) * g * g;
            parameters[i] = (float)(parameters[i] - stepSize * _mean[i] / (Math.Sqrt(_square[i]) / rootCorrection2 + Epsilon));
        }
    }
}
