using System.Diagnostics;
using CourseLib.ActorCritic;
using CourseLib.Environments;
using CourseLib.Training;

namespace CourseLib.Benchmarks.ActorCritic;

/// <summary>
/// Reliability runs for the actor-critic section (on demand; never part of the tests):
/// <list type="bullet">
/// <item><c>--a3c-stress [runs] [steps] [--gc] [--learn]</c>: A3C on CartPole-v1 again and again with 2, 3 and 4 workers in turn; counts the
///   runs that failed (any exception) and the ones whose parameters are not finite. With --gc a background thread
///   forces garbage collections all the time (finalizers then run while the workers are inside native calls). With --learn every run is the learning test's
///   (seed 0, 2 workers, evaluation every 5k steps, stop at 195), and the runs that reached 195 are counted.</item>
/// <item><c>--a2c-seeds [steps] [seeds] [key=value ...]</c>: A2C with a fixed budget (no stop-at-threshold) on seeds 0..seeds−1;
///   the final greedy policy's mean over 20 fresh episodes per seed, and how many reach 475. Options override the
///   defaults: lr, ent, vf, clip, envs, n, lambda, gamma, anneal, norm, hidden (e.g. 64x64); first=k starts at seed k;
///   --gc forces garbage collections from a background thread meanwhile and counts the runs that fail.</item>
/// </list>
/// Run: dotnet run -c Release --project tests/CourseLib.Benchmarks -- --a3c-stress 40 20000
/// </summary>
static class ActorCriticRuns
{
    public static int A3CStress(string[] args)
    {
        TrainingProgress.Mode = ProgressMode.None;
        int runs = args.Length > 0 ? int.Parse(args[0]) : 30;
        long steps = args.Length > 1 ? long.Parse(args[1]) : 20_000;
        // --gc: a thread that forces garbage collections all the time, as a busy notebook kernel or a parallel test
        // does now and then (finalizers then run while the workers are inside native calls).
        bool gcPressure = args.Contains("--gc");
        // --learn: seed 0 with 2 workers every time, evaluating every 5k steps and stopping at 195 (the learning test's run).
        bool learn = args.Contains("--learn");
        int reached = 0;
        var pressure = gcPressure ? CourseLib.Tests.Foundation.TorchFaultHarness.ForceCollections() : null;
        int failures = 0, notFinite = 0;
        var clock = Stopwatch.StartNew();
        for (int run = 0; run < runs; run++)
        {
            int workers = learn ? 2 : 2 + run % 3;
            try
            {
                var options = learn
                    ? new A3COptions { Workers = 2, Seed = 0, TotalSteps = steps, EvaluateEverySteps = 5_000, StopAtEvaluationReturn = 195 }
                    : new A3COptions { Workers = workers, TotalSteps = steps, Seed = run };
                var result = A3C.TrainCartPole(options);
                if (learn)
                {
                    var best = result.History.Evaluations.MaxBy(e => e.MeanReturn);
                    if (best.MeanReturn >= 195) reached++;
                    Console.WriteLine($"run {run,3}: seed 0, best evaluation {best.MeanReturn:0.0} at {best.Step:N0} steps");
                }
                bool finite = result.Network.AllParametersFinite();
                if (!finite) notFinite++;
                double greedy = ActorEvaluation.Returns(result.Network, new CartPole(), episodes: 5).Average();
                Console.WriteLine($"run {run,3}: {workers} workers, {result.History.Updates.Count,5} updates, greedy {greedy,5:0}, finite {finite}, {clock.Elapsed.TotalSeconds:0} s");
                result.Network.Dispose();
            }
            catch (Exception e)
            {
                failures++;
                Console.WriteLine($"run {run,3}: {workers} workers FAILED: {e.GetType().Name}: {e.Message}\n{e.StackTrace}");
            }
        }
        pressure?.Dispose();
        Console.WriteLine($"{runs} runs{(gcPressure ? " under GC pressure" : "")}: {failures} failed, {notFinite} with non-finite parameters{(learn ? $", {reached} reached 195" : "")}, {clock.Elapsed.TotalSeconds:0} s");
        return failures + notFinite == 0 ? 0 : 1;
    }

    public static int A2CSeeds(string[] args)
    {
        TrainingProgress.Mode = ProgressMode.None;
        long steps = args.Length > 0 ? long.Parse(args[0]) : 100_000;
        int seeds = args.Length > 1 ? int.Parse(args[1]) : 8;
        var options = new A2COptions { TotalSteps = steps };
        int firstSeed = 0;
        bool gcPressure = false;
        foreach (var setting in args.Skip(2))
        {
            if (setting.StartsWith("first=")) { firstSeed = int.Parse(setting[6..]); continue; }
            if (setting == "--gc") { gcPressure = true; continue; }
            var (key, value) = (setting.Split('=')[0], setting.Split('=')[1]);
            options = key switch
            {
                "lr" => options with { LearningRate = double.Parse(value) },
                "ent" => options with { EntropyCoefficient = double.Parse(value) },
                "vf" => options with { ValueLossCoefficient = double.Parse(value) },
                "clip" => options with { MaxGradientNorm = double.Parse(value) },
                "envs" => options with { Environments = int.Parse(value) },
                "n" => options with { StepsPerUpdate = int.Parse(value) },
                "lambda" => options with { Lambda = double.Parse(value) },
                "gamma" => options with { Gamma = double.Parse(value) },
                "anneal" => options with { AnnealLearningRate = bool.Parse(value) },
                "norm" => options with { NormalizeAdvantages = bool.Parse(value) },
                "hidden" => options with { HiddenSizes = value.Split('x').Select(int.Parse).ToArray() },
                _ => throw new ArgumentException($"unknown setting '{key}'")
            };
        }
        Console.WriteLine($"A2C, {steps:N0} steps, {string.Join(" ", args.Skip(2))}");
        // --gc: the same background collections as --a3c-stress --gc (A2C itself is single-threaded and calls TorchSharp).
        using var pressure = gcPressure ? CourseLib.Tests.Foundation.TorchFaultHarness.ForceCollections() : null;
        var clock = Stopwatch.StartNew();
        int good = 0, failed = 0;
        var means = new List<double>();
        for (int seed = firstSeed; seed < firstSeed + seeds; seed++)
        {
            var started = clock.Elapsed;
            ActorCriticResult result;
            try { result = A2C.TrainCartPole(options with { Seed = seed }); }
            catch (Exception e) when (gcPressure)
            {
                failed++;
                Console.WriteLine($"seed {seed}: FAILED {e.GetType().Name}: {e.Message.Split('\n')[0]}");
                continue;
            }
            var returns = ActorEvaluation.Returns(result.Network, new CartPole(), episodes: 20);
            double mean = returns.Average();
            means.Add(mean);
            if (mean >= 475) good++;
            Console.WriteLine($"seed {seed}: mean {mean,6:0.0}  min {returns.Min(),4:0}  last training return {result.History.RecentMeanReturn(),6:0.0}  {(clock.Elapsed - started).TotalSeconds:0.0} s");
            result.Network.Dispose();
        }
        Console.WriteLine($"{good} of {seeds} seeds ≥ 475; mean of means {(means.Count > 0 ? means.Average() : double.NaN):0.0}; {(gcPressure ? $"{failed} failed under GC pressure; " : "")}{clock.Elapsed.TotalSeconds:0} s");
        return 0;
    }
}
