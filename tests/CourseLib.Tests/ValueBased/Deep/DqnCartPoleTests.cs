using CourseLib.Environments;
using CourseLib.Training;
using CourseLib.ValueBased.Deep;

namespace CourseLib.Tests.ValueBased.Deep;

public class DqnCartPoleTests
{
    [Fact]
    public void Learns_CartPole_to_a_mean_evaluation_return_of_475_within_100000_steps()
    {
        TrainingProgress.Mode = ProgressMode.None;
        using var agent = new DqnAgent(4, 2, DqnHyperparameters.CartPoleTuned, seed: 4);
        var result = Dqn.Train(agent, new CartPole(), 100_000, new CartPole(),
            new EvaluationSchedule { Interval = 2_500, Episodes = 20, Seed = 1_000, StopAtMeanReturn = 490 });
        Assert.NotNull(result.SolvedAtStep);
        Assert.True(result.Steps <= 100_000);
        // a fresh evaluation, on start states the stopping rule never saw
        var returns = Dqn.Evaluate(agent, new CartPole(), episodes: 20, seed: 2_024);
        Assert.True(returns.Average() >= 475, $"mean evaluation return {returns.Average():F1} after {result.Steps} steps");
    }
}
