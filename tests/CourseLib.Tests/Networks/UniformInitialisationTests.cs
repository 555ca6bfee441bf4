using CourseLib.ActorCritic;
using CourseLib.Networks;
using CourseLib.PolicyGradient;
using TorchSharp;
using static TorchSharp.torch;

namespace CourseLib.Tests.Networks;

[Trait("Category", "unit")]
public class UniformInitialisationTests
{
    static float[] Values(nn.Module module)
    {
        using var noGrad = no_grad();
        return module.parameters().SelectMany(p => p.data<float>().ToArray()).ToArray();
    }

    [Fact]
    public void An_mlp_starts_where_the_shared_initialisation_puts_any_module()
    {
        using var mlp = new Mlp(4, [16, 8], 3, seed: 21);
        using var other = new Mlp(4, [16, 8], 3, seed: 99);
        UniformInitialisation.Apply(other, 21);
        Assert.Equal(Values(mlp), Values(other));
    }

    [Fact]
    public void Weights_lie_within_one_over_root_fan_in_and_the_actor_head_is_scaled()
    {
        using var network = new ActorCriticNetwork(4, 2, [32], seed: 5);
        var layers = network.named_modules().Select(m => m.module).OfType<TorchSharp.Modules.Linear>().ToList();
        Assert.Equal(4, layers.Count);   // actor hidden, actor head, critic hidden, critic head
        for (int l = 0; l < layers.Count; l++)
        {
            double bound = 1 / Math.Sqrt(layers[l].in_features) * (l == 1 ? 0.01 : 1);
            var values = Values(layers[l]);
            Assert.All(values, v => Assert.InRange(Math.Abs(v), 0, bound));
            Assert.True(values.Max(Math.Abs) > 0.8 * bound, $"layer {l}: the values should spread over ±{bound}");
        }
    }

    [Fact]
    public void Plain_and_tensor_fills_draw_the_same_numbers()
    {
        var plain = new float[12];
        UniformInitialisation.Fill(plain, 0.25, new Rng(8), scale: 0.5);
        using var tensorParameter = zeros(3, 4);
        UniformInitialisation.Fill(tensorParameter, 0.25, new Rng(8), scale: 0.5);
        Assert.Equal(plain, tensorParameter.data<float>().ToArray());
        Assert.All(plain, v => Assert.InRange(v, -0.125f, 0.125f));
        Assert.Equal("fanIn", Assert.Throws<ArgumentOutOfRangeException>(() => UniformInitialisation.Bound(0)).ParamName);
    }
}
