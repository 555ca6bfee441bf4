using CourseLib.ActorCritic;
using static TorchSharp.torch;

namespace CourseLib.Tests.ActorCritic;

/// <summary>
/// A3C's workers on TorchSharp autograd (<see cref="A3CGradient.Autograd"/>) against the handwritten gradient. Their
/// run under forced collections is in <see cref="A3CUnderGarbageCollectionTests"/>.
/// </summary>
[Trait("Category", "unit")]
public class A3CAutogradTests
{
    [Fact]
    public void One_worker_updates_the_same_weights_with_autograd_as_with_the_handwritten_gradient()
    {
        // One worker is deterministic; three updates of t_max = 20 steps from the same seed.
        var options = new A3COptions { Workers = 1, Seed = 4, TotalSteps = 60, LearningRate = 1e-2 };
        using var handwritten = A3C.TrainCartPole(options).Network;
        using var autograd = A3C.TrainCartPole(options with { Gradient = A3CGradient.Autograd }).Network;
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
