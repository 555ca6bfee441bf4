namespace CourseLib.Tests.Foundation;

/// <summary>
/// The short version of the native-fault harness (the long one: benchmark mode <c>--torch-faults</c>, 200 runs per
/// path). Without the keep-alive step, the first path alone crashed the process within 20 runs here.
/// </summary>
[Trait("Category", "learning")]
public class TorchFaultHarnessTests
{
    [Fact]
    public void Every_TorchSharp_path_runs_without_a_native_fault_while_other_threads_force_collections()
    {
        var results = TorchFaultHarness.Run(TorchFaultHarness.Paths, runs: 3);
        Assert.Equal(TorchFaultHarness.Paths.Select(p => p.Name), results.Select(r => r.Name));
        Assert.All(results, r => Assert.True(r.Faults == 0, r.ToString()));
    }
}
