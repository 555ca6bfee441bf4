using System.Numerics;

namespace CourseLib.ValueBased.Deep;

/// <summary>
/// Adam (Kingma and Ba 2015) over <see cref="Parameter"/>s, fused with global gradient-norm clipping in one pass:
/// g ← g · min(1, c / (‖g‖ + 10⁻⁶)); m ← β₁m + (1−β₁)g; v ← β₂v + (1−β₂)g²;
/// θ ← θ − (η / (1−β₁ᵗ)) · m / (√v / √(1−β₂ᵗ) + ε). Same arithmetic as torch.optim.Adam and
/// torch.nn.utils.clip_grad_norm_, written as one vectorised loop instead of a dozen tensor calls per parameter.
/// </summary>
public sealed class Adam
{
    readonly Parameter[] _parameters;
    readonly float[][] _firstMoments, _secondMoments;

    /// <summary>An optimiser for <paramref name="parameters"/>.</summary>
    /// <param name="parameters">The parameters it updates.</param>
    /// <param name="learningRate">η &gt; 0.</param>
    /// <param name="beta1">β₁ in [0, 1): decay of the gradient's running mean.</param>
    /// <param name="beta2">β₂ in [0, 1): decay of the squared gradient's running mean.</param>
    /// <param name="epsilon">ε &gt; 0 in the denominator.</param>
    public Adam(IReadOnlyList<Parameter> parameters, double learningRate, double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-8)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (!(learningRate > 0)) throw new ArgumentOutOfRangeException(nameof(learningRate), learningRate, "learningRate must be > 0.");
        if (!(beta1 >= 0 && beta1 < 1)) throw new ArgumentOutOfRangeException(nameof(beta1), beta1, "beta1 must be in [0, 1).");
        if (!(beta2 >= 0 && beta2 < 1)) throw new ArgumentOutOfRangeException(nameof(beta2), beta2, "beta2 must be in [0, 1).");
        if (!(epsilon > 0)) throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, "epsilon must be > 0.");
        _parameters = parameters.ToArray();
        _firstMoments = _parameters.Select(p => new float[p.Value.Length]).ToArray();
        _secondMoments = _parameters.Select(p => new float[p.Value.Length]).ToArray();
        LearningRate = learningRate; Beta1 = beta1; Beta2 = beta2; Epsilon = epsilon;
    }

    /// <summary>η.</summary>
    public double LearningRate { get; }
    /// <summary>β₁.</summary>
    public double Beta1 { get; }
    /// <summary>β₂.</summary>
    public double Beta2 { get; }
    /// <summary>ε.</summary>
    public double Epsilon { get; }
    /// <summary>t, the number of steps taken.</summary>
    public long StepCount { get; private set; }

    /// <summary>‖g‖₂ over all parameters' gradients.</summary>
    public double GradientNorm()
    {
        double sum = 0;
        foreach (var p in _parameters) sum += SumOfSquares(p.Gradient.Span);
        return Math.Sqrt(sum);
    }

    /// <summary>
    /// One Adam step with the current gradients, first rescaling them so their global norm is at most
    /// <paramref name="maxGradientNorm"/> (∞: no clipping). Returns the norm before clipping.
    /// </summary>
    public double Step(double maxGradientNorm = double.PositiveInfinity)
    {
        if (!(maxGradientNorm > 0)) throw new ArgumentOutOfRangeException(nameof(maxGradientNorm), maxGradientNorm, "maxGradientNorm must be > 0.");
        double norm = GradientNorm();
        float scale = 1f;
        if (!double.IsPositiveInfinity(maxGradientNorm))
        {
            double coefficient = maxGradientNorm / (norm + 1e-6);
            if (coefficient < 1) scale = (float)coefficient;
        }
        StepCount++;
        double correction1 = 1 - Math.Pow(Beta1, StepCount), correction2 = 1 - Math.Pow(Beta2, StepCount);
        float stepSize = (float)(LearningRate / correction1);
        float inverseSqrtCorrection2 = (float)(1 / Math.Sqrt(correction2));
        for (int k = 0; k < _parameters.Length; k++)
            Update(_parameters[k].Value.Span, _parameters[k].Gradient.Span, _firstMoments[k], _secondMoments[k],
                scale, (float)Beta1, (float)Beta2, (float)Epsilon, stepSize, inverseSqrtCorrection2);
        return norm;
    }

    static void Update(Span<float> theta, ReadOnlySpan<float> gradient, Span<float> m, Span<float> v,
        float scale, float beta1, float beta2, float epsilon, float stepSize, float inverseSqrtCorrection2)
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            int width = Vector<float>.Count;
            var vScale = new Vector<float>(scale);
            var vBeta1 = new Vector<float>(beta1); var vOneMinusBeta1 = new Vector<float>(1 - beta1);
            var vBeta2 = new Vector<float>(beta2); var vOneMinusBeta2 = new Vector<float>(1 - beta2);
            var vEpsilon = new Vector<float>(epsilon); var vStep = new Vector<float>(stepSize);
            var vInverse = new Vector<float>(inverseSqrtCorrection2);
            for (; i <= theta.Length - width; i += width)
            {
                var g = new Vector<float>(gradient[i..]) * vScale;
                var mi = vBeta1 * new Vector<float>(m[i..]) + vOneMinusBeta1 * g;
                var vi = vBeta2 * new Vector<float>(v[i..]) + vOneMinusBeta2 * (g * g);
                mi.CopyTo(m[i..]);
                vi.CopyTo(v[i..]);
                var denominator = Vector.SquareRoot(vi) * vInverse + vEpsilon;
                (new Vector<float>(theta[i..]) - vStep * mi / denominator).CopyTo(theta[i..]);
            }
        }
        for (; i < theta.Length; i++)
        {
            float g = gradient[i] * scale;
            m[i] = beta1 * m[i] + (1 - beta1) * g;
            v[i] = beta2 * v[i] + (1 - beta2) * g * g;
            theta[i] -= stepSize * m[i] / (MathF.Sqrt(v[i]) * inverseSqrtCorrection2 + epsilon);
        }
    }

    static double SumOfSquares(ReadOnlySpan<float> values)
    {
        double sum = 0;
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var acc = Vector<float>.Zero;
            int width = Vector<float>.Count;
            for (; i <= values.Length - width; i += width) { var x = new Vector<float>(values[i..]); acc += x * x; }
            sum = Vector.Sum(acc);
        }
        for (; i < values.Length; i++) sum += values[i] * values[i];
        return sum;
    }

    internal void Write(BinaryWriter writer)
    {
        writer.Write(StepCount);
        writer.Write(_parameters.Length);
        for (int k = 0; k < _parameters.Length; k++)
        {
            writer.Write(_firstMoments[k].Length);
            ReplayBuffer.WriteFloats(writer, _firstMoments[k]);
            ReplayBuffer.WriteFloats(writer, _secondMoments[k]);
        }
    }

    internal void Read(BinaryReader reader)
    {
        StepCount = reader.ReadInt64();
        int count = reader.ReadInt32();
        if (count != _parameters.Length) throw new InvalidDataException($"The checkpoint's optimiser has {count} parameters, this network {_parameters.Length}.");
        for (int k = 0; k < count; k++)
        {
            int length = reader.ReadInt32();
            if (length != _firstMoments[k].Length) throw new InvalidDataException($"Parameter {_parameters[k].Name} has {_firstMoments[k].Length} values, the checkpoint {length}.");
            ReplayBuffer.ReadFloats(reader, _firstMoments[k]);
            ReplayBuffer.ReadFloats(reader, _secondMoments[k]);
        }
    }
}
