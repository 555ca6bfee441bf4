namespace CourseLib.PolicyGradient;

/// <summary>
/// The weights that multiply ∇ log π(a_t|s_t) in REINFORCE, as small pure functions of one episode's rewards.
/// </summary>
public static class Advantages
{
    /// <summary>
    /// The reward-to-go of each step: r_t(τ) = Σ_{k≥t} γ^{k−t} r_k (γ = 1: the plain sum of the rewards still to come).
    /// These are the discounted returns G_t of <see cref="Mdp.Returns.DiscountedReturns(ReadOnlySpan{double}, double, double)"/>.
    /// </summary>
    public static double[] RewardToGo(ReadOnlySpan<double> rewards, double discount = 1.0)
    {
        CheckDiscount(discount);
        return Mdp.Returns.DiscountedReturns(rewards, discount);
    }

    /// <summary>
    /// The original REINFORCE weight: the whole episode's return R(τ) = Σ_k γ^k r_k at every step
    /// (unbiased, but each action is also credited with rewards that came before it).
    /// </summary>
    public static double[] TotalReturn(ReadOnlySpan<double> rewards, double discount = 1.0)
    {
        CheckDiscount(discount);
        double total = Mdp.Returns.Discounted(rewards, discount);
        var weights = new double[rewards.Length];
        Array.Fill(weights, total);
        return weights;
    }

    static void CheckDiscount(double discount)
    {
        if (!(discount >= 0 && discount <= 1))
            throw new ArgumentOutOfRangeException(nameof(discount), discount, "discount γ must be in [0, 1].");
    }
}
