using CourseLib.Environments;

namespace CourseLib.Tests.Environments;

/// <summary>
/// Steps allocate nothing on the managed heap (behaviour, not timing). Measured robustly: after two warm-up rounds (JIT
/// tiers, first-use allocations), 200,000 steps must allocate less than 0.01 bytes per step on average. A step that
/// allocated anything (the smallest object is 24 bytes) would show 24+ bytes per step; what the runtime itself may
/// allocate once on this thread now and then (a tier-up, a stub) stays far below 2,000 bytes in all.
/// </summary>
[Trait("Category", "unit")]
public class AllocationTests
{
    const int Steps = 200_000;

    static double BytesPerStep(Action<int> step)
    {
        for (int warmUp = 0; warmUp < 2; warmUp++)
            for (int i = 0; i < Steps; i++) step(i);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < Steps; i++) step(i);
        return (double)(GC.GetAllocatedBytesForCurrentThread() - before) / Steps;
    }

    static void AllocatesNothing(double bytesPerStep) =>
        Assert.True(bytesPerStep < 0.01, $"{bytesPerStep:0.####} bytes allocated per step ({bytesPerStep * Steps:N0} bytes over {Steps:N0} steps)");

    [Fact]
    public void CartPole_steps_allocate_nothing()
    {
        var env = new CartPole();
        env.Reset(seed: 0);
        AllocatesNothing(BytesPerStep(i => { if (env.Step(i & 1).Done) env.Reset(); }));
    }

    [Fact]
    public void MountainCar_steps_allocate_nothing()
    {
        var env = new MountainCar();
        env.Reset(seed: 0);
        AllocatesNothing(BytesPerStep(i => { if (env.Step(i % 3).Done) env.Reset(); }));
    }

    [Fact]
    public void FrozenLake_steps_allocate_nothing()
    {
        var env = FrozenLake.EightByEight();
        env.Reset(seed: 0);
        AllocatesNothing(BytesPerStep(i => { if (env.Step(i & 3).Done) env.Reset(); }));
    }
}
