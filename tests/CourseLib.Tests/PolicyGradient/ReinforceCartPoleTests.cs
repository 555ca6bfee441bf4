using CourseLib.Environments;
using CourseLib.PolicyGradient;
using CourseLib.Training;
using static TorchSharp.torch;

namespace CourseLib.Tests.PolicyGradient;

public class ReinforceCartPoleTests
{
    /// <summary>
    /// Plain REINFORCE (the defaults) within 250,000 steps, evaluated greedily every 10,000 steps on 20 episodes and
    /// stopped at a mean of 475; the stopped policy then plays 20 fresh episodes. Measured on the course machine
    /// (benchmarks' --reinforce-seeds 150000 40 every=10000 stop=475, seeds 0–39): all 40 seeds stopped, the latest after
    /// 132,883 steps, and scored 448.8–500 on the fresh episodes. Asked here: 5 of seeds 0–5 stop and keep ≥ 425. (The final
    /// policy after a fixed 250,000 steps is no claim to make: it scored ≥ 475 in only 13 of seeds 0–19, seed 0 231, as
    /// plain REINFORCE's policy swings between updates; seed 0 alone once passed on another CPU and fails here.)
    /// </summary>
    [Trait("Category", "learning")]
    [Fact]
    public void Plain_REINFORCE_reaches_a_greedy_mean_of_475_over_20_episodes_within_250000_steps_in_5_of_seeds_0_to_5_and_keeps_425_on_fresh_episodes()
    {
        var seeds = Enumerable.Range(0, 6).ToArray();
        var outcomes = new (long? StoppedAt, double Fresh)[seeds.Length];
        using (TorchThreads.One())   // one libtorch thread for both parallel runs (the runs' own scopes then never switch it back)
            Parallel.For(0, seeds.Length, new ParallelOptions { MaxDegreeOfParallelism = 2 }, i =>
            {
                var options = new ReinforceOptions { Seed = seeds[i], TotalSteps = 250_000, Evaluation = StopAt475 };
                var result = Reinforce.Train(new CartPole(), options, evaluationEnvironment: new CartPole());
                using var policy = result.Agent;
                Assert.True(result.Steps <= 250_000);
                outcomes[i] = (result.SolvedAtStep, Evaluation.Run(new CartPole(), policy.Greedy, new EvaluationOptions { Episodes = 20, Seed = 20_000 }).MeanReturn);
            });
        int good = outcomes.Count(o => o.StoppedAt != null && o.Fresh >= 425);
        Assert.True(good >= 5, "seeds 0–5, at most 250,000 steps, stop at a greedy mean of 475 (20 episodes every 10,000 steps), then ≥ 425 on 20 fresh episodes; " +
            $"{good} of 6 did (5 needed): " + string.Join("; ", outcomes.Select((o, i) => $"seed {seeds[i]}: {(o.StoppedAt is { } at ? $"stopped at {at:N0}" : "never reached 475")}, fresh {o.Fresh:F1}")));
    }

    static readonly EvaluationOptions StopAt475 = new() { EverySteps = 10_000, Episodes = 20, Seed = 10_000, StopAtMeanReturn = 475 };

    [Trait("Category", "unit")]
    [Fact]
    public void The_same_seed_gives_the_same_run()
    {
        var options = new ReinforceOptions { StepsPerUpdate = 1000, HiddenSizes = [16], TotalSteps = 5_000, Seed = 3 };
        var a = Reinforce.Train(new CartPole(), options);
        var b = Reinforce.Train(new CartPole(), options);
        var c = Reinforce.Train(new CartPole(), options with { Seed = 4 });
        Assert.Equal(a.History, b.History);
        Assert.Equal(a.Episodes, b.Episodes);
        Assert.NotEqual(a.History, c.History);
        Assert.Equal(5_000, a.Steps);
        Assert.Equal(5_000, a.History[^1].Steps);
    }

    [Trait("Category", "unit")]
    [Fact]
    public void The_result_records_every_finished_training_episode()
    {
        var result = Reinforce.Train(new CartPole(), new ReinforceOptions { StepsPerUpdate = 1000, TotalSteps = 3_000, Seed = 2 });
        Assert.NotEmpty(result.Episodes);
        // CartPole pays 1 per step: an episode's return is its length; episodes end in order, inside the budget.
        Assert.All(result.Episodes, e => Assert.Equal(e.Length, e.Return));
        Assert.Equal(result.Episodes.OrderBy(e => e.Step), result.Episodes);
        Assert.True(result.Episodes[^1].Step <= result.Steps);
        // Only the episode cut by the budget is missing: the finished ones add up to the steps up to the last one's end.
        Assert.Equal(result.Episodes[^1].Step, result.Episodes.Sum(e => (long)e.Length));
        Assert.Empty(result.Evaluations);
        Assert.Null(result.SolvedAtStep);
    }

    [Trait("Category", "unit")]
    [Fact]
    public void Evaluations_run_on_the_evaluation_environment_and_stop_training_at_the_threshold()
    {
        var schedule = new EvaluationOptions { EverySteps = 1_000, Episodes = 3, Seed = 7, StopAtMeanReturn = 1 };
        var options = new ReinforceOptions { StepsPerUpdate = 500, TotalSteps = 10_000, Seed = 1, Evaluation = schedule };
        var stopped = Reinforce.Train(new CartPole(), options, evaluationEnvironment: new CartPole());
        // Any policy balances the pole for at least one step: the first evaluation (after 1,000 steps) stops training.
        var evaluation = Assert.Single(stopped.Evaluations);
        Assert.Equal(stopped.SolvedAtStep, evaluation.Step);
        Assert.InRange(stopped.Steps, 1_000, 1_500);
        Assert.Equal(3, evaluation.Returns.Length);
        // The evaluation is the greedy policy's, from the schedule's seeds.
        Assert.Equal(Evaluation.Run(new CartPole(), stopped.Agent.Greedy, schedule).Returns, evaluation.Returns);

        // Without a stopping return, evaluations fall due every 1,000 steps and change nothing about training.
        var plain = Reinforce.Train(new CartPole(), options with { Evaluation = EvaluationOptions.None });
        var evaluated = Reinforce.Train(new CartPole(), options with { Evaluation = schedule with { StopAtMeanReturn = null } }, evaluationEnvironment: new CartPole());
        Assert.Equal(plain.History, evaluated.History);
        Assert.Equal(10, evaluated.Evaluations.Count);
        Assert.Equal("evaluationEnvironment", Assert.Throws<ArgumentException>(() => Reinforce.Train(new CartPole(), options)).ParamName);
    }

    [Trait("Category", "unit")]
    [Fact]
    public void Every_option_runs_and_the_history_records_each_update()
    {
        var options = new ReinforceOptions
        {
            StepsPerUpdate = 1, EpisodesPerUpdate = 4, Discount = 0.99, RewardToGo = false, Baseline = Baseline.LearnedValue,
            NormalizeAdvantages = true, EntropyCoefficient = 0.01, HiddenSizes = [8, 8], Activation = MlpActivation.Relu,
        };
        var result = Reinforce.Train(new CartPole(), options with { TotalSteps = 2_000, Seed = 1 });
        Assert.All(result.History, h => Assert.True(h.Episodes >= 4 || h.Steps == 2_000));
        Assert.All(result.History, h => Assert.InRange(h.Entropy, 0, Math.Log(2) + 1e-6));
        Assert.Equal(Enumerable.Range(1, result.History.Count), result.History.Select(h => h.Update));
        Assert.Equal(2_000, result.Steps);
    }

    [Trait("Category", "unit")]
    [Fact]
    public void A_NaN_reward_stops_training_with_a_message_naming_the_update()
    {
        var environment = new RewardOverride(new CartPole(), stepIndex => stepIndex == 1500 ? double.NaN : 1.0);
        var e = Assert.Throws<InvalidOperationException>(() =>
            Reinforce.Train(environment, new ReinforceOptions { StepsPerUpdate = 1000, TotalSteps = 10_000 }));
        Assert.Contains("update 2", e.Message);
        Assert.Contains("NaN", e.Message);
    }

    [Trait("Category", "unit")]
    [Fact]
    public void An_absurd_learning_rate_stops_training_with_a_message_naming_the_update()
    {
        const double learningRate = 1e38; // weights overflow float on the first Adam step
        var e = Assert.Throws<InvalidOperationException>(() =>
            Reinforce.Train(new CartPole(), new ReinforceOptions { StepsPerUpdate = 500, LearningRate = learningRate, TotalSteps = 20_000 }));
        Assert.Matches(@"REINFORCE update \d+: ", e.Message);
    }

    [Trait("Category", "unit")]
    [Fact]
    public void Training_can_be_cancelled_between_updates()
    {
        using var cancellation = new CancellationTokenSource();
        var environment = new RewardOverride(new CartPole(), stepIndex =>
        {
            if (stepIndex == 3000) cancellation.Cancel();
            return 1.0;
        });
        var options = new ReinforceOptions { StepsPerUpdate = 1000, TotalSteps = 100_000 };
        Assert.ThrowsAny<OperationCanceledException>(() => Reinforce.Train(environment, options, cancellationToken: cancellation.Token));
        Assert.InRange(environment.Steps, 3000, 4500);
    }

    [Trait("Category", "unit")]
    [Fact]
    public void A_saved_policy_loads_with_identical_action_probabilities()
    {
        var result = Reinforce.Train(new CartPole(), new ReinforceOptions { StepsPerUpdate = 1000, HiddenSizes = [32, 16], TotalSteps = 3_000, Seed = 5 });
        var path = Path.Combine(Path.GetTempPath(), $"policy-{Guid.NewGuid():N}.bin");
        try
        {
            result.Agent.Save(path);
            using var loaded = CategoricalPolicy.Load(path);
            Assert.Equal(result.Agent.Network.LayerSizes, loaded.Network.LayerSizes);
            var rng = new Rng(9);
            for (int i = 0; i < 50; i++)
            {
                float[] x = [(float)rng.Uniform(-2, 2), (float)rng.Uniform(-2, 2), (float)rng.Uniform(-0.2, 0.2), (float)rng.Uniform(-2, 2)];
                Assert.Equal(result.Agent.Probabilities(x), loaded.Probabilities(x));
            }
        }
        finally { File.Delete(path); }
    }

    [Trait("Category", "unit")]
    [Fact]
    public void Loading_something_that_is_not_a_policy_fails_clearly()
    {
        var path = Path.Combine(Path.GetTempPath(), $"not-a-policy-{Guid.NewGuid():N}.bin");
        File.WriteAllText(path, "hello");
        try { Assert.Throws<InvalidDataException>(() => CategoricalPolicy.Load(path)); }
        finally { File.Delete(path); }
        Assert.Throws<FileNotFoundException>(() => CategoricalPolicy.Load(path));
    }

    [Trait("Category", "unit")]
    [Fact]
    public void The_plain_CSharp_forward_pass_agrees_with_torch()
    {
        foreach (var activation in new[] { MlpActivation.Tanh, MlpActivation.Relu })
        {
            using var network = new Mlp(13, [40, 7], 5, activation, seed: 2);
            var forward = new MlpForward(network);
            var rng = new Rng(1);
            var x = Enumerable.Range(0, 13).Select(_ => (float)rng.Uniform(-3, 3)).ToArray();
            using var fromTorch = network.forward(tensor(x).reshape(1, 13));
            var expected = fromTorch.data<float>().ToArray();
            var actual = forward.Forward(x).ToArray();
            for (int i = 0; i < 5; i++) Assert.Equal(expected[i], actual[i], 4);
        }
    }

    [Trait("Category", "unit")]
    [Fact]
    public void Options_outside_their_range_are_rejected_by_name()
    {
        void Rejects(ReinforceOptions options, string name) =>
            Assert.Equal(name, Assert.Throws<ArgumentOutOfRangeException>(() => Reinforce.Train(new CartPole(), options with { TotalSteps = 100 })).ParamName);
        Rejects(new ReinforceOptions { Discount = 1.1 }, "Discount");
        Rejects(new ReinforceOptions { LearningRate = 0 }, "LearningRate");
        Rejects(new ReinforceOptions { LearningRate = double.PositiveInfinity }, "LearningRate");
        Rejects(new ReinforceOptions { LearningRate = double.NaN }, "LearningRate");
        Rejects(new ReinforceOptions { ValueLearningRate = double.PositiveInfinity }, "ValueLearningRate");
        Rejects(new ReinforceOptions { StepsPerUpdate = 0 }, "StepsPerUpdate");
        Rejects(new ReinforceOptions { EntropyCoefficient = -1 }, "EntropyCoefficient");
        Rejects(new ReinforceOptions { HiddenSizes = [0] }, "HiddenSizes");
        Rejects(new ReinforceOptions { Evaluation = new EvaluationOptions { Episodes = 0 } }, "Episodes");
        Assert.Equal("TotalSteps", Assert.Throws<ArgumentOutOfRangeException>(() => Reinforce.Train(new CartPole(), new ReinforceOptions { TotalSteps = 0 })).ParamName);
    }

    /// <summary>CartPole with its rewards replaced by a function of the overall step index (and a step counter).</summary>
    sealed class RewardOverride(CartPole inner, Func<int, double> reward) : IEnvironment<CartPoleObservation, int>
    {
        public int Steps { get; private set; }
        public Space<CartPoleObservation> ObservationSpace => inner.ObservationSpace;
        public Space<int> ActionSpace => inner.ActionSpace;
        public ResetResult<CartPoleObservation> Reset(int? seed = null) => inner.Reset(seed);
        public StepResult<CartPoleObservation> Step(int action) => inner.Step(action) with { Reward = reward(Steps++) };
    }
}
