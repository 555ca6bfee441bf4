namespace CourseLib.Frontiers;

/// <summary>What a task's loss measures, which decides its form in the uncertainty-weighted loss.</summary>
public enum TaskKind
{
    /// <summary>A continuous target with a mean-squared-error loss (a Gaussian likelihood).</summary>
    Regression,
    /// <summary>A class label with a cross-entropy loss (a softmax likelihood).</summary>
    Classification,
}

/// <summary>
/// Multi-task loss weighting by homoscedastic uncertainty (Kendall, Gal and Cipolla 2018). Each task i has a
/// learned noise scale σ_i; with s_i = log σ_i the combined loss is
///   L = Σ_i c_i e^{−2 s_i} L_i + s_i,   c_i = ½ for regression (L_i / 2σ_i²), 1 for classification (L_i / σ_i²).
/// A task whose loss stays high (noisy, or in large units) learns a large σ_i and so a small weight; the + log σ_i
/// term stops σ from growing for free. Pure functions on doubles (the references of notebook 09's exercises);
/// <see cref="MultiTaskTrainer"/> trains with <see cref="Total"/> or the student's version of it.
/// </summary>
public static class UncertaintyWeightedLoss
{
    /// <summary>The factor c in c·L/σ²: ½ for regression, 1 for classification.</summary>
    public static double Factor(TaskKind kind) => kind switch
    {
        TaskKind.Regression => 0.5,
        TaskKind.Classification => 1.0,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "kind must be Regression or Classification."),
    };

    /// <summary>The weight the task's loss gets, c / σ² = c·e^{−2 log σ}.</summary>
    public static double Weight(double logSigma, TaskKind kind)
    {
        CheckFinite(logSigma, nameof(logSigma));
        return Factor(kind) * Math.Exp(-2 * logSigma);
    }

    /// <summary>One task's term: L / (2σ²) + log σ for regression, L / σ² + log σ for classification.</summary>
    public static double Term(double taskLoss, double logSigma, TaskKind kind)
    {
        CheckFinite(taskLoss, nameof(taskLoss));
        return Weight(logSigma, kind) * taskLoss + logSigma;
    }

    /// <summary>The combined loss Σ_i c_i e^{−2 s_i} L_i + s_i over the tasks (notebook 09's exercise <c>WeightedLoss</c>).</summary>
    /// <param name="taskLosses">L_i, one per task.</param>
    /// <param name="logSigmas">s_i = log σ_i, one per task.</param>
    /// <param name="kinds">Each task's kind.</param>
    public static double Total(IReadOnlyList<double> taskLosses, IReadOnlyList<double> logSigmas, IReadOnlyList<TaskKind> kinds)
    {
        ArgumentNullException.ThrowIfNull(taskLosses);
        ArgumentNullException.ThrowIfNull(logSigmas);
        ArgumentNullException.ThrowIfNull(kinds);
        if (logSigmas.Count != taskLosses.Count)
            throw new ArgumentException($"logSigmas has {logSigmas.Count} entries; it needs one per task loss ({taskLosses.Count}).", nameof(logSigmas));
        if (kinds.Count != taskLosses.Count)
            throw new ArgumentException($"kinds has {kinds.Count} entries; it needs one per task loss ({taskLosses.Count}).", nameof(kinds));
        double total = 0;
        for (int i = 0; i < taskLosses.Count; i++) total += Term(taskLosses[i], logSigmas[i], kinds[i]);
        return total;
    }

    /// <summary>
    /// The σ that minimises one task's term for a fixed loss L: setting the derivative −2c e^{−2s} L + 1 to zero gives
    /// σ² = 2cL, i.e. σ² = L for regression and σ² = 2L for classification. Returns log σ = ½ log(2cL).
    /// </summary>
    public static double OptimalLogSigma(double taskLoss, TaskKind kind)
    {
        if (!(taskLoss > 0) || !double.IsFinite(taskLoss)) throw new ArgumentOutOfRangeException(nameof(taskLoss), taskLoss, "taskLoss must be a finite number > 0.");
        return 0.5 * Math.Log(2 * Factor(kind) * taskLoss);
    }

    static void CheckFinite(double value, string name)
    {
        if (!double.IsFinite(value)) throw new ArgumentOutOfRangeException(name, value, $"{name} must be a finite number.");
    }
}
