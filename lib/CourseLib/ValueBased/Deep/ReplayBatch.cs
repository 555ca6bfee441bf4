namespace CourseLib.ValueBased.Deep;

/// <summary>
/// A minibatch of transitions (s, a, r, s', terminated) drawn from a replay memory, in preallocated arrays that are
/// refilled by every <see cref="IReplayMemory.Sample"/> (no allocation per update). Observations are stored row by
/// row: transition i's s is Observations[i·L .. (i+1)·L) for observation length L.
/// </summary>
public sealed class ReplayBatch
{
    /// <summary>A batch of <paramref name="size"/> transitions with observations of <paramref name="observationLength"/> floats.</summary>
    public ReplayBatch(int size, int observationLength)
    {
        if (size <= 0) throw new ArgumentOutOfRangeException(nameof(size), size, "size must be at least 1.");
        if (observationLength <= 0) throw new ArgumentOutOfRangeException(nameof(observationLength), observationLength, "observationLength must be at least 1.");
        Size = size;
        ObservationLength = observationLength;
        Indices = new int[size];
        Observations = new float[size * observationLength];
        Actions = new int[size];
        Rewards = new float[size];
        NextObservations = new float[size * observationLength];
        Terminated = new bool[size];
        StepCounts = new int[size];
        Weights = new float[size];
    }

    /// <summary>Number of transitions.</summary>
    public int Size { get; }
    /// <summary>Floats per observation.</summary>
    public int ObservationLength { get; }
    /// <summary>Where each transition sits in the memory (for priority updates).</summary>
    public int[] Indices { get; }
    /// <summary>s, row by row.</summary>
    public float[] Observations { get; }
    /// <summary>a.</summary>
    public int[] Actions { get; }
    /// <summary>r (for n-step transitions the discounted sum of the k rewards).</summary>
    public float[] Rewards { get; }
    /// <summary>s' (for n-step transitions the state k steps later), row by row.</summary>
    public float[] NextObservations { get; }
    /// <summary>True when s' is terminal: no bootstrapping from it.</summary>
    public bool[] Terminated { get; }
    /// <summary>k, the number of environment steps between s and s' (1 for ordinary transitions); the bootstrap is discounted by γ^k.</summary>
    public int[] StepCounts { get; }
    /// <summary>Importance-sampling weights (all 1 for uniform replay).</summary>
    public float[] Weights { get; }

    /// <summary>Transition i's s.</summary>
    public Span<float> Observation(int i) => Observations.AsSpan(i * ObservationLength, ObservationLength);
    /// <summary>Transition i's s'.</summary>
    public Span<float> NextObservation(int i) => NextObservations.AsSpan(i * ObservationLength, ObservationLength);
}

/// <summary>A replay memory D (Lin 1992; Mnih et al. 2015): stores transitions, hands out random minibatches.</summary>
public interface IReplayMemory
{
    /// <summary>The most transitions it holds; beyond that the oldest are overwritten.</summary>
    int Capacity { get; }
    /// <summary>Transitions held now.</summary>
    int Count { get; }
    /// <summary>Floats per observation.</summary>
    int ObservationLength { get; }

    /// <summary>Stores (s, a, r, s', terminated) reached after <paramref name="stepCount"/> environment steps; returns its slot.</summary>
    int Add(ReadOnlySpan<float> observation, int action, float reward, ReadOnlySpan<float> nextObservation, bool terminated, int stepCount = 1);

    /// <summary>Fills <paramref name="batch"/> with <see cref="ReplayBatch.Size"/> transitions drawn at random (with replacement).</summary>
    void Sample(Rng rng, ReplayBatch batch);

    /// <summary>Reports the new TD errors of the transitions in the last batch (prioritised replay uses them; uniform replay ignores them).</summary>
    void UpdatePriorities(ReadOnlySpan<int> indices, ReadOnlySpan<float> tdErrors);
}
