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
            new EvaluationSchedule { Interval = 2_500, Episodes = 50, Seed = 1_000, StopAtMeanReturn = 500 });
        Assert.NotNull(result.SolvedAtStep);
        Assert.True(result.Steps <= 100_000);
        // a fresh evaluation, on start states the stopping rule never saw
        var returns = Dqn.Evaluate(agent, new CartPole(), episodes: 20, seed: 2_024);
        Assert.True(returns.Average() >= 475, $"mean evaluation return {returns.Average():F1} after {result.Steps} steps");
    }

    [Fact]
    public void Tuned_settings_solve_CartPole_within_50000_steps_in_at_least_4_of_5_seeds()
    {
        TrainingProgress.Mode = ProgressMode.None;
        var solvedAt = new List<string>();
        int solved = 0;
        for (int seed = 0; seed < 5; seed++)
        {
            using var agent = new DqnAgent(4, 2, DqnHyperparameters.CartPoleTuned, seed);
            var result = Dqn.Train(agent, new CartPole(), 50_000, new CartPole(),
                new EvaluationSchedule { Interval = 2_500, Episodes = 20, Seed = 1_000, StopAtMeanReturn = 475 });
            if (result.SolvedAtStep is long at && at <= 50_000) solved++;
            solvedAt.Add(result.SolvedAtStep?.ToString() ?? "never");
        }
        Assert.True(solved >= 4, $"solved in {solved} of 5 seeds (steps: {string.Join(", ", solvedAt)})");
    }
}
