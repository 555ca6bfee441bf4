namespace CourseLib.InverseRl;

/// <summary>Which reward GAIL's policy step gets from the discriminator D(s,a) = P(expert | s, a).</summary>
public enum GailRewardForm
{
    /// <summary>r = −log(1 − D(s,a)): large where the pair looks like the expert's; always ≥ 0, so longer episodes collect more (Ho and Ermon's cost log D_π with D_π = 1 − D, the form most GAIL code uses).</summary>
    NegativeLogOneMinusD,
    /// <summary>r = log D(s,a): near 0 where the pair looks like the expert's; always ≤ 0, so ending an episode early never loses reward.</summary>
    LogD,
    /// <summary>r = log D − log(1 − D), the logit: the sum of the other two, ≈ log ρ_E(s,a)/ρ_π(s,a) at the optimal D; either sign.</summary>
    Logit,
}
