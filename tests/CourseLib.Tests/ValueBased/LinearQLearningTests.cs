using CourseLib.Environments;
using CourseLib.Training;
using CourseLib.ValueBased;

namespace CourseLib.Tests.ValueBased;

[Trait("Category", "unit")]
public class TileCoderTests
{
    [Fact]
    public void Each_input_activates_one_tile_per_tiling_within_the_feature_range()
    {
        var coder = new TileCoder([-1.2, -0.07], [0.6, 0.07], tilings: 8, tilesPerDimension: 8);
        Assert.Equal(8 * 9 * 9, coder.FeatureCount);
        var rng = new Rng(1);
        for (int i = 0; i < 1000; i++)
        {
            var features = coder.ActiveFeatures(rng.Uniform(-1.5, 0.9), rng.Uniform(-0.1, 0.1)); // also outside the box: clamped
            for (int k = 0; k < 8; k++) Assert.InRange(features[k], k * 81, k * 81 + 80);
        }
    }

    [Fact]
    public void Nearby_inputs_share_most_tiles_and_distant_ones_none()
    {
        var coder = new TileCoder([0.0, 0.0], [1.0, 1.0], tilings: 8, tilesPerDimension: 4);
        int Shared(double[] a, double[] b) => coder.ActiveFeatures(a).Intersect(coder.ActiveFeatures(b)).Count();
        Assert.Equal(8, Shared([0.5, 0.5], [0.5, 0.5]));
        Assert.InRange(Shared([0.5, 0.5], [0.52, 0.5]), 6, 8);
        Assert.Equal(0, Shared([0.1, 0.1], [0.9, 0.9]));
        // the shift makes the resolution finer than one tile: two points in the same tile of tiling 0 still differ
        Assert.True(Shared([0.26, 0.3], [0.49, 0.3]) < 8);
    }

    [Fact]
    public void Bad_bounds_are_rejected()
    {
        Assert.Throws<ArgumentException>(() => new TileCoder([0.0], [0.0]));
        Assert.Equal("tilings", Assert.Throws<ArgumentOutOfRangeException>(() => new TileCoder([0.0], [1.0], tilings: 0)).ParamName);
    }

    [Fact]
    public void A_semi_gradient_update_moves_q_alpha_of_the_way_to_the_target()
    {
        var q = new LinearQFunction(new TileCoder([0.0], [1.0], 4, 4), actionCount: 2);
        q.Update([0.3], action: 1, tdError: 2.0, learningRate: 0.5);
        Assert.Equal(1.0, q.Value([0.3], 1), 12);
        Assert.Equal(0.0, q.Value([0.3], 0));
    }
}

[Trait("Category", "learning")]
public class LinearQLearningTests
{
    [Fact]
    public void Learns_MountainCar_moderately_in_500_episodes_above_minus_150_in_9_of_seeds_0_to_9()
    {
        // Moderate, not solved: the random policy scores −200 (it never reaches the flag in 200 steps), Gymnasium calls
        // −110 solved. After 500 episodes with the defaults (α = 0.5 over 8 tilings of 8x8, ε = 0, optimistic zero
        // values) the greedy policy's mean over 20 evaluation episodes (seeds 1234+) is −112.7 to −134.1 on seeds 0-9
        // (benchmarks' --mountaincar-seeds 500 10; 1,000 and 3,000 episodes do not solve it either: −108.4 to −134.0 and
        // −112.3 to −127.5): it has learned to rock the car, not yet the shortest swing. 9 of 10 seeds must clear −150
        // (worst measured −134.1), and their average −135 (measured −120.0).
        var means = new List<double>();
        for (int seed = 0; seed < 10; seed++)
        {
            var run = LinearQLearning.Train(new MountainCar(), new LinearQOptions { Seed = seed, Episodes = 500 });
            Assert.Equal(500, run.Episodes.Count);
            means.Add(Evaluation.Run(new MountainCar(), run.Agent.GreedyAction, episodes: 20, seed: 1234).MeanReturn);
            // the cost-to-go is highest near the bottom of the valley at rest, and near 0 at the goal
            var costToGo = run.Agent.CostToGo(resolution: 21);
            Assert.True(costToGo[10, 7] > costToGo[18, 19], $"seed {seed}: the valley at rest should cost more than the goal at speed");
        }
        string all = string.Join(", ", means.Select(m => m.ToString("F1")));
        Assert.True(means.Count(m => m > -150) >= 9, $"seeds 0-9, 500 episodes: mean evaluation returns {all}; 9 of 10 need > −150");
        Assert.True(means.Average() > -135, $"seeds 0-9: mean evaluation returns {all}; their average needs > −135");
    }
}

[Trait("Category", "unit")]
public class LinearQEvaluationTests
{
    [Fact]
    public void Evaluations_during_training_need_their_own_environment_and_can_stop_training()
    {
        var e = Assert.Throws<ArgumentException>(() => LinearQLearning.Train(new MountainCar(),
            new LinearQOptions { Episodes = 5, Evaluation = new EvaluationOptions { EverySteps = 1_000 } }));
        Assert.Equal("evaluationEnvironment", e.ParamName);
        var run = LinearQLearning.Train(new MountainCar(), new LinearQOptions { Episodes = 400, Evaluation = new EvaluationOptions { EverySteps = 2_000, Episodes = 5, StopAtMeanReturn = -160 } },
            evaluationEnvironment: new MountainCar());
        Assert.NotEmpty(run.Evaluations);
        Assert.Equal(run.SolvedAtStep is not null, run.Evaluations[^1].MeanReturn >= -160);
        Assert.All(run.Evaluations, ev => Assert.Equal(5, ev.Returns.Length));
    }
}
