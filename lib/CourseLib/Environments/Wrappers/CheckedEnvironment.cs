namespace CourseLib.Environments;

/// <summary>
/// Enforces the contract on every call (Gymnasium's order enforcing and passive checker in one): Step before
/// Reset or after the episode ended, and actions outside the action space, are refused with a clear exception
/// before they reach the environment; an observation outside the observation space or a non-finite reward
/// coming back from it raises an exception that says what was wrong and what the space allows.
/// Wrap your own environment in it while you develop it.
/// </summary>
public sealed class CheckedEnvironment<TObservation, TAction> : IEnvironment<TObservation, TAction>
{
    readonly IEnvironment<TObservation, TAction> _inner;
    readonly string _name;
    bool _needsReset = true;
    int _steps;

    /// <summary>Wraps <paramref name="environment"/>.</summary>
    public CheckedEnvironment(IEnvironment<TObservation, TAction> environment)
    {
        _inner = environment ?? throw new ArgumentNullException(nameof(environment));
        _name = environment.GetType().Name;
        if (environment.ObservationSpace is null) throw new ArgumentException($"{_name}.ObservationSpace is null: every environment must say what its observations are.", nameof(environment));
        if (environment.ActionSpace is null) throw new ArgumentException($"{_name}.ActionSpace is null: every environment must say what its actions are.", nameof(environment));
    }

    /// <summary>The wrapped environment.</summary>
    public IEnvironment<TObservation, TAction> Inner => _inner;

    /// <inheritdoc />
    public Space<TObservation> ObservationSpace => _inner.ObservationSpace;

    /// <inheritdoc />
    public Space<TAction> ActionSpace => _inner.ActionSpace;

    /// <inheritdoc />
    public ResetResult<TObservation> Reset(int? seed = null)
    {
        var result = _inner.Reset(seed);
        CheckObservation(result.Observation, "Reset");
        _needsReset = false;
        _steps = 0;
        return result;
    }

    /// <inheritdoc />
    public StepResult<TObservation> Step(TAction action)
    {
        if (_needsReset)
            throw new InvalidOperationException(_steps == 0
                ? $"Step was called on {_name} before Reset: call Reset first."
                : $"Step was called on {_name} after the episode ended (step {_steps}): call Reset first.");
        if (ActionSpace.Explain(action) is string problem)
            throw new ArgumentOutOfRangeException(nameof(action), $"action {problem} Valid actions: {ActionSpace}.");
        var result = _inner.Step(action);
        _steps++;
        if (!double.IsFinite(result.Reward))
            throw new InvalidOperationException($"{_name}.Step returned the reward {result.Reward} at step {_steps}: rewards must be finite numbers.");
        CheckObservation(result.Observation, "Step");
        _needsReset = result.Done;
        return result;
    }

    void CheckObservation(TObservation observation, string method)
    {
        if (ObservationValues.FirstNonFinite(observation) is int i)
            throw new InvalidOperationException($"{_name}.{method} returned an observation with a NaN or infinite value at element {i}. Valid observations: {ObservationSpace}.");
        if (ObservationSpace.Explain(observation) is string problem)
            throw new InvalidOperationException($"{_name}.{method} returned an observation outside its observation space: {problem} Valid observations: {ObservationSpace}.");
    }
}
