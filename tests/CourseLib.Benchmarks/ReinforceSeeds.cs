using System.Diagnostics;
using System.Globalization;
using CourseLib.Environments;
using CourseLib.PolicyGradient;
using CourseLib.Training;
using TorchSharp;

namespace CourseLib.Benchmarks;

/// <summary>
/// The seed sweeps behind REINFORCE's learning claims (the CartPole learning tests, the budget of notebook 02's graded
/// "write the loop" check). On demand; never part of the tests.
/// <list type="bullet">
/// <item><c>--reinforce-seeds [steps] [seeds] [first=k] [every=N] [stop=R] [parallel=P]</c>: plain REINFORCE (the defaults)
///   on CartPole-v1, one run per seed. Every N steps (default 25,000) the greedy policy plays 20 evaluation episodes
///   (seeds 10,000+); the line of a seed lists those means. With stop=R training stops at the first evaluation with a
///   mean ≥ R, and the stopped policy also plays 20 fresh episodes (seed 20,000). The summary counts, for each
///   evaluation step, the seeds whose mean there is ≥ 195 and ≥ 475; with stop=R, the stopped policies' fresh means
///   (≥ R, ≥ 450, ≥ 425) and the returned policies' (stopped or final) fresh means ≥ 195. P runs go at once (default 1).</item>
/// </list>
/// Run: dotnet run -c Release --project tests/CourseLib.Benchmarks -- --reinforce-seeds 250000 20 parallel=2
/// </summary>
static class ReinforceSeeds
{
    public static int Run(string[] args)
    {
        TrainingProgress.Mode = ProgressMode.None;
        var numbers = args.Where(a => !a.Contains('=')).ToArray();
        var settings = args.Where(a => a.Contains('=')).ToDictionary(a => a.Split('=')[0], a => a.Split('=')[1]);
        long steps = numbers.Length > 0 ? long.Parse(numbers[0], CultureInfo.InvariantCulture) : 250_000;
        int seeds = numbers.Length > 1 ? int.Parse(numbers[1], CultureInfo.InvariantCulture) : 10;
        int first = settings.TryGetValue("first", out var f) ? int.Parse(f, CultureInfo.InvariantCulture) : 0;
        long every = settings.TryGetValue("every", out var e) ? long.Parse(e, CultureInfo.InvariantCulture) : 25_000;
        double? stop = settings.TryGetValue("stop", out var s) ? double.Parse(s, CultureInfo.InvariantCulture) : null;
        int parallel = settings.TryGetValue("parallel", out var p) ? int.Parse(p, CultureInfo.InvariantCulture) : 1;
        Console.WriteLine($"REINFORCE (defaults) on CartPole-v1, {steps:N0} steps, greedy evaluations every {every:N0} steps (20 episodes)" +
                          (stop is null ? "" : $", stop at a mean of {stop}"));
        // One libtorch thread for the whole sweep: the runs' own scopes then never switch it back while another runs.
        using var threads = TorchThreads.One();
        var clock = Stopwatch.StartNew();
        var lines = new SortedDictionary<int, (string Text, IReadOnlyList<EvaluationRecord> Evaluations, double Fresh, long? Solved)>();
        Parallel.For(first, first + seeds, new ParallelOptions { MaxDegreeOfParallelism = parallel }, seed =>
        {
            var started = clock.Elapsed;
            var options = new ReinforceOptions
            {
                Seed = seed, TotalSteps = steps,
                Evaluation = new EvaluationOptions { EverySteps = every, Episodes = 20, Seed = 10_000, StopAtMeanReturn = stop },
            };
            var result = Reinforce.Train(new CartPole(), options, evaluationEnvironment: new CartPole());
            double fresh = double.NaN;
            using (var policy = result.Agent)
                if (stop != null) fresh = Evaluation.Run(new CartPole(), policy.Greedy, new EvaluationOptions { Episodes = 20, Seed = 20_000 }).MeanReturn;
            var text = $"seed {seed,3}: " + string.Join(" ", result.Evaluations.Select(v => $"{v.MeanReturn,5:0}")) +
                       (stop is null ? "" : $"  stopped at {result.SolvedAtStep?.ToString("N0", CultureInfo.InvariantCulture) ?? "never"}, fresh {fresh:0.0}") +
                       $"  ({(clock.Elapsed - started).TotalSeconds:0} s, {result.StepsPerSecond:N0} steps/s)";
            lock (lines) lines[seed] = (text, result.Evaluations, fresh, result.SolvedAtStep);
            Console.WriteLine(text);
        });
        Console.WriteLine("--- in seed order");
        foreach (var line in lines.Values) Console.WriteLine(line.Text);
        if (stop is null)
        {
            int points = lines.Values.Max(l => l.Evaluations.Count);
            for (int k = 0; k < points; k++)
            {
                var at = lines.Values.Where(l => l.Evaluations.Count > k).Select(l => l.Evaluations[k]).ToList();
                Console.WriteLine($"evaluation {k + 1} (about {at.Average(v => v.Step):N0} steps): mean ≥ 195 in {at.Count(v => v.MeanReturn >= 195)} of {at.Count}, " +
                                  $"≥ 475 in {at.Count(v => v.MeanReturn >= 475)} of {at.Count}");
            }
        }
        else
        {
            Console.WriteLine($"stopped (reached {stop}) in {lines.Values.Count(l => l.Solved != null)} of {seeds}; of those, fresh ≥ {stop} in " +
                              $"{lines.Values.Count(l => l.Solved != null && l.Fresh >= stop)}, fresh ≥ 450 in {lines.Values.Count(l => l.Solved != null && l.Fresh >= 450)}, " +
                              $"fresh ≥ 425 in {lines.Values.Count(l => l.Solved != null && l.Fresh >= 425)}; the returned policy (stopped or final) fresh ≥ 195 in " +
                              $"{lines.Values.Count(l => l.Fresh >= 195)} of {seeds}; latest stop at {lines.Values.Max(l => l.Solved ?? steps):N0} steps");
        }
        Console.WriteLine($"{clock.Elapsed.TotalSeconds:0} s");
        return 0;
    }
}

/// <summary>
/// <c>--reinforce-mistakes [steps] [seeds] [parallel=P]</c>: REINFORCE on CartPole-v1 with notebook 02's exercises
/// solved right and with typical mistakes (reward-to-go summed from the start instead of to the end, the surrogate
/// loss's sign flipped, an update that never zeroes its gradients), stopping at a greedy mean of 475 (evaluated every
/// 10,000 steps on 20 episodes): where each stops, or its best evaluation. The learning tests of the exercises'
/// training path and the notebook's teaching cell rest on these figures.
/// </summary>
static class ReinforceMistakes
{
    static double[] RightRewardToGo(double[] rewards)
    {
        var toGo = new double[rewards.Length];
        double sum = 0;
        for (int t = rewards.Length - 1; t >= 0; t--) toGo[t] = sum += rewards[t];
        return toGo;
    }

    // The typical mistake: summing from the start (the reward so far), not to the end.
    static double[] PrefixRewardToGo(double[] rewards)
    {
        var toGo = new double[rewards.Length];
        double sum = 0;
        for (int t = 0; t < rewards.Length; t++) toGo[t] = sum += rewards[t];
        return toGo;
    }

    static TorchSharp.torch.Tensor WrongSignLoss(TorchSharp.torch.Tensor logProbabilities, TorchSharp.torch.Tensor weights, int episodeCount) =>
        (weights * logProbabilities).sum() / episodeCount;

    static double StepWithoutZeroGrad(Mlp network, TorchSharp.torch.optim.Optimizer optimizer, TorchSharp.torch.Tensor observations,
        TorchSharp.torch.Tensor actions, TorchSharp.torch.Tensor weights, int episodeCount)
    {
        using var scope = TorchSharp.torch.NewDisposeScope();
        var logProbabilities = TorchSharp.torch.nn.functional.log_softmax(network.forward(observations), 1).gather(1, actions.reshape(-1, 1)).reshape(-1);
        var loss = -(weights * logProbabilities).sum() / episodeCount;
        loss.backward();
        optimizer.step();
        return loss.ToDouble();
    }

    public static int Run(string[] args)
    {
        TrainingProgress.Mode = ProgressMode.None;
        CourseLib.Exercises.Solution.Notes = TextWriter.Null;
        var numbers = args.Where(a => !a.Contains('=')).ToArray();
        var settings = args.Where(a => a.Contains('=')).ToDictionary(a => a.Split('=')[0], a => a.Split('=')[1]);
        long steps = numbers.Length > 0 ? long.Parse(numbers[0], CultureInfo.InvariantCulture) : 250_000;
        int seeds = numbers.Length > 1 ? int.Parse(numbers[1], CultureInfo.InvariantCulture) : 6;
        int parallel = settings.TryGetValue("parallel", out var p) ? int.Parse(p, CultureInfo.InvariantCulture) : 1;
        using var threads = TorchThreads.One();
        var variants = new (string Name, Func<int, TrainingResult<CategoricalPolicy, ReinforceUpdate>> Train)[]
        {
            ("right (your functions)", seed => Reinforce.Train(new CartPole(), Options(seed, steps), RightRewardToGo, evaluationEnvironment: new CartPole())),
            ("reward-to-go from the start", seed => Reinforce.Train(new CartPole(), Options(seed, steps), PrefixRewardToGo, evaluationEnvironment: new CartPole())),
            ("loss with + sign", seed => Reinforce.Train(new CartPole(), Options(seed, steps), surrogateLoss: WrongSignLoss, evaluationEnvironment: new CartPole())),
            ("step without zero_grad", seed => Reinforce.Train(new CartPole(), Options(seed, steps), step: StepWithoutZeroGrad, evaluationEnvironment: new CartPole())),
        };
        var clock = Stopwatch.StartNew();
        foreach (var (name, train) in variants)
        {
            var lines = new string[seeds];
            Parallel.For(0, seeds, new ParallelOptions { MaxDegreeOfParallelism = parallel }, seed =>
            {
                var result = train(seed);
                result.Agent.Dispose();
                lines[seed] = $"  seed {seed}: {(result.SolvedAtStep is { } at ? $"stopped at {at,7:N0}" : "never reached 475"),-22} best evaluation {result.Evaluations.Max(e => e.MeanReturn),5:0}, " +
                              $"last batch mean {result.History[^1].MeanReturn,5:0}";
            });
            Console.WriteLine(name);
            foreach (var line in lines) Console.WriteLine(line);
        }
        Console.WriteLine($"{clock.Elapsed.TotalSeconds:0} s");
        return 0;
    }

    static ReinforceOptions Options(int seed, long steps) => new()
    {
        Seed = seed, TotalSteps = steps,
        Evaluation = new EvaluationOptions { EverySteps = 10_000, Episodes = 20, Seed = 10_000, StopAtMeanReturn = 475 },
    };
}

/// <summary>
/// <c>--digits-seeds [seeds] [reinforce updates] [cross-entropy updates] [parallel=P]</c>: notebook 03's digit classifier,
/// trained by REINFORCE on the 0/1 reward (with the reference score function, and with the typical mistake of its sign
/// flipped, π − onehot(a)) and by cross-entropy, per seed: the final held-out accuracy (the learning tests' thresholds
/// rest on these figures).
/// </summary>
static class DigitsSeeds
{
    public static int Run(string[] args)
    {
        TrainingProgress.Mode = ProgressMode.None;
        var numbers = args.Where(a => !a.Contains('=')).ToArray();
        var settings = args.Where(a => a.Contains('=')).ToDictionary(a => a.Split('=')[0], a => a.Split('=')[1]);
        int seeds = numbers.Length > 0 ? int.Parse(numbers[0], CultureInfo.InvariantCulture) : 8;
        int reinforceUpdates = numbers.Length > 1 ? int.Parse(numbers[1], CultureInfo.InvariantCulture) : 1000;
        int crossEntropyUpdates = numbers.Length > 2 ? int.Parse(numbers[2], CultureInfo.InvariantCulture) : 300;
        int parallel = settings.TryGetValue("parallel", out var p) ? int.Parse(p, CultureInfo.InvariantCulture) : 1;
        var (train, heldOut) = CourseLib.Data.Digits.Load().Split(0.25, seed: 0);
        CourseLib.Exercises.Solution.Notes = TextWriter.Null;
        using var threads = TorchThreads.One();
        var lines = new string[seeds];
        var clock = Stopwatch.StartNew();
        Parallel.For(0, seeds, new ParallelOptions { MaxDegreeOfParallelism = parallel }, seed =>
        {
            var byReward = ClassificationAsBandit.TrainWithReinforce(train, heldOut, new DigitsClassifierOptions { Updates = reinforceUpdates, Seed = seed });
            var byLabel = ClassificationAsBandit.TrainWithCrossEntropy(train, heldOut, new DigitsClassifierOptions { Updates = crossEntropyUpdates, Seed = seed });
            var wrongSign = ClassificationAsBandit.TrainWithReinforce(train, heldOut, new DigitsClassifierOptions { Updates = reinforceUpdates, Seed = seed },
                (logits, action) => ClassificationAsBandit.LogSoftmaxGradient(logits, action).Select(g => -g).ToArray());
            lines[seed] = $"seed {seed}: REINFORCE {reinforceUpdates} updates {byReward.FinalAccuracy:P1} (start {byReward.HeldOutAccuracy[0]:P1}), " +
                          $"with the score function's sign flipped {wrongSign.FinalAccuracy:P1} (best {wrongSign.HeldOutAccuracy.Max():P1}), " +
                          $"cross-entropy {crossEntropyUpdates} updates {byLabel.FinalAccuracy:P1}";
            byReward.Policy.Dispose();
            wrongSign.Policy.Dispose();
            byLabel.Policy.Dispose();
        });
        foreach (var line in lines) Console.WriteLine(line);
        Console.WriteLine($"{clock.Elapsed.TotalSeconds:0} s");
        return 0;
    }
}
