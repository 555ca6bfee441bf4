using System.Reflection;
using CourseLib.Training;
using TorchSharp;

namespace CourseLib.Tests.Foundation;

/// <summary>The keep-alive step that closes TorchSharp's native use-after-free (build/TorchSharpKeepAlive.cs).</summary>
[Trait("Category", "unit")]
public class TorchSharpKeepAliveTests
{
    static readonly Type ring = typeof(torch).Assembly.GetType(TorchSharpSafety.MarkerType)
        ?? throw new InvalidOperationException($"{typeof(torch).Assembly.Location} lacks the keep-alive step: build inside the repository.");

    [Fact]
    public void The_TorchSharp_this_process_loads_carries_the_step()
    {
        Assert.True(TorchSharpSafety.IsApplied);
        Assert.True(TorchSharpKeepAlive.IsApplied(File.ReadAllBytes(typeof(torch).Assembly.Location)));
        // The name, version and public key stay those of the package, so every reference still binds.
        var name = typeof(torch).Assembly.GetName();
        Assert.Equal("TorchSharp", name.Name);
        Assert.Equal(new Version(0, 107, 0, 0), name.Version);
        Assert.NotEmpty(name.GetPublicKeyToken()!);
    }

    [Fact]
    public void Reading_a_handle_keeps_the_scalar_alive_until_the_thread_has_read_a_ring_full_more()
    {
        // A scalar whose handle a native call received survives collections while its thread is inside the call.
        var weak = ReadHandleOfATemporaryScalar();
        for (int i = 0; i < 3; i++) { GC.Collect(); GC.WaitForPendingFinalizers(); }
        Assert.True(weak.IsAlive, "a scalar whose handle was just read was collected");

        // After a ring full of other handle reads on this thread, it is ordinary garbage again: nothing leaks.
        using (var other = torch.ones(1))
            for (int i = 0; i < TorchSharpKeepAlive.RingSize; i++) _ = (other + 1.0).Dispose2();
        for (int i = 0; i < 3; i++) { GC.Collect(); GC.WaitForPendingFinalizers(); }
        Assert.False(weak.IsAlive, "the ring kept a scalar after 1,024 later handle reads");
    }

    [Fact]
    public void The_ring_is_per_thread_and_sized_as_documented()
    {
        var field = ring.GetField("ring", BindingFlags.NonPublic | BindingFlags.Static)!;
        Assert.NotNull(field.GetCustomAttribute<ThreadStaticAttribute>());
        using var t = torch.ones(2) * 2.0;   // reads handles on this thread
        Assert.Equal(TorchSharpKeepAlive.RingSize, ((object[])field.GetValue(null)!).Length);
        object? seenOnOtherThread = "unset";
        var thread = new Thread(() => seenOnOtherThread = field.GetValue(null));
        thread.Start();
        thread.Join();
        Assert.Null(seenOnOtherThread);
    }

    [Fact]
    public void Rewriting_twice_is_refused_and_a_foreign_assembly_is_refused_with_a_clear_message()
    {
        var patched = typeof(torch).Assembly.Location;
        var again = Path.Combine(Path.GetTempPath(), $"keepalive-{Guid.NewGuid():N}.dll");
        Assert.Contains("already carries", Assert.Throws<InvalidOperationException>(() => TorchSharpKeepAlive.Rewrite(patched, again)).Message);
        var foreign = typeof(TorchSharpKeepAliveTests).Assembly.Location;
        Assert.Contains("TorchSharp 0.107", Assert.Throws<InvalidOperationException>(() => TorchSharpKeepAlive.Rewrite(foreign, again)).Message);
        Assert.False(File.Exists(again));
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    static WeakReference ReadHandleOfATemporaryScalar()
    {
        var scalar = 2.5.ToScalar();
        var handle = typeof(Scalar).GetProperty("Handle", BindingFlags.NonPublic | BindingFlags.Instance)!;
        Assert.NotEqual(IntPtr.Zero, (IntPtr)handle.GetValue(scalar)!);
        return new WeakReference(scalar);
    }
}

static class TensorExtensions
{
    /// <summary>Disposes a temporary and returns 0, so a loop can read handles without leaving garbage.</summary>
    public static int Dispose2(this torch.Tensor t) { t.Dispose(); return 0; }
}
