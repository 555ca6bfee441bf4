namespace CourseLib.Environments;

/// <summary>
/// Gymnasium's environment contract in C#. <c>Reset(seed)</c> starts an episode; <c>Step(action)</c>
/// advances it and says whether it ended by reaching a terminal state (<c>Terminated</c>) or by being
/// cut off, e.g. by a time limit (<c>Truncated</c>). The same seed gives the same episode, bit for bit.
/// </summary>
public interface IEnvironment<TObservation, TAction>
{
    /// <summary>The set every observation belongs to.</summary>
    Space<TObservation> ObservationSpace { get; }

    /// <summary>The set of valid actions.</summary>
    Space<TAction> ActionSpace { get; }

    /// <summary>Starts an episode. With a seed the random generator restarts from it; without one it continues.</summary>
    ResetResult<TObservation> Reset(int? seed = null);

    /// <summary>Takes one action. Throws when the action is outside <see cref="ActionSpace"/> or the episode has ended.</summary>
    StepResult<TObservation> Step(TAction action);
}

/// <summary>What <c>Reset</c> returns: the first observation s0 ~ p(s0), and optional diagnostic information.</summary>
public readonly record struct ResetResult<TObservation>(TObservation Observation, IReadOnlyDictionary<string, object>? Info = null);

/// <summary>What <c>Step</c> returns: s_{t+1} ~ p(s'|s,a), r(s,a), and how (if) the episode ended.</summary>
public readonly record struct StepResult<TObservation>(
    TObservation Observation,
    double Reward,
    bool Terminated,
    bool Truncated,
    IReadOnlyDictionary<string, object>? Info = null)
{
    /// <summary>True when the episode is over for either reason.</summary>
    public bool Done => Terminated || Truncated;
}

/// <summary>
/// An observation that a neural network can read as a fixed-length float vector without allocating.
/// Implemented by value types such as <see cref="CartPoleObservation"/>.
/// </summary>
public interface IObservationVector<TSelf> where TSelf : IObservationVector<TSelf>
{
    /// <summary>How many floats the observation has.</summary>
    static abstract int Length { get; }

    /// <summary>Writes the observation's floats to <paramref name="destination"/> (at least <see cref="Length"/> long).</summary>
    void CopyTo(Span<float> destination);

    /// <summary>Builds an observation from <see cref="Length"/> floats.</summary>
    static abstract TSelf FromSpan(ReadOnlySpan<float> values);
}
