using CourseLib.Display;

namespace CourseLib.Environments;

/// <summary>CartPole's observation: cart position and velocity, pole angle (radians) and angular velocity.</summary>
public readonly record struct CartPoleObservation(float Position, float Velocity, float Angle, float AngularVelocity)
    : IObservationVector<CartPoleObservation>
{
    /// <inheritdoc />
    public static int Length => 4;

    /// <inheritdoc />
    public void CopyTo(Span<float> destination)
    {
        destination[0] = Position; destination[1] = Velocity; destination[2] = Angle; destination[3] = AngularVelocity;
    }

    /// <inheritdoc />
    public static CartPoleObservation FromSpan(ReadOnlySpan<float> values)
    {
        if (values.Length != Length)
            throw new ArgumentException($"A CartPole observation has {Length} floats (position, velocity, angle, angular velocity); values has {values.Length}.", nameof(values));
        return new(values[0], values[1], values[2], values[3]);
    }
}

/// <summary>
/// CartPole-v1 with Gymnasium's physics exactly (Barto, Sutton and Anderson 1983): push the cart left
/// (action 0) or right (action 1) with force 10 N; reward 1 per step; the episode terminates when the pole
/// leans more than 12° or the cart leaves ±2.4, and is truncated after <see cref="MaxEpisodeSteps"/> steps.
/// The state is kept in double precision, integrated with explicit Euler at τ = 0.02 s, and observed as floats.
/// </summary>
public sealed class CartPole : HtmlDisplayable, IEnvironment<CartPoleObservation, int>
{
    /// <summary>Gravity, m/s².</summary>
    public const double Gravity = 9.8;
    /// <summary>Cart mass, kg.</summary>
    public const double CartMass = 1.0;
    /// <summary>Pole mass, kg.</summary>
    public const double PoleMass = 0.1;
    /// <summary>Half the pole's length, m.</summary>
    public const double HalfPoleLength = 0.5;
    /// <summary>Force of one push, N.</summary>
    public const double ForceMagnitude = 10.0;
    /// <summary>Integration step, s.</summary>
    public const double Tau = 0.02;
    /// <summary>The angle beyond which the episode terminates: 12° in radians.</summary>
    public const double AngleThreshold = 12 * 2 * Math.PI / 360;
    /// <summary>The cart position beyond which the episode terminates, m.</summary>
    public const double PositionThreshold = 2.4;

    const double TotalMass = PoleMass + CartMass;
    const double PoleMassLength = PoleMass * HalfPoleLength;

    readonly Rng _rng = new(0);
    double _x, _xDot, _theta, _thetaDot;
    int _steps;
    bool _needsReset = true;

    /// <summary>A CartPole-v1 whose episodes are truncated after <paramref name="maxEpisodeSteps"/> steps (500 in v1).</summary>
    public CartPole(int maxEpisodeSteps = 500)
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
    public Space<CartPoleObservation> ObservationSpace { get; } = new Box<CartPoleObservation>(
        [(float)(-2 * PositionThreshold), float.NegativeInfinity, (float)(-2 * AngleThreshold), float.NegativeInfinity],
        [(float)(2 * PositionThreshold), float.PositiveInfinity, (float)(2 * AngleThreshold), float.PositiveInfinity]);

    /// <inheritdoc />
    public Space<int> ActionSpace { get; } = new Discrete(2);

    /// <summary>The exact (double-precision) state: x, ẋ, θ, θ̇.</summary>
    public (double X, double XDot, double Theta, double ThetaDot) State => (_x, _xDot, _theta, _thetaDot);

    /// <summary>Starts an episode from the given state (for experiments and tests; Reset draws it from p(s0)).</summary>
    public CartPoleObservation ResetTo(double x, double xDot, double theta, double thetaDot)
    {
        CheckFinite(x, nameof(x)); CheckFinite(xDot, nameof(xDot)); CheckFinite(theta, nameof(theta)); CheckFinite(thetaDot, nameof(thetaDot));
        (_x, _xDot, _theta, _thetaDot) = (x, xDot, theta, thetaDot);
        _steps = 0;
        _needsReset = false;
        return Observe();
    }

    /// <summary>p(s0): each of the four state variables uniform in [-0.05, 0.05].</summary>
    public ResetResult<CartPoleObservation> Reset(int? seed = null)
    {
        if (seed is int s) _rng.Reseed(s);
        ResetTo(_rng.Uniform(-0.05, 0.05), _rng.Uniform(-0.05, 0.05), _rng.Uniform(-0.05, 0.05), _rng.Uniform(-0.05, 0.05));
        return new ResetResult<CartPoleObservation>(Observe());
    }

    /// <summary>One Euler step of the cart-pole equations of motion under a push left (0) or right (1).</summary>
    public StepResult<CartPoleObservation> Step(int action)
    {
        if ((uint)action > 1u)
            throw new ArgumentOutOfRangeException(nameof(action), action, "action must be 0 (push left) or 1 (push right): Discrete(2).");
        if (_needsReset)
            throw new InvalidOperationException("Step was called after the episode ended (or before the first Reset): call Reset first.");

        double force = action == 1 ? ForceMagnitude : -ForceMagnitude;
        double cosTheta = Math.Cos(_theta), sinTheta = Math.Sin(_theta);
        // θ̈ = (g sinθ − cosθ·temp) / (l (4/3 − m_p cos²θ / M)),  temp = (F + m_p l θ̇² sinθ) / M
        double temp = (force + PoleMassLength * _thetaDot * _thetaDot * sinTheta) / TotalMass;
        double thetaAcc = (Gravity * sinTheta - cosTheta * temp) / (HalfPoleLength * (4.0 / 3.0 - PoleMass * cosTheta * cosTheta / TotalMass));
        double xAcc = temp - PoleMassLength * thetaAcc * cosTheta / TotalMass;
        _x += Tau * _xDot;
        _xDot += Tau * xAcc;
        _theta += Tau * _thetaDot;
        _thetaDot += Tau * thetaAcc;
        _steps++;

        bool terminated = _x < -PositionThreshold || _x > PositionThreshold || _theta < -AngleThreshold || _theta > AngleThreshold;
        bool truncated = !terminated && _steps >= MaxEpisodeSteps;
        _needsReset = terminated || truncated;
        return new StepResult<CartPoleObservation>(Observe(), 1.0, terminated, truncated);
    }

    static void CheckFinite(double value, string name)
    {
        if (!double.IsFinite(value)) throw new ArgumentOutOfRangeException(name, value, $"{name} must be a finite number.");
    }

    /// <summary>The current state drawn as SVG (shown when a notebook cell ends with the environment).</summary>
    public override string ToHtml() => CartPoleSvg.Render(_x, _theta, $"x = {_x:0.00} m, θ = {_theta * 180 / Math.PI:0.0}°, step {_steps}");

    CartPoleObservation Observe() => new((float)_x, (float)_xDot, (float)_theta, (float)_thetaDot);
}
