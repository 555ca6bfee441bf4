using CourseLib.ActorCritic;

namespace CourseLib.Tests.ActorCritic;

/// <summary>Runs alone (no other test in parallel): its forced garbage collections would also hit other tests' TorchSharp calls.</summary>
[CollectionDefinition("A3C under forced garbage collections", DisableParallelization = true)]
public class A3CUnderGarbageCollectionCollection;

[Collection("A3C under forced garbage collections")]
[Trait("Category", "unit")]
public class A3CUnderGarbageCollectionTests
{
    [Fact]
    public void Repeated_runs_survive_garbage_collections_during_training()
    {
        // The old workers called TorchSharp, whose temporary native scalars the garbage collector could free in the middle
        // of a native call ("Unknown scalar type"; with this thread forcing collections, 7 of the first 8 runs of 20k steps failed). The workers
        // now compute in plain C#: every run must finish with finite weights.
        using var stopPressure = new CancellationTokenSource();
        var pressure = new Thread(() => { while (!stopPressure.IsCancellationRequested) { GC.Collect(); GC.WaitForPendingFinalizers(); Thread.Sleep(1); } })
            { IsBackground = true };
        pressure.Start();
        try
        {
            // Three runs (2, 3 and 4 workers) keep this in the fast tier; the long version is the benchmarks' --a3c-stress 40 20000 --gc.
            for (int run = 0; run < 3; run++)
            {
                int workers = 2 + run % 3;
                var result = A3C.TrainCartPole(new A3COptions { Workers = workers, Seed = run, TotalSteps = 5_000 });
                Assert.InRange(result.Steps, 5_000, 5_000 + workers * 20);
                Assert.True(result.Network.AllParametersFinite(), $"run {run}: weights are not finite");
                Assert.All(result.History.Updates, u => Assert.True(double.IsFinite(u.PolicyLoss) && double.IsFinite(u.ValueLoss) && double.IsFinite(u.Entropy)));
                result.Network.Dispose();
            }
        }
        finally
        {
            stopPressure.Cancel();
            pressure.Join();
        }
    }
}
