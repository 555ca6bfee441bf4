using CourseLib.Data;
using CourseLib.Frontiers;

namespace CourseLib.Tests.Frontiers;

public class MultiTaskTrainerTests
{
    [Trait("Category", "learning")]
    [Fact]
    public void A_noisier_task_learns_a_larger_sigma_close_to_its_noise_level()
    {
        // Two regression heads on the same images: the ink mass plus Gaussian noise of standard deviation 0.5 and 2.
        // The noise cannot be predicted, so each head's loss stays near noise² and σ_i² = L_i near noise².
        var (train, _) = Digits.Load().Split(0.25, seed: 0);
        var ink = train.Images.Select(DigitMeasures.InkMass).ToArray();
        var rng = new Rng(42);
        var tasks = new[]
        {
            LearningTask.Regression("ink + noise 0.5", ink.Select(v => v + (float)(0.5 * rng.NextGaussian())).ToArray()),
            LearningTask.Regression("ink + noise 2", ink.Select(v => v + (float)(2.0 * rng.NextGaussian())).ToArray()),
        };
        using var model = MultiTaskTrainer.Train(DigitMeasures.Inputs(train), tasks, TaskWeighting.Uncertainty(), new MultiTaskOptions { Seed = 0 });
        var sigmas = model.Sigmas!;
        // Measured with seed 0: σ = 0.52 and 1.95.
        Assert.InRange(sigmas[0], 0.4, 0.8);
        Assert.InRange(sigmas[1], 1.6, 2.5);
        Assert.True(sigmas[1] > 2.5 * sigmas[0], $"σ's {sigmas[0]:0.###} and {sigmas[1]:0.###}: the noisier task should get a clearly larger σ.");
        // The noisier task's loss counts less.
        Assert.True(model.History[^1].Weights[1] < model.History[^1].Weights[0] / 5);
    }

    [Trait("Category", "learning")]
    [Fact]
    public void Uncertainty_weighting_is_not_worse_than_equal_weights_on_held_out_digits()
    {
        // Seed 0, 40 epochs. Measured on the held-out quarter (seeds 0..4): uncertainty weighting 96.7-97.6% digit accuracy
        // and 98.2-99.3% parity vs 94.9-97.3% and 96.2-98.2% with equal weights; ink RMSE 0.39-0.56 vs 0.22-0.44 (std 2.2).
        var (train, test) = Digits.Load().Split(0.25, seed: 0);
        var options = new MultiTaskOptions { Seed = 0 };
        using var equal = MultiTaskTrainer.Train(DigitMeasures.Inputs(train), DigitMeasures.Tasks(train), TaskWeighting.Equal, options);
        using var learned = MultiTaskTrainer.Train(DigitMeasures.Inputs(train), DigitMeasures.Tasks(train), TaskWeighting.Uncertainty(), options);
        var equalScores = equal.Evaluate(DigitMeasures.Inputs(test), DigitMeasures.Tasks(test));
        var learnedScores = learned.Evaluate(DigitMeasures.Inputs(test), DigitMeasures.Tasks(test));

        Assert.True(learnedScores[0].Metric >= equalScores[0].Metric - 0.01, $"digit: {learnedScores[0]} vs equal {equalScores[0]}");
        Assert.True(learnedScores[2].Metric >= equalScores[2].Metric - 0.01, $"parity: {learnedScores[2]} vs equal {equalScores[2]}");
        Assert.True(learnedScores[0].Metric >= 0.95, learnedScores[0].ToString());
        Assert.True(learnedScores[1].Metric <= 0.8, $"ink: {learnedScores[1]} (the target's standard deviation is 2.2)");
        // The learned σ's: the three end below 1, and the weights are c/σ².
        Assert.All(learned.Sigmas!, s => Assert.InRange(s, 0.01, 1.0));
        var last = learned.History[^1];
        Assert.Equal(0.5 * Math.Exp(-2 * last.LogSigmas![1]), last.Weights[1], 9);
    }

    [Trait("Category", "unit")]
    [Fact]
    public void Training_is_reproducible_and_records_one_entry_per_epoch()
    {
        var (train, _) = Digits.Load().Split(0.5, seed: 1);
        var options = new MultiTaskOptions { Epochs = 2, Seed = 5 };
        using var a = MultiTaskTrainer.Train(DigitMeasures.Inputs(train), DigitMeasures.Tasks(train), TaskWeighting.Fixed(1, 0.5, 2), options);
        using var b = MultiTaskTrainer.Train(DigitMeasures.Inputs(train), DigitMeasures.Tasks(train), TaskWeighting.Fixed(1, 0.5, 2), options);
        Assert.Equal(2, a.History.Count);
        Assert.Equal(a.History[^1].TaskLosses, b.History[^1].TaskLosses);
        Assert.Equal(new[] { 1, 0.5, 2 }, a.History[0].Weights);
        Assert.Null(a.Sigmas);
        Assert.Equal(new[] { "digit", "ink", "parity" }, a.TaskNames);
    }

    [Trait("Category", "unit")]
    [Fact]
    public void Training_can_be_cancelled()
    {
        var (train, _) = Digits.Load().Split(0.5, seed: 1);
        using var source = new CancellationTokenSource();
        source.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() =>
            MultiTaskTrainer.Train(DigitMeasures.Inputs(train), DigitMeasures.Tasks(train), TaskWeighting.Equal, cancellationToken: source.Token));
    }

    [Trait("Category", "unit")]
    [Fact]
    public void A_loss_that_becomes_NaN_stops_training_naming_the_update()
    {
        var inputs = Enumerable.Range(0, 8).Select(i => new float[] { i, 1 }).ToArray();
        var tasks = new[] { LearningTask.Regression("huge", Enumerable.Range(0, 8).Select(i => i % 2 == 0 ? 3e38f : -3e38f).ToArray()) };
        var error = Assert.Throws<InvalidOperationException>(() => MultiTaskTrainer.Train(inputs, tasks, TaskWeighting.Equal, new MultiTaskOptions { Epochs = 1 }));
        Assert.Contains("update 1", error.Message);
    }

    [Trait("Category", "unit")]
    [Fact]
    public void Bad_input_is_rejected_with_the_argument_named()
    {
        var inputs = new[] { new float[] { 1, 2 }, new float[] { 3, 4 } };
        var task = LearningTask.Classification("c", [0, 1], 2);
        Assert.Equal("tasks", Assert.Throws<ArgumentException>(() => MultiTaskTrainer.Train(inputs, [LearningTask.Classification("c", [0, 1, 1], 2)], TaskWeighting.Equal)).ParamName);
        Assert.Equal("weighting", Assert.Throws<ArgumentException>(() => MultiTaskTrainer.Train(inputs, [task], TaskWeighting.Fixed(1, 2))).ParamName);
        Assert.Equal("inputs", Assert.Throws<ArgumentException>(() => MultiTaskTrainer.Train([new float[] { 1 }, new float[] { 1, 2 }], [task], TaskWeighting.Equal)).ParamName);
        Assert.Equal("Epochs", Assert.Throws<ArgumentOutOfRangeException>(() => MultiTaskTrainer.Train(inputs, [task], TaskWeighting.Equal, new MultiTaskOptions { Epochs = 0 })).ParamName);
        Assert.Equal("labels", Assert.Throws<ArgumentOutOfRangeException>(() => LearningTask.Classification("c", [0, 2], 2)).ParamName);
        Assert.Equal("values", Assert.Throws<ArgumentOutOfRangeException>(() => LearningTask.Regression("r", [float.NaN])).ParamName);
        Assert.Equal("weights", Assert.Throws<ArgumentOutOfRangeException>(() => TaskWeighting.Fixed(1, -1)).ParamName);
    }
}
