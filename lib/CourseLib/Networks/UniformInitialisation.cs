using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace CourseLib.Networks;

/// <summary>
/// Initial weights drawn from the course's <see cref="Rng"/> instead of libtorch's global generator, so that the same
/// seed gives the same network even when other code (another test, another notebook cell, another thread) uses torch's
/// generator at the same time. The distribution is PyTorch's default for linear and convolution layers: weights and
/// biases uniform in ±1/√fan_in (fan_in = inputs, or input channels × kernel area), optionally scaled (an actor's
/// output layer starts 100 times smaller). Every network of the library starts here: <see cref="PolicyGradient.Mlp"/>,
/// <see cref="ActorCritic.ActorCriticNetwork"/>, the Frontiers' networks. (DQN's from-scratch layers in
/// ValueBased/Deep draw the same distribution in their own loop.)
/// </summary>
public static class UniformInitialisation
{
    /// <summary>1/√fan_in, the half-width of the interval.</summary>
    public static double Bound(long fanIn)
    {
        if (fanIn < 1) throw new ArgumentOutOfRangeException(nameof(fanIn), fanIn, "fanIn must be at least 1.");
        return 1.0 / Math.Sqrt(fanIn);
    }

    /// <summary>Fills <paramref name="values"/> with scale·U(−bound, bound), drawn from <paramref name="rng"/> in order.</summary>
    public static void Fill(Span<float> values, double bound, Rng rng, double scale = 1)
    {
        ArgumentNullException.ThrowIfNull(rng);
        for (int i = 0; i < values.Length; i++) values[i] = (float)(scale * rng.Uniform(-bound, bound));
    }

    /// <summary>Overwrites a parameter tensor with scale·U(−bound, bound) (its elements in memory order).</summary>
    public static void Fill(Tensor parameter, double bound, Rng rng, double scale = 1)
    {
        ArgumentNullException.ThrowIfNull(parameter);
        var values = new float[parameter.numel()];
        Fill(values, bound, rng, scale);
        using var noGrad = no_grad();
        using var source = tensor(values).reshape(parameter.shape);
        parameter.copy_(source);
    }

    /// <summary>A linear layer's weight and then its bias, uniform in ±scale/√inputs.</summary>
    public static void Linear(Linear layer, Rng rng, double scale = 1)
    {
        ArgumentNullException.ThrowIfNull(layer);
        double bound = Bound(layer.in_features);
        Fill(layer.weight!, bound, rng, scale);
        if (layer.bias is not null) Fill(layer.bias, bound, rng, scale);
    }

    /// <summary>
    /// Every linear and 2-D convolution layer of <paramref name="module"/>, in the order of its modules, each weight and
    /// then its bias, from one generator seeded with <paramref name="seed"/>.
    /// </summary>
    public static void Apply(nn.Module module, long seed)
    {
        ArgumentNullException.ThrowIfNull(module);
        var rng = new Rng(seed);
        foreach (var (_, child) in module.named_modules())
        {
            var (weight, bias) = child switch
            {
                Linear linear => (linear.weight!, linear.bias),
                Conv2d convolution => (convolution.weight!, convolution.bias),
                _ => (null, null),
            };
            if (weight is null) continue;
            double bound = Bound(weight.numel() / weight.shape[0]);
            Fill(weight, bound, rng);
            if (bias is not null) Fill(bias, bound, rng);
        }
    }
}
