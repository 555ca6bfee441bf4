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

/// <summary>The outcome of N-way one-shot episodes (<see cref="OneShot.NWay"/>).</summary>
/// <param name="Ways">N: the classes of each episode.</param>
/// <param name="EpisodeAccuracies">The accuracy of each episode (N queries, one per class, against N support examples).</param>
public sealed record NWayResult(int Ways, double[] EpisodeAccuracies)
{
    /// <summary>The mean accuracy over episodes.</summary>
    public double Accuracy => EpisodeAccuracies.Average();
    /// <summary>Chance level, 1 / N.</summary>
    public double Chance => 1.0 / Ways;
    /// <summary>The half-width of the 95 % confidence interval of <see cref="Accuracy"/>: 1.96 · s / √episodes (s: the episodes' standard deviation).</summary>
    public double HalfWidth95
    {
        get
        {
            int n = EpisodeAccuracies.Length;
            if (n < 2) return double.NaN;
            double mean = Accuracy, sum = 0;
            foreach (var a in EpisodeAccuracies) sum += (a - mean) * (a - mean);
            return 1.96 * Math.Sqrt(sum / (n - 1) / n);
        }
    }
    /// <summary>E.g. "61.3 % ± 1.2 (20-way, 400 episodes)".</summary>
    public override string ToString() => $"{100 * Accuracy:0.0} % ± {100 * HalfWidth95:0.0} ({Ways}-way, {EpisodeAccuracies.Length} episodes)";
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

    /// <summary>
    /// Omniglot's N-way one-shot protocol (Lake et al. 2015; Koch et al. 2015) over <paramref name="episodes"/> seeded
    /// episodes. An episode draws N classes, all from one group when <paramref name="groupOfClass"/> is given (one script:
    /// "within-alphabet", the harder test), and two different examples of each: one is the support example, the other
    /// the query. Each query gets the class of its nearest support embedding (Euclidean).
    /// </summary>
    /// <param name="embeddings">One embedding per example (the raw inputs for the pixel baseline).</param>
    /// <param name="labels">The class of each example (any integers).</param>
    /// <param name="ways">N, at least 2.</param>
    /// <param name="episodes">Episodes, at least 1. Default 400.</param>
    /// <param name="seed">Seed of the episodes: the same seed draws the same episodes for every embedding.</param>
    /// <param name="groupOfClass">Optional: the group (script) of each class, indexed by class label.</param>
    public static NWayResult NWay(IReadOnlyList<float[]> embeddings, IReadOnlyList<int> labels, int ways, int episodes = 400, int seed = 0,
        IReadOnlyList<int>? groupOfClass = null)
    {
        ArgumentNullException.ThrowIfNull(embeddings);
        ArgumentNullException.ThrowIfNull(labels);
        if (labels.Count != embeddings.Count) throw new ArgumentException($"labels has {labels.Count} entries; it needs one per embedding ({embeddings.Count}).", nameof(labels));
        if (ways < 2) throw new ArgumentOutOfRangeException(nameof(ways), ways, "ways must be at least 2.");
        if (episodes < 1) throw new ArgumentOutOfRangeException(nameof(episodes), episodes, "episodes must be at least 1.");
        var members = Enumerable.Range(0, labels.Count).GroupBy(i => labels[i]).OrderBy(g => g.Key)
            .Select(g => (Class: g.Key, Examples: g.ToArray())).Where(c => c.Examples.Length >= 2).ToArray();
        var pools = groupOfClass == null
            ? [members]
            : members.GroupBy(c => GroupOf(groupOfClass, c.Class)).OrderBy(g => g.Key).Select(g => g.ToArray()).Where(p => p.Length >= ways).ToArray();
        if (pools.Length == 0)
            throw new ArgumentException($"no {(groupOfClass == null ? "set" : "group")} has {ways} classes with two examples each; lower ways.", nameof(ways));

        var rng = new Rng(seed);
        var accuracies = new double[episodes];
        var support = new float[ways][];
        var supportClasses = new int[ways];
        var queries = new int[ways];
        for (int episode = 0; episode < episodes; episode++)
        {
            var pool = pools[rng.NextInt(pools.Length)];
            var order = Enumerable.Range(0, pool.Length).ToArray();
            rng.Shuffle<int>(order);
            for (int k = 0; k < ways; k++)
            {
                var examples = pool[order[k]].Examples;
                int s = rng.NextInt(examples.Length), q = rng.NextInt(examples.Length - 1);
                if (q >= s) q++;                                        // a different example of the same class
                support[k] = embeddings[examples[s]]; supportClasses[k] = k; queries[k] = examples[q];
            }
            int correct = 0;
            for (int k = 0; k < ways; k++)
                if (NearestClass(embeddings[queries[k]], support, supportClasses) == k) correct++;
            accuracies[episode] = (double)correct / ways;
        }
        return new NWayResult(ways, accuracies);
    }

    static int GroupOf(IReadOnlyList<int> groupOfClass, int label)
    {
        if (label < 0 || label >= groupOfClass.Count)
            throw new ArgumentException($"groupOfClass has no entry for class {label} (it has {groupOfClass.Count}).", nameof(groupOfClass));
        return groupOfClass[label];
    }

    static int IndexOf(IReadOnlyList<int> list, int value)
    {
        for (int i = 0; i < list.Count; i++) if (list[i] == value) return i;
        return -1;
    }
}
