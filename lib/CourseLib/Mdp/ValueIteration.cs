namespace CourseLib.Mdp;

/// <summary>The outcome of <see cref="ValueIteration.Run"/>.</summary>
/// <param name="Values">V*(s) (within the tolerance).</param>
/// <param name="ActionValues">Q*(s,a) = r(s,a) + γ Σ_s' p(s'|s,a) V*(s').</param>
/// <param name="GreedyPolicy">argmax_a Q*(s,a) for every state (ties to the lowest action).</param>
/// <param name="Iterations">Number of sweeps made.</param>
/// <param name="LastChange">max_s |V_k(s) − V_{k−1}(s)| in the last sweep.</param>
public sealed record ValueIterationResult(double[] Values, double[,] ActionValues, int[] GreedyPolicy, int Iterations, double LastChange);

/// <summary>
/// Value iteration: repeat the Bellman optimality backup
/// <code>  V_{k+1}(s) = max_a [ r(s,a) + γ Σ_s' p(s'|s,a) V_k(s') ]  </code>
/// from V_0 = 0 until no value changes by more than the tolerance. V = 0 in terminal states.
/// </summary>
public static class ValueIteration
{
    /// <summary>Runs value iteration to convergence.</summary>
    /// <param name="mdp">The MDP.</param>
    /// <param name="gamma">The discount factor γ in [0, 1] (γ = 1 converges when every policy worth following ends episodes).</param>
    /// <param name="tolerance">Stop when max_s |V_{k+1}(s) − V_k(s)| &lt; tolerance. Default 1e-10.</param>
    /// <param name="maxIterations">Give up (throw) after this many sweeps. Default 1,000,000.</param>
    public static ValueIterationResult Run(TabularMdp mdp, double gamma, double tolerance = 1e-10, int maxIterations = 1_000_000)
    {
        ArgumentNullException.ThrowIfNull(mdp);
        Bellman.CheckGamma(gamma);
        if (!(tolerance > 0)) throw new ArgumentOutOfRangeException(nameof(tolerance), tolerance, "tolerance must be positive.");
        if (maxIterations <= 0) throw new ArgumentOutOfRangeException(nameof(maxIterations), maxIterations, "maxIterations must be at least 1.");
        int n = mdp.StateCount, actions = mdp.ActionCount;
        var v = new double[n];
        var next = new double[n];
        for (int k = 1; k <= maxIterations; k++)
        {
            double change = Sweep(mdp, v, next, gamma);
            (v, next) = (next, v);
            if (change < tolerance)
            {
                var q = Bellman.QFromV(mdp, v, gamma);
                return new ValueIterationResult(v, q, TabularPolicy.Greedy(q), k, change);
            }
        }
        throw new InvalidOperationException($"Value iteration did not converge to {tolerance} within {maxIterations} sweeps (gamma = {gamma}).");
    }

    /// <summary>One sweep V_next = T* V; returns max_s |V_next(s) − V(s)|.</summary>
    static double Sweep(TabularMdp mdp, double[] v, double[] next, double gamma)
    {
        var offsets = mdp.Offsets;
        var transitions = mdp.AllTransitions;
        var rewards = mdp.ExpectedRewards;
        var terminal = mdp.TerminalFlags;
        int actions = mdp.ActionCount;
        double change = 0;
        for (int s = 0; s < v.Length; s++)
        {
            if (terminal[s]) { next[s] = 0; continue; }
            double best = double.NegativeInfinity;
            for (int a = 0, i = s * actions; a < actions; a++, i++)
            {
                double expectedNext = 0;
                for (int j = offsets[i]; j < offsets[i + 1]; j++) expectedNext += transitions[j].Probability * v[transitions[j].NextState];
                double q = rewards[i] + gamma * expectedNext;
                if (q > best) best = q;
            }
            next[s] = best;
            change = Math.Max(change, Math.Abs(best - v[s]));
        }
        return change;
    }
}
