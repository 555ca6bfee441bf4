using BenchmarkDotNet.Attributes;
using CourseLib.InverseRl;
using CourseLib.Mdp;
using CourseLib.Training;

namespace CourseLib.Benchmarks;

/// <summary>
/// Inverse-RL speed on the default lava world (48 states, 4 actions, horizon 40, 20 demonstrations):
/// one max-ent IRL update (backward pass, forward pass, gradient), and one GAIL round (16 rollouts, 10 discriminator
/// steps, one exact policy step), via runs of 10 of each (OperationsPerInvoke): "Mean" is the time of one.
/// Run: dotnet run -c Release --project tests/CourseLib.Benchmarks -- --filter '*InverseRlBenchmarks*'
/// </summary>
[MemoryDiagnoser]
public class InverseRlBenchmarks
{
    const int Updates = 10;
    LavaWorld _world;
    IReadOnlyList<Trajectory<int, int>> _demos;

    [GlobalSetup]
    public void Setup()
    {
        TrainingProgress.Mode = ProgressMode.None;
        _world = new LavaWorld();
        _demos = Demonstrations.Sample(_world.CreateEnvironment(), _world.Expert(), 20, seed: 1);
    }

    /// <summary>One update of maximum-entropy IRL with the (goal, lava, step) features.</summary>
    [Benchmark(OperationsPerInvoke = Updates)]
    public double MaxEntIrlUpdate() =>
        MaxEntIrl.Train(_world.Dynamics, _world.Features, _demos, new MaxEntIrlOptions { Updates = Updates }).Theta[0];

    /// <summary>One round of tabular GAIL.</summary>
    [Benchmark(OperationsPerInvoke = Updates)]
    public double GailRound() =>
        Gail.Train(_world.CreateEnvironment(), _demos, new GailOptions { Rounds = Updates, Seed = 1 }).History[^1].DiscriminatorLoss;
}
