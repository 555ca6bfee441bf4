using CourseLib.Networks;
using TorchSharp;
using static TorchSharp.torch;

namespace CourseLib.Tests.Networks;

[Trait("Category", "unit")]
public class GradientClipTests
{
    [Fact]
    public void Clipping_matches_torchs_clip_grad_norm_over_several_parameters()
    {
        var rng = new Rng(4);
        var gradient = Enumerable.Range(0, 30).Select(_ => (float)rng.Uniform(-3, 3)).ToArray();
        using var a = new TorchSharp.Modules.Parameter(zeros(4, 5));
        using var b = new TorchSharp.Modules.Parameter(zeros(10));
        a.grad = tensor(gradient[..20]).reshape(4, 5);
        b.grad = tensor(gradient[20..]);
        double torchNorm = nn.utils.clip_grad_norm_([a, b], 2.0);
        double norm = GradientClip.ByGlobalNorm(gradient, 2.0);
        Assert.Equal(torchNorm, norm, 4);
        var clipped = a.grad.data<float>().ToArray().Concat(b.grad.data<float>().ToArray()).ToArray();
        for (int i = 0; i < gradient.Length; i++) Assert.Equal(clipped[i], gradient[i], 5);
        Assert.Equal(2.0, GradientClip.Norm(gradient), 4);
    }

    [Fact]
    public void A_gradient_within_the_bound_or_an_infinite_bound_is_left_alone()
    {
        float[] small = [0.3f, -0.4f];
        Assert.Equal(0.5, GradientClip.ByGlobalNorm(small, 1), 6);
        Assert.Equal(new[] { 0.3f, -0.4f }, small);
        float[] large = [300, -400];
        Assert.Equal(500, GradientClip.ByGlobalNorm(large, double.PositiveInfinity), 6);
        Assert.Equal(new[] { 300f, -400f }, large);
        Assert.Equal("maxNorm", Assert.Throws<ArgumentOutOfRangeException>(() => GradientClip.ByGlobalNorm(large, 0)).ParamName);
    }
}
