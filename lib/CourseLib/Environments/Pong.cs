using CourseLib.Display;

namespace CourseLib.Environments;

/// <summary>The rules and size of <see cref="Pong"/>. Distances are in pixels, speeds in pixels per step.</summary>
public sealed record PongOptions
{
    /// <summary>Frame width in pixels. Default 40.</summary>
    public int Width { get; init; } = 40;

    /// <summary>Frame height in pixels. Default 40.</summary>
    public int Height { get; init; } = 40;

    /// <summary>Paddle height in pixels. Default 5.</summary>
    public int PaddleHeight { get; init; } = 5;

    /// <summary>How far the agent's paddle moves per up/down action. Default 2.</summary>
    public double PaddleSpeed { get; init; } = 2;

    /// <summary>The scripted opponent's top speed: it follows the ball no faster than this. Default 0.8.</summary>
    public double OpponentSpeed { get; init; } = 0.8;

    /// <summary>The ball's horizontal speed. Default 1.5.</summary>
    public double BallSpeed { get; init; } = 1.5;

    /// <summary>The largest vertical speed a paddle can give the ball (hitting it with the paddle's edge). Default 2.</summary>
    public double MaxBallVerticalSpeed { get; init; } = 2;

    /// <summary>The game ends when a side has this many points. Default 5.</summary>
    public int PointsToWin { get; init; } = 5;

    /// <summary>Episode length at which Step reports Truncated. Default 2000.</summary>
    public int MaxEpisodeSteps { get; init; } = 2000;
}

/// <summary>Where everything is in a <see cref="Pong"/> game (for displays and tests; the agent sees only pixels).</summary>
/// <param name="BallX">Ball column (continuous; the ball is drawn at its floor).</param>
/// <param name="BallY">Ball row (continuous).</param>
/// <param name="BallVelocityX">Horizontal ball speed (positive: towards the agent on the right).</param>
/// <param name="BallVelocityY">Vertical ball speed (positive: down).</param>
/// <param name="AgentPaddleTop">Top row of the agent's (right) paddle.</param>
/// <param name="OpponentPaddleTop">Top row of the opponent's (left) paddle.</param>
/// <param name="AgentScore">Points the agent has won.</param>
/// <param name="OpponentScore">Points the opponent has won.</param>
public readonly record struct PongState(double BallX, double BallY, double BallVelocityX, double BallVelocityY,
    double AgentPaddleTop, double OpponentPaddleTop, int AgentScore, int OpponentScore);

/// <summary>
/// Pong from pixels, the seminar's running example: a small, fast, deterministic Pong rendered to a
/// low-resolution frame (default 40x40 floats, row-major; paddles and ball are 1, the background 0).
/// The agent plays the right paddle: actions 0 = stay, 1 = up, 2 = down. The left paddle is a scripted opponent
/// that follows the ball no faster than <see cref="PongOptions.OpponentSpeed"/>. A point won pays +1, a point lost −1;
/// the episode terminates when a side reaches <see cref="PongOptions.PointsToWin"/> and is truncated after
/// <see cref="PongOptions.MaxEpisodeSteps"/> steps. Where the ball meets a paddle sets its new vertical speed
/// (the edge sends it steeply), so a policy can learn to aim past the slow opponent.
/// The only randomness is the serve (direction and angle), drawn from the seeded generator.
/// </summary>
public sealed class Pong : HtmlDisplayable, IEnvironment<float[], int>
{
    readonly Rng _rng = new(0);
    readonly PongOptions _options;
    readonly int _width, _height, _paddleHeight;
    readonly double _agentFace, _opponentFace;   // the x the ball bounces at
    double _ballX, _ballY, _ballVx, _ballVy, _agentTop, _opponentTop;
    int _agentScore, _opponentScore, _steps;
    bool _needsReset = true;

    /// <summary>A Pong game with the given rules (default: <see cref="PongOptions"/>' defaults).</summary>
    public Pong(PongOptions? options = null)
    {
        _options = options ?? new PongOptions();
        var o = _options;
        if (o.Width < 10 || o.Width > 1000) throw new ArgumentOutOfRangeException(nameof(options), o.Width, "Width must be in 10..1000 pixels.");
        if (o.Height < 6 || o.Height > 1000) throw new ArgumentOutOfRangeException(nameof(options), o.Height, "Height must be in 6..1000 pixels.");
        if (o.PaddleHeight < 1 || o.PaddleHeight >= o.Height) throw new ArgumentOutOfRangeException(nameof(options), o.PaddleHeight, $"PaddleHeight must be in 1..{o.Height - 1}.");
        if (!(o.PaddleSpeed > 0)) throw new ArgumentOutOfRangeException(nameof(options), o.PaddleSpeed, "PaddleSpeed must be positive.");
        if (!(o.OpponentSpeed >= 0)) throw new ArgumentOutOfRangeException(nameof(options), o.OpponentSpeed, "OpponentSpeed must be at least 0.");
        if (!(o.BallSpeed > 0 && o.BallSpeed < 4)) throw new ArgumentOutOfRangeException(nameof(options), o.BallSpeed, "BallSpeed must be in (0, 4) pixels per step.");
        if (!(o.MaxBallVerticalSpeed >= 0 && o.MaxBallVerticalSpeed < o.Height / 2.0)) throw new ArgumentOutOfRangeException(nameof(options), o.MaxBallVerticalSpeed, "MaxBallVerticalSpeed must be in [0, Height/2).");
        if (o.PointsToWin < 1) throw new ArgumentOutOfRangeException(nameof(options), o.PointsToWin, "PointsToWin must be at least 1.");
        if (o.MaxEpisodeSteps < 1) throw new ArgumentOutOfRangeException(nameof(options), o.MaxEpisodeSteps, "MaxEpisodeSteps must be at least 1.");
        (_width, _height, _paddleHeight) = (o.Width, o.Height, o.PaddleHeight);
        _opponentFace = OpponentColumn + 1;   // the ball's leftmost in-play column is just right of the opponent's paddle
        _agentFace = AgentColumn - 1;         // and its rightmost just left of the agent's paddle
        ObservationSpace = new FloatBox([_height, _width], 0, 1);
        _rng.Reseed(Environment.TickCount64);
    }

    /// <summary>The rules.</summary>
    public PongOptions Options => _options;

    /// <summary>Frame height in pixels.</summary>
    public int Height => _height;

    /// <summary>Frame width in pixels.</summary>
    public int Width => _width;

    /// <summary>The column of the opponent's paddle (1).</summary>
    public int OpponentColumn => 1;

    /// <summary>The column of the agent's paddle (Width − 2).</summary>
    public int AgentColumn => _width - 2;

    /// <summary>Frames: Height × Width floats in [0, 1], row-major.</summary>
    public Space<float[]> ObservationSpace { get; }

    /// <inheritdoc />
    public Space<int> ActionSpace { get; } = new Discrete(3);

    /// <summary>Steps taken in the current episode.</summary>
    public int ElapsedSteps => _steps;

    /// <summary>Where everything is now.</summary>
    public PongState State => new(_ballX, _ballY, _ballVx, _ballVy, _agentTop, _opponentTop, _agentScore, _opponentScore);

    /// <summary>Starts a game: paddles centred, score 0:0, and a serve from the centre in a random direction.</summary>
    public ResetResult<float[]> Reset(int? seed = null)
    {
        if (seed is int s) _rng.Reseed(s);
        _agentTop = _opponentTop = (_height - _paddleHeight) / 2.0;
        _agentScore = _opponentScore = 0;
        _steps = 0;
        _needsReset = false;
        Serve();
        return new ResetResult<float[]>(RenderFrame());
    }

    /// <summary>One step: move the agent's paddle (0 = stay, 1 = up, 2 = down), move the opponent and the ball; returns a new frame.</summary>
    public StepResult<float[]> Step(int action)
    {
        var (reward, terminated, truncated) = Advance(action);
        return new StepResult<float[]>(RenderFrame(), reward, terminated, truncated);
    }

    /// <summary>The same step without allocating: the frame is drawn into <paramref name="frame"/> (Height × Width floats).</summary>
    public (double Reward, bool Terminated, bool Truncated) Step(int action, Span<float> frame)
    {
        CheckFrame(frame);
        var outcome = Advance(action);
        RenderFrame(frame);
        return outcome;
    }

    /// <summary>Draws the current frame into <paramref name="frame"/> (Height × Width floats, row-major).</summary>
    public void RenderFrame(Span<float> frame)
    {
        CheckFrame(frame);
        frame.Clear();
        DrawInto(frame);
    }

    /// <summary>The current frame as a new array.</summary>
    public float[] RenderFrame()
    {
        var frame = new float[_width * _height];   // a new array is already zero
        DrawInto(frame);
        return frame;
    }

    /// <summary>The current frame drawn as SVG, with the score.</summary>
    public override string ToHtml() => PongSvg.Render(RenderFrame(), _width, _height, caption: $"opponent {_opponentScore} : {_agentScore} agent, step {_steps}");

    /// <summary>Draws any frame of this game's size (e.g. a frame difference: negative pixels in red).</summary>
    public Html Draw(float[] frame, string? caption = null) => new(PongSvg.Render(frame, _width, _height, caption: caption));

    (double Reward, bool Terminated, bool Truncated) Advance(int action)
    {
        if ((uint)action > 2u)
            throw new ArgumentOutOfRangeException(nameof(action), action, "action must be 0 (stay), 1 (up) or 2 (down): Discrete(3).");
        if (_needsReset)
            throw new InvalidOperationException("Step was called after the episode ended (or before the first Reset): call Reset first.");
        var o = _options;
        double maxTop = _height - _paddleHeight;

        // The agent's paddle, then the opponent's: it moves its centre towards the ball's centre, at most OpponentSpeed.
        double agentMove = action == 1 ? -o.PaddleSpeed : action == 2 ? o.PaddleSpeed : 0;
        _agentTop = Math.Clamp(_agentTop + agentMove, 0, maxTop);
        double gap = (_ballY + 0.5) - (_opponentTop + _paddleHeight / 2.0);
        _opponentTop = Math.Clamp(_opponentTop + Math.Clamp(gap, -o.OpponentSpeed, o.OpponentSpeed), 0, maxTop);

        // The ball: move, bounce off the top and bottom walls.
        double x = _ballX + _ballVx, y = _ballY + _ballVy;
        if (y < 0) { y = -y; _ballVy = -_ballVy; }
        else if (y > _height - 1) { y = 2 * (_height - 1) - y; _ballVy = -_ballVy; }

        double reward = 0;
        if (_ballVx > 0 && x > _agentFace && _ballX <= _agentFace)
        {
            if (Hits(_agentTop, y)) { x = 2 * _agentFace - x; _ballVx = -_ballVx; _ballVy = Deflection(_agentTop, y); }
        }
        else if (_ballVx < 0 && x < _opponentFace && _ballX >= _opponentFace)
        {
            if (Hits(_opponentTop, y)) { x = 2 * _opponentFace - x; _ballVx = -_ballVx; _ballVy = Deflection(_opponentTop, y); }
        }
        _ballX = x;
        _ballY = y;
        if (_ballX >= _width) { _opponentScore++; reward = -1; Serve(); }
        else if (_ballX < 0) { _agentScore++; reward = 1; Serve(); }

        _steps++;
        bool terminated = _agentScore >= o.PointsToWin || _opponentScore >= o.PointsToWin;
        bool truncated = !terminated && _steps >= o.MaxEpisodeSteps;
        _needsReset = terminated || truncated;
        return (reward, terminated, truncated);
    }

    /// <summary>The ball (rows [y, y+1)) overlaps the paddle (rows [top, top + height)).</summary>
    bool Hits(double paddleTop, double ballY) => ballY + 1 > paddleTop && ballY < paddleTop + _paddleHeight;

    /// <summary>New vertical speed: proportional to where the ball met the paddle, −1 at the top edge to +1 at the bottom.</summary>
    double Deflection(double paddleTop, double ballY)
    {
        double offset = ((ballY + 0.5) - (paddleTop + _paddleHeight / 2.0)) / (_paddleHeight / 2.0 + 0.5);
        return Math.Clamp(offset, -1, 1) * _options.MaxBallVerticalSpeed;
    }

    void Serve()
    {
        _ballX = (_width - 1) / 2.0;
        _ballY = _rng.Uniform(_height * 0.25, _height * 0.75);
        _ballVx = _rng.NextDouble() < 0.5 ? -_options.BallSpeed : _options.BallSpeed;
        _ballVy = _rng.Uniform(-0.5, 0.5) * _options.MaxBallVerticalSpeed;
    }

    void DrawInto(Span<float> frame)
    {
        DrawPaddle(frame, OpponentColumn, _opponentTop);
        DrawPaddle(frame, AgentColumn, _agentTop);
        int bx = (int)Math.Floor(_ballX), by = (int)Math.Floor(_ballY);
        if ((uint)bx < (uint)_width && (uint)by < (uint)_height) frame[by * _width + bx] = 1;
    }

    void DrawPaddle(Span<float> frame, int column, double top)
    {
        int first = (int)Math.Round(top);
        for (int r = first; r < first + _paddleHeight; r++) frame[r * _width + column] = 1;
    }

    void CheckFrame(Span<float> frame)
    {
        if (frame.Length != _width * _height)
            throw new ArgumentException($"frame has {frame.Length} floats; a {_height}x{_width} Pong frame needs {_width * _height}.", nameof(frame));
    }
}
