using CourseLib.PolicyGradient;

namespace CourseLib.Tests.PolicyGradient;

public class PongFromPixelsTests
{
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

    [Fact]
    public void The_random_policy_loses_most_points()
    {
        var games = PongPlay.Play(policy: null, games: 20, seed: 3);
        Assert.All(games, g => Assert.True(g.AgentPoints == 5 || g.OpponentPoints == 5 || g.Decisions > 0));
        Assert.True(games.Sum(g => g.OpponentPoints) > 2 * games.Sum(g => g.AgentPoints));
    }

    [Fact]
    public void REINFORCE_trains_on_array_observations_deterministically()
    {
        var options = new ReinforceOptions { StepsPerUpdate = 500, HiddenSizes = [16], Discount = 0.99, NormalizeAdvantages = true };
        var a = Reinforce.Train(new PongFromPixels(), options, 2_000, seed: 1);
        var b = Reinforce.Train(new PongFromPixels(), options, 2_000, seed: 1);
        Assert.Equal(a.History, b.History);
        Assert.Equal(400, a.Policy.ObservationLength);
        Assert.Equal(3, a.Policy.ActionCount);
        Assert.Equal(5, PolicyReturns.Measure(a.Policy, new PongFromPixels(), episodes: 5, seed: 2).Length);
    }

    [Fact]
    public void A_policy_of_the_wrong_size_is_rejected_clearly()
    {
        using var policy = new CategoricalPolicy(400, [8], 3);
        var e = Assert.Throws<ArgumentException>(() => PongPlay.Play(policy, new PongPixelOptions { IncludeFrame = true }, games: 1));
        Assert.Contains("800", e.Message);
        Assert.Equal("DownsampleFactor", Assert.Throws<ArgumentOutOfRangeException>(() => new PongFromPixels(new PongPixelOptions { DownsampleFactor = 3 })).ParamName);
    }

    [Fact]
    public void Playback_frames_are_full_size_and_one_per_decision()
    {
        var frames = PongPlay.Frames(policy: null, seed: 0, maxDecisions: 30);
        Assert.Equal(31, frames.Count);
        Assert.All(frames, f => Assert.Equal(40 * 40, f.Length));
    }

    [Fact]
    public void The_shipped_trained_policy_returns_the_ball_far_more_often_than_the_random_policy_and_scores_more()
    {
        using var policy = CategoricalPolicy.Load(PongPlay.TrainedPolicyPath);
        var trained = PongPlay.Play(policy, PongPlay.Pixels, games: 20, seed: 777);
        var random = PongPlay.Play(null, PongPlay.Pixels, games: 20, seed: 777);
        double trainedReturns = trained.Average(g => g.BallsReturned), randomReturns = random.Average(g => g.BallsReturned);
        double trainedDifference = trained.Average(g => g.AgentPoints - g.OpponentPoints), randomDifference = random.Average(g => g.AgentPoints - g.OpponentPoints);
        Assert.True(trainedReturns >= 3 * randomReturns, $"balls returned per game: trained {trainedReturns:F1}, random {randomReturns:F1}");
        Assert.True(trainedDifference >= randomDifference + 2, $"points won − lost per game: trained {trainedDifference:F2}, random {randomDifference:F2}");
    }
}
