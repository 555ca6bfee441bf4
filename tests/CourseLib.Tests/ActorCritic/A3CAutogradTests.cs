using CourseLib.ActorCritic;
using CourseLib.Environments;
using static TorchSharp.torch;

namespace CourseLib.Tests.ActorCritic;

/// <summary>
/// A3C's workers on TorchSharp autograd (<see cref="A3CGradient.Autograd"/>) against the handwritten gradient. Their
/// run under forced collections is in <see cref="A3CUnderGarbageCollectionTests"/>.
/// </summary>
[Trait("Category", "unit")]
public class A3CAutogradTests
{
    [Theory]
    [InlineData(false, 0.5)]
    [InlineData(true, 0.5)]
    [InlineData(false, double.PositiveInfinity)]
    public void One_worker_update_from_the_same_weights_and_rollout_gives_the_same_gradient_both_ways(bool sharedTrunk, double maxGradientNorm)
    {
        // A worker's segment as A3C makes it: t_max = 20 steps of CartPole with the local policy (sampled), V(s_{t+1}),
        // GAE with the default γ = 0.99, λ = 1, then dθ', dw' at the same weights by hand and by autograd.
        var options = new A3COptions { SharedTrunk = sharedTrunk, MaxGradientNorm = maxGradientNorm };
        using var network = new ActorCriticNetwork(4, 2, options.HiddenSizes, sharedTrunk, seed: 4);
        // Move the weights away from the near-uniform start, so that every term of the loss has a sizeable gradient.
        using (no_grad()) foreach (var p in network.parameters()) p.mul_(2);
        var local = new ActorCriticWeights(network);
        var (observations, actions, advantages, returns) = WorkerGradients.Segment(local, new CartPole(), options, seed: 7);

        var handwritten = new float[local.Values.Length];
        var byHand = A3C.WorkerGradient(A3CGradient.Handwritten, local, null, observations, actions, advantages, returns,
            options.ValueLossCoefficient, options.EntropyCoefficient, options.MaxGradientNorm, handwritten);
        // The worker's own network starts elsewhere: the autograd path copies θ', w' into it first.
        using var workerNetwork = new ActorCriticNetwork(4, 2, options.HiddenSizes, sharedTrunk, seed: 99);
        var autograd = new float[local.Values.Length];
        var byAutograd = A3C.WorkerGradient(A3CGradient.Autograd, local, workerNetwork, observations, actions, advantages, returns,
            options.ValueLossCoefficient, options.EntropyCoefficient, options.MaxGradientNorm, autograd);

        foreach (var (name, x, y) in new[] { ("total", byAutograd.Total, byHand.Total), ("policy", byAutograd.PolicyLoss, byHand.PolicyLoss),
                     ("value", byAutograd.ValueLoss, byHand.ValueLoss), ("entropy", byAutograd.Entropy, byHand.Entropy) })
            Assert.True(Math.Abs(x - y) <= 1e-5 * Math.Max(1, Math.Abs(x)), $"{name} loss: autograd {x}, handwritten {y}");
        double scale = autograd.Max(g => Math.Abs(g));
        Assert.True(scale > 1e-3, $"the gradient is too small to compare ({scale})");
        for (int i = 0; i < autograd.Length; i++)
            Assert.True(Math.Abs(autograd[i] - handwritten[i]) <= 1e-4 * scale, $"gradient {i}: autograd {autograd[i]}, handwritten {handwritten[i]} (largest {scale})");
    }

    [Fact]
    public void The_notebooks_comparison_finds_the_two_gradients_equal_to_float_precision()
    {
        var comparison = WorkerGradients.Compare(new A3COptions { Seed = 3 }, repetitions: 20);
        Assert.InRange(comparison.SegmentLength, 1, 20);   // t_max = 20, fewer when the episode ends first
        Assert.True(comparison.RelativeDifference < 1e-4, $"relative difference {comparison.RelativeDifference}");
        Assert.True(comparison.HandwrittenMicroseconds > 0 && comparison.AutogradMicroseconds > 0);
    }

    [Fact]
    public void One_worker_updates_the_same_weights_with_autograd_as_with_the_handwritten_gradient()
    {
        // One worker is deterministic; three updates of t_max = 20 steps from the same seed.
        var options = new A3COptions { Workers = 1, Seed = 4, TotalSteps = 60, LearningRate = 1e-2 };
        using var handwritten = A3C.TrainCartPole(options).Agent;
        using var autograd = A3C.TrainCartPole(options with { Gradient = A3CGradient.Autograd }).Agent;
        using var initial = new ActorCriticNetwork(4, 2, options.HiddenSizes, options.SharedTrunk, options.Seed);
        var a = handwritten.parameters().SelectMany(p => p.data<float>().ToArray()).ToArray();
        var b = autograd.parameters().SelectMany(p => p.data<float>().ToArray()).ToArray();
        var start = initial.parameters().SelectMany(p => p.data<float>().ToArray()).ToArray();
        double moved = a.Zip(start, (x, y) => Math.Abs(x - y)).Max();
        Assert.True(moved > 1e-3, $"the updates moved the weights by at most {moved}");
        for (int i = 0; i < a.Length; i++)
            Assert.True(Math.Abs(a[i] - b[i]) <= 1e-5 + 1e-4 * Math.Abs(a[i]), $"weight {i}: handwritten {a[i]}, autograd {b[i]}");
    }

    [Fact]
    public void An_undefined_gradient_kind_is_refused_by_name()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => A3C.TrainCartPole(new A3COptions { Gradient = (A3CGradient)7 }));
        Assert.Equal("Gradient", e.ParamName);
    }
}
