using CourseLib.Environments;
using CourseLib.PolicyGradient;
using CourseLib.Training;

namespace CourseLib.Tests.PolicyGradient;

public class PongPlayTests
{
    [Trait("Category", "unit")]
    [Fact]
    public void The_random_policy_loses_most_points()
    {
        var games = PongPlay.Play(policy: null, games: 20, seed: 3);
        // A game ends when one side reaches 5 points, or is truncated at 2,000 frames (667 decisions of 3 frames each).
        var rules = new PongPixelOptions();
        int cap = (rules.Game.MaxEpisodeSteps + rules.ActionRepeat - 1) / rules.ActionRepeat;
        Assert.All(games, g => Assert.True((g.AgentPoints == rules.Game.PointsToWin) != (g.OpponentPoints == rules.Game.PointsToWin)
            ? g.Decisions <= cap : g.Decisions == cap && g.AgentPoints < rules.Game.PointsToWin && g.OpponentPoints < rules.Game.PointsToWin,
            $"a game ended {g.AgentPoints}:{g.OpponentPoints} after {g.Decisions} decisions"));
        Assert.True(games.Sum(g => g.OpponentPoints) > 2 * games.Sum(g => g.AgentPoints));
    }

    [Trait("Category", "unit")]
    [Fact]
    public void REINFORCE_trains_on_array_observations_deterministically()
    {
        var options = new ReinforceOptions { StepsPerUpdate = 500, HiddenSizes = [16], Discount = 0.99, NormalizeAdvantages = true, TotalSteps = 2_000, Seed = 1,
            Evaluation = new EvaluationOptions { EverySteps = 1_000, Episodes = 2 } };
        var a = Reinforce.Train(new PongFromPixels(), options, evaluationEnvironment: new PongFromPixels());
        var b = Reinforce.Train(new PongFromPixels(), options, evaluationEnvironment: new PongFromPixels());
        Assert.Equal(a.History, b.History);
        Assert.Equal(a.Evaluations.Select(e => e.Returns), b.Evaluations.Select(e => e.Returns));
        Assert.Equal(2, a.Evaluations.Count);
        Assert.Equal(400, a.Agent.ObservationLength);
        Assert.Equal(3, a.Agent.ActionCount);
    }

    [Trait("Category", "unit")]
    [Fact]
    public void A_policy_of_the_wrong_size_is_rejected_clearly()
    {
        using var policy = new CategoricalPolicy(400, [8], 3);
        var e = Assert.Throws<ArgumentException>(() => PongPlay.Play(policy, new PongPixelOptions { IncludeFrame = true }, games: 1));
        Assert.Contains("800", e.Message);
    }

    [Trait("Category", "unit")]
    [Fact]
    public void Playback_frames_are_full_size_and_one_per_decision()
    {
        var frames = PongPlay.Frames(policy: null, seed: 0, maxDecisions: 30);
        Assert.Equal(31, frames.Count);
        Assert.All(frames, f => Assert.Equal(40 * 40, f.Length));
    }

    /// <summary>
    /// Notebook 02: the shipped run's score difference per game "rises from the random policy's level to about even with
    /// the opponent", and the loaded policy beats the random one over 50 games. Measured on the course machine
    /// (benchmarks' --pong-shipped 50 8; sampled actions, as trained; seeds 12345, 777, 0–5): points won − lost per game
    /// −0.08 to +0.58 (random −3.84 to −3.48), games won 22–32 of 50, balls returned 6.1–7.6 per game (random 0.6–1.0).
    /// The shipped curve (data/pong-reinforce-history.csv): mean of the first 20 updates −3.62, of the last 20 −0.02.
    /// Asked here, per seed of 50 games, in 3 of seeds 12345, 777, 0, 1: a difference ≥ −0.75, at least 15 games won, and
    /// 3 times the random policy's balls returned.
    /// </summary>
    [Trait("Category", "learning")]
    [Fact]
    public void The_shipped_policy_plays_about_even_at_least_minus_0_75_points_per_game_over_50_games_in_3_of_4_seeds_and_its_curve_rises_from_random()
    {
        var shipped = PongPlay.TrainedHistory().Select(h => h.MeanReturn).ToArray();
        Assert.True(shipped[..20].Average() < -3 && shipped[^20..].Average() >= -0.75,
            $"the shipped curve: first 20 updates {shipped[..20].Average():F2} (random's level, below −3), last 20 {shipped[^20..].Average():F2} (about even, ≥ −0.75)");
        using var policy = CategoricalPolicy.Load(PongPlay.TrainedPolicyPath);
        var lines = new List<string>();
        int good = 0;
        foreach (int seed in new[] { 12345, 777, 0, 1 })
        {
            var trained = PongPlay.Play(policy, PongPlay.Pixels, games: 50, seed: seed);
            var random = PongPlay.Play(null, PongPlay.Pixels, games: 50, seed: seed);
            double difference = trained.Average(g => g.AgentPoints - g.OpponentPoints);
            int won = trained.Count(g => g.AgentPoints > g.OpponentPoints);
            double balls = trained.Average(g => g.BallsReturned), randomBalls = random.Average(g => g.BallsReturned);
            if (difference >= -0.75 && won >= 15 && balls >= 3 * randomBalls) good++;
            lines.Add($"seed {seed}: {difference:+0.00;-0.00} per game, won {won}/50, balls {balls:F1} (random {randomBalls:F1}, {random.Average(g => g.AgentPoints - g.OpponentPoints):F2} per game)");
        }
        Assert.True(good >= 3, $"{good} of 4 seeds about even (≥ −0.75 per game, ≥ 15 of 50 won, 3× random's balls); 3 needed: {string.Join("; ", lines)}");
    }
}
