namespace CourseLib.ValueBased.Deep;

/// <summary>
/// Uniform experience replay: a ring buffer of the last <see cref="Capacity"/> transitions, each minibatch drawn
/// uniformly with replacement. Storage is flat float arrays, so adding and sampling allocate nothing.
/// </summary>
public sealed class ReplayBuffer : IReplayMemory
{
    readonly float[] _observations, _nextObservations, _rewards;
    readonly int[] _actions, _stepCounts;
    readonly bool[] _terminated;
    int _next;

    /// <summary>An empty buffer for <paramref name="capacity"/> transitions with observations of <paramref name="observationLength"/> floats.</summary>
    public ReplayBuffer(int capacity, int observationLength)
    {
        if (capacity <= 0) throw new ArgumentOutOfRangeException(nameof(capacity), capacity, "capacity must be at least 1.");
        if (observationLength <= 0) throw new ArgumentOutOfRangeException(nameof(observationLength), observationLength, "observationLength must be at least 1.");
        Capacity = capacity;
        ObservationLength = observationLength;
        _observations = new float[(long)capacity * observationLength];
        _nextObservations = new float[(long)capacity * observationLength];
        _rewards = new float[capacity];
        _actions = new int[capacity];
        _stepCounts = new int[capacity];
        _terminated = new bool[capacity];
    }

    /// <inheritdoc />
    public int Capacity { get; }
    /// <inheritdoc />
    public int Count { get; private set; }
    /// <inheritdoc />
    public int ObservationLength { get; }
    /// <summary>The slot the next transition will be written to (the oldest one once the buffer is full).</summary>
    public int NextSlot => _next;

    /// <inheritdoc />
    public int Add(ReadOnlySpan<float> observation, int action, float reward, ReadOnlySpan<float> nextObservation, bool terminated, int stepCount = 1)
    {
        if (observation.Length != ObservationLength)
            throw new ArgumentException($"observation must have {ObservationLength} floats, not {observation.Length}.", nameof(observation));
        if (nextObservation.Length != ObservationLength)
            throw new ArgumentException($"nextObservation must have {ObservationLength} floats, not {nextObservation.Length}.", nameof(nextObservation));
        if (stepCount < 1) throw new ArgumentOutOfRangeException(nameof(stepCount), stepCount, "stepCount must be at least 1.");
        int slot = _next;
        observation.CopyTo(_observations.AsSpan(slot * ObservationLength, ObservationLength));
        nextObservation.CopyTo(_nextObservations.AsSpan(slot * ObservationLength, ObservationLength));
        _actions[slot] = action;
        _rewards[slot] = reward;
        _terminated[slot] = terminated;
        _stepCounts[slot] = stepCount;
        _next = slot + 1 == Capacity ? 0 : slot + 1;
        if (Count < Capacity) Count++;
        return slot;
    }

    /// <inheritdoc />
    public void Sample(Rng rng, ReplayBatch batch)
    {
        if (Count == 0) throw new InvalidOperationException("The replay buffer is empty: add transitions before sampling.");
        for (int i = 0; i < batch.Size; i++) batch.Indices[i] = rng.NextInt(Count);
        Gather(batch);
        Array.Fill(batch.Weights, 1f);
    }

    /// <summary>Copies the transitions at batch.Indices into the batch.</summary>
    public void Gather(ReplayBatch batch)
    {
        if (batch.ObservationLength != ObservationLength)
            throw new ArgumentException($"batch holds observations of {batch.ObservationLength} floats, the buffer of {ObservationLength}.", nameof(batch));
        int length = ObservationLength;
        for (int i = 0; i < batch.Size; i++)
        {
            int slot = batch.Indices[i];
            if ((uint)slot >= (uint)Count) throw new ArgumentOutOfRangeException(nameof(batch), slot, $"batch.Indices[{i}] must be in [0, {Count}).");
            _observations.AsSpan(slot * length, length).CopyTo(batch.Observations.AsSpan(i * length, length));
            _nextObservations.AsSpan(slot * length, length).CopyTo(batch.NextObservations.AsSpan(i * length, length));
            batch.Actions[i] = _actions[slot];
            batch.Rewards[i] = _rewards[slot];
            batch.Terminated[i] = _terminated[slot];
            batch.StepCounts[i] = _stepCounts[slot];
        }
    }

    /// <inheritdoc />
    public void UpdatePriorities(ReadOnlySpan<int> indices, ReadOnlySpan<float> tdErrors) { }

    /// <summary>The transition stored in <paramref name="slot"/>.</summary>
    public (float[] Observation, int Action, float Reward, float[] NextObservation, bool Terminated, int StepCount) this[int slot]
    {
        get
        {
            if ((uint)slot >= (uint)Count) throw new ArgumentOutOfRangeException(nameof(slot), slot, $"slot must be in [0, {Count}).");
            return (_observations.AsSpan(slot * ObservationLength, ObservationLength).ToArray(), _actions[slot], _rewards[slot],
                _nextObservations.AsSpan(slot * ObservationLength, ObservationLength).ToArray(), _terminated[slot], _stepCounts[slot]);
        }
    }

    internal void Write(BinaryWriter writer)
    {
        writer.Write(Capacity); writer.Write(ObservationLength); writer.Write(Count); writer.Write(_next);
        int n = Count;
        WriteFloats(writer, _observations.AsSpan(0, n * ObservationLength));
        WriteFloats(writer, _nextObservations.AsSpan(0, n * ObservationLength));
        WriteFloats(writer, _rewards.AsSpan(0, n));
        for (int i = 0; i < n; i++) { writer.Write(_actions[i]); writer.Write(_terminated[i]); writer.Write(_stepCounts[i]); }
    }

    internal static ReplayBuffer Read(BinaryReader reader)
    {
        var buffer = new ReplayBuffer(reader.ReadInt32(), reader.ReadInt32());
        int n = reader.ReadInt32();
        buffer._next = reader.ReadInt32();
        buffer.Count = n;
        ReadFloats(reader, buffer._observations.AsSpan(0, n * buffer.ObservationLength));
        ReadFloats(reader, buffer._nextObservations.AsSpan(0, n * buffer.ObservationLength));
        ReadFloats(reader, buffer._rewards.AsSpan(0, n));
        for (int i = 0; i < n; i++) { buffer._actions[i] = reader.ReadInt32(); buffer._terminated[i] = reader.ReadBoolean(); buffer._stepCounts[i] = reader.ReadInt32(); }
        return buffer;
    }

    internal static void WriteFloats(BinaryWriter writer, ReadOnlySpan<float> values) =>
        writer.Write(System.Runtime.InteropServices.MemoryMarshal.AsBytes(values));

    internal static void ReadFloats(BinaryReader reader, Span<float> values)
    {
        var bytes = System.Runtime.InteropServices.MemoryMarshal.AsBytes(values);
        while (!bytes.IsEmpty)
        {
            int read = reader.Read(bytes);
            if (read == 0) throw new EndOfStreamException("The checkpoint ended in the middle of an array.");
            bytes = bytes[read..];
        }
    }
}
