using BenchmarkDotNet.Attributes;
using CourseLib.Environments;
using CourseLib.ValueBased;

namespace CourseLib.Benchmarks.ValueBased;

/// <summary>
/// Tabular Q-learning on CliffWalking: 500 episodes (about 10,000 steps) with α = 0.5, ε = 0.1, γ = 1.
/// Target: under 1 ms per run, i.e. at least 10 million updates a second.
/// Run: dotnet run -c Release --project tests/CourseLib.Benchmarks -- --filter "*TabularQLearning*"
/// </summary>
[MemoryDiagnoser]
public class TabularQLearningBenchmarks
{
    readonly CliffWalking _cliff = new();
    readonly EpsilonGreedy _exploration = new(0.1);
    readonly TabularOptions _settings = new() { Episodes = 500, LearningRate = 0.5, Discount = 1.0 };
    int _seed;

    /// <summary>One run of 500 episodes; the seed changes between invocations so every run is a fresh one.</summary>
    [Benchmark]
    public long QLearning500Episodes() => QLearning.Train(_cliff, _exploration, _settings with { Seed = _seed++ }).Steps;

    /// <summary>SARSA, for comparison.</summary>
    [Benchmark]
    public long Sarsa500Episodes() => Sarsa.Train(_cliff, _exploration, _settings with { Seed = _seed++ }).Steps;
}
