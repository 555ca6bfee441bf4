using BenchmarkDotNet.Attributes;
using CourseLib.Environments;

namespace CourseLib.Benchmarks;

/// <summary>
/// A batch of 1024 CartPoles: <see cref="Batches"/> vector steps per invocation, so "Mean" is the time of one
/// environment step (steps/s = 1e9 / Mean[ns]). Actions are fixed random bits (the policy is not measured).
/// Run: dotnet run -c Release --project tests/CourseLib.Benchmarks -- --filter '*VectorEnvironmentBenchmarks*'
/// </summary>
[MemoryDiagnoser, InProcess]
public class VectorEnvironmentBenchmarks
{
    const int Copies = 1024;
    const int Batches = 1000;
    CartPoleVector _one, _two, _scalar;
    int[][] _actions;

    [GlobalSetup]
    public void Setup()
    {
        _one = new CartPoleVector(Copies);
        _two = new CartPoleVector(Copies, threads: 2);
        _scalar = new CartPoleVector(Copies);
        typeof(CartPoleVector).GetProperty("ForceScalar", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)!.SetValue(_scalar, true);
        _one.Reset(0); _two.Reset(0); _scalar.Reset(0);
        var rng = new Rng(0);
        _actions = Enumerable.Range(0, 16).Select(_ => Enumerable.Range(0, Copies).Select(_ => rng.NextInt(2)).ToArray()).ToArray();
    }

    /// <summary>1024 CartPoles, SIMD, one thread.</summary>
    [Benchmark(OperationsPerInvoke = Copies * Batches)]
    public void CartPoleVector1024OneThread()
    {
        for (int b = 0; b < Batches; b++) _one.Step(_actions[b & 15]);
    }

    /// <summary>1024 CartPoles, SIMD, split over two threads.</summary>
    [Benchmark(OperationsPerInvoke = Copies * Batches)]
    public void CartPoleVector1024TwoThreads()
    {
        for (int b = 0; b < Batches; b++) _two.Step(_actions[b & 15]);
    }

    /// <summary>1024 CartPoles, scalar structure-of-arrays loop (Math.Sin/Cos), one thread.</summary>
    [Benchmark(OperationsPerInvoke = Copies * Batches)]
    public void CartPoleVector1024Scalar()
    {
        for (int b = 0; b < Batches; b++) _scalar.Step(_actions[b & 15]);
    }
}

/// <summary>Pong: a step with its new frame, the physics alone, and drawing a frame alone. Run: ... --filter '*PongBenchmarks*'</summary>
[MemoryDiagnoser, InProcess]
public class PongBenchmarks
{
    const int Steps = 100_000;
    Pong _pong;
    float[] _frame;

    [GlobalSetup]
    public void Setup()
    {
        _pong = new Pong();
        _pong.Reset(0);
        _frame = new float[_pong.Width * _pong.Height];
    }

    /// <summary>Step returning a fresh 40x40 frame (what an agent gets through IEnvironment).</summary>
    [Benchmark(OperationsPerInvoke = Steps)]
    public int StepWithNewFrame()
    {
        int ends = 0;
        for (int i = 0; i < Steps; i++)
            if (_pong.Step(i % 3).Done) { _pong.Reset(); ends++; }
        return ends;
    }

    /// <summary>Step drawing into a caller's buffer (no allocation).</summary>
    [Benchmark(OperationsPerInvoke = Steps)]
    public int StepIntoBuffer()
    {
        int ends = 0;
        for (int i = 0; i < Steps; i++)
        {
            var (_, terminated, truncated) = _pong.Step(i % 3, _frame);
            if (terminated || truncated) { _pong.Reset(); ends++; }
        }
        return ends;
    }

    /// <summary>Drawing one frame into a buffer (clear + paddles + ball).</summary>
    [Benchmark(OperationsPerInvoke = Steps)]
    public void RenderFrameIntoBuffer()
    {
        for (int i = 0; i < Steps; i++) _pong.RenderFrame(_frame);
    }
}
