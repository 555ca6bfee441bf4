using CourseLib.Environments;
using CourseLib.PolicyGradient;
using static TorchSharp.torch;

namespace CourseLib.Tests.PolicyGradient;

public class ReinforceCartPoleTests
{
    [Trait("Category", "learning")]
    [Fact]
    public void Plain_REINFORCE_balances_CartPole_for_a_mean_of_at_least_475_over_20_episodes_within_250000_steps()
    {
        var result = Reinforce.Train(new CartPole(), new ReinforceOptions(), totalSteps: 250_000, seed: 0);
        Assert.True(result.TotalSteps <= 250_000);
        var returns = PolicyReturns.Measure(result.Policy, new CartPole(), episodes: 20, seed: 1000);
        Assert.True(returns.Average() >= 475, $"seed 0, 250k steps: mean return {returns.Average():F1} over 20 episodes, 475 needed; returns {string.Join(", ", returns)}");
    }

    [Trait("Category", "unit")]
    [Fact]
    public void The_same_seed_gives_the_same_run()
    {
        var options = new ReinforceOptions { StepsPerUpdate = 1000, HiddenSizes = [16] };
        var a = Reinforce.Train(new CartPole(), options, 5_000, seed: 3);
        var b = Reinforce.Train(new CartPole(), options, 5_000, seed: 3);
        var c = Reinforce.Train(new CartPole(), options, 5_000, seed: 4);
        Assert.Equal(a.History, b.History);
        Assert.NotEqual(a.History, c.History);
        Assert.Equal(5_000, a.TotalSteps);
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
        var result = Reinforce.Train(new CartPole(), options, 2_000, seed: 1);
        Assert.All(result.History, h => Assert.True(h.Episodes >= 4 || h.Steps == 2_000));
        Assert.All(result.History, h => Assert.InRange(h.Entropy, 0, Math.Log(2) + 1e-6));
        Assert.Equal(Enumerable.Range(1, result.History.Count), result.History.Select(h => h.Update));
        Assert.Equal(2_000, result.TotalSteps);
    }

    [Trait("Category", "unit")]
    [Fact]
    public void A_NaN_reward_stops_training_with_a_message_naming_the_update()
    {
        var environment = new RewardOverride(new CartPole(), stepIndex => stepIndex == 1500 ? double.NaN : 1.0);
        var e = Assert.Throws<InvalidOperationException>(() =>
            Reinforce.Train(environment, new ReinforceOptions { StepsPerUpdate = 1000 }, 10_000, seed: 0));
        Assert.Contains("update 2", e.Message);
        Assert.Contains("NaN", e.Message);
    }

    [Trait("Category", "unit")]
    [Fact]
    public void An_absurd_learning_rate_stops_training_with_a_message_naming_the_update()
    {
        const double learningRate = 1e38; // weights overflow float on the first Adam step
        var e = Assert.Throws<InvalidOperationException>(() =>
            Reinforce.Train(new CartPole(), new ReinforceOptions { StepsPerUpdate = 500, LearningRate = learningRate }, 20_000, seed: 0));
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
        var options = new ReinforceOptions { StepsPerUpdate = 1000 };
        Assert.ThrowsAny<OperationCanceledException>(() => Reinforce.Train(environment, options, 100_000, 0, cancellationToken: cancellation.Token));
        Assert.InRange(environment.Steps, 3000, 4500);
    }

    [Trait("Category", "unit")]
    [Fact]
    public void A_saved_policy_loads_with_identical_action_probabilities()
    {
        var result = Reinforce.Train(new CartPole(), new ReinforceOptions { StepsPerUpdate = 1000, HiddenSizes = [32, 16] }, 3_000, seed: 5);
        var path = Path.Combine(Path.GetTempPath(), $"policy-{Guid.NewGuid():N}.bin");
        try
        {
            result.Policy.Save(path);
            using var loaded = CategoricalPolicy.Load(path);
            Assert.Equal(result.Policy.Network.LayerSizes, loaded.Network.LayerSizes);
            var rng = new Rng(9);
            for (int i = 0; i < 50; i++)
            {
                float[] x = [(float)rng.Uniform(-2, 2), (float)rng.Uniform(-2, 2), (float)rng.Uniform(-0.2, 0.2), (float)rng.Uniform(-2, 2)];
                Assert.Equal(result.Policy.Probabilities(x), loaded.Probabilities(x));
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
            Assert.Equal(name, Assert.Throws<ArgumentOutOfRangeException>(() => Reinforce.Train(new CartPole(), options, 100)).ParamName);
        Rejects(new ReinforceOptions { Discount = 1.1 }, "Discount");
        Rejects(new ReinforceOptions { LearningRate = 0 }, "LearningRate");
        Rejects(new ReinforceOptions { StepsPerUpdate = 0 }, "StepsPerUpdate");
        Rejects(new ReinforceOptions { EntropyCoefficient = -1 }, "EntropyCoefficient");
        Rejects(new ReinforceOptions { HiddenSizes = [0] }, "HiddenSizes");
        Assert.Equal("totalSteps", Assert.Throws<ArgumentOutOfRangeException>(() => Reinforce.Train(new CartPole(), new ReinforceOptions(), 0)).ParamName);
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
