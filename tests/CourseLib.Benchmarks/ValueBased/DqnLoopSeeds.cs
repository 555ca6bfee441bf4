using CourseLib.Environments;
using CourseLib.Training;
using CourseLib.ValueBased.Deep;

namespace CourseLib.Benchmarks.ValueBased;

/// <summary>
/// The sweep behind notebook 06's "write the DQN update" outcome check (<c>Check.DqnCartPole</c>): plain DQN (1-step
/// targets, no double Q) on CartPole-v1 per seed, with its greedy evaluations along the way, where it stopped, and its
/// score on 20 fresh episodes (seed 2,024).
/// Usage: <c>--dqn-loop-seeds [steps] [seeds] [first=N] [path=check|concise|fast] [parallel=P] [target=C] [lr=η] [every=E]
/// [episodes=K] [stop=R] [nsteps=n] [double=true]</c>. The defaults are the check's own settings
/// (<see cref="CourseLib.Exercises.Check.DqnCartPoleOptions"/>, <see cref="CourseLib.Exercises.Check.DqnCartPoleBudget"/>);
/// <c>path=check</c> (the default) runs the check's own training (the reference update, the network of the best
/// evaluation) and the grader's evaluation; <c>concise</c> and <c>fast</c> take the other settings and score the final network.
/// </summary>
static class DqnLoopSeeds
{
    public static int Run(string[] args)
    {
        TrainingProgress.Mode = ProgressMode.None;
        var (steps, seeds, first, settings) = LearningSeeds.Parse(args, CourseLib.Exercises.Check.DqnCartPoleBudget, 10);
        string Setting(string key, string fallback) => settings.TryGetValue(key, out var v) ? v : fallback;
        string path = Setting("path", "check");
        bool concise = path == "concise";
        var check = CourseLib.Exercises.Check.DqnCartPoleOptions;
        var options = check with
        {
            TargetUpdateInterval = int.Parse(Setting("target", check.TargetUpdateInterval.ToString())),
            LearningRate = double.Parse(Setting("lr", check.LearningRate.ToString("R"))),
            NSteps = int.Parse(Setting("nsteps", check.NSteps.ToString())),
            DoubleQ = bool.Parse(Setting("double", check.DoubleQ.ToString())),
            Evaluation = check.Evaluation with
            {
                EverySteps = long.Parse(Setting("every", check.Evaluation.EverySteps.ToString())),
                Episodes = int.Parse(Setting("episodes", check.Evaluation.Episodes.ToString())),
                StopAtMeanReturn = double.Parse(Setting("stop", (check.Evaluation.StopAtMeanReturn ?? 1e9).ToString("R"))),
            },
        };
        Console.WriteLine($"plain DQN on CartPole-v1, {path switch { "check" => "the outcome check's training", "concise" => "ConciseDqn", _ => "Dqn.Train (fast path)" }}, at most {steps:N0} steps: {options}");
        var fresh = new EvaluationOptions { Episodes = 20, Seed = 2_024 };
        var lines = new string[seeds];
        var freshMeans = new double[seeds];
        var clock = System.Diagnostics.Stopwatch.StartNew();
        Parallel.For(0, seeds, new ParallelOptions { MaxDegreeOfParallelism = int.Parse(Setting("parallel", "2")) }, i =>
        {
            int seed = first + i;
            var seeded = options with { Seed = seed };
            IReadOnlyList<EvaluationRecord> evaluations;
            long? solvedAt;
            double rate;
            if (path == "check")
            {
                var clock = System.Diagnostics.Stopwatch.StartNew();
                var weights = CourseLib.Exercises.Check.TrainDqnCartPole(new(seed, steps, 2_024), ConciseDqn.Update);
                freshMeans[i] = CourseLib.Exercises.Check.DqnGreedyReturns(weights, 2_024).Average();
                lines[i] = $"seed {seed,3}: fresh {freshMeans[i],5:0.0}, {clock.Elapsed.TotalSeconds:0.0} s";
                Console.WriteLine(lines[i]);
                return;
            }
            if (concise)
            {
                var run = ConciseDqn.Train(new CartPole(), seeded, steps, new CartPole());
                using var q = run.Agent;
                (evaluations, solvedAt, rate) = (run.Evaluations, run.SolvedAtStep, run.StepsPerSecond);
                freshMeans[i] = ConciseDqn.Evaluate(q, new CartPole(), fresh).MeanReturn;
            }
            else
            {
                using var agent = new DqnAgent(4, 2, seeded);
                var run = Dqn.Train(agent, new CartPole(), steps, new CartPole());
                (evaluations, solvedAt, rate) = (run.Evaluations, run.SolvedAtStep, run.StepsPerSecond);
                freshMeans[i] = Dqn.Evaluate(agent, new CartPole(), fresh).MeanReturn;
            }
            lines[i] = $"seed {seed,3}: stopped at {solvedAt?.ToString("N0") ?? "never",7}, fresh {freshMeans[i],5:0.0}, {rate,6:N0} steps/s; " +
                       $"evaluations {string.Join(" ", evaluations.Select(e => e.MeanReturn.ToString("0")))}";
            Console.WriteLine(lines[i]);
        });
        foreach (double threshold in new[] { 100.0, 150, 195, 475 })
            Console.WriteLine($"fresh mean ≥ {threshold}: {freshMeans.Count(m => m >= threshold)} of {seeds}");
        Console.WriteLine($"{clock.Elapsed.TotalSeconds:0} s");
        return 0;
    }
}
