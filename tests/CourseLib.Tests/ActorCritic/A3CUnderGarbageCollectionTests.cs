using CourseLib.ActorCritic;

namespace CourseLib.Tests.ActorCritic;

/// <summary>Runs alone (no other test in parallel): its forced garbage collections would also hit other tests' TorchSharp calls.</summary>
[CollectionDefinition("A3C under forced garbage collections", DisableParallelization = true)]
public class A3CUnderGarbageCollectionCollection;

[Collection("A3C under forced garbage collections")]
[Trait("Category", "unit")]
public class A3CUnderGarbageCollectionTests
{
    [Theory]
    [InlineData(A3CGradient.Handwritten, 5_000)]
    [InlineData(A3CGradient.Autograd, 3_000)]
    public void Repeated_runs_survive_garbage_collections_during_training(A3CGradient gradient, long steps)
    {
        // TorchSharp's temporary native scalars and tensors could be freed by a collection in the middle of a native call
        // ("Unknown scalar type"; with collections forced, 7 of the first 8 runs of 20k steps failed when the workers called
        // TorchSharp). The build's keep-alive step closes that (build/TorchSharpKeepAlive.cs), so both the plain-C# workers
        // and the autograd workers must finish every run with finite weights.
        using var pressure = Foundation.TorchFaultHarness.ForceCollections();
        // Three runs (2, 3 and 4 workers) keep this in the fast tier; the long version is the benchmarks' --a3c-stress 40 20000 --gc.
        for (int run = 0; run < 3; run++)
        {
            int workers = 2 + run % 3;
            var result = A3C.TrainCartPole(new A3COptions { Workers = workers, Seed = run, TotalSteps = steps, Gradient = gradient });
            Assert.InRange(result.Steps, steps, steps + workers * 20);
            Assert.True(result.Agent.AllParametersFinite(), $"{gradient}, run {run}: weights are not finite");
            Assert.All(result.History, u => Assert.True(double.IsFinite(u.PolicyLoss) && double.IsFinite(u.ValueLoss) && double.IsFinite(u.Entropy)));
            result.Agent.Dispose();
        }
    }
}
