namespace CourseLib.ValueBased.Deep;

/// <summary>
/// Proportional prioritised experience replay (Schaul et al. 2016). Transition i is drawn with probability
/// P(i) = p_i^α / Σ_k p_k^α, where p_i = |δ_i| + ε is its last TD error; new transitions get the largest priority
/// seen so far, so each is replayed at least once. The bias this introduces is corrected by importance-sampling
/// weights w_i = (N·P(i))^−β, normalised by the batch's largest weight (as Dopamine does), with β annealed towards 1.
/// Sampling is stratified: the total is cut into B equal segments and one index is drawn from each.
/// </summary>
public sealed class PrioritizedReplayBuffer : IReplayMemory
{
    readonly ReplayBuffer _storage;
    readonly SumTree _tree;
    double _maxPriority = 1.0;

    /// <summary>An empty prioritised memory.</summary>
    /// <param name="capacity">Most transitions held.</param>
    /// <param name="observationLength">Floats per observation.</param>
    /// <param name="priorityExponent">α ≥ 0: how strongly priorities skew sampling (0 = uniform). Rainbow: 0.5.</param>
    /// <param name="priorityOffset">ε &gt; 0 added to |δ| so no transition gets probability 0.</param>
    public PrioritizedReplayBuffer(int capacity, int observationLength, double priorityExponent = 0.6, double priorityOffset = DefaultPriorityOffset)
    {
        if (!(priorityExponent >= 0)) throw new ArgumentOutOfRangeException(nameof(priorityExponent), priorityExponent, "priorityExponent α must be ≥ 0.");
        if (!(priorityOffset > 0)) throw new ArgumentOutOfRangeException(nameof(priorityOffset), priorityOffset, "priorityOffset ε must be > 0.");
        _storage = new ReplayBuffer(capacity, observationLength);
        _tree = new SumTree(capacity);
        PriorityExponent = priorityExponent;
        PriorityOffset = priorityOffset;
    }

    /// <summary>The default ε added to |δ|.</summary>
    public const double DefaultPriorityOffset = 1e-6;

    /// <summary>α.</summary>
    public double PriorityExponent { get; }
    /// <summary>ε.</summary>
    public double PriorityOffset { get; }
    /// <summary>β in [0, 1], the importance-sampling correction applied by the next <see cref="Sample"/>; the learner anneals it.</summary>
    public double ImportanceExponent { get; set; } = 0.4;
    /// <inheritdoc />
    public int Capacity => _storage.Capacity;
    /// <inheritdoc />
    public int Count => _storage.Count;
    /// <inheritdoc />
    public int ObservationLength => _storage.ObservationLength;
    /// <summary>The stored transitions.</summary>
    public ReplayBuffer Storage => _storage;

    /// <summary>P(i) = p_i^α / Σ_k p_k^α.</summary>
    public double Probability(int slot) => _tree[slot] / _tree.Total;

    /// <inheritdoc />
    public int Add(ReadOnlySpan<float> observation, int action, float reward, ReadOnlySpan<float> nextObservation, bool terminated, int stepCount = 1)
    {
        int slot = _storage.Add(observation, action, reward, nextObservation, terminated, stepCount);
        _tree[slot] = Math.Pow(_maxPriority, PriorityExponent);
        return slot;
    }

    /// <inheritdoc />
    public void Sample(Rng rng, ReplayBatch batch)
    {
        if (Count == 0) throw new InvalidOperationException("The replay buffer is empty: add transitions before sampling.");
        double beta = ImportanceExponent;
        if (!(beta >= 0 && beta <= 1)) throw new InvalidOperationException($"ImportanceExponent β = {beta} must be in [0, 1].");
        double total = _tree.Total, segment = total / batch.Size;
        double maxWeight = 0;
        for (int i = 0; i < batch.Size; i++)
        {
            double u = Math.Min((i + rng.NextDouble()) * segment, Math.BitDecrement(total));
            int slot = _tree.Find(u);
            batch.Indices[i] = slot;
            double weight = Math.Pow(Count * (_tree[slot] / total), -beta); // w_i = (N·P(i))^−β
            batch.Weights[i] = (float)weight;
            maxWeight = Math.Max(maxWeight, weight);
        }
        for (int i = 0; i < batch.Size; i++) batch.Weights[i] = (float)(batch.Weights[i] / maxWeight);
        _storage.Gather(batch);
    }

    /// <summary>p_i ← |δ_i| + ε for each sampled transition.</summary>
    public void UpdatePriorities(ReadOnlySpan<int> indices, ReadOnlySpan<float> tdErrors)
    {
        if (indices.Length != tdErrors.Length)
            throw new ArgumentException($"{indices.Length} indices but {tdErrors.Length} TD errors.", nameof(tdErrors));
        for (int i = 0; i < indices.Length; i++)
        {
            double priority = Math.Abs((double)tdErrors[i]) + PriorityOffset;
            if (!double.IsFinite(priority)) throw new ArgumentException($"tdErrors[{i}] = {tdErrors[i]} is not finite.", nameof(tdErrors));
            _maxPriority = Math.Max(_maxPriority, priority);
            _tree[indices[i]] = Math.Pow(priority, PriorityExponent);
        }
    }

    internal void Write(BinaryWriter writer)
    {
        _storage.Write(writer);
        writer.Write(_maxPriority);
        writer.Write(ImportanceExponent);
        for (int i = 0; i < Count; i++) writer.Write(_tree[i]);
    }

    internal static PrioritizedReplayBuffer Read(BinaryReader reader, double priorityExponent, double priorityOffset)
    {
        var storage = ReplayBuffer.Read(reader);
        var buffer = new PrioritizedReplayBuffer(storage, priorityExponent, priorityOffset);
        buffer._maxPriority = reader.ReadDouble();
        buffer.ImportanceExponent = reader.ReadDouble();
        for (int i = 0; i < storage.Count; i++) buffer._tree[i] = reader.ReadDouble();
        return buffer;
    }

    PrioritizedReplayBuffer(ReplayBuffer storage, double priorityExponent, double priorityOffset)
    {
        _storage = storage;
        _tree = new SumTree(storage.Capacity);
        PriorityExponent = priorityExponent;
        PriorityOffset = priorityOffset;
    }
}
