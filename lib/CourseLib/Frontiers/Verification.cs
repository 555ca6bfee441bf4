namespace CourseLib.Frontiers;

/// <summary>One operating point of a verifier: accept a pair as "same" when its distance is at most <paramref name="Threshold"/>.</summary>
/// <param name="Threshold">The distance threshold τ.</param>
/// <param name="FalseAcceptRate">The fraction of different-class pairs (forgeries) accepted: d ≤ τ.</param>
/// <param name="FalseRejectRate">The fraction of same-class pairs (genuine) rejected: d &gt; τ.</param>
public sealed record RocPoint(double Threshold, double FalseAcceptRate, double FalseRejectRate)
{
    /// <summary>The fraction of genuine pairs accepted, 1 − FRR (the ROC's y axis).</summary>
    public double TrueAcceptRate => 1 - FalseRejectRate;
}

/// <summary>The outcome of <see cref="Verification.Evaluate"/>.</summary>
/// <param name="GenuineDistances">The distance of each same-class pair.</param>
/// <param name="ImpostorDistances">The distance of each different-class pair.</param>
/// <param name="Roc">Every operating point, from the lowest threshold (accepts nothing) to the highest (accepts everything).</param>
/// <param name="EqualErrorRate">The error rate where false accepts and false rejects are equally frequent.</param>
/// <param name="EqualErrorThreshold">The threshold at which that happens.</param>
/// <param name="AreaUnderCurve">The area under the ROC curve: the chance that a genuine pair is closer than an impostor pair.</param>
public sealed record VerificationResult(double[] GenuineDistances, double[] ImpostorDistances, RocPoint[] Roc,
    double EqualErrorRate, double EqualErrorThreshold, double AreaUnderCurve)
{
    /// <summary>At most <paramref name="points"/> operating points of <see cref="Roc"/>, evenly spread along it, with both ends (for charts).</summary>
    public RocPoint[] RocSampled(int points = 201)
    {
        if (points < 2) throw new ArgumentOutOfRangeException(nameof(points), points, "points must be at least 2.");
        if (Roc.Length <= points) return Roc;
        return Enumerable.Range(0, points).Select(k => Roc[(int)Math.Round(k * (Roc.Length - 1.0) / (points - 1))]).ToArray();
    }

    /// <summary>The operating point of threshold <paramref name="threshold"/>.</summary>
    public RocPoint At(double threshold) => new(threshold,
        ImpostorDistances.Count(d => d <= threshold) / (double)ImpostorDistances.Length,
        GenuineDistances.Count(d => d > threshold) / (double)GenuineDistances.Length);
}

/// <summary>
/// SigNet's verification framing (Dey et al. 2017): a verifier does not name the class of a sample; it decides whether
/// two samples come from the same class (a questioned signature against a reference one) by thresholding the distance
/// d = ‖f(x₁) − f(x₂)‖: accept as genuine when d ≤ τ. Lowering τ lets fewer forgeries through (false accepts) but rejects
/// more genuine samples (false rejects); the ROC curve shows the whole trade-off and the equal error rate (EER) sums it
/// up in one number, the error at the τ where both rates are equal.
/// </summary>
public static class Verification
{
    /// <summary>
    /// Draws <paramref name="pairs"/> / 2 genuine pairs (two different examples of one class) and as many impostor pairs
    /// (examples of two different classes, from one group when <paramref name="groupOfClass"/> is given: the look-alike
    /// forgeries of the same script) and measures the verifier over every threshold.
    /// </summary>
    /// <param name="embeddings">One embedding per example (the raw inputs for the pixel baseline).</param>
    /// <param name="labels">The class of each example.</param>
    /// <param name="pairs">Pairs in all, at least 2. Default 4000.</param>
    /// <param name="seed">Seed of the pairs: the same seed draws the same pairs for every embedding.</param>
    /// <param name="groupOfClass">Optional: the group (script) of each class, indexed by class label.</param>
    public static VerificationResult Evaluate(IReadOnlyList<float[]> embeddings, IReadOnlyList<int> labels, int pairs = 4000, int seed = 0,
        IReadOnlyList<int>? groupOfClass = null)
    {
        ArgumentNullException.ThrowIfNull(embeddings);
        ArgumentNullException.ThrowIfNull(labels);
        if (labels.Count != embeddings.Count) throw new ArgumentException($"labels has {labels.Count} entries; it needs one per embedding ({embeddings.Count}).", nameof(labels));
        if (pairs < 2) throw new ArgumentOutOfRangeException(nameof(pairs), pairs, "pairs must be at least 2 (one genuine, one impostor).");
        var classes = Enumerable.Range(0, labels.Count).GroupBy(i => labels[i]).OrderBy(g => g.Key)
            .Select(g => (Class: g.Key, Examples: g.ToArray())).Where(c => c.Examples.Length >= 2).ToArray();
        var groups = (groupOfClass == null ? [classes] : classes.GroupBy(c => groupOfClass[c.Class]).OrderBy(g => g.Key).Select(g => g.ToArray()))
            .Where(g => g.Length >= 2).ToArray();
        if (groups.Length == 0) throw new ArgumentException("verification needs two classes (in one group) with two examples each.", nameof(labels));

        var rng = new Rng(seed);
        var genuine = new double[pairs / 2];
        var impostor = new double[pairs - pairs / 2];
        for (int k = 0; k < genuine.Length; k++)
        {
            var group = groups[rng.NextInt(groups.Length)];
            var examples = group[rng.NextInt(group.Length)].Examples;
            int i = rng.NextInt(examples.Length), j = rng.NextInt(examples.Length - 1);
            if (j >= i) j++;
            genuine[k] = ContrastiveLoss.Distance(embeddings[examples[i]], embeddings[examples[j]]);
        }
        for (int k = 0; k < impostor.Length; k++)
        {
            var group = groups[rng.NextInt(groups.Length)];
            int a = rng.NextInt(group.Length), b = rng.NextInt(group.Length - 1);
            if (b >= a) b++;
            var first = group[a].Examples; var second = group[b].Examples;
            impostor[k] = ContrastiveLoss.Distance(embeddings[first[rng.NextInt(first.Length)]], embeddings[second[rng.NextInt(second.Length)]]);
        }
        return FromDistances(genuine, impostor);
    }

    /// <summary>The ROC, EER and AUC of given genuine and impostor distances.</summary>
    public static VerificationResult FromDistances(double[] genuine, double[] impostor)
    {
        ArgumentNullException.ThrowIfNull(genuine);
        ArgumentNullException.ThrowIfNull(impostor);
        if (genuine.Length == 0) throw new ArgumentException("there are no genuine distances.", nameof(genuine));
        if (impostor.Length == 0) throw new ArgumentException("there are no impostor distances.", nameof(impostor));
        if (genuine.Concat(impostor).Any(d => !double.IsFinite(d) || d < 0))
            throw new ArgumentException("distances must be finite numbers >= 0.", nameof(genuine));
        var g = genuine.Order().ToArray();
        var f = impostor.Order().ToArray();
        // Sweep the threshold over every distinct distance: FAR(τ) = #{impostor ≤ τ}/n_i, FRR(τ) = #{genuine > τ}/n_g.
        var thresholds = g.Concat(f).Distinct().Order().ToArray();
        var roc = new List<RocPoint> { new(0, 0, 1) };
        if (thresholds[0] == 0) roc.Clear();
        int gi = 0, fi = 0;
        foreach (var t in thresholds)
        {
            while (gi < g.Length && g[gi] <= t) gi++;
            while (fi < f.Length && f[fi] <= t) fi++;
            roc.Add(new RocPoint(t, fi / (double)f.Length, 1 - gi / (double)g.Length));
        }
        // EER: the crossing of FAR (rising) and FRR (falling), interpolated between the two points around it.
        int cross = roc.FindIndex(p => p.FalseAcceptRate >= p.FalseRejectRate);
        double eer, eerThreshold;
        if (cross <= 0) { eer = (roc[0].FalseAcceptRate + roc[0].FalseRejectRate) / 2; eerThreshold = roc[0].Threshold; }
        else
        {
            var (before, after) = (roc[cross - 1], roc[cross]);
            double gapBefore = before.FalseRejectRate - before.FalseAcceptRate, gapAfter = after.FalseAcceptRate - after.FalseRejectRate;
            double w = gapBefore / (gapBefore + gapAfter);
            eer = (1 - w) * before.FalseAcceptRate + w * after.FalseAcceptRate;
            eerThreshold = (1 - w) * before.Threshold + w * after.Threshold;
        }
        // AUC by the trapezoid rule over (FAR, TAR).
        double auc = 0;
        for (int k = 1; k < roc.Count; k++)
            auc += (roc[k].FalseAcceptRate - roc[k - 1].FalseAcceptRate) * (roc[k].TrueAcceptRate + roc[k - 1].TrueAcceptRate) / 2;
        return new VerificationResult(genuine, impostor, roc.ToArray(), eer, eerThreshold, auc);
    }
}
