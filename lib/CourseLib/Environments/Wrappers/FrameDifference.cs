namespace CourseLib.Environments;

/// <summary>
/// Shows the agent what moved: the observation is the current frame minus the previous one,
/// x_t = frame_t − frame_{t−1} (all zeros right after Reset, when nothing has moved yet), as in Karpathy's
/// "Pong from pixels". The inner environment's observation space must be a <see cref="FloatBox"/>; the
/// differences lie in [low − high, high − low].
/// </summary>
public sealed class FrameDifference<TAction> : IEnvironment<float[], TAction>
{
    readonly IEnvironment<float[], TAction> _inner;
    readonly FloatBox _innerSpace;
    float[] _previous;

    /// <summary>Wraps <paramref name="environment"/>, whose observations are frames (a FloatBox space).</summary>
    public FrameDifference(IEnvironment<float[], TAction> environment)
    {
        _inner = environment ?? throw new ArgumentNullException(nameof(environment));
        _innerSpace = environment.ObservationSpace as FloatBox
            ?? throw new ArgumentException($"FrameDifference needs frames: the environment's observation space must be a FloatBox, not {environment.ObservationSpace}.", nameof(environment));
        float span = _innerSpace.High - _innerSpace.Low;
        ObservationSpace = new FloatBox(_innerSpace.Shape.ToArray(), -span, span);
        _previous = new float[_innerSpace.Size];
    }

    /// <summary>The wrapped environment.</summary>
    public IEnvironment<float[], TAction> Inner => _inner;

    /// <summary>Frame differences, values in [−(high − low), high − low].</summary>
    public Space<float[]> ObservationSpace { get; }

    /// <inheritdoc />
    public Space<TAction> ActionSpace => _inner.ActionSpace;

    /// <inheritdoc />
    public ResetResult<float[]> Reset(int? seed = null)
    {
        var result = _inner.Reset(seed);
        _previous = Checked(result.Observation);
        return new ResetResult<float[]>(new float[_innerSpace.Size], result.Info);
    }

    /// <inheritdoc />
    public StepResult<float[]> Step(TAction action)
    {
        var r = _inner.Step(action);
        var current = Checked(r.Observation);
        var difference = new float[current.Length];
        for (int i = 0; i < difference.Length; i++) difference[i] = current[i] - _previous[i];
        _previous = current;
        return new StepResult<float[]>(difference, r.Reward, r.Terminated, r.Truncated, r.Info);
    }

    float[] Checked(float[] frame)
    {
        if (frame is null || frame.Length != _innerSpace.Size)
            throw new InvalidOperationException($"The environment returned a frame of {frame?.Length.ToString() ?? "null"} floats; its observation space {_innerSpace} needs {_innerSpace.Size}.");
        return frame;
    }
}
