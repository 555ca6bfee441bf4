using CourseLib.Networks;
using CourseLib.ValueBased.Deep;

namespace CourseLib.Tests.Networks;

[Trait("Category", "unit")]
public class VectorAdamTests
{
    [Fact]
    public void Dqns_fused_clip_and_adam_follow_the_shared_clip_and_adam()
    {
        // DQN's from-scratch Adam (ValueBased/Deep) is a fast path: float moments, the clip fused into one vectorised
        // loop. It must take the steps that GradientClip.ByGlobalNorm and then VectorAdam take, up to float rounding.
        using var first = new Parameter("first", 3, 5);
        using var second = new Parameter("second", 7);
        var rng = new Rng(2);
        UniformInitialisation.Fill(first.Value.Span, 0.5, rng);
        UniformInitialisation.Fill(second.Value.Span, 0.5, rng);
        var theta = first.Value.Span.ToArray().Concat(second.Value.Span.ToArray()).ToArray();
        var fused = new Adam([first, second], 0.01);
        var shared = new VectorAdam(theta.Length, 0.01);
        for (int step = 0; step < 10; step++)
        {
            var gradient = Enumerable.Range(0, theta.Length).Select(_ => (float)rng.Uniform(-1, 1) * (step % 2 == 0 ? 3 : 0.1f)).ToArray();
            gradient.AsSpan(0, 15).CopyTo(first.Gradient.Span);
            gradient.AsSpan(15).CopyTo(second.Gradient.Span);
            double fusedNorm = fused.Step(maxGradientNorm: 1.5);
            double norm = GradientClip.ByGlobalNorm(gradient, 1.5);
            shared.Step(theta, gradient);
            Assert.Equal(norm, fusedNorm, 4);
        }
        var fromDqn = first.Value.Span.ToArray().Concat(second.Value.Span.ToArray()).ToArray();
        for (int i = 0; i < theta.Length; i++) Assert.Equal(theta[i], fromDqn[i], 5);
        Assert.NotEqual(0.5f, theta.Max(Math.Abs));   // the steps moved the weights
    }

    [Fact]
    public void A_bad_size_is_named()
    {
        Assert.Equal("count", Assert.Throws<ArgumentOutOfRangeException>(() => new VectorAdam(-1, 0.1)).ParamName);
        Assert.Throws<ArgumentException>(() => new VectorAdam(3, 0.1).Step(new float[3], new float[2]));
    }
}
