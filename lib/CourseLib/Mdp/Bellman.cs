namespace CourseLib.Mdp;

/// <summary>
/// The Bellman equations of a tabular MDP as pure functions. Values of terminal states are 0 by definition:
/// a terminal s' contributes no future value, whatever the array holds for it.
/// <code>
///   Q(s,a) = r(s,a) + γ Σ_s' p(s'|s,a) V(s')          (Q from V)
///   V(s)   = Σ_a π(a|s) Q(s,a)                        (V from Q)
///   V^π    = T^π V^π,   V* = T* V*                    (the Bellman expectation and optimality equations)
/// </code>
/// </summary>
public static class Bellman
{
    /// <summary>Q(s,a) = r(s,a) + γ Σ_s' p(s'|s,a) V(s'); Q = 0 in terminal states.</summary>
    public static double[,] QFromV(TabularMdp mdp, double[] values, double gamma)
    {
        Check(mdp, values, gamma);
        var q = new double[mdp.StateCount, mdp.ActionCount];
        var terminal = mdp.TerminalFlags;
        for (int s = 0; s < mdp.StateCount; s++)
        {
            if (terminal[s]) continue;
            for (int a = 0; a < mdp.ActionCount; a++)
            {
                double expectedNext = 0;
                foreach (var t in mdp.Transitions(s, a))
                    if (!terminal[t.NextState]) expectedNext += t.Probability * values[t.NextState];
                q[s, a] = mdp.ExpectedReward(s, a) + gamma * expectedNext;
            }
        }
        return q;
    }

    /// <summary>V(s) = Σ_a π(a|s) Q(s,a).</summary>
    public static double[] VFromQ(double[,] actionValues, double[,] policy)
    {
        ArgumentNullException.ThrowIfNull(actionValues);
        ArgumentNullException.ThrowIfNull(policy);
        int stateCount = actionValues.GetLength(0), actionCount = actionValues.GetLength(1);
        if (policy.GetLength(0) != stateCount || policy.GetLength(1) != actionCount)
            throw new ArgumentException($"policy must be [{stateCount}, {actionCount}] like actionValues; it is [{policy.GetLength(0)}, {policy.GetLength(1)}].", nameof(policy));
        var v = new double[stateCount];
        for (int s = 0; s < stateCount; s++)
        {
            double sum = 0;
            for (int a = 0; a < actionCount; a++) sum += policy[s, a] * actionValues[s, a];
            v[s] = sum;
        }
        return v;
    }

    /// <summary>V(s) = max_a Q(s,a): the value of acting greedily with respect to Q.</summary>
    public static double[] VFromQGreedy(double[,] actionValues)
    {
        ArgumentNullException.ThrowIfNull(actionValues);
        int stateCount = actionValues.GetLength(0), actionCount = actionValues.GetLength(1);
        var v = new double[stateCount];
        for (int s = 0; s < stateCount; s++)
        {
            double best = actionValues[s, 0];
            for (int a = 1; a < actionCount; a++) best = Math.Max(best, actionValues[s, a]);
            v[s] = best;
        }
        return v;
    }

    /// <summary>The Bellman expectation backup (T^π V)(s) = Σ_a π(a|s) [r(s,a) + γ Σ_s' p(s'|s,a) V(s')].</summary>
    public static double[] ExpectationBackup(TabularMdp mdp, double[] values, double[,] policy, double gamma)
    {
        TabularPolicy.Check(policy, mdp);
        return VFromQ(QFromV(mdp, values, gamma), policy);
    }

    /// <summary>The Bellman optimality backup (T* V)(s) = max_a [r(s,a) + γ Σ_s' p(s'|s,a) V(s')] (0 in terminal states).</summary>
    public static double[] OptimalityBackup(TabularMdp mdp, double[] values, double gamma) =>
        VFromQGreedy(QFromV(mdp, values, gamma));

    /// <summary>The Bellman residual max_s |V(s) − (T^π V)(s)|: zero exactly when V = V^π.</summary>
    public static double Residual(TabularMdp mdp, double[] values, double[,] policy, double gamma) =>
        MaxAbsDifference(values, ExpectationBackup(mdp, values, policy, gamma));

    /// <summary>The Bellman optimality residual max_s |V(s) − (T* V)(s)|: zero exactly when V = V*.</summary>
    public static double OptimalityResidual(TabularMdp mdp, double[] values, double gamma) =>
        MaxAbsDifference(values, OptimalityBackup(mdp, values, gamma));

    static double MaxAbsDifference(double[] a, double[] b)
    {
        double max = 0;
        for (int i = 0; i < a.Length; i++) max = Math.Max(max, Math.Abs(a[i] - b[i]));
        return max;
    }

    internal static void Check(TabularMdp mdp, double[] values, double gamma)
    {
        ArgumentNullException.ThrowIfNull(mdp);
        ArgumentNullException.ThrowIfNull(values);
        if (values.Length != mdp.StateCount)
            throw new ArgumentException($"values has {values.Length} entries; the MDP has {mdp.StateCount} states.", nameof(values));
        CheckGamma(gamma);
    }

    internal static void CheckGamma(double gamma)
    {
        if (!(gamma >= 0 && gamma <= 1))
            throw new ArgumentOutOfRangeException(nameof(gamma), gamma, "gamma (the discount factor γ) must be in [0, 1].");
    }
}
