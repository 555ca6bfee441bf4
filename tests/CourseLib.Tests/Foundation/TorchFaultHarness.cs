#nullable enable
using System.Diagnostics;
using CourseLib.ActorCritic;
using CourseLib.Data;
using CourseLib.Environments;
using CourseLib.Frontiers;
using CourseLib.PolicyGradient;
using CourseLib.ValueBased.Deep;
using TorchSharp;
using static TorchSharp.torch;

namespace CourseLib.Tests.Foundation;

/// <summary>
/// Makes TorchSharp's native use-after-free faults happen on demand: runs each code path of the library that calls
/// TorchSharp while other threads allocate and force full collections (with finalizers) as fast as they can. Without
/// the keep-alive step in <c>build/TorchSharpKeepAlive</c>, a finalizer can free a <c>Scalar</c> or a temporary
/// <c>Tensor</c> while libtorch is still reading it (<c>Unknown scalar type</c>, <c>toFloat</c>, <c>Expected false to be
/// true</c>, or a crash). Used by the tests (a short version) and by the benchmark mode <c>--torch-faults</c>.
/// </summary>
public static class TorchFaultHarness
{
    /// <summary>One TorchSharp code path: a short piece of real work, seeded by the run number.</summary>
    public sealed record Path(string Name, Action<int> Run);

    /// <summary>How one path fared: runs, faults (exceptions from libtorch) and the first fault's message.</summary>
    public sealed record PathResult(string Name, int Runs, int Faults, string? FirstFault, TimeSpan Elapsed)
    {
        public override string ToString() =>
            $"{Name,-12} {Runs,5} runs  {Faults,4} faults  {Elapsed.TotalSeconds,6:0.0} s" + (FirstFault is null ? "" : $"  first: {FirstFault}");
    }

    static readonly Lazy<(Digits Train, Digits Test)> digits = new(() => Digits.Load().Split(0.25, seed: 0));

    /// <summary>Every TorchSharp code path of the library, and the notebooks' own TorchSharp cells.</summary>
    public static IReadOnlyList<Path> Paths { get; } =
    [
        new("cells", NotebookCells),
        new("reinforce", seed => Reinforce.Train(new CartPole(), new ReinforceOptions { StepsPerUpdate = 400, TotalSteps = 800, Seed = seed }).Agent.Dispose()),
        new("baseline", seed => Reinforce.Train(new CartPole(), new ReinforceOptions { StepsPerUpdate = 400, TotalSteps = 800, Seed = seed, Baseline = Baseline.LearnedValue }).Agent.Dispose()),
        new("a2c", seed => A2C.TrainCartPole(new A2COptions { Seed = seed, TotalSteps = 1_024, Environments = 4 })),
        new("a3c-autograd", seed => A3C.TrainCartPole(new A3COptions { Seed = seed, TotalSteps = 1_000, Gradient = A3CGradient.Autograd }).Agent.Dispose()),
        new("classifier", seed => ClassificationAsBandit.TrainWithReinforce(digits.Value.Train, digits.Value.Test,
            new DigitsClassifierOptions { Updates = 30, EvaluateEvery = 10, Seed = seed })),
        new("multitask", seed =>
        {
            var train = digits.Value.Test;
            using var model = MultiTaskTrainer.Train(DigitMeasures.Inputs(train), DigitMeasures.Tasks(train), TaskWeighting.Uncertainty(),
                new MultiTaskOptions { Seed = seed, Epochs = 1 });
        }),
        new("siamese", seed =>
        {
            var d = digits.Value.Test;
            using var model = SiameseTrainer.Train(d.Images.Take(200).Select(DigitMeasures.Scaled).ToArray(), d.Labels.Take(200).ToArray(),
                new SiameseOptions { Updates = 30, RecordEvery = 10, Seed = seed });
        }),
        new("dqn", seed =>
        {
            using var agent = new DqnAgent(4, 2, new DqnOptions { LearningStarts = 200, TrainFrequency = 1, BatchSize = 64, Seed = seed });
            Dqn.Train(agent, new CartPole(), 1_000);
        }),
    ];

    /// <summary>
    /// What a notebook cell does with TorchSharp directly: numbers turned into scalars implicitly (α of <c>a + b</c>,
    /// <c>x * 0.5</c>), temporary tensors left to the finalizer, and Adam's step.
    /// </summary>
    static void NotebookCells(int seed)
    {
        torch.random.manual_seed(seed);
        var layer = nn.Linear(8, 4);
        var optimizer = optim.Adam(layer.parameters(), lr: 1e-2);
        var x = torch.randn(32, 8);
        for (int i = 0; i < 100; i++)
        {
            optimizer.zero_grad();
            var loss = (layer.forward(x * 0.5 + 1.0).tanh() - 0.25).pow(2).mean() * 2.0;
            loss.backward();
            optimizer.step();
            _ = (x.add(x, alpha: 0.3) / 3.0).sum().item<float>();
        }
    }

    /// <summary>
    /// Runs each path <paramref name="runs"/> times (seeds 0, 1, ...) while <paramref name="pressureThreads"/> other
    /// threads allocate and force full, finalizing collections. Exceptions from a run count as faults (a native crash
    /// ends the process, which the caller sees).
    /// </summary>
    public static IReadOnlyList<PathResult> Run(IEnumerable<Path> paths, int runs, int pressureThreads = 2, Action<PathResult>? onPath = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(runs, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(pressureThreads);
        Environment.SetEnvironmentVariable("COURSELIB_PROGRESS", "none");
        using var pressure = ForceCollections(pressureThreads);
        var results = new List<PathResult>();
        foreach (var path in paths)
        {
            int faults = 0;
            string? first = null;
            var watch = Stopwatch.StartNew();
            for (int run = 0; run < runs; run++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                try { path.Run(run); }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    faults++;
                    first ??= $"{e.GetType().Name}: {e.Message.Split('\n')[0]}";
                }
            }
            var result = new PathResult(path.Name, runs, faults, first, watch.Elapsed);
            results.Add(result);
            onPath?.Invoke(result);
        }
        return results;
    }

    /// <summary>
    /// Starts <paramref name="threads"/> threads that allocate garbage and force full collections that run finalizers,
    /// as fast as they can, until the result is disposed: what a busy notebook kernel does now and then, all the time.
    /// </summary>
    public static IDisposable ForceCollections(int threads = 1)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(threads);
        var stop = new CancellationTokenSource();
        var pressure = Enumerable.Range(0, threads).Select(_ => new Thread(() => Pressure(stop.Token)) { IsBackground = true }).ToArray();
        foreach (var t in pressure) t.Start();
        return new Stopper(() =>
        {
            stop.Cancel();
            foreach (var t in pressure) t.Join();
            stop.Dispose();
        });
    }

    sealed class Stopper(Action stop) : IDisposable
    {
        int _stopped;
        public void Dispose() { if (Interlocked.Exchange(ref _stopped, 1) == 0) stop(); }
    }

    static void Pressure(CancellationToken stop)
    {
        var keep = new object[64];
        for (long i = 0; !stop.IsCancellationRequested; i++)
        {
            keep[i & 63] = new byte[(int)(i % 4096) + 16];
            if ((i & 255) == 0)
            {
                GC.Collect();
                GC.WaitForPendingFinalizers();
            }
        }
    }
}
