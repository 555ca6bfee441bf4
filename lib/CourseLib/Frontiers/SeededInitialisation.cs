using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace CourseLib.Frontiers;

/// <summary>
/// Initial weights drawn from the course's <see cref="Rng"/> instead of libtorch's global generator, so that the same
/// seed gives the same network even when other code (another test, another notebook cell) uses torch's generator at the
/// same time. The distribution is PyTorch's default for linear and convolution layers: weights and biases uniform in
/// ±1/√fan_in (fan_in = inputs, or input channels × kernel area).
/// </summary>
internal static class SeededInitialisation
{
    public static void Apply(nn.Module module, int seed)
    {
        var rng = new Rng(seed);
        using var noGrad = torch.no_grad();
        foreach (var (_, child) in module.named_modules())
        {
            var (weight, bias) = child switch
            {
                Linear linear => (linear.weight!, linear.bias),
                Conv2d convolution => (convolution.weight!, convolution.bias),
                _ => (null, null),
            };
            if (weight is null) continue;
            long fanIn = weight.numel() / weight.shape[0];
            double bound = 1.0 / Math.Sqrt(fanIn);
            Fill(weight, rng, bound);
            if (bias is not null) Fill(bias, rng, bound);
        }
    }

    static void Fill(Tensor parameter, Rng rng, double bound)
    {
        var values = new float[parameter.numel()];
        for (int i = 0; i < values.Length; i++) values[i] = (float)rng.Uniform(-bound, bound);
        using var source = tensor(values).reshape(parameter.shape);
        parameter.copy_(source);
    }
}
