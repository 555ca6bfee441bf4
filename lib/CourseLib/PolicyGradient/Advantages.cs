namespace CourseLib.PolicyGradient;

/// <summary>
/// The original REINFORCE weight of ∇ log π(a_t|s_t). (The reward-to-go, REINFORCE's usual weight, is
/// <see cref="Mdp.Returns.DiscountedReturns(ReadOnlySpan{double}, double, double)"/>.)
/// </summary>
public static class Advantages
{
    /// <summary>
    /// The whole episode's return R(τ) = Σ_k γ^k r_k at every step (unbiased, but each action is also credited with
    /// rewards that came before it).
    /// </summary>
    public static double[] TotalReturn(ReadOnlySpan<double> rewards, double discount = 1.0)
    {
        double total = Mdp.Returns.Discounted(rewards, discount);
        var weights = new double[rewards.Length];
        Array.Fill(weights, total);
        return weights;
    }
}
