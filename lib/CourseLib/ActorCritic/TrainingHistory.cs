namespace CourseLib.ActorCritic;

/// <summary>One finished training episode: the environment step (over all environments/workers) at which it ended, its return and length.</summary>
public readonly record struct TrainingEpisode(long Step, double Return, int Length, int Worker);

/// <summary>The figures of one gradient update: policy loss −mean(log π(a|s) Â), value loss mean((V − G)²), mean entropy.</summary>
public readonly record struct TrainingUpdate(long Update, long Step, double PolicyLoss, double ValueLoss, double Entropy);

/// <summary>An evaluation of the greedy policy during training: the step, and the mean and lowest return over its episodes.</summary>
public readonly record struct TrainingEvaluation(long Step, double MeanReturn, double MinimumReturn);

/// <summary>What happened during training: the episodes finished and the updates made, in order.</summary>
public sealed class TrainingHistory
{
    readonly List<TrainingEpisode> _episodes = new();
    readonly List<TrainingUpdate> _updates = new();
    readonly List<TrainingEvaluation> _evaluations = new();
    readonly object _gate = new();

    /// <summary>Every finished episode, in the order they ended.</summary>
    public IReadOnlyList<TrainingEpisode> Episodes { get { lock (_gate) return _episodes.ToArray(); } }

    /// <summary>Every update, in order.</summary>
    public IReadOnlyList<TrainingUpdate> Updates { get { lock (_gate) return _updates.ToArray(); } }

    /// <summary>Every evaluation of the greedy policy made during training, in order.</summary>
    public IReadOnlyList<TrainingEvaluation> Evaluations { get { lock (_gate) return _evaluations.ToArray(); } }

    internal void Add(TrainingEvaluation evaluation) { lock (_gate) _evaluations.Add(evaluation); }

    internal void Add(TrainingEpisode episode) { lock (_gate) _episodes.Add(episode); }

    internal void Add(TrainingUpdate update) { lock (_gate) _updates.Add(update); }

    /// <summary>The mean return of the last <paramref name="count"/> finished episodes (NaN before the first one).</summary>
    public double RecentMeanReturn(int count = 20)
    {
        lock (_gate)
        {
            if (_episodes.Count == 0) return double.NaN;
            int from = Math.Max(0, _episodes.Count - count);
            double sum = 0;
            for (int i = from; i < _episodes.Count; i++) sum += _episodes[i].Return;
            return sum / (_episodes.Count - from);
        }
    }

    /// <summary>
    /// A learning curve on a fixed grid of steps, so that runs with different seeds line up: entry k is the mean return
    /// of the episodes that ended in the window ((k−1)·<paramref name="windowSteps"/>, k·<paramref name="windowSteps"/>]
    /// (k = 1 .. totalSteps / windowSteps), or the previous entry when none ended there (0 before the first episode).
    /// </summary>
    public double[] ReturnCurve(long totalSteps, long windowSteps)
    {
        if (windowSteps < 1) throw new ArgumentOutOfRangeException(nameof(windowSteps), windowSteps, "windowSteps must be at least 1.");
        if (totalSteps < windowSteps) throw new ArgumentOutOfRangeException(nameof(totalSteps), totalSteps, $"totalSteps must be at least windowSteps ({windowSteps}).");
        int windows = (int)(totalSteps / windowSteps);
        var sums = new double[windows];
        var counts = new int[windows];
        foreach (var e in Episodes)
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
