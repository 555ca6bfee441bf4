using CourseLib.ActorCritic;
using CourseLib.Environments;
using Xunit.Abstractions;

namespace CourseLib.Tests.ActorCritic;

public class A3CTests(ITestOutputHelper output)
{
    [Trait("Category", "learning")]
    [Fact]
    public void Two_workers_stop_at_475_within_100k_steps_and_the_returned_policy_scores_450_on_20_fresh_episodes_in_14_of_seeds_0_to_23()
    {
        // CartPole-v1's bar (475 of 500), on the policy A3C returns: training evaluates the greedy policy every 5,000 steps
        // on 20 episodes and stops at the first mean ≥ 475, returning that copy. The first evaluation over the bar is a
        // selected, lucky one, so the copy is checked on 20 start states the stopping rule never saw (seed 20,000), where
        // it scores a little less. Not bit-exact (the workers interleave as the OS schedules them), hence k of n.
        // Measured on a quiet 2-core machine (benchmarks' --a3c-seeds 100000 12 stop=475, three times): 29 of 36 seed runs
        // stopped and scored 450+ on the fresh episodes (p ≈ 0.81; under heavy load 17 of 18). Six seeds needing 4 failed
        // by chance about one run in eleven (seen here once in three runs), so: 24 seeds, 14 needed. At p = 0.81 that fails
        // by chance 3 times in a thousand; a learner that gets there on half its seeds passes about one time in four.
        // The final policy after the default 200k steps without stopping does not hold 475 (seeds 0 and 1: 245 and 136,
        // --a3c-seeds 200000), which is why this test asserts the returned checkpoint, not the last weights.
        var started = System.Diagnostics.Stopwatch.StartNew();
        var lines = new List<string>();
        int good = 0;
        for (int seed = 0; seed < 24; seed++)
        {
            var result = A3C.TrainCartPole(new A3COptions { Workers = 2, Seed = seed, TotalSteps = 100_000, EvaluateEverySteps = 5_000, StopAtEvaluationReturn = 475 });
            Assert.True(result.Steps <= 100_000 + 2 * 20);
            Assert.True(result.Network.AllParametersFinite());
            Assert.Equal([0, 1], result.History.Episodes.Select(e => e.Worker).Distinct().Order());
            // Two workers may evaluate at the same time: the returned network is the copy that was evaluated at 475 or more.
            var reached = result.History.Evaluations.Where(e => e.MeanReturn >= 475).ToList();
            bool stopped = reached.Count > 0;
            if (stopped)
            {
                var again = ActorEvaluation.Returns(result.Network, new CartPole(), episodes: 20).Average();
                Assert.Contains(reached, e => Math.Abs(e.MeanReturn - again) < 1e-9);
            }
            var fresh = ActorEvaluation.Returns(result.Network, new CartPole(), episodes: 20, seed: 20_000).Average();
            if (stopped && fresh >= 450) good++;
            lines.Add($"seed {seed}: {(stopped ? $"stopped after {result.Steps:N0} steps" : "never reached 475")}, fresh {fresh:0.0}");
            output.WriteLine($"{lines[^1]}, {started.Elapsed.TotalSeconds:0.0} s");
            result.Network.Dispose();
        }
        Assert.True(good >= 14, $"{good} of 24 seeds stopped at 475 within 100k steps and scored ≥ 450 on 20 fresh episodes; 14 needed ({string.Join("; ", lines)})");
    }

    [Trait("Category", "unit")]
    [Fact]
    public void One_worker_is_deterministic()
    {
        // With one worker nothing interleaves: the same seed gives the same run, update for update.
        var options = new A3COptions { Workers = 1, Seed = 4, TotalSteps = 3_000, EvaluateEverySteps = 1_000 };
        var first = A3C.TrainCartPole(options);
        var second = A3C.TrainCartPole(options);
        Assert.Equal(first.History.Episodes, second.History.Episodes);
        Assert.Equal(first.History.Updates, second.History.Updates);
        Assert.Equal(first.History.Evaluations, second.History.Evaluations);
        Assert.Equal(new ActorCriticWeights(first.Network).Values, new ActorCriticWeights(second.Network).Values);
    }

    [Trait("Category", "unit")]
    [Fact]
    public void Every_worker_contributes_steps_episodes_and_updates()
    {
        var result = A3C.TrainCartPole(new A3COptions { TotalSteps = 4_000, Workers = 3, Seed = 2 });
        var episodes = result.History.Episodes;
        // A worker that starts a segment (t_max = 20 steps) just before the budget runs out finishes it.
        Assert.InRange(result.Steps, 4_000, 4_000 + 3 * 20);
        Assert.Equal([0, 1, 2], episodes.Select(e => e.Worker).Distinct().Order());
        // Every step belongs to a finished episode or to one of the three still running (at most 500 steps each).
        Assert.InRange(episodes.Sum(e => e.Length), result.Steps - 3 * 500, result.Steps);
        Assert.True(result.History.Updates.Count >= 4_000 / 20, "a worker updates at least every t_max steps");
        Assert.Equal(Enumerable.Range(1, result.History.Updates.Count).Select(i => (long)i), result.History.Updates.Select(u => u.Update));
    }

    [Trait("Category", "unit")]
    [Fact]
    public void A_nan_reward_stops_all_workers_naming_the_update()
    {
        var error = Assert.Throws<InvalidOperationException>(() =>
            A3C.Train(_ => new NanRewardEnvironment(), new A3COptions { TotalSteps = 50_000, Workers = 2 }));
        Assert.Matches(@"A3C update \d+ \(worker \d\)", error.Message);
        Assert.Contains("NaN", error.Message);
    }

    [Trait("Category", "unit")]
    [Fact]
    public void Cancellation_stops_the_workers()
    {
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        Assert.ThrowsAny<OperationCanceledException>(() => A3C.TrainCartPole(new A3COptions { TotalSteps = 50_000_000 }, cancellation.Token));
    }

    [Trait("Category", "unit")]
    [Fact]
    public void Bad_options_are_named()
    {
        Assert.Equal("Workers", Assert.Throws<ArgumentOutOfRangeException>(() => new A3COptions { Workers = 0 }.Validate()).ParamName);
        Assert.Equal("StepsPerUpdate", Assert.Throws<ArgumentOutOfRangeException>(() => A3C.TrainCartPole(new A3COptions { StepsPerUpdate = 0 })).ParamName);
    }

    sealed class NanRewardEnvironment : IEnvironment<CartPoleObservation, int>
    {
        readonly CartPole _inner = new();
        public Space<CartPoleObservation> ObservationSpace => _inner.ObservationSpace;
        public Space<int> ActionSpace => _inner.ActionSpace;
        public ResetResult<CartPoleObservation> Reset(int? seed = null) => _inner.Reset(seed);
        public StepResult<CartPoleObservation> Step(int action) => _inner.Step(action) with { Reward = double.NaN };
    }
}
