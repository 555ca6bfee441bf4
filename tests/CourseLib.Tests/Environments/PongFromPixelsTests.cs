using CourseLib.Environments;

namespace CourseLib.Tests.Environments;

public class PongFromPixelsTests
{
    [Trait("Category", "unit")]
    [Fact]
    public void The_observation_is_the_frame_difference_followed_by_the_frame_when_asked()
    {
        var pong = new PongFromPixels(new PongPixelOptions { IncludeFrame = true });
        Assert.Equal(2 * 20 * 20, pong.ObservationLength);
        var first = pong.Reset(seed: 1).Observation;
        Assert.All(first.Take(400), v => Assert.Equal(0f, v));            // nothing has moved yet
        Assert.True(first.Skip(400).Count(v => v == 1) >= 2 + 2);       // two paddles (≥ 3 pixels each, shrunk) and the ball
        var previousFrame = first.Skip(400).ToArray();
        var next = pong.Step(0).Observation;
        for (int i = 0; i < 400; i++) Assert.Equal(next[400 + i] - previousFrame[i], next[i]);
        Assert.Contains(next.Take(400), v => v != 0);                   // the ball moved
    }

    [Trait("Category", "unit")]
    [Fact]
    public void Differences_only_by_default_and_the_same_seed_gives_the_same_game()
    {
        var a = new PongFromPixels();
        var b = new PongFromPixels();
        Assert.Equal(400, a.ObservationLength);
        Assert.Equal(a.Reset(7).Observation, b.Reset(7).Observation);
        for (int t = 0; t < 50; t++)
        {
            var (sa, sb) = (a.Step(t % 3), b.Step(t % 3));
            Assert.Equal(sa.Observation, sb.Observation);
            Assert.Equal(sa.Reward, sb.Reward);
            if (sa.Done) break;
        }
    }

    [Trait("Category", "unit")]
    [Fact]
    public void A_downsample_factor_that_does_not_divide_the_frame_is_rejected_by_name()
    {
        Assert.Equal("DownsampleFactor", Assert.Throws<ArgumentOutOfRangeException>(() => new PongFromPixels(new PongPixelOptions { DownsampleFactor = 3 })).ParamName);
    }
}
