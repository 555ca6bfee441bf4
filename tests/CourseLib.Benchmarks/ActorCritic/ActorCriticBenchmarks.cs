using BenchmarkDotNet.Attributes;
using CourseLib.ActorCritic;
using CourseLib.Training;

namespace CourseLib.Benchmarks.ActorCritic;

/// <summary>
/// Actor-critic speed: GAE over a rollout, acting with the plain-C# snapshot, and whole short training runs.
/// Run: dotnet run -c Release --project tests/CourseLib.Benchmarks -- --filter '*ActorCriticBenchmarks*'
/// For the training runs, steps/s = TrainingSteps / Mean[s].
/// </summary>
[MemoryDiagnoser]
public class ActorCriticBenchmarks
{
    const int RolloutLength = 2048;
    const long TrainingSteps = 20_000;
    double[] _rewards, _values, _nextValues;
    bool[] _terminated, _truncated;
    ActorCriticNetwork _network;
    ActorCriticSnapshot _snapshot;
    readonly float[] _observation = [0.01f, -0.2f, 0.03f, 0.1f];
    readonly double[] _probabilities = new double[2];

    [GlobalSetup]
    public void Setup()
    {
        TrainingProgress.Mode = ProgressMode.None;
        var rng = new Rng(0);
        _rewards = new double[RolloutLength]; _values = new double[RolloutLength]; _nextValues = new double[RolloutLength];
        _terminated = new bool[RolloutLength]; _truncated = new bool[RolloutLength];
        for (int t = 0; t < RolloutLength; t++)
        {
            _rewards[t] = 1; _values[t] = rng.Uniform(0, 100);
            _terminated[t] = rng.NextDouble() < 0.02;
        }
        for (int t = 0; t + 1 < RolloutLength; t++) _nextValues[t] = _terminated[t] ? 0 : _values[t + 1];
        _network = new ActorCriticNetwork(4, 2, [64, 64], seed: 0);
        _snapshot = _network.Snapshot();
    }

    /// <summary>GAE(0.99, 0.95) over a 2048-step rollout (one environment).</summary>
    [Benchmark]
    public double[] Gae2048() => GeneralizedAdvantage.Estimate(_rewards, _values, _nextValues, _terminated, _truncated, 0.99, 0.95);

    /// <summary>π(·|s) and V(s) for one CartPole observation with the plain-C# snapshot (4-64-64-2 and 4-64-64-1).</summary>
    [Benchmark]
    public double SnapshotEvaluate() => _snapshot.Evaluate(_observation, _probabilities);

    /// <summary>The same through TorchSharp (one forward pass, no graph).</summary>
    [Benchmark]
    public double TorchEvaluate() => _network.Evaluate(_observation, _probabilities);

    /// <summary>20 000 steps of A2C on CartPole-v1 with the default hyperparameters (8 environments × 16 steps per update).</summary>
    [Benchmark]
    public long A2CTraining() => A2C.TrainCartPole(new A2COptions { TotalSteps = TrainingSteps }).Steps;

    /// <summary>20 000 shared steps of A3C on CartPole-v1 with 2 workers.</summary>
    [Benchmark]
    public long A3CTraining() => A3C.TrainCartPole(new A3COptions { TotalSteps = TrainingSteps, Workers = 2 }).Steps;
}
