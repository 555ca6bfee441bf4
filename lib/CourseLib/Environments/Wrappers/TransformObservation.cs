namespace CourseLib.Environments;

/// <summary>
/// Applies a function to every observation (Gymnasium's <c>TransformObservation</c>): the agent sees
/// f(s) in the space <see cref="ObservationSpace"/> given here.
/// </summary>
public sealed class TransformObservation<TObservation, TAction, TTransformed> : IEnvironment<TTransformed, TAction>
{
    readonly IEnvironment<TObservation, TAction> _inner;
    readonly Func<TObservation, TTransformed> _transform;

    /// <summary>Wraps <paramref name="environment"/> so that it returns <paramref name="transform"/>(observation), an element of <paramref name="observationSpace"/>.</summary>
    public TransformObservation(IEnvironment<TObservation, TAction> environment, Func<TObservation, TTransformed> transform, Space<TTransformed> observationSpace)
    {
        _inner = environment ?? throw new ArgumentNullException(nameof(environment));
        _transform = transform ?? throw new ArgumentNullException(nameof(transform));
        ObservationSpace = observationSpace ?? throw new ArgumentNullException(nameof(observationSpace));
    }

    /// <summary>The wrapped environment.</summary>
    public IEnvironment<TObservation, TAction> Inner => _inner;

    /// <inheritdoc />
    public Space<TTransformed> ObservationSpace { get; }

    /// <inheritdoc />
    public Space<TAction> ActionSpace => _inner.ActionSpace;

    /// <inheritdoc />
    public ResetResult<TTransformed> Reset(int? seed = null)
    {
        var result = _inner.Reset(seed);
        return new ResetResult<TTransformed>(_transform(result.Observation), result.Info);
    }

    /// <inheritdoc />
    public StepResult<TTransformed> Step(TAction action)
    {
        var r = _inner.Step(action);
        return new StepResult<TTransformed>(_transform(r.Observation), r.Reward, r.Terminated, r.Truncated, r.Info);
    }
}
