using CourseLib.Environments;

namespace CourseLib.Tests.Environments;

/// <summary>Steps allocate nothing on the managed heap (behaviour, not timing).</summary>
public class AllocationTests
{
    static long AllocatedBy(Action loop)
    {
        loop();   // warm up (JIT, first-use allocations)
        long before = GC.GetAllocatedBytesForCurrentThread();
        loop();
        return GC.GetAllocatedBytesForCurrentThread() - before;
    }

    [Fact]
    public void CartPole_steps_allocate_nothing()
    {
        var env = new CartPole();
        env.Reset(seed: 0);
        Assert.Equal(0, AllocatedBy(() =>
        {
            for (int i = 0; i < 10_000; i++)
                if (env.Step(i & 1).Done) env.Reset();
        }));
    }

    [Fact]
    public void MountainCar_steps_allocate_nothing()
    {
        var env = new MountainCar();
        env.Reset(seed: 0);
        Assert.Equal(0, AllocatedBy(() =>
        {
            for (int i = 0; i < 10_000; i++)
                if (env.Step(i % 3).Done) env.Reset();
        }));
    }

    [Fact]
    public void FrozenLake_steps_allocate_nothing()
    {
        var env = FrozenLake.EightByEight();
        env.Reset(seed: 0);
        Assert.Equal(0, AllocatedBy(() =>
        {
            for (int i = 0; i < 10_000; i++)
                if (env.Step(i & 3).Done) env.Reset();
        }));
    }
}
