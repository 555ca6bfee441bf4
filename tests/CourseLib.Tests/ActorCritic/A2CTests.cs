using CourseLib.ActorCritic;
using CourseLib.Environments;
using CourseLib.Training;
using Xunit.Abstractions;

namespace CourseLib.Tests.ActorCritic;

public class A2CTests(ITestOutputHelper output)
{
    /// <summary>
    /// Trains A2C on CartPole for each seed, two seeds at a time (one per core; each run is single-threaded and
    /// deterministic), and scores the final greedy policy on 20 episodes (seeds 10,000+) and 20 fresh ones (20,000+).
    /// </summary>
    static (double Mean, double Fresh, long Steps)[] FinalPolicies(int[] seeds, Func<int, A2COptions> options,
        Func<double[], double[], double[], bool[], bool[], double, double, double[]>? gae = null)
    {
        var outcomes = new (double Mean, double Fresh, long Steps)[seeds.Length];
        using var threads = TorchThreads.One();   // process-wide: the two runs' own scopes then have nothing to restore, so they cannot race
        Parallel.For(0, seeds.Length, new ParallelOptions { MaxDegreeOfParallelism = 2 }, k =>
        {
            var result = A2C.TrainCartPole(options(seeds[k]), gae);
            var greedy = result.Agent.Snapshot();
            outcomes[k] = (Evaluation.Run(new CartPole(), greedy.GreedyAction, episodes: 20).MeanReturn,
                           Evaluation.Run(new CartPole(), greedy.GreedyAction, episodes: 20, seed: 20_000).MeanReturn, result.Steps);
            result.Agent.Dispose();
        });
        return outcomes;
    }

    static string Describe(int[] seeds, (double Mean, double Fresh, long Steps)[] outcomes) =>
        string.Join("; ", seeds.Zip(outcomes).Select(p => $"seed {p.First}: {p.Second.Mean:0.0}/{p.Second.Fresh:0.0}"));

    [Trait("Category", "learning")]
    [Fact]
    public void The_final_policy_after_300k_steps_scores_475_on_20_and_20_fresh_episodes_in_3_of_seeds_0_to_5()
    {
        // SB3-style learning test without stop-at-threshold: default settings, the whole budget, then the final greedy
        // policy on 20 episodes and on 20 others. Measured here (this test, and benchmarks' --a2c-seeds 300000 6 first=6
        // parallel=2): seeds 0-5 ended at 432/461, 500, 500, 500, 117/114, 500 and seeds 6-11 at 500 except seed 11 (131):
        // 9 of 12 reach 475+ on both sets (another machine: 12 of seeds 0-15). At p = 0.75, 3 of 6 fail by chance about
        // 4 times in a hundred; a setting that reaches 475 on a third of its seeds passes one time in three.
        var seeds = Enumerable.Range(0, 6).ToArray();
        var outcomes = FinalPolicies(seeds, seed => new A2COptions { Seed = seed, TotalSteps = 300_000 });
        output.WriteLine(Describe(seeds, outcomes));
        Assert.All(outcomes, o => Assert.Equal(300_000 / 128 * 128, o.Steps));   // the whole budget, in updates of 8 environments × 16 steps
        int good = outcomes.Count(o => o.Mean >= 475 && o.Fresh >= 475);
        Assert.True(good >= 3, $"{good} of seeds 0-5 scored ≥ 475 on both sets of 20 episodes after 300k steps; 3 needed ({Describe(seeds, outcomes)})");
    }

    [Trait("Category", "learning")]
    [Fact]
    public void A_Gae_that_runs_forwards_never_learns_where_the_right_one_reaches_200_within_50k_steps_on_seeds_0_to_3()
    {
        // The right Gae (the notebook's solution) against a typical mistake, the recursion run forwards
        // (Â_t = δ_t + γλ·Â_{t−1}: each action is credited with the TD errors before it). Both train seeds 0-3 for 50k steps.
        // Measured here (--a2c-seeds 50000 4 parallel=2 gae=right, then first=4 with 8 seeds; the same with gae=forwards):
        // the right one's final greedy policy scored 255-495 on seeds 0-11 (every one ≥ 200 on both sets of 20 episodes),
        // the forwards one 9-22 (it learns to fall: the actions before a fall get its large negative TD error).
        var seeds = Enumerable.Range(0, 4).ToArray();
        A2COptions Options(int seed) => new() { Seed = seed, TotalSteps = 50_000 };
        var right = FinalPolicies(seeds, Options, GaeSolutions.Right);
        var forwards = FinalPolicies(seeds, Options, GaeSolutions.Forwards);
        output.WriteLine($"right: {Describe(seeds, right)}\nforwards: {Describe(seeds, forwards)}");
        int learned = right.Count(o => o.Mean >= 200 && o.Fresh >= 200);
        Assert.True(learned >= 3, $"the right Gae: {learned} of seeds 0-3 scored ≥ 200 on both sets of 20 episodes after 50k steps; 3 needed ({Describe(seeds, right)})");
        Assert.True(forwards.All(o => o.Mean < 200 && o.Fresh < 200),
            $"the forwards Gae should fail the 200 that the right one reaches after 50k steps on every one of seeds 0-3 ({Describe(seeds, forwards)})");
    }

    [Trait("Category", "unit")]
    [Fact]
    public void A_right_Gae_reproduces_the_reference_run_exactly_and_a_stub_trains_with_the_reference()
    {
        var options = new A2COptions { TotalSteps = 4_000, Seed = 3, Evaluation = new EvaluationOptions { EverySteps = 2_000, Episodes = 3 } };
        var reference = A2C.TrainCartPole(options);
        var right = A2C.TrainCartPole(options, GaeSolutions.Right);
        var stub = A2C.TrainCartPole(options, (r, v, n, term, trunc, g, l) => throw new NotImplementedException());
        var wrong = A2C.TrainCartPole(options, GaeSolutions.BootstrapsTerminal);
        foreach (var other in new[] { right, stub })
        {
            Assert.Equal(reference.Episodes, other.Episodes);
            Assert.Equal(reference.History, other.History);
            Assert.Equal(reference.Evaluations.Select(e => e.Returns), other.Evaluations.Select(e => e.Returns));
            Assert.Equal(Weights(reference.Agent), Weights(other.Agent));
        }
        // A wrong Gae is used as written: the run departs from the reference at the first update whose rollout saw a termination.
        Assert.NotEqual(reference.History, wrong.History);
    }

    static float[] Weights(ActorCriticNetwork network) =>
        network.parameters().SelectMany(p => p.data<float>().ToArray()).ToArray();

    [Trait("Category", "unit")]
    [Fact]
    public void A_Gae_that_returns_the_wrong_length_is_named()
    {
        var error = Assert.Throws<InvalidOperationException>(() =>
            A2C.TrainCartPole(new A2COptions { TotalSteps = 1_000 }, (r, v, n, term, trunc, g, l) => new double[r.Length + 1]));
        Assert.Contains("Gae returned 17 advantages for a rollout of 16 steps", error.Message);
    }

    [Trait("Category", "learning")]
    [Fact]
    public void Stop_at_threshold_returns_the_policy_that_reached_it()
    {
        var result = A2C.TrainCartPole(new A2COptions
            { Seed = 0, TotalSteps = 300_000, Evaluation = new EvaluationOptions { EverySteps = 10_000, StopAtMeanReturn = 300 } });
        var last = result.Evaluations[^1];
        // The stopping rule, not a learning claim: seed 0 reaches 300 long before its 300k-step budget.
        Assert.True(last.MeanReturn >= 300, $"seed 0, evaluations every 10k of 300k steps, stop at 300: the last evaluation scored {last.MeanReturn:0.0}");
        Assert.True(result.Steps < 300_000, "seed 0 did not stop before its 300k-step budget (stop at a mean of 300 over 20 episodes)");
        Assert.Equal(last.Step, result.SolvedAtStep);
        // The returned network is the one evaluated: the same 20 start states give the same returns.
        Assert.Equal(last.Returns, Evaluation.Run(new CartPole(), result.Agent.Snapshot().GreedyAction, new EvaluationOptions()).Returns);
    }

    [Trait("Category", "unit")]
    [Fact]
    public void Same_seed_same_run()
    {
        var options = new A2COptions { TotalSteps = 3_000, Seed = 5, Evaluation = new EvaluationOptions { EverySteps = 1_000, Episodes = 5 } };
        var first = A2C.TrainCartPole(options);
        var second = A2C.TrainCartPole(options);
        Assert.Equal(first.Episodes, second.Episodes);
        Assert.Equal(first.History, second.History);
        Assert.Equal(first.Evaluations.Select(e => (e.Step, e.Returns)), second.Evaluations.Select(e => (e.Step, e.Returns)));
        Assert.Equal(3_000 / 128 * 128, first.Steps);   // whole updates of 8 environments × 16 steps
        Assert.Equal(3_000 / 128, first.History.Count);
        Assert.Equal(Enumerable.Range(1, first.History.Count).Select(i => (long)i), first.History.Select(u => u.Update));
        Assert.All(first.History, u => Assert.Equal(0, u.Worker));
        Assert.Equal([1024, 2048, 2944], first.Evaluations.Select(e => e.Step));   // every 1000 steps, and at the end
        Assert.All(first.Evaluations, e => Assert.Equal(5, e.Returns.Length));
        Assert.Null(first.SolvedAtStep);
        Assert.True(first.Episodes.Count > 50, "3000 steps of a near-random policy are well over 50 episodes");
    }

    [Trait("Category", "unit")]
    [Fact]
    public void A_nan_reward_stops_training_naming_the_update()
    {
        var error = Assert.Throws<InvalidOperationException>(() =>
            A2C.Train(_ => new NanRewardAfter(40), new A2COptions { TotalSteps = 10_000, Environments = 2, StepsPerUpdate = 8 }));
        Assert.Contains("A2C update 5", error.Message);   // each update takes 8 steps per environment: steps 33..40 are the fifth
        Assert.Contains("NaN", error.Message);
    }

    [Trait("Category", "unit")]
    [Fact]
    public void Cancellation_stops_training()
    {
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => A2C.TrainCartPole(new A2COptions { TotalSteps = 1_000 }, cancellationToken: cancelled.Token));
    }

    [Trait("Category", "unit")]
    [Theory]
    [InlineData(-1)]
    [InlineData(0)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(double.NaN)]
    public void A_learning_rate_must_be_finite_and_positive(double learningRate)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => A2C.TrainCartPole(new A2COptions { LearningRate = learningRate }));
        Assert.Equal("LearningRate", error.ParamName);
        Assert.Contains("finite number > 0", error.Message);
    }

    [Trait("Category", "unit")]
    [Fact]
    public void Bad_options_are_named()
    {
        static string? Named(A2COptions options) => Assert.ThrowsAny<ArgumentException>(options.Validate).ParamName;
        Assert.Equal("Lambda", Named(new A2COptions { Lambda = 1.2 }));
        Assert.Equal("Discount", Named(new A2COptions { Discount = 1.01 }));
        Assert.Equal("Discount", Named(new A2COptions { Discount = double.NaN }));
        Assert.Equal("Environments", Named(new A2COptions { Environments = 0 }));
        Assert.Equal("HiddenSizes", Named(new A2COptions { HiddenSizes = [0] }));
        Assert.Equal("MaxGradientNorm", Named(new A2COptions { MaxGradientNorm = 0 }));
        Assert.Equal("EntropyCoefficient", Named(new A2COptions { EntropyCoefficient = double.PositiveInfinity }));
        Assert.Equal("Evaluation", Named(new A2COptions { Evaluation = null! }));
        Assert.Equal("StopAtMeanReturn", Named(new A2COptions { Evaluation = new EvaluationOptions { StopAtMeanReturn = 475 } }));
    }

    /// <summary>CartPole whose reward turns NaN from its <paramref name="step"/>-th step on (counting across episodes).</summary>
    sealed class NanRewardAfter(int step) : IEnvironment<CartPoleObservation, int>
    {
        readonly CartPole _inner = new();
        int _steps;
        public Space<CartPoleObservation> ObservationSpace => _inner.ObservationSpace;
        public Space<int> ActionSpace => _inner.ActionSpace;
        public ResetResult<CartPoleObservation> Reset(int? seed = null) => _inner.Reset(seed);
        public StepResult<CartPoleObservation> Step(int action)
        {
            var result = _inner.Step(action);
            return ++_steps >= step ? result with { Reward = double.NaN } : result;
        }
    }
}
