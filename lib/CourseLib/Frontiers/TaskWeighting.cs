namespace CourseLib.Frontiers;

/// <summary>How a multi-task trainer combines the task losses into one.</summary>
public enum TaskWeightingKind
{
    /// <summary>L = Σ_i L_i.</summary>
    Equal,
    /// <summary>L = Σ_i w_i L_i with weights chosen by hand.</summary>
    Fixed,
    /// <summary>L = Σ_i c_i L_i / σ_i² + log σ_i with learned σ_i (<see cref="UncertaintyWeightedLoss"/>).</summary>
    Uncertainty,
}

/// <summary>A loss-weighting scheme for multi-task training. Create one with <see cref="Equal"/>, <see cref="Fixed"/> or <see cref="Uncertainty"/>.</summary>
public sealed record TaskWeighting
{
    /// <summary>The scheme.</summary>
    public TaskWeightingKind Kind { get; }
    /// <summary>The hand-chosen weights (Fixed only).</summary>
    public IReadOnlyList<double> Weights { get; }
    /// <summary>
    /// The starting value of every log σ_i (Uncertainty only); null: each log σ_i starts where it minimises its term for
    /// the untrained network's loss on the first mini-batch (<see cref="UncertaintyWeightedLoss.OptimalLogSigma"/>).
    /// </summary>
    public double? InitialLogSigma { get; }

    TaskWeighting(TaskWeightingKind kind, double[] weights, double? initialLogSigma)
    {
        Kind = kind; Weights = weights; InitialLogSigma = initialLogSigma;
    }

    /// <summary>Every task's loss counts once.</summary>
    public static TaskWeighting Equal { get; } = new(TaskWeightingKind.Equal, [], null);

    /// <summary>Task i's loss counts <paramref name="weights"/>[i] times.</summary>
    public static TaskWeighting Fixed(params double[] weights)
    {
        ArgumentNullException.ThrowIfNull(weights);
        for (int i = 0; i < weights.Length; i++)
            if (!(weights[i] >= 0) || !double.IsFinite(weights[i])) throw new ArgumentOutOfRangeException(nameof(weights), weights[i], $"weight {i} must be a finite number >= 0.");
        return new(TaskWeightingKind.Fixed, (double[])weights.Clone(), null);
    }

    /// <summary>
    /// Learned weights by homoscedastic uncertainty. Every log σ_i starts at <paramref name="initialLogSigma"/>, or by default
    /// (null) at the value that is optimal for the untrained network's first losses, so that the optimiser does not spend
    /// its first hundreds of steps walking σ from 1 to the scale of each task's loss.
    /// </summary>
    public static TaskWeighting Uncertainty(double? initialLogSigma = null)
    {
        if (initialLogSigma is double value && !double.IsFinite(value)) throw new ArgumentOutOfRangeException(nameof(initialLogSigma), initialLogSigma, "initialLogSigma must be a finite number.");
        return new(TaskWeightingKind.Uncertainty, [], initialLogSigma);
    }

    /// <inheritdoc />
    public override string ToString() => Kind switch
    {
        TaskWeightingKind.Equal => "equal weights",
        TaskWeightingKind.Fixed => $"fixed weights ({string.Join(", ", Weights.Select(w => w.ToString("g3", System.Globalization.CultureInfo.InvariantCulture)))})",
        _ => "uncertainty weighting",
    };
}
