using CourseLib.Data;
using CourseLib.Environments;

namespace CourseLib.PolicyGradient;

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

    /// <summary>
    /// The REINFORCE settings of the course's trained Pong policy: 800 → 64 ReLU → 3, γ = 0.99, normalised advantages,
    /// 3,000,000 decisions, seed 0 (the benchmarks' --train-pong mode).
    /// </summary>
    public static ReinforceOptions Training { get; } = new()
    {
        StepsPerUpdate = 3000, LearningRate = 3e-3, HiddenSizes = [64], Activation = MlpActivation.Relu,
        Discount = 0.99, NormalizeAdvantages = true, TotalSteps = 3_000_000, Seed = 0,
    };

    /// <summary>The path of the course's trained Pong policy, data/pong-reinforce.policy.</summary>
    public static string TrainedPolicyPath => DataFiles.Find("pong-reinforce.policy");

    /// <summary>
    /// The learning curve of the run that trained the shipped policy, one record per update, from
    /// data/pong-reinforce-history.csv (written by the benchmarks' --train-pong mode).
    /// </summary>
    public static IReadOnlyList<PongTrainingRecord> TrainedHistory()
    {
        var path = DataFiles.Find("pong-reinforce-history.csv");
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
