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

    /// <summary>Null when <paramref name="value"/> belongs to the space, otherwise a plain sentence saying what is wrong.</summary>
    public virtual string? Explain(T value) => Contains(value) ? null : $"{value} is not in {this}.";

    /// <summary>Throws an <see cref="ArgumentException"/> naming <paramref name="argumentName"/> and the valid range unless <paramref name="value"/> belongs to the space.</summary>
    public void Check(T value, string argumentName)
    {
        if (Explain(value) is string problem)
            throw new ArgumentOutOfRangeException(argumentName, problem + $" Valid: {this}.");
    }
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

    /// <inheritdoc />
    public override string? Explain(int value) => Contains(value) ? null : $"{value} is outside 0..{N - 1}.";

    /// <summary>Throws a clear exception when <paramref name="action"/> is outside the space.</summary>
    public new void Check(int action, string argumentName = "action")
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

    /// <inheritdoc />
    public override string? Explain(T value)
    {
        Span<float> x = stackalloc float[T.Length];
        value.CopyTo(x);
        for (int i = 0; i < x.Length; i++)
        {
            if (float.IsNaN(x[i])) return $"component {i} of {value} is NaN.";
            if (x[i] < _low[i] || x[i] > _high[i]) return $"component {i} of {value} is {Format(x[i])}, outside [{Format(_low[i])}, {Format(_high[i])}].";
        }
        return null;
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

/// <summary>
/// A box of float arrays with a fixed shape and common bounds (Gymnasium's <c>Box(low, high, shape)</c>), e.g.
/// pixel frames: <c>new FloatBox([40, 40], 0, 1)</c>. Arrays are row-major with <see cref="Size"/> elements.
/// </summary>
public sealed class FloatBox : Space<float[]>
{
    readonly int[] _shape;

    /// <summary>The box of arrays of the given shape with every element in [low, high].</summary>
    public FloatBox(int[] shape, float low, float high)
    {
        ArgumentNullException.ThrowIfNull(shape);
        if (shape.Length == 0) throw new ArgumentException("shape needs at least one dimension.", nameof(shape));
        foreach (int d in shape) if (d <= 0) throw new ArgumentOutOfRangeException(nameof(shape), d, "Every dimension of shape must be at least 1.");
        if (!(low <= high)) throw new ArgumentException($"low = {low} must not exceed high = {high}.", nameof(low));
        _shape = (int[])shape.Clone();
        Size = shape.Aggregate(1, (a, b) => a * b);
        Low = low;
        High = high;
    }

    /// <summary>The dimensions, e.g. [40, 40] (rows, columns).</summary>
    public IReadOnlyList<int> Shape => _shape;

    /// <summary>The number of elements, the product of the dimensions.</summary>
    public int Size { get; }

    /// <summary>The lower bound of every element.</summary>
    public float Low { get; }

    /// <summary>The upper bound of every element.</summary>
    public float High { get; }

    /// <inheritdoc />
    public override bool Contains(float[] value) => Explain(value) is null;

    /// <inheritdoc />
    public override string? Explain(float[] value)
    {
        if (value is null) return "the array is null.";
        if (value.Length != Size) return $"the array has {value.Length} elements; {this} needs {Size}.";
        for (int i = 0; i < value.Length; i++)
        {
            if (float.IsNaN(value[i])) return $"element {i} is NaN.";
            if (value[i] < Low || value[i] > High) return $"element {i} is {value[i].ToString(System.Globalization.CultureInfo.InvariantCulture)}, outside [{Low}, {High}].";
        }
        return null;
    }

    /// <summary>Every element uniform in [Low, High] (standard normal where a bound is infinite).</summary>
    public override float[] Sample(Rng rng)
    {
        var x = new float[Size];
        bool finite = float.IsFinite(Low) && float.IsFinite(High);
        for (int i = 0; i < x.Length; i++) x[i] = finite ? (float)rng.Uniform(Low, High) : (float)rng.NextGaussian();
        return x;
    }

    /// <inheritdoc />
    public override string ToString() => $"FloatBox({string.Join("x", _shape)}): values in [{Low}, {High}]";
}
