using CourseLib.Mdp;

namespace CourseLib.InverseRl;

/// <summary>The outcome of <see cref="SoftValueIteration.Run"/>: soft values and the maximum-entropy policy, per time step.</summary>
/// <param name="Values">Values[t][s] = V_t(s) for t = 0..T (V_T = 0). V_0(s) = log Σ_τ exp r(τ), the log partition function of the trajectories from s.</param>
/// <param name="ActionValues">ActionValues[t][s, a] = Q_t(s,a) for t = 0..T−1.</param>
/// <param name="Policies">Policies[t][s, a] = π_t(a|s) = exp(Q_t(s,a) − V_t(s)) for t = 0..T−1 (uniform in terminal states).</param>
public sealed record SoftValueIterationResult(double[][] Values, double[][,] ActionValues, double[][,] Policies)
{
    /// <summary>The horizon T.</summary>
    public int Horizon => Policies.Length;
}

/// <summary>
/// Soft value iteration over a finite horizon T: the backward pass of maximum-entropy IRL (Ziebart et al. 2008),
/// for a reward paid on entering a state, r(s').
/// <code>
///   V_T(s) = 0,    V_t(s) = 0 for terminal s
///   Q_t(s,a) = Σ_s' p(s'|s,a) [ r(s') + V_{t+1}(s') ]
///   V_t(s)   = log Σ_a exp Q_t(s,a)            ("soft max" instead of value iteration's max)
///   π_t(a|s) = exp(Q_t(s,a) − V_t(s))
/// </code>
/// With deterministic dynamics exp V_0(s) = Σ_τ exp r(τ) over all action sequences from s, and π_t makes each
/// trajectory exactly as likely as exp r(τ) / Σ_τ' exp r(τ'): the maximum-entropy distribution over behaviour.
/// </summary>
public static class SoftValueIteration
{
    /// <summary>Runs the backward pass for T = <paramref name="horizon"/> steps.</summary>
    /// <param name="dynamics">The MDP's p(s'|s,a) and terminal states (its own rewards are ignored).</param>
    /// <param name="stateReward">r(s'), paid on entering s'.</param>
    /// <param name="horizon">T ≥ 1, the number of steps.</param>
    public static SoftValueIterationResult Run(TabularMdp dynamics, IReadOnlyList<double> stateReward, int horizon)
    {
        ArgumentNullException.ThrowIfNull(dynamics);
        Relabel.CheckPerState(dynamics, stateReward, nameof(stateReward));
        if (horizon <= 0) throw new ArgumentOutOfRangeException(nameof(horizon), horizon, "horizon (T, the number of steps) must be at least 1.");
        int n = dynamics.StateCount, actions = dynamics.ActionCount;
        var terminal = dynamics.TerminalStates;
        var values = new double[horizon + 1][];
        var actionValues = new double[horizon][,];
        var policies = new double[horizon][,];
        values[horizon] = new double[n];
        for (int t = horizon - 1; t >= 0; t--)
        {
            var next = values[t + 1];
            var v = values[t] = new double[n];
            var q = actionValues[t] = new double[n, actions];
            var pi = policies[t] = new double[n, actions];
            for (int s = 0; s < n; s++)
            {
                if (terminal[s])
                {
                    for (int a = 0; a < actions; a++) pi[s, a] = 1.0 / actions;
                    continue;
                }
                for (int a = 0; a < actions; a++)
                {
                    double sum = 0;
                    foreach (var tr in dynamics.Transitions(s, a))
                        sum += tr.Probability * (stateReward[tr.NextState] + (terminal[tr.NextState] ? 0 : next[tr.NextState]));
                    q[s, a] = sum;
                }
                // V = log Σ_a exp Q = max + log Σ_a exp(Q − max) (stable for large rewards), and π = exp(Q − V), computed as
                // exp(Q − max) / Σ exp(Q − max): the same number, but a distribution even when |Q| is huge. One softmax does both.
                v[s] = Networks.Softmax.Write(Networks.Softmax.Row(q, s), Networks.Softmax.Row(pi, s));
            }
        }
        return new SoftValueIterationResult(values, actionValues, policies);
    }
}
