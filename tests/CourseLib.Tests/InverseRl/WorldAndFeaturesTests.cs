using CourseLib.InverseRl;
using CourseLib.Mdp;

namespace CourseLib.Tests.InverseRl;

[Trait("Category", "unit")]
public class WorldAndFeaturesTests
{
    [Fact]
    public void The_lava_world_pays_theta_true_dot_phi_on_entering_a_cell()
    {
        var world = new LavaWorld();
        Assert.Equal(["goal", "lava", "step"], world.Features.Names);
        Assert.Equal([10.0, -5, -1], world.TrueTheta);
        int lava = world.Grid.StateAt(1, 1), goal = world.Grid.StateAt(3, 7), free = world.Grid.StateAt(2, 1);
        Assert.Equal('L', world.CellOf(lava));
        Assert.Equal(-6.0, world.TrueStateReward[lava]);
        Assert.Equal(9.0, world.TrueStateReward[goal]);
        Assert.Equal(-1.0, world.TrueStateReward[free]);
        // From (2,1), moving Up (action 3) enters the lava cell (1,1); Right (action 2) from (3,6)... is lava itself; from (3,6) Right enters G.
        Assert.Equal(-6.0, world.TrueMdp.ExpectedReward(free, 3));
        Assert.Equal(9.0, world.TrueMdp.ExpectedReward(world.Grid.StateAt(3, 6), 2));
        Assert.True(world.TrueMdp.IsTerminal(goal));
        Assert.False(world.TrueMdp.IsTerminal(lava));
        Assert.Equal(world.TrueStateReward.Length, world.ToGrid(world.TrueStateReward).Length);
        Assert.Equal(9.0, world.ToGrid(world.TrueStateReward)[3, 7]);
    }

    [Fact]
    public void The_optimal_expert_walks_around_the_lava()
    {
        var world = new LavaWorld();
        var optimal = world.Expert(0.95, 1e-3);   // nearly deterministic
        var visits = StateVisitation.Expected(world.Dynamics, Enumerable.Repeat(optimal, 40).ToArray(), world.Dynamics.InitialDistribution);
        Assert.True(world.LavaStates.Sum(s => visits[s]) < 1e-6);
        Assert.Equal(1.0, world.Grid.GoalStates.Sum(s => visits[s]), 6);
    }

    [Fact]
    public void Relabelling_keeps_the_dynamics_and_replaces_the_reward()
    {
        var world = new LavaWorld(new LavaWorldOptions { IntendedMoveProbability = 0.8 });
        var reward = new double[world.StateCount, 4];
        reward[5, 2] = 7;
        var relabelled = Relabel.WithStateActionReward(world.Dynamics, reward);
        Assert.Equal(7.0, relabelled.ExpectedReward(5, 2), 12);
        Assert.Equal(0.0, relabelled.ExpectedReward(5, 1));
        Assert.Equal(world.Dynamics.TransitionArray(), relabelled.TransitionArray());
        Assert.Equal(world.Dynamics.InitialDistribution, relabelled.InitialDistribution);
        // On entering: the slip makes r(s,a) the expectation over the three possible next cells.
        var onEntering = Relabel.WithRewardOnEntering(world.Dynamics, world.TrueStateReward);
        int s = world.Grid.StateAt(2, 1);   // Up: (1,1) lava w.p. 0.8; Left (2,0) or Right (2,2) w.p. 0.1 each
        Assert.Equal(0.8 * -6 + 0.2 * -1, onEntering.ExpectedReward(s, 3), 12);
        Assert.Throws<ArgumentException>(() => Relabel.WithRewardOnEntering(world.Dynamics, [1, 2]));
    }

    [Fact]
    public void Features_compute_linear_rewards_and_reject_bad_input()
    {
        var oneHot = StateFeatures.OneHot(3);
        Assert.Equal([4.0, 5, 6], oneHot.Reward([4, 5, 6]));
        var phi = new StateFeatures(new double[,] { { 1, 2 }, { 3, 4 } }, ["x", "y"]);
        Assert.Equal([1 * 0.5 + 2 * -1.0, 3 * 0.5 + 4 * -1.0], phi.Reward([0.5, -1]));
        Assert.Throws<ArgumentException>(() => phi.Reward([1]));
        Assert.Throws<ArgumentException>(() => phi.Reward([1, double.NaN]));
        Assert.Throws<ArgumentException>(() => new StateFeatures(new double[,] { { 1 } }, ["a", "b"]));
        var map = Assert.Throws<ArgumentException>(() => new LavaWorld(new LavaWorldOptions { Map = ["SXG"] }));
        Assert.Contains("'X'", map.Message);
    }

    [Fact]
    public void Heatmaps_put_one_labelled_panel_per_quantity_side_by_side()
    {
        var world = new LavaWorld();
        var blank = Enumerable.Repeat(double.NaN, world.StateCount).ToArray();
        var figure = world.Heatmaps(("true reward", world.TrueStateReward), ("nothing", blank));
        Assert.Equal(2, figure.Traces.Count);
        Assert.Equal("x2", (string?)figure.Traces[1]["xaxis"]);
        Assert.Equal("L", (string?)figure.Traces[0]["text"]![1]![1]);
        Assert.Equal(9.0, (double)figure.Traces[0]["z"]![3]![7]!);
        Assert.Null(figure.Traces[1]["z"]![0]![0]);
        Assert.Contains("nothing", figure.ToJson());
        Assert.Equal(world.TrueReturn(world.PolicyOptimalFor(world.TrueStateReward)), ValueIteration.Run(world.TrueMdp, 0.95).Values
            .Select((v, s) => v * world.TrueMdp.InitialDistribution[s]).Sum(), 9);
    }
}
