namespace CourseLib.InverseRl;

/// <summary>One update of maximum-entropy IRL.</summary>
/// <param name="Update">1, 2, ...</param>
/// <param name="LogLikelihood">L(θ) = (1/N) Σ_τ Σ_t log π_t(a_t|s_t) at the θ the update started from.</param>
/// <param name="GradientNorm">‖μ_E − μ_θ‖ at that θ (0 when the model's feature counts match the expert's).</param>
public sealed record MaxEntIrlRecord(int Update, double LogLikelihood, double GradientNorm);

/// <summary>What <see cref="MaxEntIrl.Train"/> learned: reward weights θ (not a policy), with the two passes at the final θ.</summary>
public sealed record MaxEntIrlResult
{
    /// <summary>The recovered reward weights θ.</summary>
    public required double[] Theta { get; init; }

    /// <summary>The recovered reward r_θ(s) = θᵀφ(s) per state (paid on entering s).</summary>
    public required double[] StateReward { get; init; }

    /// <summary>One record per update, in order (the learning curve).</summary>
    public required IReadOnlyList<MaxEntIrlRecord> History { get; init; }

    /// <summary>L(θ) at the final θ (after the last update).</summary>
    public required double FinalLogLikelihood { get; init; }

    /// <summary>μ_E, the demonstrations' feature counts.</summary>
    public required double[] ExpertFeatureExpectations { get; init; }

    /// <summary>μ_θ at the final θ.</summary>
    public required double[] ModelFeatureExpectations { get; init; }

    /// <summary>D_E(s), the demonstrations' visit counts.</summary>
    public required double[] ExpertVisitations { get; init; }

    /// <summary>D_θ(s) at the final θ (from the demonstrations' start states).</summary>
    public required double[] ModelVisitations { get; init; }

    /// <summary>The backward pass at the final θ: soft values and the maximum-entropy policy π_t.</summary>
    public required SoftValueIterationResult Soft { get; init; }

    /// <summary>Wall-clock time of the run.</summary>
    public TimeSpan Elapsed { get; init; }

    /// <summary>L(θ) before each update and at the final θ (Updates + 1 values, for charts).</summary>
    public double[] LogLikelihoods => [.. History.Select(r => r.LogLikelihood), FinalLogLikelihood];
}
