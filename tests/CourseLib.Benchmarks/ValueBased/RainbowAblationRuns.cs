using CourseLib.Training;
using CourseLib.ValueBased.Deep;

namespace CourseLib.Benchmarks.ValueBased;

/// <summary>
/// Notebook 06's Rainbow ablation with other budgets: per variant, the mean greedy evaluation curve over the seeds,
/// each seed's last evaluation, and the compute time of its runs.
/// Usage: <c>--rainbow-ablation [steps] [seeds] [every=E] [episodes=K] [parallel=P]</c> (the notebook's: 6000 3 every=1000 episodes=5).
/// </summary>
static class RainbowAblationRuns
{
    public static int Run(string[] args)
    {
        TrainingProgress.Mode = ProgressMode.None;
        var (steps, seeds, _, settings) = LearningSeeds.Parse(args, 6_000, 3);
        string Setting(string key, string fallback) => settings.TryGetValue(key, out var v) ? v : fallback;
        var schedule = new EvaluationOptions { EverySteps = long.Parse(Setting("every", "1000")), Episodes = int.Parse(Setting("episodes", "5")) };
        var plain = DqnOptions.CartPoleTuned with { DoubleQ = false, NSteps = 1 };
        using var result = RainbowAblation.CartPole(RainbowAblation.Variants(plain), steps, seeds, schedule,
            settings.TryGetValue("parallel", out var p) ? int.Parse(p) : null);
        Console.WriteLine($"Rainbow ablation on CartPole-v1: {steps:N0} steps × {seeds} seeds per variant, evaluations every {schedule.EverySteps:N0} steps ({schedule.Episodes} episodes)");
        Console.WriteLine($"{"",-22} {string.Join(" ", result.EvaluationSteps.Select(s => $"{s,6:0}"))}   last evaluation per seed   compute");
        foreach (var curve in result.Curves)
            Console.WriteLine($"{curve.Name,-22} {string.Join(" ", curve.MeanReturns.Select(m => $"{m,6:0}"))}   " +
                              $"{string.Join(" ", curve.ReturnsPerSeed.Select(r => $"{r[^1],4:0}")),-24}   {curve.ComputeTime.TotalSeconds,5:0.0} s");
        Console.WriteLine($"wall clock {result.Elapsed.TotalSeconds:0.0} s");
        return 0;
    }
}
