using CourseLib.ValueBased.Deep;
using static TorchSharp.torch;

namespace CourseLib.Tests.ValueBased.Deep;

[Trait("Category", "unit")]
public class HuberLossTests
{
    [Theory]
    [InlineData(0.0, 0.0)]
    [InlineData(0.5, 0.125)]
    [InlineData(-1.0, 0.5)]
    [InlineData(1.0, 0.5)]
    [InlineData(3.0, 2.5)]
    [InlineData(-4.0, 3.5)]
    public void Is_half_delta_squared_inside_the_unit_interval_and_linear_outside(double delta, double expected)
    {
        Assert.Equal(expected, HuberLoss.Value(delta), 12);
    }

    [Fact]
    public void Its_derivative_is_the_clipped_error()
    {
        Assert.Equal(0.3, HuberLoss.Derivative(0.3));
        Assert.Equal(1.0, HuberLoss.Derivative(7));
        Assert.Equal(-1.0, HuberLoss.Derivative(-7));
        // and it is the numerical derivative of the value
        foreach (double d in new[] { -2.3, -0.7, 0.2, 0.99, 1.5 })
            Assert.Equal((HuberLoss.Value(d + 1e-6) - HuberLoss.Value(d - 1e-6)) / 2e-6, HuberLoss.Derivative(d), 5);
    }

    [Fact]
    public void The_torch_version_agrees_with_the_pure_function_and_its_gradient_is_the_clipped_error()
    {
        var rng = new Rng(5);
        var deltas = Enumerable.Range(0, 200).Select(_ => (float)(rng.NextGaussian() * 3)).ToArray();
        using var delta = tensor(deltas).requires_grad_();
        using var loss = HuberLoss.Value(delta);
        var values = loss.data<float>().ToArray();
        for (int i = 0; i < deltas.Length; i++) Assert.Equal(HuberLoss.Value(deltas[i]), values[i], 5);
        using var total = loss.sum();
        total.backward();
        var gradient = delta.grad!.data<float>().ToArray();
        for (int i = 0; i < deltas.Length; i++) Assert.Equal(HuberLoss.Derivative(deltas[i]), gradient[i], 5);
        // and it is torch's smooth L1 loss with β = 1
        using var smooth = nn.functional.smooth_l1_loss(delta.detach(), zeros_like(delta), reduction: nn.Reduction.Sum);
        Assert.Equal(values.Sum(), smooth.item<float>(), 2);
    }
}
