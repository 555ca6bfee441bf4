using CourseLib.ActorCritic;
using CourseLib.Environments;
using CourseLib.Training;
using Xunit.Abstractions;

namespace CourseLib.Tests.ActorCritic;

public class A3CTests(ITestOutputHelper output)
{
    [Trait("Category", "learning")]
    [Fact]
    public void The_policy_returned_after_stopping_at_475_within_100k_steps_scores_475_on_20_fresh_episodes_in_6_of_seeds_0_to_11()
    {
        // CartPole-v1's bar (475 of 500), on the policy A3C returns: training evaluates the greedy policy every 5,000 steps
        // on 20 episodes (seeds 10,000+) and stops at the first mean ≥ 475, returning that copy; the copy must then score
        // ≥ 475 on 20 start states the stopping rule never saw (seeds 20,000+). Not bit-exact (the workers interleave as
        // the OS schedules them), hence k of n, half of the seeds as for A2C; each run uses both cores (2 workers), so the
        // seeds run one after another. Measured here (benchmarks' --a3c-seeds 100000 12 stop=475, seeds 0-11 and first=12,
        // and this test once): 27 of 36 seed runs passed (p ≈ 0.75; the others stopped at 475-480 and scored 445-474 on
        // the fresh episodes, or never reached 475). At that rate 6 of 12 fail by chance about once in seventy runs (p = 0.7:
        // once in twenty-five); a learner that gets there on half its seeds passes six times in ten.
        // Without stopping, the final weights of 200k steps are no such policy: 3 of seeds 0-7 reached 475 (--a3c-seeds
        // 200000 8: 202, 296, 498, 215, 181, 489, 500, 147), which is why the test asserts the returned checkpoint. Waiting
        // for a mean over 40 evaluation episodes (episodes=40) did not help: 6 of 12.
        var started = System.Diagnostics.Stopwatch.StartNew();
        var lines = new List<string>();
        int good = 0;
        for (int seed = 0; seed < 12; seed++)
        {
            var result = A3C.TrainCartPole(new A3COptions
            {
                Workers = 2, Seed = seed, TotalSteps = 100_000,
                Evaluation = new EvaluationOptions { EverySteps = 5_000, StopAtMeanReturn = 475 },
            });
            Assert.True(result.Steps <= 100_000 + 2 * 20);
            Assert.True(result.Agent.AllParametersFinite());
            Assert.Equal([0, 1], result.History.Select(u => u.Worker).Distinct().Order());
            var greedy = result.Agent.Snapshot();
            bool stopped = result.SolvedAtStep is not null;
            if (stopped)
            {
                // Two workers may evaluate at once: the returned network is the copy whose evaluation reached 475 first.
                var reached = result.Evaluations.Single(e => e.Step == result.SolvedAtStep && e.MeanReturn >= 475);
                Assert.Equal(reached.Returns, Evaluation.Run(new CartPole(), greedy.GreedyAction, new EvaluationOptions()).Returns);
            }
            var fresh = Evaluation.Run(new CartPole(), greedy.GreedyAction, episodes: 20, seed: 20_000).MeanReturn;
            if (stopped && fresh >= 475) good++;
            lines.Add($"seed {seed}: {(stopped ? $"stopped at {result.SolvedAtStep:N0} steps" : "never reached 475")}, fresh {fresh:0.0}");
            output.WriteLine($"{lines[^1]}, {started.Elapsed.TotalSeconds:0.0} s");
            result.Agent.Dispose();
        }
        Assert.True(good >= 6, $"{good} of seeds 0-11 stopped at 475 within 100k steps and scored ≥ 475 on 20 fresh episodes; 6 needed ({string.Join("; ", lines)})");
    }

    [Trait("Category", "unit")]
    [Fact]
    public void One_worker_is_deterministic()
    {
        // With one worker nothing interleaves: the same seed gives the same run, update for update.
        var options = new A3COptions { Workers = 1, Seed = 4, TotalSteps = 3_000, Evaluation = new EvaluationOptions { EverySteps = 1_000, Episodes = 5 } };
        var first = A3C.TrainCartPole(options);
        var second = A3C.TrainCartPole(options);
        Assert.Equal(first.Episodes, second.Episodes);
        Assert.Equal(first.History, second.History);
        Assert.Equal(first.Evaluations.Select(e => (e.Step, e.Returns)), second.Evaluations.Select(e => (e.Step, e.Returns)));
        Assert.Equal(3, first.Evaluations.Count);   // the first update at or past 1,000, 2,000 and 3,000 shared steps
        Assert.Equal(new ActorCriticWeights(first.Agent).Values, new ActorCriticWeights(second.Agent).Values);
    }

    [Trait("Category", "unit")]
    [Fact]
    public void Every_worker_contributes_steps_episodes_and_updates()
    {
        var result = A3C.TrainCartPole(new A3COptions { TotalSteps = 4_000, Workers = 3, Seed = 2 });
        var episodes = result.Episodes;
        // A worker that starts a segment (t_max = 20 steps) just before the budget runs out finishes it.
        Assert.InRange(result.Steps, 4_000, 4_000 + 3 * 20);
        // Each update names the worker whose gradient it applied; the updates are numbered in the order they were applied.
        Assert.Equal([0, 1, 2], result.History.Select(u => u.Worker).Distinct().Order());
        Assert.True(result.History.Count >= 4_000 / 20, "a worker updates at least every t_max steps");
        Assert.Equal(Enumerable.Range(1, result.History.Count).Select(i => (long)i), result.History.Select(u => u.Update));
        // Every step belongs to a finished episode or to one of the three still running (at most 500 steps each).
        Assert.InRange(episodes.Sum(e => e.Length), result.Steps - 3 * 500, result.Steps);
        Assert.Equal(episodes.Select(e => e.Step).Order(), episodes.Select(e => e.Step));   // in the order they ended
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
        Assert.Equal("Workers", Assert.Throws<ArgumentOutOfRangeException>(() => new A3COptions { Workers = 65 }.Validate()).ParamName);
        Assert.Equal("StepsPerUpdate", Assert.Throws<ArgumentOutOfRangeException>(() => A3C.TrainCartPole(new A3COptions { StepsPerUpdate = 0 })).ParamName);
        Assert.Equal("Discount", Assert.Throws<ArgumentOutOfRangeException>(() => new A3COptions { Discount = -0.1 }.Validate()).ParamName);
        foreach (var learningRate in new[] { 0, double.PositiveInfinity, double.NaN })
            Assert.Equal("LearningRate", Assert.Throws<ArgumentOutOfRangeException>(() => A3C.TrainCartPole(new A3COptions { LearningRate = learningRate })).ParamName);
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
