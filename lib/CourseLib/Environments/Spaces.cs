namespace CourseLib.Environments;

/// <summary>A set of observations or actions, as in Gymnasium's <c>spaces</c>.</summary>
public abstract class Space<T>
{
    /// <summary>True when <paramref name="value"/> belongs to the space.</summary>
    public abstract bool Contains(T value);

    /// <summary>A uniformly random element.</summary>
    public abstract T Sample(Rng rng);

    /// <summary>A short description, used in error messages ("Discrete(2): 0..1").</summary>
    public abstract override string ToString();
}

/// <summary>The integers 0..n-1 (Gymnasium's <c>Discrete(n)</c>).</summary>
public sealed class Discrete : Space<int>
{
    /// <summary>The number of elements.</summary>
    public int N { get; }

    /// <summary>The space {0, ..., n-1}.</summary>
    public Discrete(int n)
    {
        if (n <= 0) throw new ArgumentOutOfRangeException(nameof(n), n, "A discrete space needs at least one element.");
        N = n;
    }

    /// <inheritdoc />
    public override bool Contains(int value) => value >= 0 && value < N;

    /// <inheritdoc />
    public override int Sample(Rng rng) => rng.NextInt(N);

    /// <inheritdoc />
    public override string ToString() => $"Discrete({N}): 0..{N - 1}";

    /// <summary>Throws a clear exception when <paramref name="action"/> is outside the space.</summary>
    public void Check(int action, string argumentName = "action")
    {
        if (!Contains(action))
            throw new ArgumentOutOfRangeException(argumentName, action, $"{argumentName} must be in {this}.");
    }
}

/// <summary>A box of float vectors, low[i] ≤ x[i] ≤ high[i] (Gymnasium's <c>Box</c>); bounds may be infinite.</summary>
public sealed class Box<T> : Space<T> where T : IObservationVector<T>
{
    readonly float[] _low, _high;

    /// <summary>Lower bounds, one per component.</summary>
    public IReadOnlyList<float> Low => _low;

    /// <summary>Upper bounds, one per component.</summary>
    public IReadOnlyList<float> High => _high;

    /// <summary>A box with the given bounds (each T.Length long).</summary>
    public Box(float[] low, float[] high)
    {
        if (low.Length != T.Length) throw new ArgumentException($"low must have {T.Length} components, not {low.Length}.", nameof(low));
        if (high.Length != T.Length) throw new ArgumentException($"high must have {T.Length} components, not {high.Length}.", nameof(high));
        for (int i = 0; i < low.Length; i++)
            if (!(low[i] <= high[i])) throw new ArgumentException($"low[{i}] = {low[i]} must not exceed high[{i}] = {high[i]}.", nameof(low));
        _low = (float[])low.Clone();
        _high = (float[])high.Clone();
    }

    /// <inheritdoc />
    public override bool Contains(T value)
    {
        Span<float> x = stackalloc float[T.Length];
        value.CopyTo(x);
        for (int i = 0; i < x.Length; i++)
            if (float.IsNaN(x[i]) || x[i] < _low[i] || x[i] > _high[i]) return false;
        return true;
    }

    /// <summary>Samples uniformly where both bounds are finite, normally where both are infinite, and exponentially where one is.</summary>
    public override T Sample(Rng rng)
    {
        Span<float> x = stackalloc float[T.Length];
        for (int i = 0; i < x.Length; i++)
        {
            bool lowFinite = float.IsFinite(_low[i]), highFinite = float.IsFinite(_high[i]);
            x[i] = (lowFinite, highFinite) switch
            {
                (true, true) => (float)rng.Uniform(_low[i], _high[i]),
                (false, false) => (float)rng.NextGaussian(),
                (true, false) => _low[i] + (float)-Math.Log(1 - rng.NextDouble()),
                _ => _high[i] - (float)-Math.Log(1 - rng.NextDouble()),
            };
        }
        return T.FromSpan(x);
    }

    /// <inheritdoc />
    public override string ToString() =>
        $"Box({T.Length}): [{string.Join(", ", _low.Select(Format))}] .. [{string.Join(", ", _high.Select(Format))}]";

    static string Format(float v) => float.IsPositiveInfinity(v) ? "inf" : float.IsNegativeInfinity(v) ? "-inf" : v.ToString("G6", System.Globalization.CultureInfo.InvariantCulture);
}
