namespace CourseLib.InverseRl;

/// <summary>
/// State features φ(s) ∈ ℝ^K for a reward that is linear in them, r_θ(s) = θᵀφ(s) (the reward family of
/// maximum-entropy IRL). <see cref="Values"/>[s, k] = φ_k(s); <see cref="Names"/>[k] says what feature k is.
/// </summary>
public sealed class StateFeatures
{
    readonly double[,] _values;

    /// <summary>Features from a [states, features] table and one name per feature.</summary>
    public StateFeatures(double[,] values, IReadOnlyList<string> names)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentNullException.ThrowIfNull(names);
        if (values.GetLength(0) == 0 || values.GetLength(1) == 0)
            throw new ArgumentException($"values must have at least one state and one feature; it is [{values.GetLength(0)}, {values.GetLength(1)}].", nameof(values));
        if (names.Count != values.GetLength(1))
            throw new ArgumentException($"names has {names.Count} entries; values has {values.GetLength(1)} features (columns).", nameof(names));
        for (int s = 0; s < values.GetLength(0); s++)
        for (int k = 0; k < values.GetLength(1); k++)
            if (!double.IsFinite(values[s, k]))
                throw new ArgumentException($"values[{s}, {k}] = {values[s, k]}: features must be finite numbers.", nameof(values));
        _values = (double[,])values.Clone();
        Names = names.ToArray();
    }

    /// <summary>One-hot state features φ(s) = e_s: then θ is simply a reward per state, r(s) = θ_s.</summary>
    public static StateFeatures OneHot(int stateCount)
    {
        if (stateCount <= 0) throw new ArgumentOutOfRangeException(nameof(stateCount), stateCount, "stateCount must be at least 1.");
        var values = new double[stateCount, stateCount];
        for (int s = 0; s < stateCount; s++) values[s, s] = 1;
        return new StateFeatures(values, Enumerable.Range(0, stateCount).Select(s => $"state {s}").ToArray());
    }

    /// <summary>Number of states S.</summary>
    public int StateCount => _values.GetLength(0);

    /// <summary>Number of features K.</summary>
    public int Count => _values.GetLength(1);

    /// <summary>The name of each feature.</summary>
    public IReadOnlyList<string> Names { get; }

    /// <summary>φ_k(s).</summary>
    public double this[int state, int feature] => _values[state, feature];

    /// <summary>The table φ[s, k] (a fresh copy).</summary>
    public double[,] Values => (double[,])_values.Clone();

    /// <summary>The linear reward r_θ(s) = θᵀφ(s) of every state.</summary>
    public double[] Reward(IReadOnlyList<double> theta)
    {
        CheckWeights(theta, nameof(theta));
        var reward = new double[StateCount];
        for (int s = 0; s < StateCount; s++)
        {
            double sum = 0;
            for (int k = 0; k < Count; k++) sum += theta[k] * _values[s, k];
            reward[s] = sum;
        }
        return reward;
    }

    internal void CheckWeights(IReadOnlyList<double> theta, string argumentName)
    {
        ArgumentNullException.ThrowIfNull(theta, argumentName);
        if (theta.Count != Count)
            throw new ArgumentException($"{argumentName} has {theta.Count} weights; there are {Count} features ({string.Join(", ", Names.Take(6))}{(Count > 6 ? ", ..." : "")}).", argumentName);
        for (int k = 0; k < theta.Count; k++)
            if (!double.IsFinite(theta[k])) throw new ArgumentException($"{argumentName}[{k}] = {theta[k]} must be a finite number.", argumentName);
    }

    /// <inheritdoc />
    public override string ToString() => $"StateFeatures({StateCount} states, {Count} features: {string.Join(", ", Names.Take(6))}{(Count > 6 ? ", ..." : "")})";
}
