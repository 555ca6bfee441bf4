namespace CourseLib.Frontiers;

/// <summary>
/// Draws training pairs for a Siamese network from labelled examples: similar pairs (two different examples of one
/// class, label 0) and dissimilar pairs (examples of two different classes, label 1), in equal numbers.
/// </summary>
public sealed class PairSampler
{
    readonly int[][] _byClass;
    readonly Rng _rng;

    /// <summary>A sampler over examples with the given labels (any integers; at least two classes, each with two examples).</summary>
    public PairSampler(IReadOnlyList<int> labels, Rng rng)
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(rng);
        _byClass = Enumerable.Range(0, labels.Count).GroupBy(i => labels[i]).OrderBy(g => g.Key).Select(g => g.ToArray()).ToArray();
        if (_byClass.Length < 2) throw new ArgumentException("labels must contain at least two classes to form dissimilar pairs.", nameof(labels));
        if (_byClass.Any(c => c.Length < 2)) throw new ArgumentException("every class needs at least two examples to form similar pairs.", nameof(labels));
        _rng = rng;
    }

    /// <summary>
    /// <paramref name="count"/> pairs (indices into the labels) with their labels: the first half similar (0), the rest
    /// dissimilar (1). Classes are drawn uniformly, then examples uniformly within them.
    /// </summary>
    public (int[] First, int[] Second, int[] Labels) Sample(int count)
    {
        if (count < 2) throw new ArgumentOutOfRangeException(nameof(count), count, "count must be at least 2.");
        var first = new int[count]; var second = new int[count]; var labels = new int[count];
        int similar = count / 2;
        for (int k = 0; k < count; k++)
        {
            int classA = _rng.NextInt(_byClass.Length);
            var a = _byClass[classA];
            if (k < similar)
            {
                int i = _rng.NextInt(a.Length), j = _rng.NextInt(a.Length - 1);
                if (j >= i) j++;                                   // a different example of the same class
                first[k] = a[i]; second[k] = a[j]; labels[k] = ContrastiveLoss.Similar;
            }
            else
            {
                int classB = _rng.NextInt(_byClass.Length - 1);
                if (classB >= classA) classB++;                    // a different class
                var b = _byClass[classB];
                first[k] = a[_rng.NextInt(a.Length)]; second[k] = b[_rng.NextInt(b.Length)]; labels[k] = ContrastiveLoss.Dissimilar;
            }
        }
        return (first, second, labels);
    }
}
