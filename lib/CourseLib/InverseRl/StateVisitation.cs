using CourseLib.Mdp;

namespace CourseLib.InverseRl;

/// <summary>
/// Expected state visitation counts: how often, per episode, each state is entered. The forward pass of
/// maximum-entropy IRL computes them for the model's policy; the demonstrations give the expert's.
/// </summary>
public static class StateVisitation
{
    /// <summary>
    /// The forward pass: D(s) = Σ_{t=1..T} P(s_t = s), the expected number of times s is entered in T steps under the
    /// time-dependent policy π_t, starting from s_0 ~ <paramref name="initialDistribution"/>.
    /// <code>
    ///   P_0 = p(s0),    P_{t+1}(s') = Σ_{s not terminal} Σ_a P_t(s) π_t(a|s) p(s'|s,a)
    /// </code>
    /// Probability that reaches a terminal state stays there (is counted once, when it enters) and goes no further.
    /// </summary>
    /// <param name="dynamics">p(s'|s,a) and the terminal states.</param>
    /// <param name="policies">π_t[s, a] for t = 0..T−1 (e.g. <see cref="SoftValueIterationResult.Policies"/>).</param>
    /// <param name="initialDistribution">The distribution of s_0 (e.g. the demonstrations' start states).</param>
    public static double[] Expected(TabularMdp dynamics, IReadOnlyList<double[,]> policies, IReadOnlyList<double> initialDistribution)
    {
        ArgumentNullException.ThrowIfNull(dynamics);
        ArgumentNullException.ThrowIfNull(policies);
        if (policies.Count == 0) throw new ArgumentException("policies must hold at least one time step.", nameof(policies));
        for (int t = 0; t < policies.Count; t++) TabularPolicy.Check(policies[t], dynamics, $"policies[{t}]");
        CheckDistribution(dynamics, initialDistribution);
        int n = dynamics.StateCount, actions = dynamics.ActionCount;
        var terminal = dynamics.TerminalStates;
        var visits = new double[n];
        var current = initialDistribution.ToArray();
        var next = new double[n];
        foreach (var pi in policies)
        {
            Array.Clear(next);
            for (int s = 0; s < n; s++)
            {
                double ps = current[s];
                if (ps == 0 || terminal[s]) continue;
                for (int a = 0; a < actions; a++)
                {
                    double psa = ps * pi[s, a];
                    if (psa == 0) continue;
                    foreach (var tr in dynamics.Transitions(s, a)) next[tr.NextState] += psa * tr.Probability;
                }
            }
            for (int s = 0; s < n; s++) visits[s] += next[s];
            (current, next) = (next, current);
        }
        return visits;
    }

    /// <summary>The empirical counts: D_E(s) = (1/N) Σ_τ Σ_{t=1..T_τ} 1[s_t = s], the mean number of times each state is entered per demonstration.</summary>
    public static double[] FromDemonstrations(IReadOnlyList<Trajectory<int, int>> demonstrations, int stateCount)
    {
        Demonstrations.Check(demonstrations, stateCount);
        var visits = new double[stateCount];
        foreach (var tau in demonstrations)
            for (int t = 1; t < tau.Observations.Length; t++) visits[tau.Observations[t]] += 1.0 / demonstrations.Count;
        return visits;
    }

    static void CheckDistribution(TabularMdp dynamics, IReadOnlyList<double> p)
    {
        ArgumentNullException.ThrowIfNull(p, "initialDistribution");
        if (p.Count != dynamics.StateCount)
            throw new ArgumentException($"initialDistribution has {p.Count} entries; the MDP has {dynamics.StateCount} states.", "initialDistribution");
        double sum = 0;
        for (int s = 0; s < p.Count; s++)
        {
            if (!(p[s] >= 0 && p[s] <= 1)) throw new ArgumentException($"initialDistribution[{s}] = {p[s]} is not a probability in [0, 1].", "initialDistribution");
            sum += p[s];
        }
        if (Math.Abs(sum - 1) > TabularMdp.ProbabilityTolerance)
            throw new ArgumentException($"initialDistribution sums to {sum}, not 1.", "initialDistribution");
    }
}
