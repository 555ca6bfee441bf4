using CourseLib.Data;
using CourseLib.Frontiers;

namespace CourseLib.Tests.Frontiers;

public class MultiTaskTrainerTests
{
    static LearningTask[] NoisyInkTasks(Digits train)
    {
        var ink = train.Images.Select(DigitMeasures.InkMass).ToArray();
        var rng = new Rng(42);
        return
        [
            LearningTask.Regression("ink + noise 0.5", ink.Select(v => v + (float)(0.5 * rng.NextGaussian())).ToArray()),
            LearningTask.Regression("ink + noise 2", ink.Select(v => v + (float)(2.0 * rng.NextGaussian())).ToArray()),
        ];
    }

    [Trait("Category", "learning")]
    [Fact]
    public void A_noisier_task_learns_a_larger_sigma_near_its_noise_level_and_without_log_sigma_the_sigmas_run_away_in_2_of_3_seeds()
    {
        // Two regression heads on the same images: the ink mass plus Gaussian noise of standard deviation 0.5 and 2 (noise
        // seed 42). The noise cannot be predicted, so each head's loss stays near noise² and σ_i² = L_i near noise².
        // Training seeds 0-2, 40 epochs. Notebook 09's exercise drives the weighting: its instructor's solution gives
        // bit-for-bit the library's training, and in at least 2 of 3 seeds its σ's end in [0.4, 0.65] and [1.6, 2.4], the
        // noisier task's weight under a fifth of the other's; the mistake the notebook shows (no + log σ_i: nothing stops σ
        // from growing) ends with both σ's above 3. Measured (--multitask-seeds 40 3): right σ = 0.522-0.552 and
        // 1.913-1.976; without log σ 3.77-4.16 and 7.67-8.84.
        var (train, _) = Digits.Load().Split(0.25, seed: 0);
        var tasks = NoisyInkTasks(train);
        var inputs = DigitMeasures.Inputs(train);
        var report = new List<string>();
        int passed = 0;
        for (int seed = 0; seed < 3; seed++)
        {
            var options = new MultiTaskOptions { Seed = seed };
            using var reference = MultiTaskTrainer.Train(inputs, tasks, TaskWeighting.Uncertainty(), options);
            using var right = MultiTaskTrainer.Train(inputs, tasks, TaskWeighting.Uncertainty(), options, FrontiersSolutions.WeightedLoss);
            using var wrong = MultiTaskTrainer.Train(inputs, tasks, TaskWeighting.Uncertainty(), options, FrontiersSolutions.WeightedLossWithoutLogSigma);
            Assert.Equal(reference.History.Select(e => e.TotalLoss), right.History.Select(e => e.TotalLoss));
            Assert.Equal(reference.Sigmas, right.Sigmas);
            var (r, w) = (right.Sigmas!, wrong.Sigmas!);
            bool ok = r[0] is >= 0.4 and <= 0.65 && r[1] is >= 1.6 and <= 2.4 && right.History[^1].Weights[1] < right.History[^1].Weights[0] / 5
                && w[0] > 3 && w[1] > 3;
            if (ok) passed++;
            report.Add($"seed {seed}: right σ {r[0]:0.###}, {r[1]:0.###}; without log σ {w[0]:0.###}, {w[1]:0.###}");
        }
        Assert.True(passed >= 2, $"{passed} of 3 seeds pass; 2 needed. " + string.Join("; ", report));
    }

    [Trait("Category", "unit")]
    [Fact]
    public void The_training_gradient_of_the_weighted_loss_is_its_analytic_gradient()
    {
        // ∂L/∂L_i = c_i e^{−2 s_i} and ∂L/∂s_i = −2 c_i e^{−2 s_i} L_i + 1, which the trainer takes by central differences.
        var kinds = new[] { TaskKind.Classification, TaskKind.Regression, TaskKind.Classification };
        double[] losses = [2.3, 4.7, 0.69], s = [0.3, -0.8, 1.2];
        var gradient = CentralDifferences.Gradient(x => UncertaintyWeightedLoss.Total(x[..3], x[3..], kinds), [.. losses, .. s], _ => 1e-4, "WeightedLoss");
        for (int i = 0; i < 3; i++)
        {
            double c = UncertaintyWeightedLoss.Factor(kinds[i]);
            double dLoss = c * Math.Exp(-2 * s[i]), dSigma = -2 * c * Math.Exp(-2 * s[i]) * losses[i] + 1;   // exact in L_i, O(h²) in s_i
            Assert.True(Math.Abs(gradient[i] - dLoss) <= 1e-8 * Math.Max(1, Math.Abs(dLoss)), $"∂L/∂L_{i}: {gradient[i]} against {dLoss}");
            Assert.True(Math.Abs(gradient[3 + i] - dSigma) <= 1e-7 * Math.Max(1, Math.Abs(dSigma)), $"∂L/∂s_{i}: {gradient[3 + i]} against {dSigma}");
        }
    }

    [Trait("Category", "learning")]
    [Fact]
    public void Uncertainty_weighting_is_not_worse_than_equal_weights_on_held_out_digits_in_2_of_3_seeds()
    {
        // Seeds 0-2, 40 epochs, the three digit tasks. In at least 2 of 3 seeds, uncertainty weighting is within a point of
        // equal weights (or better) in held-out digit and parity accuracy, reaches 95% digit accuracy and an ink RMSE of at
        // most 0.8 (the target's standard deviation is 2.2), and its σ's end in [0.01, 1]. Measured on the held-out quarter
        // (seeds 0-4, before the exercise drove training): uncertainty 96.7-97.6% digit and 98.2-99.3% parity accuracy vs
        // 94.9-97.3% and 96.2-98.2% with equal weights; ink RMSE 0.39-0.56 vs 0.22-0.44; --multitask-seeds: digit 0.971-0.976.
        var (train, test) = Digits.Load().Split(0.25, seed: 0);
        var report = new List<string>();
        int passed = 0;
        for (int seed = 0; seed < 3; seed++)
        {
            var options = new MultiTaskOptions { Seed = seed };
            using var equal = MultiTaskTrainer.Train(DigitMeasures.Inputs(train), DigitMeasures.Tasks(train), TaskWeighting.Equal, options);
            using var learned = MultiTaskTrainer.Train(DigitMeasures.Inputs(train), DigitMeasures.Tasks(train), TaskWeighting.Uncertainty(), options);
            var equalScores = equal.Evaluate(DigitMeasures.Inputs(test), DigitMeasures.Tasks(test));
            var learnedScores = learned.Evaluate(DigitMeasures.Inputs(test), DigitMeasures.Tasks(test));
            bool ok = learnedScores[0].Metric >= equalScores[0].Metric - 0.01 && learnedScores[2].Metric >= equalScores[2].Metric - 0.01
                && learnedScores[0].Metric >= 0.95 && learnedScores[1].Metric <= 0.8 && learned.Sigmas!.All(x => x is >= 0.01 and <= 1.0);
            if (ok) passed++;
            report.Add($"seed {seed}: learned {string.Join(" | ", learnedScores.Select(x => x.ToString()))}; equal {string.Join(" | ", equalScores.Select(x => x.ToString()))}");
            // The weights are c/σ².
            var last = learned.History[^1];
            Assert.Equal(0.5 * Math.Exp(-2 * last.LogSigmas![1]), last.Weights[1], 9);
        }
        Assert.True(passed >= 2, $"{passed} of 3 seeds pass; 2 needed. " + string.Join("; ", report));
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
        Assert.Equal("LearningRate", Assert.Throws<ArgumentOutOfRangeException>(() => MultiTaskTrainer.Train(inputs, [task], TaskWeighting.Equal, new MultiTaskOptions { LearningRate = double.NaN })).ParamName);
        Assert.Equal("HiddenSizes", Assert.Throws<ArgumentOutOfRangeException>(() => MultiTaskTrainer.Train(inputs, [task], TaskWeighting.Equal, new MultiTaskOptions { HiddenSizes = [] })).ParamName);
        Assert.Equal("labels", Assert.Throws<ArgumentOutOfRangeException>(() => LearningTask.Classification("c", [0, 2], 2)).ParamName);
        Assert.Equal("values", Assert.Throws<ArgumentOutOfRangeException>(() => LearningTask.Regression("r", [float.NaN])).ParamName);
        Assert.Equal("weights", Assert.Throws<ArgumentOutOfRangeException>(() => TaskWeighting.Fixed(1, -1)).ParamName);
    }
}
