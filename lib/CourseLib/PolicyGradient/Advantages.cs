namespace CourseLib.PolicyGradient;

/// <summary>
/// The weights that multiply ∇ log π(a_t|s_t) in REINFORCE, as small pure functions of one episode's rewards.
/// </summary>
/// <remarks>
/// Note for the lead: <see cref="RewardToGo"/> duplicates what <c>CourseLib.Mdp.Returns.RewardToGo</c> will offer
/// (built in parallel); deduplicate by forwarding to it once both are merged.
/// </remarks>
public static class Advantages
{
    /// <summary>
    /// The reward-to-go of each step: r_t(τ) = Σ_{k≥t} γ^{k−t} r_k (γ = 1: the plain sum of the rewards still to come).
    /// Computed backwards: r_t = r_t + γ r_{t+1}(τ).
    /// </summary>
    public static double[] RewardToGo(ReadOnlySpan<double> rewards, double discount = 1.0)
    {
        CheckDiscount(discount);
        var toGo = new double[rewards.Length];
        double running = 0;
        for (int t = rewards.Length - 1; t >= 0; t--) toGo[t] = running = rewards[t] + discount * running;
        return toGo;
    }

    /// <summary>
    /// The original REINFORCE weight: the whole episode's return R(τ) = Σ_k γ^k r_k at every step
    /// (unbiased, but each action is also credited with rewards that came before it).
    /// </summary>
    public static double[] TotalReturn(ReadOnlySpan<double> rewards, double discount = 1.0)
    {
        CheckDiscount(discount);
        double total = 0, factor = 1;
        foreach (var r in rewards) { total += factor * r; factor *= discount; }
        var weights = new double[rewards.Length];
        Array.Fill(weights, total);
        return weights;
    }

    /// <summary>Rescales <paramref name="weights"/> in place to mean 0 and standard deviation 1: (w − mean) / (std + 1e-8).</summary>
    public static void Normalize(Span<double> weights)
    {
        if (weights.Length == 0) return;
        double mean = 0;
        foreach (var w in weights) mean += w;
        mean /= weights.Length;
        double variance = 0;
        foreach (var w in weights) variance += (w - mean) * (w - mean);
        double std = Math.Sqrt(variance / weights.Length);
        for (int i = 0; i < weights.Length; i++) weights[i] = (weights[i] - mean) / (std + 1e-8);
    }

    static void CheckDiscount(double discount)
    {
        if (!(discount >= 0 && discount <= 1))
            throw new ArgumentOutOfRangeException(nameof(discount), discount, "discount γ must be in [0, 1].");
    }
}
