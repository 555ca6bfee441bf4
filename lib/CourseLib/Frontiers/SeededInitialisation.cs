using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace CourseLib.Frontiers;

/// <summary>
/// Initial weights drawn from the course's <see cref="Rng"/> instead of libtorch's global generator, so that the same
/// seed gives the same network even when other code (another test, another notebook cell) uses torch's generator at the
/// same time. The distribution is PyTorch's default for a linear layer: weights and biases uniform in ±1/√fan_in.
/// </summary>
internal static class SeededInitialisation
{
    public static void Apply(nn.Module module, int seed)
    {
        var rng = new Rng(seed);
        using var noGrad = torch.no_grad();
        foreach (var (_, child) in module.named_modules())
        {
            if (child is not Linear linear) continue;
            var weight = linear.weight!;
            long fanIn = weight.shape[1];
            double bound = 1.0 / Math.Sqrt(fanIn);
            Fill(weight, rng, bound);
            if (linear.bias is { } bias) Fill(bias, rng, bound);
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
