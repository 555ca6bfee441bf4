using CourseLib.Mdp;

namespace CourseLib.InverseRl;

/// <summary>
/// Occupancy measures: ρ_π(s,a) = Σ_t γ^t P(s_t = s, a_t = a | π), how much (discounted) time a policy spends taking a
/// in s. A policy is determined by its occupancy measure (π(a|s) = ρ(s,a) / Σ_b ρ(s,b)), and the expected return is
/// Σ_{s,a} ρ(s,a) r(s,a), so matching the expert's ρ matches its return under every reward: the idea behind GAIL.
/// </summary>
public static class Occupancy
{
    /// <summary>
    /// ρ_π exactly, from s_0 ~ p(s0): P_{t+1}(s') = Σ_{s not terminal} Σ_a P_t(s) π(a|s) p(s'|s,a), ρ(s,a) = Σ_t γ^t P_t(s) π(a|s)
    /// (terminal states take no actions). Runs <paramref name="horizon"/> steps when given (episodes cut at T), else until
    /// the remaining discounted mass is below 1e-12.
    /// </summary>
    /// <param name="mdp">The MDP (p(s0), p(s'|s,a), terminal states).</param>
    /// <param name="policy">π[s, a].</param>
    /// <param name="discount">γ in [0, 1].</param>
    /// <param name="horizon">T, or null for no limit (then γ &lt; 1 or a policy that ends every episode is needed).</param>
    public static double[,] Exact(TabularMdp mdp, double[,] policy, double discount, int? horizon = null)
    {
        ArgumentNullException.ThrowIfNull(mdp);
        TabularPolicy.Check(policy, mdp);
        CheckDiscount(discount);
        if (horizon is <= 0) throw new ArgumentOutOfRangeException(nameof(horizon), horizon, "horizon must be at least 1 (or null for no limit).");
        int n = mdp.StateCount, actions = mdp.ActionCount;
        var terminal = mdp.TerminalStates;
        var rho = new double[n, actions];
        var current = mdp.InitialDistribution.ToArray();
        var next = new double[n];
        double weight = 1;   // γ^t
        const int limit = 1_000_000;
        for (int t = 0; horizon is null ? t < limit : t < horizon; t++)
        {
            Array.Clear(next);
            double live = 0;
            for (int s = 0; s < n; s++)
            {
                double ps = current[s];
                if (ps == 0 || terminal[s]) continue;
                live += ps;
                for (int a = 0; a < actions; a++)
                {
                    double psa = ps * policy[s, a];
                    if (psa == 0) continue;
                    rho[s, a] += weight * psa;
                    foreach (var tr in mdp.Transitions(s, a)) next[tr.NextState] += psa * tr.Probability;
                }
            }
            if (horizon is null && weight * live < 1e-12) return rho;
            (current, next) = (next, current);
            weight *= discount;
        }
        if (horizon is null)
            throw new InvalidOperationException($"The occupancy measure did not converge in {limit} steps (discount = {discount}): the policy does not end its episodes; pass a horizon or use a discount < 1.");
        return rho;
    }

    /// <summary>The empirical ρ̂(s,a) = (1/N) Σ_τ Σ_t γ^t 1[s_t = s, a_t = a] of sampled episodes (e.g. the demonstrations).</summary>
    public static double[,] FromTrajectories(IReadOnlyList<Trajectory<int, int>> trajectories, int stateCount, int actionCount, double discount)
    {
        CheckDiscount(discount);
        Demonstrations.Check(trajectories, stateCount, actionCount);
        var rho = new double[stateCount, actionCount];
        foreach (var tau in trajectories)
        {
            double weight = 1;   // γ^t
            for (int t = 0; t < tau.Length; t++, weight *= discount) rho[tau.Observations[t], tau.Actions[t]] += weight / trajectories.Count;
        }
        return rho;
    }

    /// <summary>ρ / Σ ρ: the occupancy measure as a distribution over (s, a) pairs.</summary>
    public static double[,] Normalise(double[,] occupancy)
    {
        ArgumentNullException.ThrowIfNull(occupancy);
        double total = 0;
        foreach (var x in occupancy)
        {
            if (!(x >= 0 && double.IsFinite(x))) throw new ArgumentException($"An occupancy measure has non-negative finite entries; found {x}.", nameof(occupancy));
            total += x;
        }
        if (total == 0) throw new ArgumentException("The occupancy measure is all zeros: there is nothing to normalise.", nameof(occupancy));
        var result = (double[,])occupancy.Clone();
        for (int i = 0; i < result.GetLength(0); i++)
        for (int j = 0; j < result.GetLength(1); j++) result[i, j] /= total;
        return result;
    }

    /// <summary>The total-variation distance ½ Σ_{s,a} |ρ̄_p(s,a) − ρ̄_q(s,a)| between the normalised measures: 0 when equal, 1 when disjoint.</summary>
    public static double TotalVariation(double[,] p, double[,] q)
    {
        ArgumentNullException.ThrowIfNull(p);
        ArgumentNullException.ThrowIfNull(q);
        if (p.GetLength(0) != q.GetLength(0) || p.GetLength(1) != q.GetLength(1))
            throw new ArgumentException($"q is [{q.GetLength(0)}, {q.GetLength(1)}]; p is [{p.GetLength(0)}, {p.GetLength(1)}]: they must have the same shape.", nameof(q));
        var pn = Normalise(p);
        var qn = Normalise(q);
        double sum = 0;
        for (int i = 0; i < pn.GetLength(0); i++)
        for (int j = 0; j < pn.GetLength(1); j++) sum += Math.Abs(pn[i, j] - qn[i, j]);
        return sum / 2;
    }

    /// <summary>Σ_a ρ(s,a): the (discounted) state occupancy, e.g. for a heat map.</summary>
    public static double[] StateOccupancy(double[,] occupancy)
    {
        ArgumentNullException.ThrowIfNull(occupancy);
        var d = new double[occupancy.GetLength(0)];
        for (int s = 0; s < d.Length; s++)
            for (int a = 0; a < occupancy.GetLength(1); a++) d[s] += occupancy[s, a];
        return d;
    }

    static void CheckDiscount(double discount)
    {
        if (!(discount >= 0 && discount <= 1)) throw new ArgumentOutOfRangeException(nameof(discount), discount, "discount (γ) must be in [0, 1].");
    }
}
