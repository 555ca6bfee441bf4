using BenchmarkDotNet.Attributes;
using CourseLib.Environments;
using CourseLib.Mdp;

namespace CourseLib.Benchmarks;

/// <summary>
/// Environment speed. Each benchmark makes <see cref="Steps"/> environment steps per invocation
/// (OperationsPerInvoke), so BenchmarkDotNet's "Mean" is the time of one step: steps/s = 1e9 / Mean[ns].
/// Run: dotnet run -c Release --project tests/CourseLib.Benchmarks -- --filter '*EnvironmentBenchmarks*'
/// In-process: on a busy shared machine BenchmarkDotNet's separate build of each job can exceed its 2-minute timeout.
/// </summary>
[MemoryDiagnoser, InProcess]
public class EnvironmentBenchmarks
{
    const int Steps = 1_000_000;
    CartPole _cartPole;
    MountainCar _mountainCar;
    FrozenLake _lake;

    [GlobalSetup]
    public void Setup()
    {
        _cartPole = new CartPole();
        _cartPole.Reset(0);
        _mountainCar = new MountainCar();
        _mountainCar.Reset(0);
        _lake = FrozenLake.EightByEight();
        _lake.Reset(0);
    }

    /// <summary>CartPole-v1 through its public Step, alternating actions, resetting when an episode ends.</summary>
    [Benchmark(OperationsPerInvoke = Steps)]
    public int CartPoleStep()
    {
        var env = _cartPole;
        int episodes = 0;
        for (int i = 0; i < Steps; i++)
            if (env.Step(i & 1).Done) { env.Reset(); episodes++; }
        return episodes;
    }

    /// <summary>The same physics as a bare loop over local doubles (the ceiling for a scalar Step).</summary>
    [Benchmark(OperationsPerInvoke = Steps)]
    public double CartPoleBarePhysics()
    {
        double x = 0, xDot = 0, theta = 0.01, thetaDot = 0;
        for (int i = 0; i < Steps; i++)
        {
            double force = (i & 1) == 1 ? 10.0 : -10.0;
            double cos = Math.Cos(theta), sin = Math.Sin(theta);
            double temp = (force + 0.05 * thetaDot * thetaDot * sin) / 1.1;
            double thetaAcc = (9.8 * sin - cos * temp) / (0.5 * (4.0 / 3.0 - 0.1 * cos * cos / 1.1));
            double xAcc = temp - 0.05 * thetaAcc * cos / 1.1;
            x += 0.02 * xDot; xDot += 0.02 * xAcc; theta += 0.02 * thetaDot; thetaDot += 0.02 * thetaAcc;
            if (x < -2.4 || x > 2.4 || theta < -0.2094 || theta > 0.2094) { x = 0; xDot = 0; theta = 0.01; thetaDot = 0; }
        }
        return x + theta;
    }

    /// <summary>MountainCar-v0 through its public Step.</summary>
    [Benchmark(OperationsPerInvoke = Steps)]
    public int MountainCarStep()
    {
        var env = _mountainCar;
        int episodes = 0;
        for (int i = 0; i < Steps; i++)
            if (env.Step(i % 3).Done) { env.Reset(); episodes++; }
        return episodes;
    }

    /// <summary>FrozenLake 8x8 (slippery) through its public Step.</summary>
    [Benchmark(OperationsPerInvoke = Steps)]
    public int FrozenLakeStep()
    {
        var env = _lake;
        int episodes = 0;
        for (int i = 0; i < Steps; i++)
            if (env.Step(i & 3).Done) { env.Reset(); episodes++; }
        return episodes;
    }
}

/// <summary>Exact dynamic programming on FrozenLake. Run: ... -- --filter '*DynamicProgrammingBenchmarks*'</summary>
[MemoryDiagnoser, InProcess]
public class DynamicProgrammingBenchmarks
{
    TabularMdp _lake4, _lake8;
    double[,] _uniform4;

    [GlobalSetup]
    public void Setup()
    {
        _lake4 = FrozenLake.FourByFour().Mdp;
        _lake8 = FrozenLake.EightByEight().Mdp;
        _uniform4 = TabularPolicy.Uniform(_lake4);
    }

    /// <summary>FrozenLake 4x4 value iteration to 1e-10 with γ = 0.99.</summary>
    [Benchmark]
    public ValueIterationResult ValueIteration4x4Gamma099() => ValueIteration.Run(_lake4, 0.99, 1e-10);

    /// <summary>FrozenLake 4x4 value iteration to 1e-10 with γ = 1.</summary>
    [Benchmark]
    public ValueIterationResult ValueIteration4x4Gamma1() => ValueIteration.Run(_lake4, 1.0, 1e-10);

    /// <summary>FrozenLake 8x8 value iteration to 1e-10 with γ = 0.99.</summary>
    [Benchmark]
    public ValueIterationResult ValueIteration8x8Gamma099() => ValueIteration.Run(_lake8, 0.99, 1e-10);

    /// <summary>Exact policy evaluation (the Bellman linear system) of the uniform policy on FrozenLake 4x4.</summary>
    [Benchmark]
    public double[] PolicyEvaluationSolve4x4() => PolicyEvaluation.Solve(_lake4, _uniform4, 0.99);
}
