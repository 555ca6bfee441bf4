using CourseLib.Environments;

namespace CourseLib.PolicyGradient;

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

/// <summary>The outcome of one game of <see cref="PongFromPixels"/>.</summary>
/// <param name="AgentPoints">Points the agent won.</param>
/// <param name="OpponentPoints">Points the scripted opponent won.</param>
/// <param name="BallsReturned">How often the agent's paddle sent the ball back.</param>
/// <param name="Decisions">Actions taken (each repeated <see cref="PongPixelOptions.ActionRepeat"/> frames).</param>
public readonly record struct PongGame(int AgentPoints, int OpponentPoints, int BallsReturned, int Decisions);

/// <summary>Plays Pong from pixels with a policy (or at random) to score it and to watch it.</summary>
public static class PongPlay
{
    /// <summary>
    /// The preprocessing the course's trained Pong policy uses: frame differences and the current frame, 20x20 each,
    /// every action repeated for 3 frames. (Differences alone hide a paddle that stands still; in our runs they
    /// learned far more slowly.)
    /// </summary>
    public static PongPixelOptions Pixels { get; } = new() { IncludeFrame = true };

    /// <summary>The REINFORCE hyperparameters the course's trained Pong policy uses: 800 → 64 ReLU → 3, γ = 0.99, normalised advantages.</summary>
    public static ReinforceOptions Training { get; } = new()
    {
        StepsPerUpdate = 3000, LearningRate = 3e-3, HiddenSizes = [64], Activation = MlpActivation.Relu,
        Discount = 0.99, NormalizeAdvantages = true,
    };

    /// <summary>The path of the course's trained Pong policy, data/pong-reinforce.policy.</summary>
    public static string TrainedPolicyPath => Data.Digits.FindDataFile("pong-reinforce.policy");

    /// <summary>
    /// The learning curve of the run that trained the shipped policy, one record per update, from
    /// data/pong-reinforce-history.csv (written by the benchmarks' --train-pong mode).
    /// </summary>
    public static IReadOnlyList<PongTrainingRecord> TrainedHistory()
    {
        var path = Data.Digits.FindDataFile("pong-reinforce-history.csv");
        var lines = File.ReadAllLines(path);
        if (lines.Length == 0 || lines[0].Trim() != "update,decisions,episodes,mean_return,entropy")
            throw new InvalidDataException($"{path} must start with the header update,decisions,episodes,mean_return,entropy.");
        var culture = System.Globalization.CultureInfo.InvariantCulture;
        return lines.Skip(1).Where(l => l.Length > 0).Select((line, i) =>
        {
            var f = line.Split(',');
            if (f.Length != 5) throw new InvalidDataException($"{path}, line {i + 2}: expected 5 fields, found {f.Length}.");
            return new PongTrainingRecord(int.Parse(f[0], culture), long.Parse(f[1], culture), int.Parse(f[2], culture),
                double.Parse(f[3], culture), double.Parse(f[4], culture));
        }).ToArray();
    }

    /// <summary>
    /// Plays <paramref name="games"/> games with <paramref name="policy"/> (null: the uniformly random policy), the first
    /// game seeded with <paramref name="seed"/>. Greedy: the most probable action; otherwise sampled from π(·|x).
    /// </summary>
    public static PongGame[] Play(CategoricalPolicy? policy, PongPixelOptions? options = null, int games = 20, int seed = 0, bool greedy = false,
        CancellationToken cancellationToken = default)
    {
        if (games < 1) throw new ArgumentOutOfRangeException(nameof(games), games, "games must be at least 1.");
        var environment = new PongFromPixels(options);
        CheckPolicy(policy, environment);
        var rng = new Rng(seed);
        var results = new PongGame[games];
        for (int g = 0; g < games; g++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var x = environment.Reset(g == 0 ? seed : null).Observation;
            int decisions = 0;
            while (true)
            {
                var step = environment.Step(Act(policy, x, rng, greedy));
                decisions++;
                x = step.Observation;
                if (step.Done) break;
            }
            var state = environment.Game.State;
            results[g] = new PongGame(state.AgentScore, state.OpponentScore, environment.BallsReturned, decisions);
        }
        return results;
    }

    /// <summary>
    /// The full-size frames of one game played by <paramref name="policy"/> (null: at random), one frame per decision
    /// (row-major, Height × Width), at most <paramref name="maxDecisions"/> + 1 of them — for <see cref="EpisodeAnimation.Pong"/>.
    /// </summary>
    public static List<float[]> Frames(CategoricalPolicy? policy, PongPixelOptions? options = null, int seed = 0, int maxDecisions = 300, bool greedy = false)
    {
        if (maxDecisions < 1) throw new ArgumentOutOfRangeException(nameof(maxDecisions), maxDecisions, "maxDecisions must be at least 1.");
        var environment = new PongFromPixels(options);
        CheckPolicy(policy, environment);
        var rng = new Rng(seed);
        var frames = new List<float[]>();
        var x = environment.Reset(seed).Observation;
        frames.Add(environment.Game.RenderFrame());
        for (int d = 0; d < maxDecisions; d++)
        {
            var step = environment.Step(Act(policy, x, rng, greedy));
            frames.Add(environment.Game.RenderFrame());
            x = step.Observation;
            if (step.Done) break;
        }
        return frames;
    }

    static int Act(CategoricalPolicy? policy, float[] x, Rng rng, bool greedy) =>
        policy is null ? rng.NextInt(3) : greedy ? policy.Greedy(x) : policy.Sample(x, rng);

    static void CheckPolicy(CategoricalPolicy? policy, PongFromPixels environment)
    {
        if (policy != null && (policy.ObservationLength != environment.ObservationLength || policy.ActionCount != 3))
            throw new ArgumentException($"The policy reads {policy.ObservationLength} floats and has {policy.ActionCount} actions; " +
                $"this Pong needs {environment.ObservationLength} floats and 3 actions (check the PongPixelOptions it was trained with).", nameof(policy));
    }
}

/// <summary>One update of the shipped Pong policy's training run: decisions so far, episodes in the batch, their mean return, the policy's entropy.</summary>
public sealed record PongTrainingRecord(int Update, long Decisions, int Episodes, double MeanReturn, double Entropy);
