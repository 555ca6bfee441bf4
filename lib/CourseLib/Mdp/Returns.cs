namespace CourseLib.Mdp;

/// <summary>
/// Returns of a reward sequence r_0, r_1, ..., r_{T-1}: the total r(τ), the discounted return G_0, and the return
/// from every step, G_t (the reward-to-go). Pure functions (reference implementations for the exercises): they read
/// their input and return new numbers.
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
    /// <param name="discount">The discount factor γ in [0, 1].</param>
    public static double Discounted(ReadOnlySpan<double> rewards, double discount)
    {
        CheckDiscount(discount);
        double g = 0;
        for (int t = rewards.Length - 1; t >= 0; t--) g = rewards[t] + discount * g;
        return g;
    }

    /// <summary>
    /// The return from every step t: G_t = r_t + γ G_{t+1} = Σ_{k≥t} γ^{k−t} r_k, with
    /// G_T = <paramref name="bootstrapValue"/> (0 when the episode terminated; V(s_T) when it was cut off).
    /// The course's one name for this quantity. The seminar calls it the <b>reward-to-go</b> r_t(τ) = Σ_{k≥t} r_k in
    /// section 2 (REINFORCE, γ = 1: <c>DiscountedReturns(rewards, 1)</c>, REINFORCE's weight of ∇ log π(a_t|s_t)) and
    /// the <b>discounted return G_t</b> in section 3 (values and Bellman, γ &lt; 1).
    /// </summary>
    /// <param name="rewards">r_0 .. r_{T-1}.</param>
    /// <param name="discount">The discount factor γ in [0, 1] (1: the undiscounted reward-to-go).</param>
    /// <param name="bootstrapValue">The value of the state after the last reward. Default 0.</param>
    public static double[] DiscountedReturns(ReadOnlySpan<double> rewards, double discount, double bootstrapValue = 0)
    {
        var returns = new double[rewards.Length];
        DiscountedReturns(rewards, discount, returns, bootstrapValue);
        return returns;
    }

    /// <summary>Writes G_t for every t into <paramref name="destination"/> (as long as <paramref name="rewards"/>); see the other overload.</summary>
    public static void DiscountedReturns(ReadOnlySpan<double> rewards, double discount, Span<double> destination, double bootstrapValue = 0)
    {
        CheckDiscount(discount);
        if (destination.Length != rewards.Length)
            throw new ArgumentException($"destination has {destination.Length} entries; it needs one per reward ({rewards.Length}).", nameof(destination));
        if (!double.IsFinite(bootstrapValue))
            throw new ArgumentOutOfRangeException(nameof(bootstrapValue), bootstrapValue, "bootstrapValue must be a finite number.");
        double g = bootstrapValue;
        for (int t = rewards.Length - 1; t >= 0; t--)
        {
            g = rewards[t] + discount * g;
            destination[t] = g;
        }
    }

    static void CheckDiscount(double discount)
    {
        if (!(discount >= 0 && discount <= 1))
            throw new ArgumentOutOfRangeException(nameof(discount), discount, "discount (the discount factor γ) must be in [0, 1].");
    }
}
