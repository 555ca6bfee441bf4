using System.Text.Json.Nodes;
using CourseLib.Environments;
using CourseLib.Exercises;
using CourseLib.Tests.ValueBased;
using CourseLib.ValueBased;

namespace CourseLib.Tests.Exercises;

/// <summary>
/// Notebook 05's "write the loop" exercise: the unit check (one episode, replayed) and the outcome check (the Q-table
/// learned on CliffWalking, evaluated by the check itself) pass right loops, call the stub not implemented, and fail
/// wrong ones with their hints.
/// </summary>
[Collection("exercise checks")]
[Trait("Category", "unit")]
public class QLearningLoopCheckTests
{
    delegate double Episode(IEnvironment<int, int> environment, double[,] q, double epsilon, double alpha, double gamma, Rng rng);

    static Func<IEnvironment<int, int>, double[,], double, double, double, Rng, double> F(Episode e) => (a, b, c, d, g, r) => e(a, b, c, d, g, r);

    /// <summary>A right loop whose ε-greedy choice draws its random numbers in another order than the library's.</summary>
    static double OtherDrawOrder(IEnvironment<int, int> environment, double[,] q, double epsilon, double alpha, double gamma, Rng rng)
    {
        int s = environment.Reset().Observation;
        double total = 0;
        while (true)
        {
            int random = rng.NextInt(q.GetLength(1));
            var best = Enumerable.Range(0, q.GetLength(1)).Where(a => q[s, a] == Enumerable.Range(0, q.GetLength(1)).Max(b => q[s, b])).ToArray();
            int greedy = best[rng.NextInt(best.Length)];
            int action = rng.NextDouble() < epsilon ? random : greedy;
            var step = environment.Step(action);
            QLearning.Update(q, s, action, step.Reward, step.Observation, step.Terminated, alpha, gamma);
            total += step.Reward;
            if (step.Done) return total;
            s = step.Observation;
        }
    }

    /// <summary>A loop with one mistake in the target's termination flag or the update, for the hints.</summary>
    static Episode WithUpdate(Action<double[,], int, int, double, int, StepResult<int>, double, double> update) => (environment, q, epsilon, alpha, gamma, rng) =>
    {
        int s = environment.Reset().Observation;
        double total = 0;
        while (true)
        {
            int action = EpsilonGreedy.Choose(QTable.Row(q, s).ToArray(), epsilon, rng);
            var step = environment.Step(action);
            update(q, s, action, step.Reward, step.Observation, step, alpha, gamma);
            total += step.Reward;
            if (step.Done) return total;
            s = step.Observation;
        }
    };

    [Fact]
    public void Right_loops_pass_both_checks_whatever_the_order_of_their_random_draws()
    {
        foreach (var loop in new[] { F(StudentSolutions.QLearningEpisode), F(QLearning.Episode), F(OtherDrawOrder) })
        {
            var unit = Check.QLearningEpisode(loop);
            Assert.True(unit.Passed, unit.ToString());
            Assert.True(unit.TotalCases >= 20);
            var outcome = Check.QLearningCliffWalking(loop);
            Assert.True(outcome.Passed, outcome.ToString());
            Assert.Equal(3, outcome.TotalCases);
        }
    }

    [Fact]
    public void The_stub_is_not_implemented_yet()
    {
        Episode stub = (_, _, _, _, _, _) => throw new NotImplementedException();
        Assert.Equal(CheckStatus.NotImplemented, Check.QLearningEpisode(F(stub)).Status);
        Assert.Equal(CheckStatus.NotImplemented, Check.QLearningCliffWalking(F(stub)).Status);
    }

    [Fact]
    public void Wrong_loops_fail_with_the_hint_of_their_mistake()
    {
        var truncatedIsTerminal = WithUpdate((q, s, a, r, next, step, alpha, gamma) => QLearning.Update(q, s, a, r, next, step.Done, alpha, gamma));
        FailsWithHint(Check.QLearningEpisode(F(truncatedIsTerminal)), "A truncated step (the time limit) is not terminal");

        var bootstrapsAtTerminal = WithUpdate((q, s, a, r, next, _, alpha, gamma) => QLearning.Update(q, s, a, r, next, false, alpha, gamma));
        FailsWithHint(Check.QLearningEpisode(F(bootstrapsAtTerminal)), "A terminal S' has no future");

        var awayFromTarget = WithUpdate((q, s, a, r, next, step, alpha, gamma) => StudentSolutions.QLearningUpdateAwayFromTarget(q, s, a, r, next, step.Terminated, alpha, gamma));
        FailsWithHint(Check.QLearningEpisode(F(awayFromTarget)), "toward the target");
        FailsWithHint(Check.QLearningCliffWalking(F(awayFromTarget)), "never reaches the goal");

        var noUpdate = WithUpdate((_, _, _, _, _, _, _, _) => { });
        FailsWithHint(Check.QLearningEpisode(F(noUpdate)), "Q did not change");
        FailsWithHint(Check.QLearningCliffWalking(F(noUpdate)), "never reaches the goal");

        Episode discounted = (environment, q, epsilon, alpha, gamma, rng) =>
        {
            double undiscounted = StudentSolutions.QLearningEpisode(environment, q, epsilon, alpha, gamma, rng);
            return undiscounted * gamma;
        };
        var report = Check.QLearningEpisode(F(discounted));
        Assert.Equal(CheckStatus.Failed, report.Status);
        Assert.Contains("return", report.Failures[0].Expected);
    }

    [Fact]
    public void A_loop_that_stops_early_resets_twice_or_is_not_greedy_at_epsilon_0_fails_and_says_why()
    {
        Episode oneStep = (environment, q, epsilon, alpha, gamma, rng) =>
        {
            int s = environment.Reset().Observation;
            int a = EpsilonGreedy.Choose(QTable.Row(q, s).ToArray(), epsilon, rng);
            var step = environment.Step(a);
            QLearning.Update(q, s, a, step.Reward, step.Observation, step.Terminated, alpha, gamma);
            return step.Reward;
        };
        var report = Check.QLearningEpisode(F(oneStep));
        Assert.Equal(CheckStatus.Failed, report.Status);
        Assert.Contains(report.Failures, f => f.Got.Contains("before the environment ended it"));

        Episode twice = (environment, q, epsilon, alpha, gamma, rng) =>
        {
            environment.Reset();
            return StudentSolutions.QLearningEpisode(environment, q, epsilon, alpha, gamma, rng);
        };
        Assert.Contains("2 resets", Check.QLearningEpisode(F(twice)).Failures[0].Got);

        Episode neverMoves = (environment, q, epsilon, alpha, gamma, rng) =>   // chooses from the start state every time (no S ← S')
        {
            int start = environment.Reset().Observation;
            double total = 0;
            while (true)
            {
                int a = EpsilonGreedy.Choose(QTable.Row(q, start).ToArray(), epsilon, rng);
                var step = environment.Step(a);
                QLearning.Update(q, start, a, step.Reward, step.Observation, step.Terminated, alpha, gamma);
                total += step.Reward;
                if (step.Done) return total;
            }
        };
        report = Check.QLearningEpisode(F(neverMoves));
        Assert.Equal(CheckStatus.Failed, report.Status);

        Episode neverExplores = (environment, q, _, alpha, gamma, rng) => StudentSolutions.QLearningEpisode(environment, q, 0, alpha, gamma, rng);
        report = Check.QLearningEpisode(F(neverExplores));
        Assert.Equal(CheckStatus.Failed, report.Status);
        Assert.Contains(report.Failures, f => f.Got.Contains("ignores ε"));

        // A wrong update with ε = 0 is reported as a wrong table, not as a non-greedy choice (its own Q differs from the replay's).
        var awayFromTarget = WithUpdate((q, s, a, r, next, step, alpha, gamma) => StudentSolutions.QLearningUpdateAwayFromTarget(q, s, a, r, next, step.Terminated, alpha, gamma));
        report = Check.QLearningEpisode(F(awayFromTarget));
        Assert.DoesNotContain(report.Failures, f => f.Got.Contains("choose in Q(S, ·)"));
    }

    [Fact]
    public void The_grader_judges_the_outcome_by_evaluating_the_table_itself()
    {
        // An optimal table written by hand (the greedy path along the cliff) passes; the same numbers with the path
        // pointing off the cliff fail, whatever the notebook printed.
        var cliff = new CliffWalking();
        var optimal = new double[48, 4];
        for (int s = 0; s < 48; s++)
        {
            var (row, column) = cliff.PositionOf(s);
            int best = row == 3 ? 0 : column == 11 ? 2 : 1;                   // CliffWalking's actions: 0 up, 1 right, 2 down, 3 left
            optimal[s, best] = 1;
        }
        var answers = new JsonArray(Enumerable.Range(0, 3).Select(_ => (JsonNode)new JsonObject { ["v"] = Answers.Encode(optimal) }).ToArray()).ToJsonString();
        Assert.Equal("passed", JsonNode.Parse(CheckRegistry.Evaluate("QLearningCliffWalking", 7, false, answers))!["status"]!.GetValue<string>());
        var offTheCliff = (double[,])optimal.Clone();
        offTheCliff[cliff.StateAt(2, 3), 1] = 0;
        offTheCliff[cliff.StateAt(2, 3), 2] = 1;                              // down into the cliff
        answers = new JsonArray(Enumerable.Range(0, 3).Select(_ => (JsonNode)new JsonObject { ["v"] = Answers.Encode(offTheCliff) }).ToArray()).ToJsonString();
        var failed = JsonNode.Parse(CheckRegistry.Evaluate("QLearningCliffWalking", 7, false, answers))!;
        Assert.Equal("failed", failed["status"]!.GetValue<string>());
        var wrongShape = new JsonArray(Enumerable.Range(0, 3).Select(_ => (JsonNode)new JsonObject { ["v"] = Answers.Encode(new double[16, 4]) }).ToArray()).ToJsonString();
        Assert.Contains("48 states × 4 actions", CheckRegistry.Evaluate("QLearningCliffWalking", 7, false, wrongShape));
    }

    static void FailsWithHint(CheckReport report, string hint)
    {
        Assert.Equal(CheckStatus.Failed, report.Status);
        Assert.NotEmpty(report.Failures);
        Assert.True(report.Hint?.Contains(hint) == true, $"hint: {report.Hint}\n{report}");
    }
}
