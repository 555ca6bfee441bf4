using CourseLib.ValueBased;

namespace CourseLib.Tests.ValueBased;

[Trait("Category", "unit")]
public class TdTargetTests
{
    [Fact]
    public void Q_learning_bootstraps_from_the_best_next_action_unless_terminated()
    {
        Assert.Equal(1 + 0.9 * 5, TdTarget.QLearning(1, 0.9, [2, 5, -1], terminated: false), 12);
        Assert.Equal(1.0, TdTarget.QLearning(1, 0.9, [2, 5, -1], terminated: true));
    }

    [Fact]
    public void Sarsa_bootstraps_from_the_chosen_next_action()
    {
        Assert.Equal(-1 + 0.5 * 4, TdTarget.Sarsa(-1, 0.5, 4, terminated: false), 12);
        Assert.Equal(-1.0, TdTarget.Sarsa(-1, 0.5, 4, terminated: true));
    }

    [Fact]
    public void Double_DQN_lets_the_online_network_choose_and_the_target_network_evaluate()
    {
        double[] target = [1, 10], online = [3, 2];
        Assert.Equal(0 + 0.5 * 10, TdTarget.Dqn(0, 0.5, target, false), 12);
        Assert.Equal(0 + 0.5 * 1, TdTarget.Dqn(0, 0.5, target, false, online), 12);
        Assert.Equal(2.0, TdTarget.Dqn(2, 0.5, target, true, online));
    }

    [Fact]
    public void N_step_return_discounts_each_reward_and_the_bootstrap()
    {
        Assert.Equal(1 + 0.5 * 2 + 0.25 * 3 + 0.125 * 8, TdTarget.NStep([1, 2, 3], 0.5, 8, false), 12);
        Assert.Equal(1 + 0.5 * 2 + 0.25 * 3, TdTarget.NStep([1, 2, 3], 0.5, 8, true), 12);
    }

    [Fact]
    public void Bad_discounts_are_rejected_by_name()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => TdTarget.QLearning(0, 1.5, [0], false));
        Assert.Equal("discount", e.ParamName);
    }

    [Fact]
    public void The_TD_error_is_prediction_minus_target()
    {
        Assert.Equal(2.0, TdTarget.Error(5, 3));
    }

    [Fact]
    public void Linear_schedule_moves_from_start_to_end_and_stays()
    {
        var schedule = new LinearSchedule(1.0, 0.05, 100);
        Assert.Equal(1.0, schedule.At(0));
        Assert.Equal(0.525, schedule.At(50), 12);
        Assert.Equal(0.05, schedule.At(100));
        Assert.Equal(0.05, schedule.At(10_000));
    }
}
