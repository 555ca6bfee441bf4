using CourseLib.PolicyGradient;
using static TorchSharp.torch;

namespace CourseLib.Tests.PolicyGradient;

/// <summary>REINFORCE is unbiased: the mean of many estimates converges to the exact gradient of the expected return.</summary>
[Trait("Category", "unit")]
public class EstimatorCheckTests
{
    static readonly double[,] Theta = { { 0.2, -0.3 }, { 0.5, 0.1 }, { -0.4, 0.3 } };

    [Theory]
    [InlineData(GradientEstimator.TotalReturn)]
    [InlineData(GradientEstimator.RewardToGo)]
    [InlineData(GradientEstimator.RewardToGoMinusMean)]
    [InlineData(GradientEstimator.RewardToGoMinusValue)]
    public void The_mean_of_200000_estimates_is_within_4_standard_errors_and_0_04_of_the_exact_gradient(GradientEstimator estimator)
    {
        var mdp = TinyMdp.Example();
        var exact = TabularPolicyGradient.ExactGradient(mdp, Theta);
        var stats = TabularPolicyGradient.Statistics(mdp, Theta, estimator, samples: 200_000, seed: 1);
        for (int s = 0; s < mdp.StateCount; s++)
            for (int a = 0; a < mdp.ActionCount; a++)
            {
                double error = Math.Abs(stats.Mean[s, a] - exact[s, a]);
                Assert.True(error <= 4 * stats.StandardError(s, a) && error <= 0.04,
                    $"{estimator} [{s},{a}]: mean {stats.Mean[s, a]:F4}, exact {exact[s, a]:F4}, standard error {stats.StandardError(s, a):F4}");
            }
    }

    [Fact]
    public void Reward_to_go_and_baselines_reduce_the_variance_in_that_order()
    {
        var mdp = TinyMdp.Example();
        var variance = Enum.GetValues<GradientEstimator>()
            .Select(e => TabularPolicyGradient.Statistics(mdp, Theta, e, samples: 50_000, seed: 2).TotalVariance).ToArray();
        // Total return > reward-to-go > minus the mean reward-to-go > minus the true state value.
        for (int i = 1; i < variance.Length; i++) Assert.True(variance[i] < variance[i - 1], string.Join(", ", variance));
        Assert.True(variance[^1] < variance[0] / 10, string.Join(", ", variance));
    }

    [Fact]
    public void The_exact_gradient_matches_the_policy_gradient_theorem_computed_by_dynamic_programming()
    {
        // ∇J = Σ_t Σ_s d_t(s) Σ_a π(a|s) Q_t(s,a) ∇log π(a|s), with d_t and Q_t from the tables: an independent formula.
        var mdp = TinyMdp.Example();
        var v = TabularPolicyGradient.StateValues(mdp, Theta);
        var d = (double[])mdp.StartDistribution.Clone();
        var expected = new double[3, 2];
        for (int t = 0; t < mdp.Horizon; t++)
        {
            var next = new double[3];
            for (int s = 0; s < 3; s++)
            {
                var pi = TabularPolicyGradient.Policy(Theta, s);
                for (int a = 0; a < 2; a++)
                {
                    double q = mdp.Rewards[s, a];
                    if (t + 1 < mdp.Horizon) for (int n = 0; n < 3; n++) q += mdp.Transitions[s, a, n] * v[t + 1, n];
                    for (int b = 0; b < 2; b++) expected[s, b] += d[s] * pi[a] * q * ((a == b ? 1 : 0) - pi[b]);
                    for (int n = 0; n < 3; n++) next[n] += d[s] * pi[a] * mdp.Transitions[s, a, n];
                }
            }
            d = next;
        }
        var exact = TabularPolicyGradient.ExactGradient(mdp, Theta);
        for (int s = 0; s < 3; s++)
            for (int a = 0; a < 2; a++) Assert.Equal(expected[s, a], exact[s, a], 7);
    }

    [Fact]
    public void The_library_loss_on_a_batch_has_gradient_minus_the_mean_estimate()
    {
        // Feeding the tabular logits θ[s_t] into ReinforceLoss and back-propagating gives −(1/N) Σ_i ĝ(τ_i).
        var mdp = TinyMdp.Example();
        var rng = new Rng(3);
        var trajectories = Enumerable.Range(0, 50).Select(_ => TabularPolicyGradient.Sample(mdp, Theta, rng)).ToArray();
        var theta = tensor(Theta).requires_grad_();
        var states = tensor(trajectories.SelectMany(t => t.States.Select(s => (long)s)).ToArray());
        var actions = tensor(trajectories.SelectMany(t => t.Actions.Select(a => (long)a)).ToArray());
        var weights = tensor(trajectories.SelectMany(t => CourseLib.Mdp.Returns.DiscountedReturns(t.Rewards, 1)).ToArray());
        var loss = ReinforceLoss.FromLogits(theta.index_select(0, states), actions, weights, trajectories.Length);
        loss.backward();
        var grad = theta.grad!.data<double>().ToArray();
        for (int s = 0; s < 3; s++)
            for (int a = 0; a < 2; a++)
            {
                double mean = trajectories.Average(t => TabularPolicyGradient.Estimate(mdp, Theta, t, GradientEstimator.RewardToGo)[s, a]);
                Assert.Equal(-mean, grad[s * 2 + a], 9);
            }
    }

    [Fact]
    public void Trajectory_probabilities_sum_to_one_and_only_their_policy_part_depends_on_theta()
    {
        // Enumerate every (s0, a0, s1, a1, s2, a2) of the example: Σ_τ p_θ(τ) = 1.
        var mdp = TinyMdp.Example();
        double total = 0;
        for (int code = 0; code < 216; code++)
        {
            int c = code;
            var states = new int[3]; var actions = new int[3];
            for (int t = 0; t < 3; t++) { states[t] = c % 3; c /= 3; actions[t] = c % 2; c /= 2; }
            var tau = new TinyTrajectory(states, actions, new double[3]);
            var (dynamics, policy) = TabularPolicyGradient.LogProbability(mdp, Theta, tau);
            total += Math.Exp(dynamics + policy);
            var other = TabularPolicyGradient.LogProbability(mdp, new double[3, 2], tau);
            if (double.IsFinite(dynamics)) Assert.Equal(dynamics, other.Dynamics);
        }
        Assert.Equal(1.0, total, 12);
    }

    [Fact]
    public void A_theta_of_the_wrong_shape_is_rejected()
    {
        Assert.Equal("theta", Assert.Throws<ArgumentException>(() => TabularPolicyGradient.ExpectedReturn(TinyMdp.Example(), new double[2, 2])).ParamName);
    }
}
