using CourseLib.Display;

namespace CourseLib.Environments;

/// <summary>MountainCar's observation: the car's position (x) and velocity.</summary>
public readonly record struct MountainCarObservation(float Position, float Velocity) : IObservationVector<MountainCarObservation>
{
    /// <inheritdoc />
    public static int Length => 2;

    /// <inheritdoc />
    public void CopyTo(Span<float> destination)
    {
        destination[0] = Position; destination[1] = Velocity;
    }

    /// <inheritdoc />
    public static MountainCarObservation FromSpan(ReadOnlySpan<float> values)
    {
        if (values.Length != Length)
            throw new ArgumentException($"A MountainCar observation has {Length} floats (position, velocity); values has {values.Length}.", nameof(values));
        return new(values[0], values[1]);
    }
}

/// <summary>
/// MountainCar-v0 with Gymnasium's physics (Moore 1990): an underpowered car in a valley must rock back and forth
/// to reach the flag at x = 0.5 on the right hill. Actions 0 = push left, 1 = no push, 2 = push right.
/// <code>
///   v ← clip(v + (a − 1)·0.001 − 0.0025·cos(3x), −0.07, 0.07);   x ← clip(x + v, −1.2, 0.6);   v ← 0 at the left wall when v &lt; 0
/// </code>
/// Reward −1 per step; terminated when x ≥ 0.5 (with v ≥ 0); truncated after 200 steps; x_0 ~ U[−0.6, −0.4], v_0 = 0.
/// The state is kept in double precision and observed as floats.
/// </summary>
public sealed class MountainCar : HtmlDisplayable, IEnvironment<MountainCarObservation, int>
{
    /// <summary>Acceleration of one push.</summary>
    public const double Force = 0.001;
    /// <summary>The gravity term's factor (the hill is y = sin(3x)/3).</summary>
    public const double Gravity = 0.0025;
    /// <summary>The largest speed.</summary>
    public const double MaxSpeed = 0.07;
    /// <summary>The left wall.</summary>
    public const double MinPosition = -1.2;
    /// <summary>The right edge.</summary>
    public const double MaxPosition = 0.6;
    /// <summary>The flag: reaching it ends the episode.</summary>
    public const double GoalPosition = 0.5;

    readonly Rng _rng = new(0);
    double _position, _velocity;
    int _steps;
    bool _needsReset = true;

    /// <summary>A MountainCar-v0 whose episodes are truncated after <paramref name="maxEpisodeSteps"/> steps (200 in v0).</summary>
    public MountainCar(int maxEpisodeSteps = 200)
    {
        if (maxEpisodeSteps <= 0) throw new ArgumentOutOfRangeException(nameof(maxEpisodeSteps), maxEpisodeSteps, "maxEpisodeSteps must be at least 1.");
        MaxEpisodeSteps = maxEpisodeSteps;
        _rng.Reseed(Environment.TickCount64);
    }

    /// <summary>Episode length at which Step reports Truncated.</summary>
    public int MaxEpisodeSteps { get; }

    /// <summary>Steps taken in the current episode.</summary>
    public int ElapsedSteps => _steps;

    /// <inheritdoc />
    public Space<MountainCarObservation> ObservationSpace { get; } =
        new Box<MountainCarObservation>([(float)MinPosition, (float)-MaxSpeed], [(float)MaxPosition, (float)MaxSpeed]);

    /// <inheritdoc />
    public Space<int> ActionSpace { get; } = new Discrete(3);

    /// <summary>The exact (double-precision) state.</summary>
    public (double Position, double Velocity) State => (_position, _velocity);

    /// <summary>p(s0): position uniform in [−0.6, −0.4], velocity 0.</summary>
    public ResetResult<MountainCarObservation> Reset(int? seed = null)
    {
        if (seed is int s) _rng.Reseed(s);
        return new ResetResult<MountainCarObservation>(ResetTo(_rng.Uniform(-0.6, -0.4), 0));
    }

    /// <summary>Starts an episode from the given state (for experiments and tests).</summary>
    public MountainCarObservation ResetTo(double position, double velocity)
    {
        if (!(position >= MinPosition && position <= MaxPosition))
            throw new ArgumentOutOfRangeException(nameof(position), position, $"position must be in [{MinPosition}, {MaxPosition}].");
        if (!(velocity >= -MaxSpeed && velocity <= MaxSpeed))
            throw new ArgumentOutOfRangeException(nameof(velocity), velocity, $"velocity must be in [{-MaxSpeed}, {MaxSpeed}].");
        (_position, _velocity) = (position, velocity);
        _steps = 0;
        _needsReset = false;
        return Observe();
    }

    /// <summary>One step of the car under push left (0), no push (1) or push right (2).</summary>
    public StepResult<MountainCarObservation> Step(int action)
    {
        if ((uint)action > 2u)
            throw new ArgumentOutOfRangeException(nameof(action), action, "action must be 0 (push left), 1 (no push) or 2 (push right): Discrete(3).");
        if (_needsReset)
            throw new InvalidOperationException("Step was called after the episode ended (or before the first Reset): call Reset first.");
        _velocity += (action - 1) * Force + Math.Cos(3 * _position) * -Gravity;
        _velocity = Math.Clamp(_velocity, -MaxSpeed, MaxSpeed);
        _position += _velocity;
        _position = Math.Clamp(_position, MinPosition, MaxPosition);
        if (_position == MinPosition && _velocity < 0) _velocity = 0;
        _steps++;
        bool terminated = _position >= GoalPosition && _velocity >= 0;
        bool truncated = !terminated && _steps >= MaxEpisodeSteps;
        _needsReset = terminated || truncated;
        return new StepResult<MountainCarObservation>(Observe(), -1.0, terminated, truncated);
    }

    /// <summary>The current state drawn as SVG.</summary>
    public override string ToHtml() => MountainCarSvg.Render(_position, $"x = {_position:0.000}, v = {_velocity:0.0000}, step {_steps}");

    MountainCarObservation Observe() => new((float)_position, (float)_velocity);
}
