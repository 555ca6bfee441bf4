using CourseLib.Data;
using CourseLib.Frontiers;

namespace CourseLib.Tests.Frontiers;

public class OneShotTests
{
    [Trait("Category", "unit")]
    [Fact]
    public void The_pair_sampler_draws_half_similar_half_dissimilar_pairs_reproducibly()
    {
        int[] labels = [0, 0, 0, 1, 1, 2, 2, 2, 2];
        var (first, second, pairLabels) = new PairSampler(labels, new Rng(4)).Sample(100);
        for (int k = 0; k < 100; k++)
        {
            if (k < 50)
            {
                Assert.Equal(ContrastiveLoss.Similar, pairLabels[k]);
                Assert.Equal(labels[first[k]], labels[second[k]]);
                Assert.NotEqual(first[k], second[k]);
            }
            else
            {
                Assert.Equal(ContrastiveLoss.Dissimilar, pairLabels[k]);
                Assert.NotEqual(labels[first[k]], labels[second[k]]);
            }
        }
        var again = new PairSampler(labels, new Rng(4)).Sample(100);
        Assert.Equal(first, again.First);
        Assert.Equal(second, again.Second);
        Assert.Equal("labels", Assert.Throws<ArgumentException>(() => new PairSampler([0, 0, 0], new Rng(0))).ParamName);
        Assert.Equal("labels", Assert.Throws<ArgumentException>(() => new PairSampler([0, 0, 1], new Rng(0))).ParamName);
    }

    [Trait("Category", "unit")]
    [Fact]
    public void Nearest_embedding_classification_is_exact_on_well_separated_classes()
    {
        var rng = new Rng(2);
        var embeddings = new List<float[]>();
        var labels = new List<int>();
        for (int c = 0; c < 4; c++)
            for (int i = 0; i < 10; i++)
            {
                embeddings.Add([10f * c + (float)(0.1 * rng.NextGaussian()), (float)(0.1 * rng.NextGaussian())]);
                labels.Add(c + 5);
            }
        var result = OneShot.Evaluate(embeddings, labels, [5, 6, 7, 8], episodes: 5, seed: 0);
        Assert.Equal(1.0, result.Accuracy);
        Assert.Equal(0.25, result.Chance);
        Assert.Equal(1.0, result.Confusion[2, 2]);
        Assert.Equal(6, OneShot.NearestClass([9.5f, 0f], [[0f, 0f], [10f, 0f]], [5, 6]));
    }

    [Trait("Category", "learning")]
    [Fact]
    public void A_Siamese_network_on_digits_0_to_4_classifies_5_to_9_above_chance_and_swapped_labels_cannot_tell_0_to_4_apart_in_2_of_3_seeds()
    {
        // Seeds 0-2, 500 updates of 128 pairs, 20 episodes of 5-way one-shot. Notebook 10's exercise drives training (its
        // loss value and, by central differences, its gradient with respect to the distances): the instructor's solution
        // gives bit-for-bit the library's run. In at least 2 of 3 seeds the right loss reaches 30% on the unseen digits
        // (chance 20%) and 95% on held-out images of the seen digits, with dissimilar pairs 5 times farther apart than
        // similar ones; the mistake the notebook shows (labels read the other way round: same-digit pairs pushed apart,
        // different digits pulled together) falls to at most 50% on the held-out images of the trained digits.
        // Measured (--siamese-digits-seeds 500 3): right: unseen 36-44%, seen held-out 99.9-100%; swapped: seen held-out
        // 23.8-25.1%. Raw-pixel nearest neighbour: 72% and 75-81%: on five training classes the learned metric does not
        // transfer better than pixels (see notebook 10). The usual remedies (standardised inputs, L2-normalised
        // embeddings, margins 0.5-2, hard-ish negatives, 8-128 dimensions, linear or CNN embedding, weight decay, shift
        // augmentation) all stay at 36-44% (seed 0); the best linear metric from 0-4 (within-class whitening) only ties
        // pixels, so this test asserts above chance, not above pixels.
        var digits = Digits.Load();
        var report = new List<string>();
        int passed = 0;
        for (int seed = 0; seed < 3; seed++)
        {
            var options = new SiameseOptions { Seed = seed };
            using var reference = OneShotDigits.Run(digits, options);
            using var right = OneShotDigits.Run(digits, options, contrastiveLoss: FrontiersSolutions.MeanContrastiveLoss);
            using var wrong = OneShotDigits.Run(digits, options, contrastiveLoss: FrontiersSolutions.MeanContrastiveLossSwapped);
            Assert.Equal(reference.Model.History, right.Model.History);
            Assert.Equal(reference.Unseen.EpisodeAccuracies, right.Unseen.EpisodeAccuracies);
            Assert.Equal(new[] { 5, 6, 7, 8, 9 }, right.UnseenClasses);
            Assert.True(right.UnseenPixels.Accuracy >= 0.65, $"raw-pixel one-shot accuracy {right.UnseenPixels.Accuracy:0.###}");
            var last = right.Model.History[^1];
            bool ok = right.Unseen.Accuracy >= 0.30 && right.SeenHeldOut.Accuracy >= 0.95 && last.DissimilarDistance > 5 * last.SimilarDistance
                && wrong.SeenHeldOut.Accuracy <= 0.5;
            if (ok) passed++;
            report.Add($"seed {seed}: right: unseen {right.Unseen.Accuracy:0.###}, seen held-out {right.SeenHeldOut.Accuracy:0.###}, " +
                       $"distances {last.SimilarDistance:0.###} / {last.DissimilarDistance:0.###}; swapped labels: seen held-out {wrong.SeenHeldOut.Accuracy:0.###}");
        }
        Assert.True(passed >= 2, $"{passed} of 3 seeds pass; 2 needed. " + string.Join("; ", report));
    }

    [Trait("Category", "unit")]
    [Fact]
    public void The_training_gradient_of_the_contrastive_loss_is_its_analytic_gradient()
    {
        // ∂L/∂d_k = ((1 − y_k)·d_k − y_k·max(0, m − d_k)) / n, which the trainer takes by central differences of the loss on
        // doubles (steps min(1e-4, d_k/2), so the distances stay positive).
        var rng = new Rng(5);
        var d = Enumerable.Range(0, 40).Select(_ => rng.Uniform(1e-5, 2)).ToArray();
        var y = Enumerable.Range(0, 40).Select(_ => rng.NextInt(2)).ToArray();
        const double margin = 1;
        var gradient = CentralDifferences.Gradient(x => ContrastiveLoss.Mean(x, y, margin), d, dk => Math.Min(1e-4, dk / 2), "MeanContrastiveLoss");
        for (int k = 0; k < d.Length; k++)
            Assert.Equal(((1 - y[k]) * d[k] - y[k] * Math.Max(0, margin - d[k])) / d.Length, gradient[k], 9);
        var e = Assert.Throws<InvalidOperationException>(() => CentralDifferences.Gradient(_ => double.NaN, [1.0], _ => 1e-4, "MeanContrastiveLoss"));
        Assert.Contains("MeanContrastiveLoss", e.Message);
    }

    [Trait("Category", "unit")]
    [Fact]
    public void Siamese_training_is_reproducible_cancellable_and_reports_records()
    {
        var digits = Digits.Load();
        var inputs = digits.Images.Take(200).Select(DigitMeasures.Scaled).ToArray();
        var labels = digits.Labels.Take(200).ToArray();
        var options = new SiameseOptions { Updates = 20, RecordEvery = 10, Seed = 3 };
        var seen = new List<int>();
        using var a = SiameseTrainer.Train(inputs, labels, options, onRecord: (record, _) => seen.Add(record.Update));
        using var b = SiameseTrainer.Train(inputs, labels, options);
        Assert.Equal(new[] { 10, 20 }, seen);
        Assert.Equal(a.History.Select(r => r.Loss), b.History.Select(r => r.Loss));
        // Embedding runs outside training, with libtorch's thread count, so the last bits may differ between runs.
        var (ea, eb) = (a.Embed(inputs.Take(3).ToArray())[2], b.Embed(inputs.Take(3).ToArray())[2]);
        Assert.All(Enumerable.Range(0, ea.Length), i => Assert.Equal(ea[i], eb[i], 5));
        using var source = new CancellationTokenSource();
        source.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => SiameseTrainer.Train(inputs, labels, options, cancellationToken: source.Token));
        Assert.Equal("Margin", Assert.Throws<ArgumentOutOfRangeException>(() => SiameseTrainer.Train(inputs, labels, options with { Margin = 0 })).ParamName);
        Assert.Equal("LearningRate", Assert.Throws<ArgumentOutOfRangeException>(() => SiameseTrainer.Train(inputs, labels, options with { LearningRate = double.PositiveInfinity })).ParamName);
        Assert.Equal("HiddenSizes", Assert.Throws<ArgumentOutOfRangeException>(() => SiameseTrainer.Train(inputs, labels, options with { HiddenSizes = [64, 0] })).ParamName);
    }

    [Trait("Category", "unit")]
    [Fact]
    public void Pca_keeps_the_direction_of_largest_variance()
    {
        // Points on the line (t, 2t, 0) plus a tiny wobble in z: the first coordinate carries the spread, the second almost none.
        var points = Enumerable.Range(0, 20).Select(i => new float[] { i, 2 * i, (i % 2) * 0.01f }).ToList();
        var projected = Pca.Project(points);
        Assert.Equal(20, projected.Length);
        double spread = projected.Max(p => p[0]) - projected.Min(p => p[0]);
        Assert.Equal(19 * Math.Sqrt(5), spread, 3);
        Assert.All(projected, p => Assert.InRange(Math.Abs(p[1]), 0, 0.01));
    }
}
