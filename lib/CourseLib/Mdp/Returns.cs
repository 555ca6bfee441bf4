namespace CourseLib.Mdp;

/// <summary>
/// Returns of a reward sequence r_0, r_1, ..., r_{T-1}: the total r(τ), the discounted return G_0, the
/// discounted returns G_t from every step, and the reward-to-go. Pure functions (reference implementations
/// for the exercises): they read their input and return new numbers.
/// </summary>
public static class Returns
{
    /// <summary>The total reward r(τ) = Σ_t r_t.</summary>
    public static double Total(ReadOnlySpan<double> rewards)
    {
        double sum = 0;
        for (int t = 0; t < rewards.Length; t++) sum += rewards[t];
        return sum;
    }

    /// <summary>The discounted return from the first step, G_0 = Σ_t γ^t r_t (computed backwards, G_t = r_t + γ G_{t+1}).</summary>
    /// <param name="rewards">r_0 .. r_{T-1}.</param>
    /// <param name="gamma">The discount factor γ in [0, 1].</param>
    public static double Discounted(ReadOnlySpan<double> rewards, double gamma)
    {
        CheckGamma(gamma);
        double g = 0;
        for (int t = rewards.Length - 1; t >= 0; t--) g = rewards[t] + gamma * g;
        return g;
    }

    /// <summary>
    /// The discounted return from every step: G_t = r_t + γ G_{t+1} = Σ_{k≥t} γ^{k−t} r_k, with
    /// G_T = <paramref name="bootstrapValue"/> (0 when the episode terminated; V(s_T) when it was cut off).
    /// </summary>
    /// <param name="rewards">r_0 .. r_{T-1}.</param>
    /// <param name="gamma">The discount factor γ in [0, 1].</param>
    /// <param name="bootstrapValue">The value of the state after the last reward. Default 0.</param>
    public static double[] DiscountedReturns(ReadOnlySpan<double> rewards, double gamma, double bootstrapValue = 0)
    {
        var returns = new double[rewards.Length];
        DiscountedReturns(rewards, gamma, returns, bootstrapValue);
        return returns;
    }

    /// <summary>Writes G_t for every t into <paramref name="destination"/> (as long as <paramref name="rewards"/>); see the other overload.</summary>
    public static void DiscountedReturns(ReadOnlySpan<double> rewards, double gamma, Span<double> destination, double bootstrapValue = 0)
    {
        CheckGamma(gamma);
        if (destination.Length != rewards.Length)
            throw new ArgumentException($"destination has {destination.Length} entries; it needs one per reward ({rewards.Length}).", nameof(destination));
        if (!double.IsFinite(bootstrapValue))
            throw new ArgumentOutOfRangeException(nameof(bootstrapValue), bootstrapValue, "bootstrapValue must be a finite number.");
        double g = bootstrapValue;
        for (int t = rewards.Length - 1; t >= 0; t--)
        {
            g = rewards[t] + gamma * g;
            destination[t] = g;
        }
    }

    /// <summary>The (undiscounted) reward-to-go from every step: Σ_{t'=t}^{T-1} r_{t'}.</summary>
    public static double[] RewardToGo(ReadOnlySpan<double> rewards) => DiscountedReturns(rewards, 1.0);

    static void CheckGamma(double gamma)
    {
        if (!(gamma >= 0 && gamma <= 1))
            throw new ArgumentOutOfRangeException(nameof(gamma), gamma, "gamma (the discount factor γ) must be in [0, 1].");
    }
}
