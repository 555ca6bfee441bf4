using CourseLib.Environments;
using CourseLib.Mdp;

namespace CourseLib.Tests.Environments;

[Trait("Category", "unit")]
public class GridWorldTests
{
    [Fact]
    public void Frozen_lake_maps_and_action_order_are_gymnasiums()
    {
        var lake = FrozenLake.FourByFour();
        Assert.Equal(["SFFF", "FHFH", "FFFH", "HFFG"], lake.Map);
        Assert.Equal(["Left", "Down", "Right", "Up"], lake.Mdp.ActionNames!);
        Assert.Equal(64, FrozenLake.EightByEight().Mdp.StateCount);
        Assert.Equal([15], lake.GoalStates);
        Assert.True(lake.Mdp.IsTerminal(5) && lake.Mdp.IsTerminal(15) && !lake.Mdp.IsTerminal(0));
        Assert.Equal(100, lake.MaxEpisodeSteps);
        Assert.Equal(200, FrozenLake.EightByEight().MaxEpisodeSteps);
    }

    [Fact]
    public void Slippery_moves_go_the_intended_way_or_either_perpendicular_way_with_one_third_each()
    {
        var mdp = FrozenLake.FourByFour().Mdp;
        // From 9 (row 2, column 1) Down: intended 13; perpendicular Left 8 and Right 10.
        Assert.Equal(1.0 / 3, mdp.TransitionProbability(9, 1, 13), 15);
        Assert.Equal(1.0 / 3, mdp.TransitionProbability(9, 1, 8), 15);
        Assert.Equal(1.0 / 3, mdp.TransitionProbability(9, 1, 10), 15);
        // From the start Left: Left bumps (stay), Up bumps (stay), Down to 4.
        Assert.Equal(2.0 / 3, mdp.TransitionProbability(0, 0, 0), 15);
        Assert.Equal(1.0 / 3, mdp.TransitionProbability(0, 0, 4), 15);
        // Reaching the goal pays 1: from 14 Right.
        Assert.Equal(1.0 / 3, mdp.ExpectedReward(14, 2), 15);
        var dry = FrozenLake.FourByFour(isSlippery: false).Mdp;
        Assert.Equal(1.0, dry.TransitionProbability(9, 1, 13));
    }

    [Fact]
    public void Cliff_walking_pays_minus_one_a_step_and_minus_100_with_a_return_to_the_start_on_the_cliff()
    {
        var cliff = new CliffWalking();
        Assert.Equal(36, cliff.Reset(seed: 0).Observation);
        var step = cliff.Step(1);   // Right, onto the cliff
        Assert.Equal(new StepResult<int>(36, -100, false, false), step);
        step = cliff.Step(0);       // Up
        Assert.Equal(new StepResult<int>(24, -1, false, false), step);
        for (int i = 0; i < 11; i++) step = cliff.Step(1);
        Assert.Equal(new StepResult<int>(35, -1, false, false), step);
        step = cliff.Step(2);       // Down into the goal
        Assert.Equal(new StepResult<int>(47, -1, true, false), step);
    }

    [Fact]
    public void Time_limits_truncate_and_termination_is_reported_separately()
    {
        var lake = FrozenLake.FourByFour(isSlippery: false);
        lake.Reset(seed: 1);
        StepResult<int> step = default;
        for (int i = 0; i < 100; i++) step = lake.Step(0);   // Left into the wall forever
        Assert.True(step.Truncated);
        Assert.False(step.Terminated);
        lake.Reset();
        lake.Step(1);                                        // Down, Down, Right, Right, Down, Right → the goal
        foreach (int a in new[] { 1, 2, 2, 1 }) lake.Step(a);
        step = lake.Step(2);
        Assert.Equal(new StepResult<int>(15, 1, true, false), step);
    }

    [Fact]
    public void The_same_seed_gives_the_same_episode()
    {
        static int[] Play(int seed)
        {
            var lake = FrozenLake.EightByEight();
            var rng = new Rng(seed + 100);
            var states = new List<int> { lake.Reset(seed).Observation };
            for (int episode = 0; episode < 5; episode++)
            {
                StepResult<int> step;
                do { step = lake.Step(rng.NextInt(4)); states.Add(step.Observation); } while (!step.Done);
                states.Add(lake.Reset().Observation);
            }
            return states.ToArray();
        }
        Assert.Equal(Play(3), Play(3));
        Assert.NotEqual(Play(3), Play(4));
    }

    [Fact]
    public void Misuse_gets_clear_exceptions()
    {
        var lake = FrozenLake.FourByFour();
        Assert.Contains("call Reset first", Assert.Throws<InvalidOperationException>(() => lake.Step(0)).Message);
        lake.Reset(seed: 0);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => lake.Step(4));
        Assert.Equal("action", e.ParamName);
        Assert.Contains("Discrete(4): 0..3", e.Message);
        Assert.Contains("3 = Up", e.Message);
        Assert.Throws<ArgumentException>(() => lake.ResetTo(5));   // a hole is terminal
        Assert.Contains("every row must have 4", Assert.Throws<ArgumentException>(() => new GridWorld(new GridWorldOptions { Map = ["S...", "..G"] })).Message);
        Assert.Contains("cells are S", Assert.Throws<ArgumentException>(() => new GridWorld(new GridWorldOptions { Map = ["S.X"] })).Message);
        Assert.Contains("must be 1", Assert.Throws<ArgumentException>(() => new GridWorld(new GridWorldOptions
            { Map = ["S.G"], IntendedMoveProbability = 0.5, PerpendicularMoveProbability = 0.5 })).Message);
    }

    [Fact]
    public void A_configurable_grid_world_with_walls_and_a_step_cost_has_the_expected_shortest_path_value()
    {
        var world = new GridWorld(new GridWorldOptions
        {
            Map = ["S.#.", "..#G", "...."],
            StepReward = -1,
            GoalReward = 10,
            Actions = [GridMove.Up, GridMove.Right, GridMove.Down, GridMove.Left],
        });
        // Shortest path from S: down, down, right, right, right, up (6 steps): -1 × 5 + 10 = 5.
        var result = ValueIteration.Run(world.Mdp, 1.0);
        Assert.Equal(5.0, result.Values[world.StateAt(0, 0)], 12);
        Assert.Equal(world.StateAt(0, 0), world.Reset(seed: 0).Observation);
        Assert.Equal("A.#.\n..#G\n....", world.RenderText());
    }
}
