using BenchmarkDotNet.Attributes;
using CourseLib.Data;
using CourseLib.Frontiers;
using CourseLib.Training;

namespace CourseLib.Benchmarks;

/// <summary>
/// Frontiers speed on the UCI digits: multi-task training (three tasks, 1348 images, batches of 64: 22 updates per
/// epoch; one epoch per invocation, so "Mean" is an epoch), Siamese training (128 pairs per update; 50 updates per
/// invocation, OperationsPerInvoke: "Mean" is one update), and the ESZSL closed form on the seven seen digits
/// (65 features, 1261 images, 9 attributes; one fit and prediction of the unseen digits).
/// Run: dotnet run -c Release --project tests/CourseLib.Benchmarks -- --filter '*FrontiersBenchmarks*'
/// </summary>
[MemoryDiagnoser]
public class FrontiersBenchmarks
{
    const int SiameseUpdates = 50;
    Digits _digits;
    float[][] _inputs;
    LearningTask[] _tasks;
    float[][] _pairInputs;
    int[] _pairLabels;

    [GlobalSetup]
    public void Setup()
    {
        TrainingProgress.Mode = ProgressMode.None;
        _digits = Digits.Load();
        var (train, _) = _digits.Split(0.25, seed: 0);
        _inputs = DigitMeasures.Inputs(train);
        _tasks = DigitMeasures.Tasks(train);
        var seen = Enumerable.Range(0, train.Count).Where(i => train.Labels[i] < 5).ToArray();
        _pairInputs = seen.Select(i => _inputs[i]).ToArray();
        _pairLabels = seen.Select(i => train.Labels[i]).ToArray();
    }

    /// <summary>One epoch (22 updates) of uncertainty-weighted multi-task training.</summary>
    [Benchmark]
    public double MultiTaskEpoch()
    {
        using var model = MultiTaskTrainer.Train(_inputs, _tasks, TaskWeighting.Uncertainty(), new MultiTaskOptions { Epochs = 1 });
        return model.History[^1].TotalLoss;
    }

    /// <summary>One update of Siamese training with the contrastive loss (128 pairs).</summary>
    [Benchmark(OperationsPerInvoke = SiameseUpdates)]
    public double SiameseUpdate()
    {
        using var model = SiameseTrainer.Train(_pairInputs, _pairLabels, new SiameseOptions { Updates = SiameseUpdates, RecordEvery = SiameseUpdates });
        return model.History[^1].Loss;
    }

    /// <summary>ESZSL: closed-form fit on the seen digits and prediction of 3, 7 and 8.</summary>
    [Benchmark]
    public double EszslFitAndPredict() => ZeroShotDigits.Run(_digits, [3, 7, 8]).Accuracy;
}
