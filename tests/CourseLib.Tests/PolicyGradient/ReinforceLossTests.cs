using CourseLib.PolicyGradient;
using TorchSharp;
using static TorchSharp.torch;

namespace CourseLib.Tests.PolicyGradient;

[Trait("Category", "unit")]
public class ReinforceLossTests
{
    [Fact]
    public void The_loss_is_minus_the_weighted_log_probabilities_summed_and_divided_by_the_episodes()
    {
        // Two episodes, three steps: −(2·(−0.5) + 1·(−1) + (−3)·(−2)) / 2 = −(−1 − 1 + 6) / 2 = −2.
        double loss = ReinforceLoss.Compute([-0.5, -1.0, -2.0], [2.0, 1.0, -3.0], episodeCount: 2);
        Assert.Equal(-2.0, loss, 12);
    }

    [Fact]
    public void Tensor_and_array_versions_agree_on_random_inputs()
    {
        var rng = new Rng(7);
        for (int trial = 0; trial < 20; trial++)
        {
            int n = rng.NextInt(1, 50), episodes = rng.NextInt(1, 5);
            var logp = Enumerable.Range(0, n).Select(_ => -rng.Uniform(0, 5)).ToArray();
            var w = Enumerable.Range(0, n).Select(_ => rng.Uniform(-10, 10)).ToArray();
            using var loss = ReinforceLoss.Compute(tensor(logp), tensor(w), episodes);
            Assert.Equal(ReinforceLoss.Compute(logp, w, episodes), loss.item<double>(), 9);
        }
    }

    [Fact]
    public void Its_gradient_is_minus_the_policy_gradient_estimate_and_no_gradient_flows_into_the_weights()
    {
        // Logits z of 3 steps over 2 actions; ∂L/∂z_k = −(1/N) w_k (e_{a_k} − softmax(z_k)).
        var z = tensor(new double[,] { { 0.3, -0.2 }, { 1.0, 0.5 }, { -0.7, 0.4 } }).requires_grad_();
        var actions = tensor(new long[] { 0, 1, 1 });
        var w = tensor(new double[] { 2.0, -1.0, 0.5 }).requires_grad_();
        var loss = ReinforceLoss.FromLogits(z, actions, w, episodeCount: 2);
        loss.backward();
        var grad = z.grad!.data<double>().ToArray();
        var zs = new[] { new[] { 0.3, -0.2 }, new[] { 1.0, 0.5 }, new[] { -0.7, 0.4 } };
        long[] a = [0, 1, 1];
        double[] ws = [2.0, -1.0, 0.5];
        for (int k = 0; k < 3; k++)
        {
            double e0 = Math.Exp(zs[k][0]), e1 = Math.Exp(zs[k][1]);
            double[] pi = [e0 / (e0 + e1), e1 / (e0 + e1)];
            for (int b = 0; b < 2; b++)
                Assert.Equal(-(1.0 / 2) * ws[k] * ((b == a[k] ? 1 : 0) - pi[b]), grad[k * 2 + b], 9);
        }
        Assert.True(w.grad is null || w.grad.abs().sum().item<double>() == 0);
    }

    [Fact]
    public void The_entropy_bonus_lowers_the_loss_by_beta_times_the_entropy_per_episode()
    {
        var z = tensor(new float[,] { { 0f, 0f }, { 0f, 0f } });
        var actions = tensor(new long[] { 0, 1 });
        var w = tensor(new float[] { 1f, 1f });
        double plain = ReinforceLoss.FromLogits(z, actions, w, 1).item<float>();
        double bonus = ReinforceLoss.FromLogits(z, actions, w, 1, entropyCoefficient: 0.1).item<float>();
        // Two uniform two-action states: entropy ln 2 each.
        Assert.Equal(plain - 0.1 * 2 * Math.Log(2), bonus, 5);
    }

    [Fact]
    public void Bad_inputs_are_rejected_with_the_argument_named()
    {
        Assert.Equal("weights", Assert.Throws<ArgumentException>(() => ReinforceLoss.Compute([1.0, 2.0], [1.0], 1)).ParamName);
        Assert.Equal("episodeCount", Assert.Throws<ArgumentOutOfRangeException>(() => ReinforceLoss.Compute([1.0], [1.0], 0)).ParamName);
        Assert.Equal("actions", Assert.Throws<ArgumentException>(() =>
            ReinforceLoss.FromLogits(zeros(3, 2), tensor(new long[] { 0 }), zeros(3), 1)).ParamName);
        Assert.Equal("entropyCoefficient", Assert.Throws<ArgumentOutOfRangeException>(() =>
            ReinforceLoss.FromLogits(zeros(1, 2), tensor(new long[] { 0 }), zeros(1), 1, -1)).ParamName);
    }
}
