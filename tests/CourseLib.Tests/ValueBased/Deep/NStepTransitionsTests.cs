using CourseLib.ValueBased.Deep;

namespace CourseLib.Tests.ValueBased.Deep;

[Trait("Category", "unit")]
public class NStepTransitionsTests
{
    [Fact]
    public void Three_step_transitions_sum_discounted_rewards_and_skip_to_the_state_three_steps_later()
    {
        var buffer = new ReplayBuffer(16, 1);
        var collector = new NStepTransitions(buffer, steps: 3, discount: 0.5);
        for (int t = 0; t < 4; t++) collector.Add([t], t, reward: t + 1, [t + 1], false, false);
        Assert.Equal(2, buffer.Count); // transitions from s0 and s1 are complete
        var first = buffer[0];
        Assert.Equal(0f, first.Observation[0]);
        Assert.Equal(1 + 0.5f * 2 + 0.25f * 3, first.Reward);
        Assert.Equal(3f, first.NextObservation[0]);
        Assert.Equal(3, first.StepCount);
        Assert.False(first.Terminated);
        Assert.Equal(2, collector.Pending);
    }

    [Fact]
    public void Termination_flushes_the_pending_transitions_without_bootstrap()
    {
        var buffer = new ReplayBuffer(16, 1);
        var collector = new NStepTransitions(buffer, steps: 3, discount: 0.5);
        collector.Add([0], 0, 1, [1], false, false);
        collector.Add([1], 0, 1, [2], terminated: true, truncated: false);
        Assert.Equal(2, buffer.Count);
        Assert.Equal(0, collector.Pending);
        Assert.Equal((1 + 0.5f, 2f, true, 2), (buffer[0].Reward, buffer[0].NextObservation[0], buffer[0].Terminated, buffer[0].StepCount));
        Assert.Equal((1f, 2f, true, 1), (buffer[1].Reward, buffer[1].NextObservation[0], buffer[1].Terminated, buffer[1].StepCount));
    }

    [Fact]
    public void Truncation_flushes_the_pending_transitions_with_a_bootstrap_from_the_last_state()
    {
        var buffer = new ReplayBuffer(16, 1);
        var collector = new NStepTransitions(buffer, steps: 3, discount: 0.5);
        collector.Add([0], 0, 1, [1], false, false);
        collector.Add([1], 0, 1, [2], terminated: false, truncated: true);
        Assert.Equal((1 + 0.5f, 2f, false, 2), (buffer[0].Reward, buffer[0].NextObservation[0], buffer[0].Terminated, buffer[0].StepCount));
        Assert.Equal((1f, 2f, false, 1), (buffer[1].Reward, buffer[1].NextObservation[0], buffer[1].Terminated, buffer[1].StepCount));
    }

    [Fact]
    public void One_step_passes_transitions_straight_through()
    {
        var buffer = new ReplayBuffer(16, 1);
        var collector = new NStepTransitions(buffer, steps: 1, discount: 0.9);
        collector.Add([0], 1, 2, [1], false, false);
        Assert.Equal(1, buffer.Count);
        Assert.Equal((2f, 1f, false, 1), (buffer[0].Reward, buffer[0].NextObservation[0], buffer[0].Terminated, buffer[0].StepCount));
    }
}

[Trait("Category", "unit")]
public class CategoricalProjectionTests
{
    static readonly float[] Support = [0, 1, 2, 3, 4];

    [Fact]
    public void A_shift_by_a_whole_spacing_moves_each_probability_one_atom()
    {
        var m = new float[5];
        CategoricalProjection.Project(Support, [0.1f, 0.2f, 0.3f, 0.4f, 0f], reward: 1, discount: 1, terminated: false, m);
        Assert.Equal(new[] { 0f, 0.1f, 0.2f, 0.3f, 0.4f }, m);
    }

    [Fact]
    public void Points_between_atoms_are_split_by_closeness_and_the_ends_are_clipped()
    {
        var m = new float[5];
        // r + γz = 0.5 + 0.5·{0..4} = {0.5, 1, 1.5, 2, 2.5}: each 0.2 of mass, split half-half at the x.5 points
        CategoricalProjection.Project(Support, [0.2f, 0.2f, 0.2f, 0.2f, 0.2f], 0.5f, 0.5f, false, m);
        Assert.Equal(new[] { 0.1f, 0.4f, 0.4f, 0.1f, 0f }, m.Select(x => MathF.Round(x, 6)));
        CategoricalProjection.Project(Support, [0f, 0f, 0f, 0f, 1f], 3f, 1f, false, m); // 7 → clipped to 4
        Assert.Equal(1f, m[4]);
    }

    [Fact]
    public void A_terminal_next_state_gives_the_reward_as_a_point_mass()
    {
        var m = new float[5];
        CategoricalProjection.Project(Support, [0.2f, 0.2f, 0.2f, 0.2f, 0.2f], 2.25f, 0.9f, terminated: true, m);
        Assert.Equal(new[] { 0f, 0f, 0.75f, 0.25f, 0f }, m.Select(x => MathF.Round(x, 6)));
        Assert.Equal(1f, m.Sum(), 5);
    }
}
