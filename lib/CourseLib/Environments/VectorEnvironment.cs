namespace CourseLib.Environments;

/// <summary>
/// N independent copies of any environment, stepped one after the other and reset automatically
/// (see <see cref="IVectorEnvironment{TObservation, TAction}"/>). Copy i reset with seed s + i behaves exactly like a
/// single environment reset with that seed. For CartPole, <see cref="CartPoleVector"/> is the fast version.
/// </summary>
public sealed class VectorEnvironment<TObservation, TAction> : IVectorEnvironment<TObservation, TAction>
{
    readonly IEnvironment<TObservation, TAction>[] _environments;

    /// <summary>N copies made by <paramref name="create"/>(i).</summary>
    public VectorEnvironment(int count, Func<int, IEnvironment<TObservation, TAction>> create)
    {
        if (count <= 0) throw new ArgumentOutOfRangeException(nameof(count), count, "count must be at least 1.");
        ArgumentNullException.ThrowIfNull(create);
        _environments = new IEnvironment<TObservation, TAction>[count];
        for (int i = 0; i < count; i++) _environments[i] = create(i) ?? throw new ArgumentException($"create({i}) returned null.", nameof(create));
        Observations = new TObservation[count];
        FinalObservations = new TObservation[count];
        Rewards = new double[count];
        Terminated = new bool[count];
        Truncated = new bool[count];
    }

    /// <summary>The copies.</summary>
    public IReadOnlyList<IEnvironment<TObservation, TAction>> Environments => _environments;

    /// <inheritdoc />
    public int Count => _environments.Length;

    /// <inheritdoc />
    public Space<TObservation> SingleObservationSpace => _environments[0].ObservationSpace;

    /// <inheritdoc />
    public Space<TAction> SingleActionSpace => _environments[0].ActionSpace;

    /// <inheritdoc />
    public TObservation[] Observations { get; }

    /// <inheritdoc />
    public double[] Rewards { get; }

    /// <inheritdoc />
    public bool[] Terminated { get; }

    /// <inheritdoc />
    public bool[] Truncated { get; }

    /// <inheritdoc />
    public TObservation[] FinalObservations { get; }

    /// <inheritdoc />
    public void Reset(int? seed = null)
    {
        for (int i = 0; i < _environments.Length; i++)
            Observations[i] = _environments[i].Reset(seed + i).Observation;
        Array.Clear(Rewards);
        Array.Clear(Terminated);
        Array.Clear(Truncated);
    }

    /// <inheritdoc />
    public void Step(ReadOnlySpan<TAction> actions)
    {
        if (actions.Length != _environments.Length)
            throw new ArgumentException($"actions has {actions.Length} entries; there is one per copy ({_environments.Length}).", nameof(actions));
        for (int i = 0; i < _environments.Length; i++)
        {
            var result = _environments[i].Step(actions[i]);
            Rewards[i] = result.Reward;
            Terminated[i] = result.Terminated;
            Truncated[i] = result.Truncated;
            if (result.Done)
            {
                FinalObservations[i] = result.Observation;
                Observations[i] = _environments[i].Reset().Observation;
            }
            else Observations[i] = result.Observation;
        }
    }
}
