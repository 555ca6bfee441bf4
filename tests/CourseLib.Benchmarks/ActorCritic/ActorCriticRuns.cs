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
///   the final greedy policy's mean over 20 episodes (seeds 10 000+) and 20 fresh ones (seeds 20 000+) per seed, and how many reach 475 on both. Options override the
///   defaults: lr, ent, vf, clip, envs, n, lambda, discount, anneal, norm, hidden (e.g. 64x64); first=k starts at seed k;
///   parallel=2 runs two seeds at a time; gae=right|bootstrap|cross|nogamma trains with a student's Gae (<c>CourseLib.Tests.ActorCritic.GaeSolutions</c>) instead of the library's;
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
                    ? new A3COptions { Workers = 2, Seed = 0, TotalSteps = steps, Evaluation = new EvaluationOptions { EverySteps = 5_000, StopAtMeanReturn = 195 } }
                    : new A3COptions { Workers = workers, TotalSteps = steps, Seed = run };
                var result = A3C.TrainCartPole(options);
                if (learn)
                {
                    var best = result.Evaluations.MaxBy(e => e.MeanReturn)!;
                    if (best.MeanReturn >= 195) reached++;
                    Console.WriteLine($"run {run,3}: seed 0, best evaluation {best.MeanReturn:0.0} at {best.Step:N0} steps");
                }
                bool finite = result.Agent.AllParametersFinite();
                if (!finite) notFinite++;
                double greedy = Evaluation.Run(new CartPole(), result.Agent.Snapshot().GreedyAction, episodes: 5).MeanReturn;
                Console.WriteLine($"run {run,3}: {workers} workers, {result.History.Count,5} updates, greedy {greedy,5:0}, finite {finite}, {clock.Elapsed.TotalSeconds:0} s");
                result.Agent.Dispose();
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
        int firstSeed = 0, parallel = 1;
        bool gcPressure = false;
        string gaeName = "reference";
        Func<double[], double[], double[], bool[], bool[], double, double, double[]>? gae = null;
        foreach (var setting in args.Skip(2))
        {
            if (setting.StartsWith("first=")) { firstSeed = int.Parse(setting[6..]); continue; }
            if (setting.StartsWith("parallel=")) { parallel = int.Parse(setting[9..]); continue; }
            if (setting == "--gc") { gcPressure = true; continue; }
            if (setting.StartsWith("gae=")) { gaeName = setting[4..]; gae = CourseLib.Tests.ActorCritic.GaeSolutions.ByName(gaeName); continue; }
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
                "discount" => options with { Discount = double.Parse(value) },
                "anneal" => options with { AnnealLearningRate = bool.Parse(value) },
                "norm" => options with { NormalizeAdvantages = bool.Parse(value) },
                "hidden" => options with { HiddenSizes = value.Split('x').Select(int.Parse).ToArray() },
                _ => throw new ArgumentException($"unknown setting '{key}'")
            };
        }
        Console.WriteLine($"A2C, {steps:N0} steps, Gae: {gaeName}, {string.Join(" ", args.Skip(2))}");
        // --gc: the same background collections as --a3c-stress --gc (A2C itself is single-threaded and calls TorchSharp).
        using var pressure = gcPressure ? CourseLib.Tests.Foundation.TorchFaultHarness.ForceCollections() : null;
        var clock = Stopwatch.StartNew();
        int good = 0, failed = 0;
        var means = new List<double>();
        // parallel=2: two seeds at a time (A2C is single-threaded); one torch thread for the whole sweep, so that the
        // runs' own scopes do not race to restore it.
        using var threads = TorchThreads.One();
        var lines = new string[seeds];
        var gate = new object();
        Parallel.For(firstSeed, firstSeed + seeds, new ParallelOptions { MaxDegreeOfParallelism = parallel }, seed =>
        {
            var started = clock.Elapsed;
            TrainingResult<ActorCriticNetwork, TrainingUpdate> result;
            try { result = A2C.TrainCartPole(options with { Seed = seed }, gae); }
            catch (Exception e) when (gcPressure)
            {
                lock (gate) { failed++; lines[seed - firstSeed] = $"seed {seed}: FAILED {e.GetType().Name}: {e.Message.Split('\n')[0]}"; }
                return;
            }
            var greedy = result.Agent.Snapshot();
            var returns = Evaluation.Run(new CartPole(), greedy.GreedyAction, episodes: 20);
            var fresh = Evaluation.Run(new CartPole(), greedy.GreedyAction, episodes: 20, seed: 20_000);
            double mean = returns.MeanReturn;
            string line = $"seed {seed}: mean {mean,6:0.0}  fresh {fresh.MeanReturn,6:0.0}  min {Math.Min(returns.MinimumReturn, fresh.MinimumReturn),4:0}  " +
                          $"last training return {result.RecentMeanReturn(),6:0.0}  {(clock.Elapsed - started).TotalSeconds:0.0} s";
            lock (gate)
            {
                means.Add(mean);
                if (mean >= 475 && fresh.MeanReturn >= 475) good++;
                lines[seed - firstSeed] = line;
                Console.WriteLine(line);
            }
            result.Agent.Dispose();
        });
        Console.WriteLine("in seed order:\n" + string.Join("\n", lines));
        Console.WriteLine($"{good} of {seeds} seeds ≥ 475 on both sets of 20 episodes; mean of means {(means.Count > 0 ? means.Average() : double.NaN):0.0}; {(gcPressure ? $"{failed} failed under GC pressure; " : "")}{clock.Elapsed.TotalSeconds:0} s");
        return 0;
    }
}
