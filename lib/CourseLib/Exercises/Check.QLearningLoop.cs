using System.Text.Json.Nodes;
using CourseLib.Environments;
using CourseLib.Training;
using CourseLib.ValueBased;

namespace CourseLib.Exercises;

/// <summary>One of the small worlds the episode check plays in: a name that says how to build it, and the builder.</summary>
internal sealed record EpisodeWorld(string Name, Func<GridWorld> Make);

/// <summary>One episode to play: the world and its reset seed, the table before, ε, α, γ and the seed of the student's generator.</summary>
internal sealed record QEpisodeCase(EpisodeWorld World, int EnvironmentSeed, double[,] Q, double Epsilon, double Alpha, double Gamma, long RngSeed);

/// <summary>What a student's episode did: how often it reset, the actions it took, the table after, and what it returned.</summary>
internal sealed record QEpisodeAnswer(int Resets, int[] Actions, double[,] Q, double Return);

/// <summary>A training run of the student's loop on CliffWalking: its seed, budget and settings, and the seed of the grader's evaluation.</summary>
internal sealed record CliffTrainingCase(int TrainingSeed, int Episodes, double Epsilon, double Alpha, double Gamma, int MaxEpisodeSteps, int EvaluationSeed);

public static partial class Check
{
    /// <summary>
    /// Checks <c>double QLearningEpisode(IEnvironment&lt;int, int&gt; environment, double[,] q, double epsilon, double alpha, double gamma, Rng rng)</c>,
    /// one episode of the seminar's Q-learning box: reset once, then choose A ε-greedily in Q(S, ·), step, update
    /// Q(S, A) toward R + γ max_a Q(S', a) (R alone when S' is terminal; a truncated step still bootstraps), S ← S', until
    /// the episode terminates or is truncated; return the sum of the rewards. The check plays the episode in a small grid
    /// world (seeded), records the actions the function took, and replays them itself with the library's
    /// <see cref="QLearning.Update"/>: the table must be what those updates give, the return their rewards' sum, the
    /// episode must run to its end, and with ε = 0 every action must be greedy in the Q of that moment. So any order of
    /// random draws is fine; only the loop is judged.
    /// </summary>
    public static CheckReport QLearningEpisode(Func<IEnvironment<int, int>, double[,], double, double, double, Rng, double> qLearningEpisode) =>
        QLearningEpisodeCheck.Run(c =>
        {
            var environment = new RecordingEnvironment(c.World.Make(), c.EnvironmentSeed);
            var q = CaseDraws.Copy(c.Q);
            double episodeReturn = qLearningEpisode(environment, q, c.Epsilon, c.Alpha, c.Gamma, new Rng(c.RngSeed));
            return new QEpisodeAnswer(environment.Resets, environment.Actions.ToArray(), q, episodeReturn);
        });

    /// <summary>
    /// The outcome check of the same exercise: trains CliffWalking with <c>QLearningEpisode</c> (ε = 0.1, α = 0.5, γ = 1,
    /// episodes cut at 200 steps, Q = 0 at first, <see cref="CliffEpisodes"/> episodes, each case its own training seed)
    /// and hands back the learned Q-table; the grader follows that table's greedy policy (ties to the lowest action) on
    /// fresh seeded episodes and passes it when the return is the optimal −13. Measured with the library's loop
    /// (<c>--tabular-seeds cliff 1000</c>, the same settings): the greedy return is −13 after 75 episodes in 1,000 of
    /// 1,000 training seeds (after 60: 844, after 70: 993), so the budget of 150 episodes leaves a factor of two.
    /// </summary>
    public static CheckReport QLearningCliffWalking(Func<IEnvironment<int, int>, double[,], double, double, double, Rng, double> qLearningEpisode) =>
        QLearningCliffWalkingCheck.Run(c => TrainOnCliff(c, qLearningEpisode).ToArray());

    /// <summary>The outcome check's training budget in episodes.</summary>
    public const int CliffEpisodes = 150;

    /// <summary>The student's loop trained on CliffWalking as <see cref="QLearning.Train"/> runs a whole-episode function (no fallback to the reference).</summary>
    static QTable TrainOnCliff(CliffTrainingCase c, Func<IEnvironment<int, int>, double[,], double, double, double, Rng, double> episode)
    {
        var cliff = new CliffWalking(maxEpisodeSteps: c.MaxEpisodeSteps);
        var options = new TabularOptions { Seed = c.TrainingSeed, Episodes = c.Episodes, LearningRate = c.Alpha, Discount = c.Gamma };
        return TabularLearning.Train("Q-learning", cliff, new ValueBased.EpsilonGreedy(c.Epsilon), options, null,
            rng => TabularLearning.EpisodesOf(cliff, (view, q) => episode(view, q, c.Epsilon, c.Alpha, c.Gamma, rng)), CancellationToken.None).Agent;
    }

    // ---- the episode check ----

    static readonly EpisodeWorld Corridor = new("the corridor [\"SFFFG\"] (−1 a step, +1 at G, 20 steps at most)",
        () => new GridWorld(new GridWorldOptions { Map = ["SFFFG"], StepReward = -1, GoalReward = 1, MaxEpisodeSteps = 20 }));
    static readonly EpisodeWorld ShortCorridor = new("the corridor [\"SFFFFFG\"] (−1 a step, +1 at G, 3 steps at most: a time limit cuts it)",
        () => new GridWorld(new GridWorldOptions { Map = ["SFFFFFG"], StepReward = -1, GoalReward = 1, MaxEpisodeSteps = 3 }));
    static readonly EpisodeWorld Lake = new("FrozenLake.FourByFour() (slippery, 100 steps at most)",
        () => new GridWorld(new GridWorldOptions { Map = FrozenLake.Map4x4, IntendedMoveProbability = 1.0 / 3, PerpendicularMoveProbability = 1.0 / 3, MaxEpisodeSteps = 100 }));
    static readonly EpisodeWorld Room = new("the room [\"SF.\", \"F#F\", \"FHG\"] (−0.1 a step, +1 at G, 0 in the hole, 30 steps at most)",
        () => new GridWorld(new GridWorldOptions { Map = ["SF.", "F#F", "FHG"], StepReward = -0.1, MaxEpisodeSteps = 30 }));
    static readonly EpisodeWorld Cliff = new("new CliffWalking(maxEpisodeSteps: 40)", () => new CliffWalking(maxEpisodeSteps: 40));

    static IEnumerable<CheckCase<QEpisodeCase>> QEpisodeCases(Rng rng, bool hidden)
    {
        long Seed() => (long)(rng.NextUInt64() >> 1);
        int EnvironmentSeed() => rng.NextInt(100_000);
        double[,] Table(EpisodeWorld world, double low = -2, double high = 2)
        {
            var environment = world.Make();
            var q = CaseDraws.Matrix(rng, environment.Mdp.StateCount, environment.Mdp.ActionCount, low, high, 1);
            for (int s = 0; s < environment.Mdp.StateCount; s++)                      // Q(terminal, ·) = 0, as a learner keeps it
                if (environment.Mdp.IsTerminal(s)) for (int a = 0; a < environment.Mdp.ActionCount; a++) q[s, a] = 0;
            return q;
        }
        var rightward = Table(Corridor);
        for (int s = 0; s < 5; s++) rightward[s, 2] = 1;                                // right is best everywhere: S to G in 4 steps
        yield return new("ε = 0: every action greedy, to the goal (a terminal last step: the target is just R)", new(Corridor, EnvironmentSeed(), rightward, 0, 0.5, 0.9, Seed()));
        var leftward = Table(ShortCorridor);
        for (int s = 0; s < 7; s++) leftward[s, 0] = 1.5;                               // left is best: bumps the wall until the time limit
        yield return new("a time limit ends the episode (truncated, not terminal: the last target still bootstraps)", new(ShortCorridor, EnvironmentSeed(), leftward, 0, 0.5, 0.9, Seed()));
        yield return new("slippery ice: the environment decides where the agent lands", new(Lake, EnvironmentSeed(), Table(Lake, 0, 1), 0.1, 0.5, 0.99, Seed()));
        yield return new("CliffWalking from Q = 0: the cliff sends the agent back to the start, the episode goes on", new(Cliff, EnvironmentSeed(), new double[48, 4], 0.1, 0.5, 1, Seed()));
        yield return new("α = 0: Q does not change, the return still counts", new(Room, EnvironmentSeed(), Table(Room), 0.2, 0, 0.9, Seed()));
        yield return new("α = 1: Q(S, A) becomes the target", new(Room, EnvironmentSeed(), Table(Room), 0.2, 1, 0.9, Seed()));
        yield return new("ε = 1: every action uniformly random", new(Corridor, EnvironmentSeed(), Table(Corridor), 1, 0.5, 0.9, Seed()));
        yield return new("γ = 0: only the reward counts", new(Room, EnvironmentSeed(), Table(Room), 0.1, 0.5, 0, Seed()));
        yield return new("ε = 1 in the room: every action uniformly random", new(Room, EnvironmentSeed(), Table(Room), 1, 0.5, 0.9, Seed()));
        EpisodeWorld[] worlds = [Corridor, ShortCorridor, Lake, Room];
        for (int i = 0; i < CaseDraws.Count(hidden, 14); i++)
        {
            var world = CaseDraws.Pick(rng, worlds);
            yield return new($"random episode {i + 1}", new(world, EnvironmentSeed(), Table(world), CaseDraws.Pick(rng, 0.0, 0.1, 0.2, 0.5, 1.0),
                CaseDraws.Pick(rng, 0.1, 0.5, 1.0), CaseDraws.Gamma(rng), Seed()));
        }
    }

    static string DescribeEpisode(QEpisodeCase c) =>
        $"QLearningEpisode(environment: {c.World.Name} reset with seed {c.EnvironmentSeed}, q: {DescribeTable(c.Q)}, epsilon: {Show.Number(c.Epsilon)}, " +
        $"alpha: {Show.Number(c.Alpha)}, gamma: {Show.Number(c.Gamma)}, rng: new Rng({c.RngSeed}))";

    static string DescribeTable(double[,] q)
    {
        bool allZero = true;
        foreach (double v in q) allZero &= v == 0;
        return allZero ? $"new double[{q.GetLength(0)}, {q.GetLength(1)}]" : Show.Matrix(q);
    }

    /// <summary>How a replay updates Q: the reference, or one of the known mistakes (for the hints).</summary>
    enum UpdateRule { Reference, TruncatedIsTerminal, BootstrapAtTerminal, AwayFromTarget }

    /// <summary>The table and return that <paramref name="actions"/> give in the case's world, updated by <paramref name="rule"/>; or what is wrong with the episode.</summary>
    static (double[,] Q, double Return, string? Problem) Replay(QEpisodeCase c, int[] actions, UpdateRule rule, bool greedyAtEpsilon0 = false) =>
        Replay(c, actions, rule, greedyAtEpsilon0, out _);

    /// <summary>The same, counting the steps whose action was greedy in the Q of that moment.</summary>
    static (double[,] Q, double Return, string? Problem) Replay(QEpisodeCase c, int[] actions, UpdateRule rule, bool greedyAtEpsilon0, out int greedySteps)
    {
        greedySteps = 0;
        var environment = c.World.Make();
        int s = environment.Reset(c.EnvironmentSeed).Observation, count = environment.Mdp.ActionCount;
        var q = CaseDraws.Copy(c.Q);
        double total = 0;
        bool ended = false;
        for (int t = 0; t < actions.Length; t++)
        {
            int a = actions[t];
            if (ended) return (q, total, $"step {t + 1} came after the episode had ended (after {t} steps)");
            if ((uint)a >= (uint)count) return (q, total, $"step {t + 1} took action {a}; the actions are 0..{count - 1}");
            bool greedy = IsGreedy(q, s, a);
            if (greedy) greedySteps++;
            if (greedyAtEpsilon0 && c.Epsilon == 0 && !greedy)
                return (q, total, $"step {t + 1} took action {a} in state {s}, where Q(s, ·) = {Show.Vector(QTable.Row(q, s).ToArray())} (choose in Q(S, ·) of the current state S)");
            var step = environment.Step(a);
            switch (rule)
            {
                case UpdateRule.Reference: QLearning.Update(q, s, a, step.Reward, step.Observation, step.Terminated, c.Alpha, c.Gamma); break;
                case UpdateRule.TruncatedIsTerminal: QLearning.Update(q, s, a, step.Reward, step.Observation, step.Terminated || step.Truncated, c.Alpha, c.Gamma); break;
                case UpdateRule.BootstrapAtTerminal: QLearning.Update(q, s, a, step.Reward, step.Observation, false, c.Alpha, c.Gamma); break;
                case UpdateRule.AwayFromTarget:
                    double target = ValueBased.TdTarget.QLearning(step.Reward, c.Gamma, QTable.Row(q, step.Observation), step.Terminated);
                    q[s, a] -= c.Alpha * (target - q[s, a]);
                    break;
            }
            total += step.Reward;
            ended = step.Terminated || step.Truncated;
            s = step.Observation;
        }
        return ended ? (q, total, null) : (q, total, $"the episode stopped after {actions.Length} steps, before the environment ended it (terminated or truncated)");
    }

    static bool IsGreedy(double[,] q, int s, int a)
    {
        var row = QTable.Row(q, s);
        double max = row[0];
        foreach (double v in row) max = Math.Max(max, v);
        return row[a] == max;
    }

    /// <summary>The entries where two tables differ (at most eight), as "Q[s, a] = v" for each side.</summary>
    static Mismatch? CompareTables(double[,] expected, double[,] got, double expectedReturn, double gotReturn)
    {
        if (got.GetLength(0) != expected.GetLength(0) || got.GetLength(1) != expected.GetLength(1))
            return new Mismatch($"a table of {expected.GetLength(0)}×{expected.GetLength(1)}", $"{got.GetLength(0)}×{got.GetLength(1)}");
        var expectedText = new List<string>();
        var gotText = new List<string>();
        for (int s = 0; s < expected.GetLength(0); s++)
            for (int a = 0; a < expected.GetLength(1); a++)
                if (!Compare.Close(expected[s, a], got[s, a]) && expectedText.Count < 8)
                {
                    expectedText.Add($"Q[{s}, {a}] = {Show.Number(expected[s, a])}");
                    gotText.Add($"Q[{s}, {a}] = {Show.Number(got[s, a])}");
                }
        bool returnWrong = !Compare.Close(expectedReturn, gotReturn);
        if (expectedText.Count == 0 && !returnWrong) return null;
        if (returnWrong) { expectedText.Add($"return {Show.Number(expectedReturn)}"); gotText.Add($"return {Show.Number(gotReturn)}"); }
        return new Mismatch("after the updates along your own episode: " + string.Join(", ", expectedText), string.Join(", ", gotText));
    }

    static bool Matches(QEpisodeCase c, QEpisodeAnswer got, UpdateRule rule)
    {
        var (q, total, problem) = Replay(c, got.Actions, rule);
        return problem == null && CompareTables(q, got.Q, total, got.Return) == null;
    }

    static string ReferenceEpisodeText(QEpisodeCase c)
    {
        var view = new SeededOnce(c.World.Make(), c.EnvironmentSeed);
        var q = CaseDraws.Copy(c.Q);
        double total = ValueBased.QLearning.Episode(view, q, c.Epsilon, c.Alpha, c.Gamma, new Rng(c.RngSeed));
        return $"the library's episode returns {Show.Number(total)} after {view.Steps} steps";
    }

    static JsonNode EncodeEpisode(QEpisodeAnswer a) => new JsonObject
    {
        ["resets"] = a.Resets, ["actions"] = Answers.Encode(a.Actions), ["q"] = Answers.Encode(a.Q), ["return"] = Answers.Encode(a.Return),
    };

    /// <summary>The most actions an episode answer may hold (every world of the check ends within 100 steps).</summary>
    const int MaxEpisodeActions = 10_000;

    static QEpisodeAnswer DecodeEpisode(JsonNode? node)
    {
        if (node is not JsonObject o) throw new FormatException("not an episode (null?)");
        if (o["actions"] is not JsonArray actions) throw new FormatException("an episode without actions");
        if (actions.Count > MaxEpisodeActions) throw new FormatException($"{actions.Count} actions, more than {MaxEpisodeActions}");
        return new QEpisodeAnswer(Answers.DecodeInt(o["resets"]), Answers.DecodeIntVector(actions), Answers.DecodeMatrix(o["q"]), Answers.DecodeDouble(o["return"]));
    }

    internal static readonly CheckDefinition<QEpisodeCase, QEpisodeAnswer> QLearningEpisodeCheck = new()
    {
        Name = nameof(QLearningEpisode),
        Title = "one episode of tabular Q-learning (choose ε-greedily, step, update, until the episode ends)",
        Cases = QEpisodeCases,
        Describe = DescribeEpisode,
        ExpectedText = ReferenceEpisodeText,
        Verify = (c, got) =>
        {
            if (got.Resets != 1) return new Mismatch("one environment.Reset(), at the start of the episode", $"{got.Resets} resets");
            var (q, total, problem) = Replay(c, got.Actions, UpdateRule.Reference);
            if (problem != null) return new Mismatch("an episode played to its end, one update per step", problem);
            // The table first: a wrong update changes which actions are greedy, so greediness is judged only once the
            // updates are right (then the replayed Q is the one the function chose in).
            if (CompareTables(q, got.Q, total, got.Return) is { } wrongTable) return wrongTable;
            problem = Replay(c, got.Actions, UpdateRule.Reference, greedyAtEpsilon0: true, out int greedySteps).Problem;
            if (problem != null) return new Mismatch("with ε = 0 a greedy action at every step", problem);
            // With ε = 1 every action is uniformly random: ten or more of them all greedy happens by chance with probability
            // (1/4)^10 ≈ 1e-6 (four actions, no tie; rarely more with ties), so it means the loop does not explore.
            if (c.Epsilon == 1 && got.Actions.Length >= 10 && greedySteps == got.Actions.Length)
                return new Mismatch("with ε = 1 uniformly random actions", $"all {got.Actions.Length} actions were greedy in the Q of their moment: the choice ignores ε");
            return null;
        },
        Encode = EncodeEpisode,
        Decode = DecodeEpisode,
        Mistakes =
        [
            new("A truncated step (the time limit) is not terminal: S' has a future, so the target still bootstraps, R + γ max_a Q(S', a). Pass step.Terminated, not step.Truncated or Done, as terminated.",
                (c, got) => Matches(c, got, UpdateRule.TruncatedIsTerminal)),
            new("A terminal S' has no future: when step.Terminated is true the target is just R.",
                (c, got) => Matches(c, got, UpdateRule.BootstrapAtTerminal)),
            new("The update moves Q(S, A) toward the target: Q(S, A) + α (y − Q(S, A)); the answers move away from it.",
                (c, got) => c.Alpha != 0 && Matches(c, got, UpdateRule.AwayFromTarget)),
            new("Q did not change: update the table q you were given, in place, after every step (q[state, action] = ...).",
                (c, got) => c.Alpha != 0 && got.Q.GetLength(0) == c.Q.GetLength(0) && got.Q.GetLength(1) == c.Q.GetLength(1) && Compare.Matrix(c.Q, got.Q) == null),
            new("The return is the sum of the episode's rewards (undiscounted), returned after the last step.",
                (c, got) =>
                {
                    var (q, total, problem) = Replay(c, got.Actions, UpdateRule.Reference);
                    return problem == null && CompareTables(q, got.Q, total, total) == null && !Compare.Close(total, got.Return);
                }),
        ],
    };

    // ---- the outcome check ----

    static IEnumerable<CheckCase<CliffTrainingCase>> CliffTrainingCases(Rng rng, bool hidden)
    {
        for (int i = 0; i < CaseDraws.Count(hidden, 3); i++)
        {
            int seed = rng.NextInt(1_000_000);
            yield return new($"training seed {seed}", new(seed, CliffEpisodes, 0.1, 0.5, 1.0, 200, rng.NextInt(1_000_000)));
        }
    }

    /// <summary>The greedy policy's mean return on fresh CliffWalking episodes (100 steps at most), and its path from the start.</summary>
    static (double MeanReturn, TabularEpisode Path) GreedyOnCliff(double[,] q, int evaluationSeed)
    {
        var policy = new QTable(q).GreedyPolicy();
        var evaluation = Evaluation.Run(new CliffWalking(maxEpisodeSteps: 100), s => policy[s], new EvaluationOptions { Episodes = 3, Seed = evaluationSeed });
        return (evaluation.MeanReturn, TabularRollout.Follow(new CliffWalking(maxEpisodeSteps: 100), policy, evaluationSeed, 100));
    }

    static string DescribePath(TabularEpisode path, double meanReturn) =>
        $"greedy return {Show.Number(meanReturn)}: " + (path.Terminated
            ? $"the greedy path reaches the goal in {path.States.Count - 1} steps"
            : "the greedy path never reaches the goal in 100 steps (it loops or keeps falling off the cliff)");

    const string OptimalCliff = "greedy return −13 (the optimal path: up, 11 steps right along the cliff, down)";

    internal static readonly CheckDefinition<CliffTrainingCase, double[,]> QLearningCliffWalkingCheck = new()
    {
        Name = nameof(QLearningCliffWalking),
        Title = $"your Q-learning loop learns CliffWalking's optimal path in {CliffEpisodes} episodes",
        Cases = CliffTrainingCases,
        Describe = c => $"{c.Episodes} episodes of QLearningEpisode(new CliffWalking(maxEpisodeSteps: {c.MaxEpisodeSteps}), q, epsilon: {Show.Number(c.Epsilon)}, " +
                        $"alpha: {Show.Number(c.Alpha)}, gamma: {Show.Number(c.Gamma)}, rng) from q = new double[48, 4], training seed {c.TrainingSeed}; then the greedy policy of q",
        ExpectedText = _ => OptimalCliff,
        Verify = (c, q) =>
        {
            if (q.GetLength(0) != 48 || q.GetLength(1) != 4) return new Mismatch("a Q-table of 48 states × 4 actions", $"{q.GetLength(0)} × {q.GetLength(1)}");
            var (mean, path) = GreedyOnCliff(q, c.EvaluationSeed);
            return mean >= -13 ? null : new Mismatch(OptimalCliff, DescribePath(path, mean));
        },
        Encode = Answers.Encode,
        Decode = Answers.DecodeMatrix,
        Mistakes =
        [
            new("The learned greedy policy never reaches the goal. Does the loop update the q it was given (in place), toward the target (the TD error's sign), from the state the action was chosen in, and set S ← S' after each step?",
                (c, q) => q.GetLength(0) == 48 && q.GetLength(1) == 4 && !GreedyOnCliff(q, c.EvaluationSeed).Path.Terminated),
        ],
    };
}

/// <summary>
/// The episode check's view of its world: the first <c>Reset</c> is the case's seeded one (whatever seed the student
/// passes), and every action is recorded, so the check can replay the episode.
/// </summary>
internal sealed class RecordingEnvironment(GridWorld inner, int firstSeed) : IEnvironment<int, int>
{
    public int Resets { get; private set; }
    public List<int> Actions { get; } = [];

    public Space<int> ObservationSpace => inner.ObservationSpace;
    public Space<int> ActionSpace => inner.ActionSpace;

    public ResetResult<int> Reset(int? seed = null)
    {
        Resets++;
        return inner.Reset(Resets == 1 ? firstSeed : seed);
    }

    public StepResult<int> Step(int action)
    {
        Actions.Add(action);
        return inner.Step(action);
    }
}
