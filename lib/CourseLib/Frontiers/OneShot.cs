namespace CourseLib.Frontiers;

/// <summary>The outcome of one-shot evaluation over several episodes.</summary>
/// <param name="Classes">The classes of the task (e.g. the unseen digits 5..9).</param>
/// <param name="EpisodeAccuracies">The accuracy of each episode (one random support example per class).</param>
/// <param name="Confusion">Confusion[i, j]: the fraction of queries of class i labelled j, over all episodes (rows sum to 1).</param>
public sealed record OneShotResult(int[] Classes, double[] EpisodeAccuracies, double[,] Confusion)
{
    /// <summary>The mean accuracy over episodes.</summary>
    public double Accuracy => EpisodeAccuracies.Average();
    /// <summary>Chance level, 1 / number of classes.</summary>
    public double Chance => 1.0 / Classes.Length;
}

/// <summary>
/// One-shot classification by nearest embedding: for each class a single labelled example (the support set) is
/// embedded; every other example is given the class of the nearest support embedding (Euclidean). An episode draws
/// a fresh support set; accuracy is averaged over episodes.
/// </summary>
public static class OneShot
{
    /// <summary>The class of the support embedding nearest to <paramref name="query"/> (ties: the first).</summary>
    public static int NearestClass(ReadOnlySpan<float> query, IReadOnlyList<float[]> supportEmbeddings, IReadOnlyList<int> supportClasses)
    {
        ArgumentNullException.ThrowIfNull(supportEmbeddings);
        ArgumentNullException.ThrowIfNull(supportClasses);
        if (supportEmbeddings.Count == 0 || supportEmbeddings.Count != supportClasses.Count)
            throw new ArgumentException($"the support set needs at least one embedding and one class per embedding (got {supportEmbeddings.Count} and {supportClasses.Count}).", nameof(supportClasses));
        int best = 0;
        double bestDistance = double.PositiveInfinity;
        for (int s = 0; s < supportEmbeddings.Count; s++)
        {
            double distance = ContrastiveLoss.Distance(query, supportEmbeddings[s]);
            if (distance < bestDistance) { bestDistance = distance; best = s; }
        }
        return supportClasses[best];
    }

    /// <summary>
    /// Runs <paramref name="episodes"/> one-shot episodes over the examples of <paramref name="classes"/>, using
    /// precomputed <paramref name="embeddings"/> (one per example; pass the raw inputs for a no-learning baseline).
    /// In each episode one example per class is drawn as the support set; all other examples of those classes are queries.
    /// </summary>
    public static OneShotResult Evaluate(IReadOnlyList<float[]> embeddings, IReadOnlyList<int> labels, IReadOnlyList<int> classes, int episodes = 20, int seed = 0)
    {
        ArgumentNullException.ThrowIfNull(embeddings);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(classes);
        if (labels.Count != embeddings.Count) throw new ArgumentException($"labels has {labels.Count} entries; it needs one per embedding ({embeddings.Count}).", nameof(labels));
        if (classes.Count < 2) throw new ArgumentException("classes needs at least two classes.", nameof(classes));
        if (episodes < 1) throw new ArgumentOutOfRangeException(nameof(episodes), episodes, "episodes must be at least 1.");
        var members = classes.Select(c => Enumerable.Range(0, labels.Count).Where(i => labels[i] == c).ToArray()).ToArray();
        for (int c = 0; c < classes.Count; c++)
            if (members[c].Length < 2) throw new ArgumentException($"class {classes[c]} has {members[c].Length} example(s); one-shot evaluation needs at least two (a support and a query).", nameof(labels));

        var rng = new Rng(seed);
        var accuracies = new double[episodes];
        var counts = new double[classes.Count, classes.Count];
        for (int episode = 0; episode < episodes; episode++)
        {
            var support = members.Select(m => m[rng.NextInt(m.Length)]).ToArray();
            var supportEmbeddings = support.Select(i => embeddings[i]).ToArray();
            int correct = 0, total = 0;
            for (int c = 0; c < classes.Count; c++)
                foreach (var query in members[c])
                {
                    if (query == support[c]) continue;
                    int predicted = NearestClass(embeddings[query], supportEmbeddings, classes);
                    counts[c, IndexOf(classes, predicted)]++;
                    if (predicted == classes[c]) correct++;
                    total++;
                }
            accuracies[episode] = (double)correct / total;
        }
        for (int i = 0; i < classes.Count; i++)
        {
            double row = 0;
            for (int j = 0; j < classes.Count; j++) row += counts[i, j];
            for (int j = 0; j < classes.Count; j++) counts[i, j] /= row;
        }
        return new OneShotResult(classes.ToArray(), accuracies, counts);
    }

    static int IndexOf(IReadOnlyList<int> list, int value)
    {
        for (int i = 0; i < list.Count; i++) if (list[i] == value) return i;
        return -1;
    }
}
