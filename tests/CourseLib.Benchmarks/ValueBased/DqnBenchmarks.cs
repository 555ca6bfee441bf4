using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using CourseLib.Environments;
using CourseLib.Training;
using CourseLib.ValueBased.Deep;

namespace CourseLib.Benchmarks.ValueBased;

/// <summary>
/// The pieces of a DQN step with CleanRL's CartPole-v1 settings (4-120-84-2 network, batch 128), one thread:
/// one gradient update (sample, target network forward, online forward and backward, clipped Adam step) and one
/// greedy action. The figures for TorchSharp written the obvious way: about 410 µs and 13 µs. Measured on the
/// course machine (2026-11-24): CourseLib 290 µs and 2.5 µs; python/dqn_cartpole.py's network in Debian's PyTorch 1.13,
/// one thread: 1,280 µs and 69 µs.
/// Run: dotnet run -c Release --project tests/CourseLib.Benchmarks -- --filter "*DqnStepBenchmarks*"
/// </summary>
[MemoryDiagnoser]
public class DqnStepBenchmarks
{
    DqnAgent _agent = null!;
    readonly float[] _observation = [0.01f, -0.02f, 0.03f, 0.04f];

    [GlobalSetup]
    public void Setup()
    {
        TorchSharp.torch.set_num_threads(1);
        _agent = FilledAgent();
    }

    /// <summary>An agent with CleanRL's settings whose replay memory holds 10,000 random CartPole-sized transitions.</summary>
    internal static DqnAgent FilledAgent()
    {
        var agent = new DqnAgent(4, 2, DqnOptions.CleanRLCartPole with { Seed = 1 });
        var rng = new Rng(0);
        var s = new float[4];
        var next = new float[4];
        for (int i = 0; i < 10_000; i++)
        {
            for (int k = 0; k < 4; k++) { s[k] = (float)rng.NextGaussian(); next[k] = (float)rng.NextGaussian(); }
            agent.Remember(s, rng.NextInt(2), 1.0, next, rng.NextInt(20) == 0, false);
        }
        return agent;
    }

    [GlobalCleanup]
    public void Cleanup() => _agent.Dispose();

    /// <summary>One gradient update on a minibatch of 128.</summary>
    [Benchmark]
    public double Update() => _agent.Update();

    /// <summary>One greedy action (plain C# forward pass over the live weights).</summary>
    [Benchmark]
    public int GreedyAction()
    {
        _observation[0] += 1e-6f;
        return _agent.GreedyAction(_observation);
    }
}

/// <summary>
/// A whole DQN run on CartPole-v1 with CleanRL's settings (<see cref="DqnOptions.CleanRLCartPole"/>: squared
/// loss, no clipping): 500,000 environment steps, 49,000 updates. Reports the time per environment step (the
/// benchmark's "operation"); steps per second = 1 / that. Target: at least twice the steps per second of
/// python/dqn_cartpole.py (same settings in PyTorch, one thread). Measured on the course machine (2026-11-24): C# 35,000
/// to 39,000 steps/s, Python 4,700 steps/s (the issue quotes about 16,000 for its machine); see also --value-based-speed.
/// Run: dotnet run -c Release --project tests/CourseLib.Benchmarks -- --filter "*DqnCartPoleRunBenchmarks*"
/// </summary>
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 0, iterationCount: 3)]
public class DqnCartPoleRunBenchmarks
{
    /// <summary>Environment steps per run.</summary>
    public const int Steps = 500_000;
    int _seed = 1;

    [GlobalSetup]
    public void Setup() => TrainingProgress.Mode = ProgressMode.None;

    /// <summary>The run; returns the final greedy policy's mean return over 20 episodes (to check it learned).</summary>
    [Benchmark(OperationsPerInvoke = Steps)]
    public double CleanRLSettings500kSteps()
    {
        var hp = DqnOptions.CleanRLCartPole with { ExplorationSteps = Steps / 2, Seed = _seed++ };
        using var agent = new DqnAgent(4, 2, hp);
        var result = Dqn.Train(agent, new CartPole(), Steps);
        double evaluation = Dqn.Evaluate(agent, new CartPole(), new EvaluationOptions { Episodes = 20, Seed = 12345 }).MeanReturn;
        Console.WriteLine($"// DQN CleanRL settings: {result.StepsPerSecond:N0} steps/s, last 20 training returns {result.Returns.TakeLast(20).Average():F1}, greedy evaluation {evaluation:F1}");
        return evaluation;
    }
}
