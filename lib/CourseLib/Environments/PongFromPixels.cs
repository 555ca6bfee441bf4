namespace CourseLib.Environments;

/// <summary>How <see cref="PongFromPixels"/> turns Pong's frames into the policy's input.</summary>
public sealed record PongPixelOptions
{
    /// <summary>The game's rules (default: <see cref="PongOptions"/>' defaults: 40x40 pixels, first to 5 points).</summary>
    public PongOptions Game { get; init; } = new();

    /// <summary>Each action is repeated for this many frames and their rewards summed (Atari's frame skip). Default 3.</summary>
    public int ActionRepeat { get; init; } = 3;

    /// <summary>Each k×k block of pixels becomes one (its maximum, so the 1-pixel ball stays visible). Default 2: 20x20 inputs.</summary>
    public int DownsampleFactor { get; init; } = 2;

    /// <summary>Also give the policy the current frame, not only the difference. Default false (differences only).</summary>
    public bool IncludeFrame { get; init; }

    /// <summary>Throws a clear exception when an option is outside its range.</summary>
    public void Validate()
    {
        ArgumentNullException.ThrowIfNull(Game, nameof(Game));
        if (ActionRepeat < 1 || ActionRepeat > 16) throw new ArgumentOutOfRangeException(nameof(ActionRepeat), ActionRepeat, "ActionRepeat must be in 1..16.");
        if (DownsampleFactor < 1 || Game.Width % DownsampleFactor != 0 || Game.Height % DownsampleFactor != 0)
            throw new ArgumentOutOfRangeException(nameof(DownsampleFactor), DownsampleFactor, $"DownsampleFactor must be at least 1 and divide the {Game.Height}x{Game.Width} frame.");
    }
}

/// <summary>
/// Pong as a policy-gradient agent sees it ("Pong from pixels"): the observation is the difference between the
/// current and the previous (downsampled) frame, x_t = frame_t − frame_{t−1}, so that what moves — the ball and its
/// direction, a moving paddle — stands out; optionally followed by the current frame itself. Each action (0 stay,
/// 1 up, 2 down) is repeated for <see cref="PongPixelOptions.ActionRepeat"/> frames. Rewards: +1 per point won,
/// −1 per point lost. The underlying <see cref="Pong"/> game is available as <see cref="Game"/>.
/// </summary>
public sealed class PongFromPixels : IEnvironment<float[], int>
{
    readonly float[] _frame, _small, _previous;
    readonly int _rows, _columns;

    /// <summary>Pong with the given preprocessing (default: <see cref="PongPixelOptions"/>' defaults).</summary>
    public PongFromPixels(PongPixelOptions? options = null)
    {
        Options = options ?? new PongPixelOptions();
        Options.Validate();
        Game = new Pong(Options.Game);
        _frame = new float[Game.Width * Game.Height];
        _rows = Game.Height / Options.DownsampleFactor;
        _columns = Game.Width / Options.DownsampleFactor;
        _small = new float[_rows * _columns];
        _previous = new float[_rows * _columns];
        ObservationLength = (Options.IncludeFrame ? 2 : 1) * _rows * _columns;
        ObservationSpace = new FloatBox([ObservationLength], -1, 1);
    }

    /// <summary>The preprocessing.</summary>
    public PongPixelOptions Options { get; }

    /// <summary>The game underneath (for its score, its state and its full-size frames).</summary>
    public Pong Game { get; }

    /// <summary>Floats per observation: rows × columns of the downsampled frame (twice that with the frame included).</summary>
    public int ObservationLength { get; }

    /// <summary>Rows of the downsampled frame.</summary>
    public int Rows => _rows;

    /// <summary>Columns of the downsampled frame.</summary>
    public int Columns => _columns;

    /// <inheritdoc />
    public Space<float[]> ObservationSpace { get; }

    /// <inheritdoc />
    public Space<int> ActionSpace => Game.ActionSpace;

    /// <summary>How often the agent's paddle has sent the ball back in the current episode.</summary>
    public int BallsReturned { get; private set; }

    /// <inheritdoc />
    public ResetResult<float[]> Reset(int? seed = null)
    {
        BallsReturned = 0;
        Game.Reset(seed);
        Game.RenderFrame(_frame);
        Shrink(_frame, _previous);
        return new ResetResult<float[]>(Observe(_previous));
    }

    /// <inheritdoc />
    public StepResult<float[]> Step(int action)
    {
        double reward = 0;
        bool terminated = false, truncated = false;
        for (int k = 0; k < Options.ActionRepeat; k++)
        {
            bool towardsAgent = Game.State.BallVelocityX > 0;
            (double r, terminated, truncated) = Game.Step(action, _frame);
            if (towardsAgent && Game.State.BallVelocityX < 0 && r == 0) BallsReturned++;
            reward += r;
            if (terminated || truncated) break;
        }
        Shrink(_frame, _small);
        var observation = Observe(_small);
        _small.CopyTo(_previous, 0);
        return new StepResult<float[]>(observation, reward, terminated, truncated);
    }

    float[] Observe(float[] current)
    {
        var x = new float[ObservationLength];
        for (int i = 0; i < current.Length; i++) x[i] = current[i] - _previous[i];
        if (Options.IncludeFrame) current.CopyTo(x, current.Length);
        return x;
    }

    void Shrink(float[] frame, float[] small)
    {
        int f = Options.DownsampleFactor, width = Game.Width;
        for (int r = 0; r < _rows; r++)
            for (int c = 0; c < _columns; c++)
            {
                float max = 0;
                for (int i = 0; i < f; i++)
                    for (int j = 0; j < f; j++) max = Math.Max(max, frame[(r * f + i) * width + c * f + j]);
                small[r * _columns + c] = max;
            }
    }
}
