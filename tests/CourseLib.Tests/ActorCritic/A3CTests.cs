using CourseLib.ActorCritic;
using CourseLib.Environments;
using Xunit.Abstractions;

namespace CourseLib.Tests.ActorCritic;

public class A3CTests(ITestOutputHelper output)
{
    [Fact]
    public void Two_workers_learn_cartpole_to_195_within_100k_steps_every_time()
    {
        // Not bit-exact (the workers interleave as the OS schedules them), so the test repeats the run and the threshold is
        // CartPole-v0's "solved" mark, well below the budget: in 30 repeated runs of seed 0 (2 workers, benchmarks'
        // --a3c-stress 30 100000 --learn) every run passed it at the second or third evaluation (10k-15k steps of 100k).
        var started = System.Diagnostics.Stopwatch.StartNew();
        for (int repeat = 0; repeat < 3; repeat++)
        {
            var result = A3C.TrainCartPole(new A3COptions { Workers = 2, Seed = 0, TotalSteps = 100_000, EvaluateEverySteps = 5_000, StopAtEvaluationReturn = 195 });
            var best = result.History.Evaluations.MaxBy(e => e.MeanReturn);
            output.WriteLine($"run {repeat}: best greedy evaluation {best.MeanReturn:0.0} at {best.Step:N0} steps; {result.Steps:N0} steps, {result.History.Updates.Count} updates, {started.Elapsed.TotalSeconds:0.0} s");
            Assert.True(best.MeanReturn >= 195, $"run {repeat}: the best evaluation scored {best.MeanReturn:0.0}");
            Assert.True(result.Steps <= 100_000 + 2 * 20);
            Assert.True(result.Network.AllParametersFinite());
            // The returned network is one that was evaluated at 195 or more (the first to get there).
            var again = ActorEvaluation.Returns(result.Network, new CartPole(), episodes: 20).Average();
            Assert.Contains(result.History.Evaluations, e => e.MeanReturn >= 195 && Math.Abs(e.MeanReturn - again) < 1e-9);
            Assert.Equal([0, 1], result.History.Episodes.Select(e => e.Worker).Distinct().Order());
            result.Network.Dispose();
        }
    }

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

    [Fact]
    public void A_nan_reward_stops_all_workers_naming_the_update()
    {
        var error = Assert.Throws<InvalidOperationException>(() =>
            A3C.Train(_ => new NanRewardEnvironment(), new A3COptions { TotalSteps = 50_000, Workers = 2 }));
        Assert.Matches(@"A3C update \d+ \(worker \d\)", error.Message);
        Assert.Contains("NaN", error.Message);
    }

    [Fact]
    public void Cancellation_stops_the_workers()
    {
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        Assert.ThrowsAny<OperationCanceledException>(() => A3C.TrainCartPole(new A3COptions { TotalSteps = 50_000_000 }, cancellation.Token));
    }

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
