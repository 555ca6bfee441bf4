using TorchSharp;
using static TorchSharp.torch;

namespace CourseLib.Tests.Foundation;

[Trait("Category", "unit")]
public class TorchSharpLoadsTests
{
    [Fact]
    public void A_tensor_operation_runs()
    {
        using var a = tensor(new float[] { 1, 2, 3, 4 }).reshape(2, 2);
        using var product = a.matmul(a);
        Assert.Equal(new float[] { 7, 10, 15, 22 }, product.data<float>().ToArray());
    }

    [Fact]
    public void One_Adam_step_moves_the_weights_against_the_gradient()
    {
        torch.manual_seed(0);
        var w = nn.Parameter(tensor(new float[] { 1f, -2f }));
        var optimizer = optim.Adam(new[] { w }, lr: 0.1);
        using var loss = (w * w).sum();
        loss.backward();
        optimizer.step();
        // Adam's first step moves each weight by lr * sign(gradient): 1 - 0.1, -2 + 0.1.
        var after = w.data<float>().ToArray();
        Assert.Equal(0.9f, after[0], 4);
        Assert.Equal(-1.9f, after[1], 4);
    }
}
