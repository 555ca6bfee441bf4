using CourseLib.Frontiers;

namespace CourseLib.Tests.Frontiers;

[Trait("Category", "unit")]
public class VerificationTests
{
    [Fact]
    public void The_equal_error_rate_is_where_false_accepts_and_false_rejects_cross()
    {
        // Genuine distances 1..10, impostor distances 6..15. At τ = 7, FAR = 2/10 (6, 7 accepted) and FRR = 3/10
        // (8, 9, 10 rejected); at τ = 8, FAR = 3/10 and FRR = 2/10. Between them the rates cross at 25 %, τ = 7.5.
        double[] genuine = [.. Enumerable.Range(1, 10).Select(i => (double)i)];
        double[] impostor = [.. Enumerable.Range(6, 10).Select(i => (double)i)];
        var result = Verification.FromDistances(genuine, impostor);
        Assert.Equal(0.25, result.EqualErrorRate, 10);
        Assert.Equal(7.5, result.EqualErrorThreshold, 10);
        Assert.Equal(new RocPoint(8, 0.3, 0.2), result.At(8));
        Assert.Equal(new RocPoint(5, 0, 0.5), result.At(5));   // τ = 5: accepts genuine 1..5, no impostor
        // AUC: P(genuine < impostor) + ½ P(tie) = (85 + ½·5) / 100.
        Assert.Equal(0.875, result.AreaUnderCurve, 10);
        Assert.Equal((0.0, 1.0), (result.Roc[0].FalseAcceptRate, result.Roc[0].FalseRejectRate));
        Assert.Equal((1.0, 0.0), (result.Roc[^1].FalseAcceptRate, result.Roc[^1].FalseRejectRate));
    }

    [Fact]
    public void Separated_distances_verify_perfectly_and_identical_ones_at_chance()
    {
        var perfect = Verification.FromDistances([0.1, 0.2, 0.3], [1.0, 2.0]);
        Assert.Equal(0, perfect.EqualErrorRate, 10);
        Assert.Equal(1, perfect.AreaUnderCurve, 10);
        var rng = new Rng(5);
        var same = Enumerable.Range(0, 4000).Select(_ => rng.NextDouble()).ToArray();
        var coin = Verification.FromDistances(same[..2000], same[2000..]);
        Assert.InRange(coin.EqualErrorRate, 0.45, 0.55);
        Assert.InRange(coin.AreaUnderCurve, 0.45, 0.55);
    }

    [Fact]
    public void Evaluate_draws_genuine_and_impostor_pairs_reproducibly_within_groups()
    {
        // Two groups of two classes; classes are points on a line: 0 at 0, 1 at 1, 2 at 10, 3 at 11 (with jitter).
        var rng = new Rng(1);
        var embeddings = new List<float[]>();
        var labels = new List<int>();
        float[] centre = [0, 1, 10, 11];
        for (int c = 0; c < 4; c++)
            for (int i = 0; i < 5; i++) { embeddings.Add([centre[c] + (float)(0.01 * rng.NextGaussian())]); labels.Add(c); }
        var within = Verification.Evaluate(embeddings, labels, pairs: 200, seed: 2, groupOfClass: [0, 0, 1, 1]);
        Assert.Equal(100, within.GenuineDistances.Length);
        Assert.All(within.GenuineDistances, d => Assert.True(d < 0.1));
        Assert.All(within.ImpostorDistances, d => Assert.InRange(d, 0.9, 1.1));   // impostors from the same group only
        Assert.Equal(within.ImpostorDistances, Verification.Evaluate(embeddings, labels, 200, seed: 2, [0, 0, 1, 1]).ImpostorDistances);
        var anywhere = Verification.Evaluate(embeddings, labels, pairs: 200, seed: 2);
        Assert.Contains(anywhere.ImpostorDistances, d => d > 5);
        Assert.Equal("pairs", Assert.Throws<ArgumentOutOfRangeException>(() => Verification.Evaluate(embeddings, labels, pairs: 1)).ParamName);
        Assert.Equal("labels", Assert.Throws<ArgumentException>(() => Verification.Evaluate(embeddings, labels.Take(3).ToArray())).ParamName);
    }

    [Fact]
    public void N_way_episodes_are_reproducible_and_report_a_confidence_interval()
    {
        // Four groups of 5 classes each, 3 examples per class; classes well separated except classes 0 and 1 coincide.
        var rng = new Rng(3);
        var embeddings = new List<float[]>();
        var labels = new List<int>();
        for (int c = 0; c < 20; c++)
            for (int i = 0; i < 3; i++)
            {
                float x = c == 1 ? 0 : 10 * c;
                embeddings.Add([x + (float)(0.1 * rng.NextGaussian()), (float)(0.1 * rng.NextGaussian())]);
                labels.Add(c);
            }
        int[] groups = [.. Enumerable.Range(0, 20).Select(c => c / 5)];
        var fiveWay = OneShot.NWay(embeddings, labels, ways: 5, episodes: 400, seed: 7, groupOfClass: groups);
        // A quarter of the episodes are group 0, where queries of 0 and 1 are a coin flip: expected 1 − ¼·(2/5)·½ = 0.95.
        Assert.InRange(fiveWay.Accuracy, 0.93, 0.97);
        Assert.Equal(0.2, fiveWay.Chance);
        Assert.InRange(fiveWay.HalfWidth95, 0.005, 0.03);
        Assert.Equal(fiveWay.EpisodeAccuracies, OneShot.NWay(embeddings, labels, 5, 400, seed: 7, groups).EpisodeAccuracies);
        // Without groups, 5 of the 20 classes per episode: 0 and 1 meet in 5/20 · 4/19 of the episodes.
        Assert.InRange(OneShot.NWay(embeddings, labels, ways: 5, episodes: 400, seed: 7).Accuracy, 0.97, 1.0);
        Assert.Equal("ways", Assert.Throws<ArgumentException>(() => OneShot.NWay(embeddings, labels, ways: 6, groupOfClass: groups)).ParamName);
        Assert.Equal("ways", Assert.Throws<ArgumentOutOfRangeException>(() => OneShot.NWay(embeddings, labels, ways: 1)).ParamName);
        Assert.Contains("5-way, 400 episodes", fiveWay.ToString());
    }
}
