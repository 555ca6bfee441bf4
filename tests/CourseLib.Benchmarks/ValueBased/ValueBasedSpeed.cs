using System.Diagnostics;
using System.Globalization;
using CourseLib.Environments;
using CourseLib.Training;
using CourseLib.ValueBased;
using CourseLib.ValueBased.Deep;

namespace CourseLib.Benchmarks.ValueBased;

/// <summary>
/// The value-based issue's three speed figures in one report (run on a quiet machine; never part of the tests):
/// <list type="number">
/// <item>tabular Q-learning on CliffWalking, 500 episodes: updates per second (target ≥ 10 million);</item>
/// <item>DQN with CleanRL's CartPole-v1 settings, 500,000 steps: environment steps per second, against the same
///   settings in Python with PyTorch (python/dqn_cartpole.py, Debian's /usr/bin/python3, one thread) with --python
///   (target ≥ 2×);</item>
/// <item>sample efficiency: <see cref="DqnOptions.CartPoleTuned"/> on seeds 0–4, stopping at the first
///   evaluation (every 2,500 steps, 20 episodes) whose mean is ≥ 475 (target: ≤ 50,000 steps in 4 of 5 seeds, under
///   a minute each).</item>
/// </list>
/// Run: dotnet run -c Release --project tests/CourseLib.Benchmarks -- --value-based-speed [--python] [--skip-run]
/// </summary>
static class ValueBasedSpeed
{
    public static int Run(string[] args)
    {
        TrainingProgress.Mode = ProgressMode.None;
        TorchSharp.torch.set_num_threads(1);
        Tabular();
        UpdateAndAction();
        if (!args.Contains("--skip-run")) CleanRLRun(args.Contains("--python"));
        SampleEfficiency();
        return 0;
    }

    internal static void Tabular()
    {
        var cliff = new CliffWalking();
        var exploration = new EpsilonGreedy(0.1);
        var settings = new TabularOptions { Episodes = 500, LearningRate = 0.5, Discount = 1.0 };
        var warmUp = Stopwatch.StartNew();                          // until the JIT's tiered, PGO-optimised code is in place
        for (int seed = 0; warmUp.Elapsed.TotalSeconds < 2; seed++) QLearning.Train(cliff, exploration, settings with { Seed = seed });
        var times = new List<double>();
        long steps = 0;
        for (int seed = 100; seed < 300; seed++)
        {
            var clock = Stopwatch.StartNew();
            var run = QLearning.Train(cliff, exploration, settings with { Seed = seed });
            times.Add(clock.Elapsed.TotalMicroseconds);
            steps += run.Steps;
        }
        double median = times.Order().ElementAt(times.Count / 2);
        double meanSteps = steps / (double)times.Count;
        Console.WriteLine($"tabular Q-learning, CliffWalking, 500 episodes: median {median:F0} µs per run, " +
                          $"{meanSteps:N0} steps per run: {meanSteps / median:F1} million updates/s");
    }

    static void UpdateAndAction()
    {
        using var agent = DqnStepBenchmarks.FilledAgent();
        for (int i = 0; i < 500; i++) agent.Update();
        const int updates = 5_000;
        var clock = Stopwatch.StartNew();
        for (int i = 0; i < updates; i++) agent.Update();
        double update = clock.Elapsed.TotalMicroseconds / updates;

        const int actions = 200_000;
        float[] observation = [0.01f, -0.02f, 0.03f, 0.04f];
        int sum = 0;
        clock.Restart();
        for (int i = 0; i < actions; i++) { observation[0] += 1e-7f; sum += agent.GreedyAction(observation); }
        double action = clock.Elapsed.TotalMicroseconds / actions;
        Console.WriteLine($"DQN 4-120-84-2, batch 128: {update:F0} µs per update, {action:F2} µs per greedy action ({sum % 2})");
    }

    static void CleanRLRun(bool python)
    {
        const int steps = 500_000;
        var rates = new List<double>();
        for (int seed = 1; seed <= 3; seed++)
        {
            var hp = DqnOptions.CleanRLCartPole with { ExplorationSteps = steps / 2, Seed = seed };
            using var agent = new DqnAgent(4, 2, hp);
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            var result = Dqn.Train(agent, new CartPole(), steps);
            double cpuSeconds = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
            double evaluation = Dqn.Evaluate(agent, new CartPole(), new EvaluationOptions { Episodes = 20, Seed = 12345 }).MeanReturn;
            rates.Add(result.StepsPerSecond);
            Console.WriteLine($"C# DQN, CleanRL settings, seed {seed}: {steps:N0} steps in {result.Elapsed.TotalSeconds:F1} s " +
                              $"({result.StepsPerSecond:N0} steps/s, {steps / cpuSeconds:N0} per CPU-second); " +
                              $"last 20 training returns {result.Returns.TakeLast(20).Average():F1}; greedy evaluation {evaluation:F1}");
        }
        double median = rates.Order().ElementAt(1);
        Console.WriteLine($"C# median: {median:N0} steps/s");
        if (!python) return;
        var line = PythonReference.Run("dqn_cartpole.py", "--steps", "500000", "--threads", "1");
        Console.WriteLine(line);
        int open = line.IndexOf("s wall (", StringComparison.Ordinal);
        if (open > 0)
        {
            var number = line[(open + 8)..].Split(' ')[0].Replace(",", "");
            if (double.TryParse(number, CultureInfo.InvariantCulture, out var pythonRate))
                Console.WriteLine($"speed-up of C# over Python/PyTorch: {median / pythonRate:F1}x");
        }
    }

    static void SampleEfficiency()
    {
        int solved = 0;
        for (int seed = 0; seed < 5; seed++)
        {
            using var agent = new DqnAgent(4, 2, DqnOptions.CartPoleTuned with
            {
                Seed = seed, Evaluation = new EvaluationOptions { EverySteps = 2_500, Episodes = 20, Seed = 1_000, StopAtMeanReturn = 475 },
            });
            var result = Dqn.Train(agent, new CartPole(), 50_000, new CartPole());
            double fresh = Dqn.Evaluate(agent, new CartPole(), new EvaluationOptions { Episodes = 20, Seed = 2_024 }).MeanReturn;
            if (result.SolvedAtStep != null) solved++;
            Console.WriteLine($"CartPoleTuned seed {seed}: " +
                              (result.SolvedAtStep is long at ? $"mean ≥ 475 at step {at:N0}" : "not solved within 50,000 steps") +
                              $" in {result.Elapsed.TotalSeconds:F1} s wall; fresh 20-episode evaluation {fresh:F1}");
        }
        Console.WriteLine($"solved within 50,000 steps: {solved} of 5 seeds");
    }
}
