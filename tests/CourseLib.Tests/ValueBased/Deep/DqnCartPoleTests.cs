using CourseLib.Environments;
using CourseLib.Training;
using CourseLib.ValueBased;
using CourseLib.ValueBased.Deep;

namespace CourseLib.Tests.ValueBased.Deep;

[Trait("Category", "learning")]
public class DqnCartPoleTests
{
    /// <summary>Evaluate every 2,500 steps on 20 episodes (seeds 1,000+) and stop at a mean of 475.</summary>
    internal static EvaluationOptions StopAt475 { get; } = new() { EverySteps = 2_500, Episodes = 20, Seed = 1_000, StopAtMeanReturn = 475 };

    [Fact]
    public void CartPoleTuned_seeds_0_to_4_stop_at_475_within_50k_steps_and_the_stopped_policy_scores_475_on_20_fresh_episodes_in_4_of_5()
    {
        // Training evaluates every 2,500 steps on 20 episodes (seed 1,000) and stops at the first mean ≥ 475: the agent it
        // returns is that checkpoint. Picking the first good evaluation favours a lucky one, so the claim is checked on
        // 20 start states the stopping rule never saw (seeds 2,024+). Measured with the shared evaluation (EvaluationOptions:
        // episode k resets from Seed + k; benchmarks' --dqn-seeds 50000 5): seeds 0-4 stopped at 22.5k, 10k, 45k, 30k, 12.5k
        // steps and scored 500, 500, 500, 499.9, 474.2 on the fresh episodes: 4 of 5 (before, with the old schedule's
        // episode seeds, seed 0 stopped at 7.5k and seed 4 scored 480.9). Seed 4 is at the mark, so 4 of 5 must hold.
        TrainingProgress.Mode = ProgressMode.None;
        var lines = new List<string>();
        int good = 0;
        for (int seed = 0; seed < 5; seed++)
        {
            using var agent = new DqnAgent(4, 2, DqnOptions.CartPoleTuned with { Seed = seed, Evaluation = StopAt475 });
            var result = Dqn.Train(agent, new CartPole(), 50_000, new CartPole());
            Assert.True(result.Steps <= 50_000);
            var fresh = Dqn.Evaluate(agent, new CartPole(), new EvaluationOptions { Episodes = 20, Seed = 2_024 });
            if (result.SolvedAtStep != null && fresh.MeanReturn >= 475) good++;
            lines.Add($"seed {seed}: stopped at {result.SolvedAtStep?.ToString() ?? "never"}, fresh {fresh.MeanReturn:F1}");
        }
        Assert.True(good >= 4, $"{good} of 5 seeds stopped at 475 within 50k steps and scored ≥ 475 on 20 fresh episodes; 4 needed ({string.Join("; ", lines)})");
    }

    // Notebook 06's exercise, solved, and a seeded mistake: the future left out (y = r, as with γ = 0), so every action
    // looks worth 1 and nothing is learned. (Ignoring `terminated` is not such a mistake here: with 3-step targets the
    // n-step reward sums alone tell a falling pole from an upright one, and that run solved seeds 0-2 within 25,000
    // steps when measured.)
    static double[] RightTargets(double[] rewards, double gamma, double[][] nextQTarget, bool[] terminated) =>
        rewards.Select((r, i) => terminated[i] ? r : r + gamma * nextQTarget[i].Max()).ToArray();
    static double[] NoFuture(double[] rewards, double gamma, double[][] nextQTarget, bool[] terminated) =>
        (double[])rewards.Clone();

    /// <summary>The DQN that notebook 06 trains with the student's DqnTargets: CartPoleTuned without double Q (3-step targets).</summary>
    internal static DqnOptions WithoutDoubleQ(int seed) => DqnOptions.CartPoleTuned with { DoubleQ = false, Seed = seed, Evaluation = StopAt475 };

    [Fact]
    public void Training_with_the_right_DqnTargets_learns_CartPole_and_with_a_seeded_wrong_one_it_does_not()
    {
        // Measured (seeds 0-2, 30,000 steps, 20 fresh episodes from seed 2,024): right targets 500.0 (stopped at 22,500),
        // 195.7, 364.6; y = r: 9.8, 9.8, 68.0. So: ≥ 195 in 2 of 3 for the right function, < 195 in all for the wrong one.
        TrainingProgress.Mode = ProgressMode.None;
        CourseLib.Exercises.Solution.Notes = TextWriter.Null;
        var lines = new List<string>();
        int right = 0, wrong = 0;
        for (int seed = 0; seed < 3; seed++)
        {
            double Fresh(Func<double[], double, double[][], bool[], double[]> targets, string name)
            {
                using var agent = new DqnAgent(4, 2, WithoutDoubleQ(seed));
                var result = Dqn.Train(agent, new CartPole(), 30_000, new CartPole(), dqnTargets: targets);
                double fresh = Dqn.Evaluate(agent, new CartPole(), new EvaluationOptions { Episodes = 20, Seed = 2_024 }).MeanReturn;
                lines.Add($"seed {seed} {name}: stopped at {result.SolvedAtStep?.ToString() ?? "never"}, fresh {fresh:F1}");
                return fresh;
            }
            if (Fresh(RightTargets, "right") >= 195) right++;
            if (Fresh(NoFuture, "y = r") >= 195) wrong++;
        }
        CourseLib.Exercises.Solution.Notes = null;
        Assert.True(right >= 2 && wrong == 0,
            $"right targets: {right} of 3 seeds scored ≥ 195 on 20 fresh episodes (2 needed); y = r: {wrong} of 3 did (0 allowed). {string.Join("; ", lines)}");
    }
}
