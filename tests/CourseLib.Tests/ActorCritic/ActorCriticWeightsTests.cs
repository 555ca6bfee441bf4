using CourseLib.ActorCritic;
using CourseLib.Networks;
using TorchSharp;
using static TorchSharp.torch;

namespace CourseLib.Tests.ActorCritic;

/// <summary>A3C's plain-C# network, loss gradient and Adam against TorchSharp's network, autograd and Adam.</summary>
[Trait("Category", "unit")]
public class ActorCriticWeightsTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Loss_and_gradient_match_torch_autograd(bool sharedTrunk)
    {
        using var network = new ActorCriticNetwork(4, 3, [16, 8], sharedTrunk, seed: 5);
        // Move the policy head away from its near-zero start, so that the entropy term's gradient is not tiny.
        using (no_grad()) foreach (var p in network.parameters()) p.mul_(3);
        var weights = new ActorCriticWeights(network);
        var rng = new Rng(6);
        const int batch = 12;
        var observations = Enumerable.Range(0, batch * 4).Select(_ => (float)rng.Uniform(-2, 2)).ToArray();
        var actions = Enumerable.Range(0, batch).Select(_ => (long)rng.NextInt(3)).ToArray();
        var advantages = Enumerable.Range(0, batch).Select(_ => rng.Uniform(-3, 3)).ToArray();
        var returns = Enumerable.Range(0, batch).Select(_ => rng.Uniform(0, 10)).ToArray();

        var gradient = new float[weights.Values.Length];
        var mine = weights.LossGradient(observations, actions, advantages, returns, valueCoefficient: 0.5, entropyCoefficient: 0.1, gradient);

        var (logits, value) = network.forward(tensor(observations, [batch, 4]));
        var loss = ActorCriticLoss.Compute(logits, value, tensor(actions), tensor(advantages, ScalarType.Float32), tensor(returns, ScalarType.Float32), 0.5, 0.1);
        network.zero_grad();
        loss.Total.backward();
        Assert.Equal(loss.Total.item<float>(), mine.Total, 3);
        Assert.Equal(loss.PolicyLoss.item<float>(), mine.PolicyLoss, 4);
        Assert.Equal(loss.ValueLoss.item<float>(), mine.ValueLoss, 2);
        Assert.Equal(loss.Entropy.item<float>(), mine.Entropy, 5);
        var fromTorch = network.parameters().SelectMany(p => p.grad!.data<float>().ToArray()).ToArray();
        Assert.Equal(fromTorch.Length, gradient.Length);
        double scale = fromTorch.Max(g => Math.Abs(g));
        for (int i = 0; i < gradient.Length; i++)
            Assert.True(Math.Abs(fromTorch[i] - gradient[i]) <= 1e-4 * scale, $"gradient {i}: torch {fromTorch[i]}, C# {gradient[i]}");
    }

    [Fact]
    public void Weights_round_trip_and_evaluate_like_the_snapshot()
    {
        using var network = new ActorCriticNetwork(4, 2, [16, 16], seed: 8);
        var weights = new ActorCriticWeights(network);
        var snapshot = network.Snapshot();
        float[] observation = [0.2f, -0.5f, 0.03f, 1.1f];
        var p1 = new double[2]; var p2 = new double[2];
        Assert.Equal(snapshot.Evaluate(observation, p1), weights.Evaluate(observation, p2));
        Assert.Equal(p1, p2);

        for (int i = 0; i < weights.Values.Length; i++) weights.Values[i] += 0.01f * (i % 7);
        using var other = new ActorCriticNetwork(4, 2, [16, 16], seed: 9);
        weights.CopyTo(other);
        Assert.Equal(weights.Values, new ActorCriticWeights(other).Values);
    }

    [Fact]
    public void Clipping_and_adam_match_torch()
    {
        using var network = new ActorCriticNetwork(3, 2, [5], seed: 10);
        var weights = new ActorCriticWeights(network);
        using var adam = optim.Adam(network.parameters(), 0.01);
        var plainAdam = new VectorAdam(weights.Values.Length, 0.01);
        var rng = new Rng(11);
        for (int step = 0; step < 5; step++)
        {
            var gradient = Enumerable.Range(0, weights.Values.Length).Select(_ => (float)rng.Uniform(-2, 2)).ToArray();
            int offset = 0;
            foreach (var p in network.parameters())
            {
                int count = (int)p.numel();
                p.grad = tensor(gradient.AsSpan(offset, count).ToArray()).reshape(p.shape);
                offset += count;
            }
            double torchNorm = nn.utils.clip_grad_norm_(network.parameters(), 1.5);
            double plainNorm = CourseLib.Networks.GradientClip.ByGlobalNorm(gradient, 1.5);
            Assert.Equal(torchNorm, plainNorm, 4);
            adam.step();
            plainAdam.Step(weights.Values, gradient);
        }
        var fromTorch = new ActorCriticWeights(network).Values;
        for (int i = 0; i < fromTorch.Length; i++) Assert.Equal(fromTorch[i], weights.Values[i], 5);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void The_fused_forward_pass_agrees_with_the_shared_dense_layers_and_softmax(bool sharedTrunk)
    {
        // ActorCriticWeights keeps its own loop (flat layout, bias-first sums) as a fast path: it must compute what the
        // shared pieces compute, up to float rounding.
        using var network = new ActorCriticNetwork(4, 3, [16, 8], sharedTrunk, seed: 12);
        var weights = new ActorCriticWeights(network);
        var layers = network.named_modules().Select(m => m.module).OfType<TorchSharp.Modules.Linear>().ToList();
        var actor = layers.Take(3).ToList();
        var critic = layers.Skip(3).ToList();
        Assert.Equal(sharedTrunk ? 1 : 3, critic.Count);
        static float[] Layer(TorchSharp.Modules.Linear layer, float[] input, bool tanh)
        {
            using var noGrad = no_grad();
            var output = new float[layer.out_features];
            CourseLib.Networks.DenseForward.Affine(layer.weight!.data<float>().ToArray(), layer.bias!.data<float>().ToArray(), input, output);
            if (tanh) CourseLib.Networks.DenseForward.Tanh(output);
            return output;
        }
        var rng = new Rng(13);
        for (int k = 0; k < 20; k++)
        {
            var observation = Enumerable.Range(0, 4).Select(_ => (float)rng.Uniform(-3, 3)).ToArray();
            var hidden = Layer(actor[1], Layer(actor[0], observation, true), true);
            var logits = Layer(actor[2], hidden, false);
            var criticHidden = sharedTrunk ? hidden : Layer(critic[1], Layer(critic[0], observation, true), true);
            double expectedValue = Layer(critic[^1], criticHidden, false)[0];
            var expected = new double[3];
            CourseLib.Networks.Softmax.Write(logits, expected);

            var probabilities = new double[3];
            double value = weights.Evaluate(observation, probabilities);
            Assert.Equal(expectedValue, value, 5);
            for (int a = 0; a < 3; a++) Assert.Equal(expected[a], probabilities[a], 5);
        }
    }
}
