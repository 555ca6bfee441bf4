using CourseLib.Environments;
using CourseLib.Training;
using CourseLib.ValueBased.Deep;

namespace CourseLib.Tests.ValueBased.Deep;

[Trait("Category", "learning")]
public class DqnCartPoleTests
{
    [Fact]
    public void CartPoleTuned_seeds_0_to_4_stop_at_475_within_50k_steps_and_the_stopped_policy_scores_475_on_20_fresh_episodes_in_4_of_5()
    {
        // Training evaluates every 2,500 steps on 20 episodes (seed 1,000) and stops at the first mean ≥ 475: the agent it
        // returns is that checkpoint. Picking the first good evaluation favours a lucky one, so the claim is checked on
        // 20 start states the stopping rule never saw (seed 2,024). Measured (benchmarks' --dqn-seeds 50000 8): seeds
        // 0-7 stopped at 7.5k, 10k, 45k, 30k, 12.5k, 22.5k, 12.5k, 12.5k steps and scored 500, 500, 500, 499.9, 480.9, 500,
        // 497.3, 500 on the fresh episodes: 8 of 8. Seed 4 is close to the mark, so 4 of 5 must hold.
        TrainingProgress.Mode = ProgressMode.None;
        var lines = new List<string>();
        int good = 0;
        for (int seed = 0; seed < 5; seed++)
        {
            using var agent = new DqnAgent(4, 2, DqnHyperparameters.CartPoleTuned, seed);
            var result = Dqn.Train(agent, new CartPole(), 50_000, new CartPole(),
                new EvaluationSchedule { Interval = 2_500, Episodes = 20, Seed = 1_000, StopAtMeanReturn = 475 });
            Assert.True(result.Steps <= 50_000);
            var fresh = Dqn.Evaluate(agent, new CartPole(), episodes: 20, seed: 2_024);
            if (result.SolvedAtStep != null && fresh.Average() >= 475) good++;
            lines.Add($"seed {seed}: stopped at {result.SolvedAtStep?.ToString() ?? "never"}, fresh {fresh.Average():F1}");
        }
        Assert.True(good >= 4, $"{good} of 5 seeds stopped at 475 within 50k steps and scored ≥ 475 on 20 fresh episodes; 4 needed ({string.Join("; ", lines)})");
    }
}
