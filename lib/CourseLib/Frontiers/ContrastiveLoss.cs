namespace CourseLib.Frontiers;

/// <summary>
/// The contrastive loss of a Siamese network (Hadsell, Chopra and LeCun 2006; SigNet, Dey et al. 2017), on the
/// distance d = ‖f(x₁) − f(x₂)‖ between the embeddings of a pair:
///   L(d, y) = (1 − y)·½·d² + y·½·max(0, m − d)².
/// Label convention (SigNet's): <b>y = 0 for a similar pair</b> (same class; a genuine signature pair) and
/// <b>y = 1 for a dissimilar pair</b> (different classes; genuine vs forged). Similar pairs are pulled together;
/// dissimilar pairs are pushed apart until they are at least the margin m apart, after which they cost nothing.
/// Pure functions on doubles (the references of notebook 10's exercise); <see cref="SiameseTrainer"/> trains with
/// <see cref="Mean"/> or the student's version of it.
/// </summary>
public static class ContrastiveLoss
{
    /// <summary>The label of a similar pair (same class).</summary>
    public const int Similar = 0;
    /// <summary>The label of a dissimilar pair (different classes).</summary>
    public const int Dissimilar = 1;

    /// <summary>The loss of one pair at distance <paramref name="distance"/> with label <paramref name="label"/> (0 similar, 1 dissimilar) and margin m.</summary>
    public static double Pair(double distance, int label, double margin)
    {
        if (!(distance >= 0) || !double.IsFinite(distance)) throw new ArgumentOutOfRangeException(nameof(distance), distance, "distance must be a finite number >= 0.");
        if (label != Similar && label != Dissimilar) throw new ArgumentOutOfRangeException(nameof(label), label, "label must be 0 (similar pair) or 1 (dissimilar pair).");
        CheckMargin(margin);
        double hinge = Math.Max(0, margin - distance);
        return (1 - label) * 0.5 * distance * distance + label * 0.5 * hinge * hinge;
    }

    /// <summary>
    /// The mean loss over pairs, (1/n) Σ_k (1 − y_k)·½·d_k² + y_k·½·max(0, m − d_k)²: distances d_k with labels y_k
    /// (0 similar, 1 dissimilar). Notebook 10's exercise <c>MeanContrastiveLoss</c>.
    /// </summary>
    public static double Mean(IReadOnlyList<double> distances, IReadOnlyList<int> labels, double margin)
    {
        ArgumentNullException.ThrowIfNull(distances);
        ArgumentNullException.ThrowIfNull(labels);
        if (labels.Count != distances.Count)
            throw new ArgumentException($"labels has {labels.Count} entries; it needs one per distance ({distances.Count}).", nameof(labels));
        if (distances.Count == 0) throw new ArgumentException("distances is empty: the mean of no pairs is undefined.", nameof(distances));
        double sum = 0;
        for (int k = 0; k < distances.Count; k++) sum += Pair(distances[k], labels[k], margin);
        return sum / distances.Count;
    }

    /// <summary>The Euclidean distance ‖a − b‖ between two embeddings.</summary>
    public static double Distance(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        if (a.Length != b.Length) throw new ArgumentException($"a has {a.Length} entries and b has {b.Length}; they must match.", nameof(b));
        double sum = 0;
        for (int i = 0; i < a.Length; i++) { double diff = a[i] - b[i]; sum += diff * diff; }
        return Math.Sqrt(sum);
    }

    static void CheckMargin(double margin)
    {
        if (!(margin > 0) || !double.IsFinite(margin)) throw new ArgumentOutOfRangeException(nameof(margin), margin, "margin must be a finite number > 0.");
    }
}
