namespace CourseLib.ValueBased.Deep;

/// <summary>
/// Turns the stream of one-step transitions into n-step transitions before they enter the replay memory
/// (Sutton 1988; Rainbow's "multi-step learning"): (s_t, a_t, R_t^(n), s_{t+n}) with
/// R_t^(n) = Σ_{k=0}^{n−1} γ^k r_{t+k}, so the learner bootstraps with γ^n max_a' Q(s_{t+n}, a').
/// At the end of an episode the pending transitions are flushed with fewer steps: after a termination they are
/// marked terminated (no bootstrap), after a truncation they bootstrap from the last observation with γ^k.
/// With n = 1 it passes transitions straight through.
/// </summary>
public sealed class NStepTransitions
{
    readonly IReplayMemory _memory;
    readonly float[] _observations;
    readonly int[] _actions;
    readonly double[] _rewards;
    int _start, _count;

    /// <summary>Collects n-step transitions into <paramref name="memory"/>.</summary>
    public NStepTransitions(IReplayMemory memory, int steps, double discount)
    {
        ArgumentNullException.ThrowIfNull(memory);
        if (steps < 1) throw new ArgumentOutOfRangeException(nameof(steps), steps, "steps n must be at least 1.");
        if (!(discount >= 0 && discount <= 1)) throw new ArgumentOutOfRangeException(nameof(discount), discount, "discount γ must be in [0, 1].");
        _memory = memory;
        Steps = steps;
        Discount = discount;
        _observations = new float[steps * memory.ObservationLength];
        _actions = new int[steps];
        _rewards = new double[steps];
    }

    /// <summary>n.</summary>
    public int Steps { get; }
    /// <summary>γ.</summary>
    public double Discount { get; }
    /// <summary>One-step transitions waiting for their n-step return to be complete.</summary>
    public int Pending => _count;

    /// <summary>
    /// Records one environment step (s, a, r, s') and writes every n-step transition it completes to the memory.
    /// <paramref name="terminated"/> and <paramref name="truncated"/> are the environment's flags for this step.
    /// </summary>
    public void Add(ReadOnlySpan<float> observation, int action, double reward, ReadOnlySpan<float> nextObservation, bool terminated, bool truncated)
    {
        int length = _memory.ObservationLength;
        if (observation.Length != length) throw new ArgumentException($"observation must have {length} floats, not {observation.Length}.", nameof(observation));
        int slot = (_start + _count) % Steps;
        observation.CopyTo(_observations.AsSpan(slot * length, length));
        _actions[slot] = action;
        _rewards[slot] = reward;
        _count++;

        if (terminated || truncated)
        {
            while (_count > 0) EmitOldest(nextObservation, terminated);
        }
        else if (_count == Steps)
        {
            EmitOldest(nextObservation, terminated: false);
        }
    }

    /// <summary>
    /// Ends the episode early (e.g. the training run stops mid-episode): the pending transitions are flushed as
    /// truncated, bootstrapping from <paramref name="lastObservation"/>.
    /// </summary>
    public void Flush(ReadOnlySpan<float> lastObservation)
    {
        while (_count > 0) EmitOldest(lastObservation, terminated: false);
    }

    /// <summary>Drops the pending transitions without writing them.</summary>
    public void Clear() { _start = 0; _count = 0; }

    void EmitOldest(ReadOnlySpan<float> nextObservation, bool terminated)
    {
        int length = _memory.ObservationLength;
        double g = 0, weight = 1;
        for (int k = 0; k < _count; k++)
        {
            g += weight * _rewards[(_start + k) % Steps];
            weight *= Discount;
        }
        _memory.Add(_observations.AsSpan(_start * length, length), _actions[_start], (float)g, nextObservation, terminated, _count);
        _start = (_start + 1) % Steps;
        _count--;
    }
}
