namespace CourseLib.Environments;

/// <summary>
/// Cuts episodes off after <see cref="MaxEpisodeSteps"/> steps: the step that reaches the limit reports
/// Truncated (unless it also reached a terminal state, which is reported as Terminated). Gymnasium's <c>TimeLimit</c>.
/// </summary>
public sealed class TimeLimit<TObservation, TAction> : IEnvironment<TObservation, TAction>
{
    readonly IEnvironment<TObservation, TAction> _inner;
    int _steps;
    bool _needsReset = true;

    /// <summary>Wraps <paramref name="environment"/> with a limit of <paramref name="maxEpisodeSteps"/> steps per episode.</summary>
    public TimeLimit(IEnvironment<TObservation, TAction> environment, int maxEpisodeSteps)
    {
        _inner = environment ?? throw new ArgumentNullException(nameof(environment));
        if (maxEpisodeSteps <= 0) throw new ArgumentOutOfRangeException(nameof(maxEpisodeSteps), maxEpisodeSteps, "maxEpisodeSteps must be at least 1.");
        MaxEpisodeSteps = maxEpisodeSteps;
    }

    /// <summary>The limit.</summary>
    public int MaxEpisodeSteps { get; }

    /// <summary>Steps taken in the current episode.</summary>
    public int ElapsedSteps => _steps;

    /// <summary>The wrapped environment.</summary>
    public IEnvironment<TObservation, TAction> Inner => _inner;

    /// <inheritdoc />
    public Space<TObservation> ObservationSpace => _inner.ObservationSpace;

    /// <inheritdoc />
    public Space<TAction> ActionSpace => _inner.ActionSpace;

    /// <inheritdoc />
    public ResetResult<TObservation> Reset(int? seed = null)
    {
        _steps = 0;
        _needsReset = false;
        return _inner.Reset(seed);
    }

    /// <inheritdoc />
    public StepResult<TObservation> Step(TAction action)
    {
        if (_needsReset)
            throw new InvalidOperationException($"Step was called after the episode ended (the time limit is {MaxEpisodeSteps} steps) or before the first Reset: call Reset first.");
        var result = _inner.Step(action);
        _steps++;
        if (!result.Terminated && !result.Truncated && _steps >= MaxEpisodeSteps) result = result with { Truncated = true };
        _needsReset = result.Done;
        return result;
    }
}
