namespace CourseLib.Training;

/// <summary>One finished training episode.</summary>
/// <param name="Step">The environment step (over all environments or workers) at which it ended.</param>
/// <param name="Return">Its undiscounted return.</param>
/// <param name="Length">Its number of steps.</param>
public readonly record struct EpisodeRecord(long Step, double Return, int Length);

/// <summary>One evaluation of the greedy policy during training (see <see cref="EvaluationOptions"/>).</summary>
/// <param name="Step">The training step at which it ran.</param>
/// <param name="Returns">Each evaluation episode's undiscounted return.</param>
public sealed record EvaluationRecord(long Step, double[] Returns)
{
    /// <summary>Mean return over the evaluation episodes.</summary>
    public double MeanReturn => Returns.Length == 0 ? double.NaN : Returns.Average();

    /// <summary>The lowest return of the evaluation episodes.</summary>
    public double MinimumReturn => Returns.Length == 0 ? double.NaN : Returns.Min();
}

/// <summary>
/// What every trainer of the course returns (one shape, like Stable-Baselines3's <c>learn</c>): the trained agent or
/// policy, one record per update (or per episode, for the tabular learners), the finished training episodes, the
/// evaluations of the greedy policy, and the steps and time it took.
/// </summary>
/// <typeparam name="TAgent">What was trained: a policy, a network, an agent, a Q-table.</typeparam>
/// <typeparam name="TRecord">What one update recorded (its losses, entropy, ...).</typeparam>
public sealed record TrainingResult<TAgent, TRecord>
{
    /// <summary>The trained agent or policy (with a stopping return: the one that reached it).</summary>
    public required TAgent Agent { get; init; }

    /// <summary>One record per update, in order.</summary>
    public required IReadOnlyList<TRecord> History { get; init; }

    /// <summary>The finished training episodes, in the order they ended (what the learning agent itself got).</summary>
    public required IReadOnlyList<EpisodeRecord> Episodes { get; init; }

    /// <summary>The evaluations of the greedy policy, in order (empty when none was scheduled).</summary>
    public IReadOnlyList<EvaluationRecord> Evaluations { get; init; } = [];

    /// <summary>Environment steps taken.</summary>
    public required long Steps { get; init; }

    /// <summary>Wall-clock time of the run.</summary>
    public TimeSpan Elapsed { get; init; }

    /// <summary>The step of the first evaluation that reached <see cref="EvaluationOptions.StopAtMeanReturn"/> (null if none did).</summary>
    public long? SolvedAtStep { get; init; }

    /// <summary>The training episodes' returns, in order (for charts).</summary>
    public double[] Returns => Episodes.Select(e => e.Return).ToArray();

    /// <summary>Environment steps per second (evaluations included).</summary>
    public double StepsPerSecond => Steps / Math.Max(Elapsed.TotalSeconds, 1e-9);

    /// <summary>The mean return of the last <paramref name="count"/> training episodes (NaN before the first one).</summary>
    public double RecentMeanReturn(int count = 20)
    {
        if (count < 1) throw new ArgumentOutOfRangeException(nameof(count), count, "count must be at least 1.");
        if (Episodes.Count == 0) return double.NaN;
        int from = Math.Max(0, Episodes.Count - count);
        double sum = 0;
        for (int i = from; i < Episodes.Count; i++) sum += Episodes[i].Return;
        return sum / (Episodes.Count - from);
    }

    /// <summary>
    /// A learning curve on a fixed grid of steps, so that runs with different seeds line up: entry k is the mean return
    /// of the episodes that ended in the window ((k−1)·<paramref name="windowSteps"/>, k·<paramref name="windowSteps"/>]
    /// (k = 1 .. totalSteps / windowSteps), or the previous entry when none ended there (0 before the first episode).
    /// </summary>
    public double[] ReturnCurve(long totalSteps, long windowSteps) => Training.ReturnCurve.OnGrid(Episodes, totalSteps, windowSteps);
}

/// <summary>Learning curves from training episodes.</summary>
public static class ReturnCurve
{
    /// <summary>See <see cref="TrainingResult{TAgent, TRecord}.ReturnCurve"/>.</summary>
    public static double[] OnGrid(IReadOnlyList<EpisodeRecord> episodes, long totalSteps, long windowSteps)
    {
        ArgumentNullException.ThrowIfNull(episodes);
        if (windowSteps < 1) throw new ArgumentOutOfRangeException(nameof(windowSteps), windowSteps, "windowSteps must be at least 1.");
        if (totalSteps < windowSteps) throw new ArgumentOutOfRangeException(nameof(totalSteps), totalSteps, $"totalSteps must be at least windowSteps ({windowSteps}).");
        int windows = (int)(totalSteps / windowSteps);
        var sums = new double[windows];
        var counts = new int[windows];
        foreach (var e in episodes)
        {
            int k = (int)((Math.Max(e.Step, 1) - 1) / windowSteps);
            if (k < windows) { sums[k] += e.Return; counts[k]++; }
        }
        var curve = new double[windows];
        double previous = 0;
        for (int k = 0; k < windows; k++) curve[k] = previous = counts[k] > 0 ? sums[k] / counts[k] : previous;
        return curve;
    }
}
