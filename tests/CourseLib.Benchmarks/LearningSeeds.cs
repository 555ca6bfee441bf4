using System.Diagnostics;
using CourseLib.ActorCritic;
using CourseLib.Environments;
using CourseLib.PolicyGradient;
using CourseLib.Training;
using CourseLib.ValueBased;
using CourseLib.ValueBased.Deep;

namespace CourseLib.Benchmarks;

/// <summary>
/// The seed sweeps behind the learning tests' "k of n seeds" (on demand; never part of the tests). Each prints one line
/// per seed and a summary; the tests' thresholds and k of n are chosen from these figures.
/// <list type="bullet">
/// <item><c>--a3c-seeds [steps] [seeds] [first=k] [workers=w] [stop=R] [every=5000] [episodes=20] [lr= ent= n= lambda= clip= anneal= gradient=]</c>: A3C without stop-at-threshold; the final greedy
///   policy's mean over 20 episodes (evaluation seeds 10 000+) and 20 fresh ones (seed 20 000), and how many seeds reach
///   475 on both. With stop=R it evaluates every 5,000 steps and stops at a mean of R: the policy it returns is the
///   copy that reached R.</item>
/// <item><c>--dqn-seeds [steps] [seeds] [first=k]</c>: DQN (<c>CartPoleTuned</c>) with evaluations every 2,500 steps that stop
///   at a mean of 475 over 20 episodes; the stopped (or final) agent on 20 fresh episodes (seed 2 024).</item>
/// <item><c>--pong-shipped [games] [seeds]</c>: the shipped Pong policy (sampled, as trained) and the random policy: points won − lost per game.</item>
/// <item><c>--mountaincar-seeds [episodes] [seeds]</c>: tile-coded linear Q-learning on MountainCar: the greedy policy's mean
///   return over 20 evaluation episodes per training seed.</item>
/// </list>
/// Run: dotnet run -c Release --project tests/CourseLib.Benchmarks -- --a3c-seeds 200000 8
/// </summary>
static class LearningSeeds
{
    /// <summary>A seed sweep's arguments: [steps] [seeds] and key=value settings (first=N: the first seed).</summary>
    internal static (long Steps, int Seeds, int First, Dictionary<string, string> Settings) Parse(string[] args, long steps, int seeds)
    {
        var numbers = args.Where(a => !a.Contains('=')).ToArray();
        var settings = args.Where(a => a.Contains('=')).ToDictionary(a => a.Split('=')[0], a => a.Split('=')[1]);
        return (numbers.Length > 0 ? long.Parse(numbers[0]) : steps, numbers.Length > 1 ? int.Parse(numbers[1]) : seeds,
            settings.TryGetValue("first", out var first) ? int.Parse(first) : 0, settings);
    }

    public static int A3CSeeds(string[] args)
    {
        TrainingProgress.Mode = ProgressMode.None;
        var (steps, seeds, first, settings) = Parse(args, 200_000, 8);
        int workers = settings.TryGetValue("workers", out var w) ? int.Parse(w) : 2;
        double? stopAt = settings.TryGetValue("stop", out var stop) ? double.Parse(stop) : null;
        Console.WriteLine($"A3C, {workers} workers, {steps:N0} steps, {string.Join(" ", settings.Select(p => $"{p.Key}={p.Value}"))}, {(stopAt is null ? "final greedy policy" : $"evaluations every 5,000 steps, stop at {stopAt}")}");
        var clock = Stopwatch.StartNew();
        int good = 0;
        for (int seed = first; seed < first + seeds; seed++)
        {
            var started = clock.Elapsed;
            var result = A3C.TrainCartPole(Tuned(new A3COptions
            {
                Workers = workers, Seed = seed, TotalSteps = steps,
                Evaluation = stopAt is null ? EvaluationOptions.None : new EvaluationOptions
                {
                    EverySteps = settings.TryGetValue("every", out var every) ? long.Parse(every) : 5_000,
                    Episodes = settings.TryGetValue("episodes", out var episodes) ? int.Parse(episodes) : 20,
                    StopAtMeanReturn = stopAt,
                },
            }, settings));
            var greedy = result.Agent.Snapshot();
            var returns = Evaluation.Run(new CartPole(), greedy.GreedyAction, episodes: 20);
            var fresh = Evaluation.Run(new CartPole(), greedy.GreedyAction, episodes: 20, seed: 20_000);
            if (returns.MeanReturn >= 475 && fresh.MeanReturn >= 475) good++;
            Console.WriteLine($"seed {seed}: {result.Steps,7:N0} steps  {(result.SolvedAtStep is { } solved ? $"stopped at {solved,7:N0}" : "no stop          ")}  " +
                              $"mean {returns.MeanReturn,6:0.0}  fresh {fresh.MeanReturn,6:0.0}  min {Math.Min(returns.MinimumReturn, fresh.MinimumReturn),4:0}  {(clock.Elapsed - started).TotalSeconds:0.0} s");
            result.Agent.Dispose();
        }
        Console.WriteLine($"{good} of {seeds} seeds ≥ 475 on both; {clock.Elapsed.TotalSeconds:0} s");
        return 0;
    }

    // --a3c-seeds' optional settings: lr, ent, n (t_max), lambda, clip, anneal, gradient (Handwritten or Autograd).
    static A3COptions Tuned(A3COptions options, Dictionary<string, string> settings)
    {
        foreach (var (key, value) in settings)
            options = key switch
            {
                "lr" => options with { LearningRate = double.Parse(value) },
                "ent" => options with { EntropyCoefficient = double.Parse(value) },
                "n" => options with { StepsPerUpdate = int.Parse(value) },
                "lambda" => options with { Lambda = double.Parse(value) },
                "clip" => options with { MaxGradientNorm = double.Parse(value) },
                "anneal" => options with { AnnealLearningRate = bool.Parse(value) },
                "gradient" => options with { Gradient = Enum.Parse<A3CGradient>(value, ignoreCase: true) },
                "first" or "workers" or "stop" or "every" or "episodes" => options,
                _ => throw new ArgumentException($"unknown setting '{key}'"),
            };
        return options;
    }

    public static int DqnSeeds(string[] args)
    {
        TrainingProgress.Mode = ProgressMode.None;
        var (steps, seeds, first, _) = Parse(args, 50_000, 8);
        Console.WriteLine($"DQN CartPoleTuned, at most {steps:N0} steps, stop at a mean of 475 over 20 evaluation episodes");
        var clock = Stopwatch.StartNew();
        int good = 0;
        for (int seed = first; seed < first + seeds; seed++)
        {
            var started = clock.Elapsed;
            using var agent = new DqnAgent(4, 2, DqnOptions.CartPoleTuned with
            {
                Seed = seed, Evaluation = new EvaluationOptions { EverySteps = 2_500, Episodes = 20, Seed = 1_000, StopAtMeanReturn = 475 },
            });
            var result = Dqn.Train(agent, new CartPole(), steps, new CartPole());
            var fresh = Dqn.Evaluate(agent, new CartPole(), new EvaluationOptions { Episodes = 20, Seed = 2_024 }).Returns;
            if (result.SolvedAtStep != null && fresh.Average() >= 475) good++;
            Console.WriteLine($"seed {seed}: stopped at {result.SolvedAtStep?.ToString("N0") ?? "never"}  fresh {fresh.Average(),6:0.0} (min {fresh.Min(),4:0})  {(clock.Elapsed - started).TotalSeconds:0.0} s");
        }
        Console.WriteLine($"{good} of {seeds} seeds stopped at 475 and scored ≥ 475 on fresh episodes; {clock.Elapsed.TotalSeconds:0} s");
        return 0;
    }

    /// <summary>
    /// ConciseDqn against the fast path (Dqn.Train) on CartPole with the same settings (CartPoleTuned with 1-step
    /// targets; evaluations every 2,500 steps, stop at 475): per seed, where each stopped, its score on 20 fresh episodes
    /// (seed 2,024) and its steps per second. Usage: --concise-dqn [steps] [seeds] [first=N] [target=C] [only=fast|concise].
    /// The default settings are <see cref="ConciseCartPole"/>.
    /// </summary>
    /// <summary>CartPoleTuned with 1-step targets (all that ConciseDqn implements) and a target network refreshed every 100 steps.</summary>
    public static DqnOptions ConciseCartPole { get; } = DqnOptions.CartPoleTuned with { NSteps = 1, TargetUpdateInterval = 100 };

    public static int ConciseDqnSeeds(string[] args)
    {
        TrainingProgress.Mode = ProgressMode.None;
        var (steps, seeds, first, settings) = Parse(args, 50_000, 5);
        int targetInterval = settings.TryGetValue("target", out var c) ? int.Parse(c) : ConciseCartPole.TargetUpdateInterval;
        string only = settings.TryGetValue("only", out var o) ? o : "";
        var fresh = new EvaluationOptions { Episodes = 20, Seed = 2_024 };
        Console.WriteLine($"DQN CartPoleTuned with NSteps = 1, TargetUpdateInterval = {targetInterval}, at most {steps:N0} steps, stop at a mean of 475 over 20 evaluation episodes");
        int conciseGood = 0, fastGood = 0;
        var conciseRates = new List<double>();
        var fastRates = new List<double>();
        for (int seed = first; seed < first + seeds; seed++)
        {
            var options = ConciseCartPole with
            {
                TargetUpdateInterval = targetInterval, Seed = seed,
                Evaluation = new EvaluationOptions { EverySteps = 2_500, Episodes = 20, Seed = 1_000, StopAtMeanReturn = 475 },
            };
            var concise = ConciseDqn.Train(new CartPole(), options, only == "fast" ? 0 : steps, new CartPole());
            double conciseFresh;
            using (var q = concise.Agent)
            using (TorchThreads.One())
                conciseFresh = Evaluation.Run(new CartPole(), o =>
                {
                    var x = new float[4];
                    o.CopyTo(x);
                    using var scope = TorchSharp.torch.NewDisposeScope();
                    using var noGrad = TorchSharp.torch.no_grad();
                    return (int)q.forward(TorchSharp.torch.tensor(x).unsqueeze(0)).argmax(1).item<long>();
                }, fresh).MeanReturn;
            using var agent = new DqnAgent(4, 2, options);
            var fast = Dqn.Train(agent, new CartPole(), only == "concise" ? 0 : steps, new CartPole());
            double fastFresh = Dqn.Evaluate(agent, new CartPole(), fresh).MeanReturn;
            if (concise.SolvedAtStep != null && conciseFresh >= 475) conciseGood++;
            if (fast.SolvedAtStep != null && fastFresh >= 475) fastGood++;
            conciseRates.Add(concise.StepsPerSecond);
            fastRates.Add(fast.StepsPerSecond);
            Console.WriteLine($"seed {seed}: concise stopped at {concise.SolvedAtStep?.ToString("N0") ?? "never"}, fresh {conciseFresh:0.0}, {concise.StepsPerSecond:N0} steps/s; " +
                              $"fast stopped at {fast.SolvedAtStep?.ToString("N0") ?? "never"}, fresh {fastFresh:0.0}, {fast.StepsPerSecond:N0} steps/s");
        }
        Console.WriteLine($"concise: {conciseGood} of {seeds} stopped at 475 and scored ≥ 475 on fresh episodes, median {conciseRates.Order().ElementAt(seeds / 2):N0} steps/s; " +
                          $"fast: {fastGood} of {seeds}, median {fastRates.Order().ElementAt(seeds / 2):N0} steps/s");
        return 0;
    }

    public static int PongShipped(string[] args)
    {
        TrainingProgress.Mode = ProgressMode.None;
        int games = args.Length > 0 ? int.Parse(args[0]) : 50;
        int seeds = args.Length > 1 ? int.Parse(args[1]) : 5;
        using var policy = CategoricalPolicy.Load(PongPlay.TrainedPolicyPath);
        Console.WriteLine($"Pong, shipped policy vs random, {games} games per seed (seeds 12345, 777, 0, 1, ...)");
        var allTrained = new List<double>();
        foreach (int seed in new[] { 12345, 777 }.Concat(Enumerable.Range(0, Math.Max(0, seeds - 2))).Take(seeds))
        {
            var trained = PongPlay.Play(policy, PongPlay.Pixels, games, seed);
            var greedy = PongPlay.Play(policy, PongPlay.Pixels, games, seed, greedy: true);
            var random = PongPlay.Play(null, PongPlay.Pixels, games, seed);
            double Difference(PongGame[] g) => g.Average(x => x.AgentPoints - x.OpponentPoints);
            allTrained.Add(Difference(trained));
            Console.WriteLine($"seed {seed,5}: trained {Difference(trained),5:+0.00;-0.00} (won {trained.Count(g => g.AgentPoints > g.OpponentPoints)}/{games}, balls {trained.Average(g => g.BallsReturned):0.0})  " +
                              $"greedy {Difference(greedy),5:+0.00;-0.00}  random {Difference(random),5:+0.00;-0.00} (balls {random.Average(g => g.BallsReturned):0.0})");
        }
        Console.WriteLine($"trained: points won − lost per game {allTrained.Min():+0.00;-0.00} .. {allTrained.Max():+0.00;-0.00} over {seeds} seeds");
        return 0;
    }

    public static int MountainCarSeeds(string[] args)
    {
        TrainingProgress.Mode = ProgressMode.None;
        int episodes = args.Length > 0 ? int.Parse(args[0]) : 500;
        int seeds = args.Length > 1 ? int.Parse(args[1]) : 8;
        Console.WriteLine($"Linear Q-learning (tile coding, defaults) on MountainCar, {episodes} training episodes; random policy about −200, solved −110");
        var means = new List<double>();
        for (int seed = 0; seed < seeds; seed++)
        {
            var run = LinearQLearning.Train(new MountainCar(), new LinearQOptions { Seed = seed, Episodes = episodes });
            var returns = Evaluation.Run(new MountainCar(), run.Agent.GreedyAction, episodes: 20, seed: 1234).Returns;
            means.Add(returns.Average());
            Console.WriteLine($"seed {seed}: mean {returns.Average(),7:0.0}  worst {returns.Min(),5:0}  best {returns.Max(),5:0}");
        }
        Console.WriteLine($"means {means.Min():0.0} .. {means.Max():0.0}; {means.Count(m => m > -150)} of {seeds} above −150, {means.Count(m => m >= -110)} at −110 or better");
        return 0;
    }
}
