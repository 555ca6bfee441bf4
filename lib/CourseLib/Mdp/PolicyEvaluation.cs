using MathNet.Numerics.LinearAlgebra;

namespace CourseLib.Mdp;

/// <summary>
/// Policy evaluation for tabular MDPs: V^π from the Bellman expectation equation
/// V^π = r_π + γ P_π V^π, either exactly as the linear system (I − γ P_π) V^π = r_π, or by iterating the backup;
/// and exact reach (success) probabilities.
/// Here P_π(s, s') = Σ_a π(a|s) p(s'|s,a) and r_π(s) = Σ_a π(a|s) r(s,a); terminal states have V = 0.
/// </summary>
public static class PolicyEvaluation
{
    /// <summary>
    /// V^π exactly: solves (I − γ P_π) V = r_π (MathNet.Numerics LU). With γ = 1 every state must be able to
    /// reach a terminal state under π (otherwise V^π is not defined there, and this throws saying which states).
    /// </summary>
    /// <param name="mdp">The MDP.</param>
    /// <param name="policy">π[s, a] = π(a|s).</param>
    /// <param name="gamma">The discount factor γ in [0, 1].</param>
    public static double[] Solve(TabularMdp mdp, double[,] policy, double gamma)
    {
        ArgumentNullException.ThrowIfNull(mdp);
        TabularPolicy.Check(policy, mdp);
        Bellman.CheckGamma(gamma);
        int n = mdp.StateCount;
        var terminal = mdp.TerminalFlags;
        if (gamma == 1)
        {
            var canEnd = CanReach(mdp, policy, mdp.IsTerminal);
            var stuck = Enumerable.Range(0, n).Where(s => !canEnd[s]).ToArray();
            if (stuck.Length > 0)
                throw new ArgumentException(
                    $"With gamma = 1 the policy never ends an episode from state(s) {string.Join(", ", stuck.Take(20))}{(stuck.Length > 20 ? ", ..." : "")}: " +
                    "the undiscounted return there is not defined. Use gamma < 1 or a policy that reaches a terminal state from everywhere.", nameof(gamma));
        }
        // Row s:  V(s) − γ Σ_s' P_π(s,s') V(s') = r_π(s);  terminal rows: V(s) = 0.
        var a = Matrix<double>.Build.Dense(n, n);
        var b = Vector<double>.Build.Dense(n);
        for (int s = 0; s < n; s++)
        {
            a[s, s] = 1;
            if (terminal[s]) continue;
            double reward = 0;
            for (int action = 0; action < mdp.ActionCount; action++)
            {
                double pi = policy[s, action];
                if (pi == 0) continue;
                reward += pi * mdp.ExpectedReward(s, action);
                foreach (var t in mdp.Transitions(s, action))
                    if (!terminal[t.NextState]) a[s, t.NextState] -= gamma * pi * t.Probability;
            }
            b[s] = reward;
        }
        return a.Solve(b).ToArray();
    }

    /// <summary>V^π of a deterministic policy (one action per state); see the other overload.</summary>
    public static double[] Solve(TabularMdp mdp, int[] policy, double gamma) =>
        Solve(mdp, TabularPolicy.Deterministic(policy, mdp.ActionCount), gamma);

    /// <summary>
    /// Iterative policy evaluation: V_{k+1} = T^π V_k from V_0 = 0 until max_s |V_{k+1}(s) − V_k(s)| &lt; <paramref name="tolerance"/>.
    /// </summary>
    /// <param name="mdp">The MDP.</param>
    /// <param name="policy">π[s, a] = π(a|s).</param>
    /// <param name="gamma">The discount factor γ in [0, 1].</param>
    /// <param name="tolerance">Stop when no value changes by this much. Default 1e-10.</param>
    /// <param name="maxIterations">Give up (throw) after this many sweeps. Default 1,000,000.</param>
    public static double[] Iterate(TabularMdp mdp, double[,] policy, double gamma, double tolerance = 1e-10, int maxIterations = 1_000_000)
    {
        ArgumentNullException.ThrowIfNull(mdp);
        TabularPolicy.Check(policy, mdp);
        Bellman.CheckGamma(gamma);
        if (!(tolerance > 0)) throw new ArgumentOutOfRangeException(nameof(tolerance), tolerance, "tolerance must be positive.");
        var v = new double[mdp.StateCount];
        for (int k = 1; k <= maxIterations; k++)
        {
            var next = Bellman.ExpectationBackup(mdp, v, policy, gamma);
            double change = 0;
            for (int s = 0; s < v.Length; s++) change = Math.Max(change, Math.Abs(next[s] - v[s]));
            v = next;
            if (change < tolerance) return v;
        }
        throw new InvalidOperationException($"Iterative policy evaluation did not converge to {tolerance} within {maxIterations} sweeps (gamma = {gamma}).");
    }

    /// <summary>
    /// For every state, the exact probability that following π from it reaches one of <paramref name="targetStates"/>:
    /// within <paramref name="horizon"/> steps when given (h_0 = 1[target], h_k = P_π h_{k−1} off the targets),
    /// otherwise eventually (the absorption probabilities, by solving a linear system).
    /// Non-target terminal states have probability 0.
    /// </summary>
    public static double[] ReachProbabilities(TabularMdp mdp, double[,] policy, IReadOnlyCollection<int> targetStates, int? horizon = null)
    {
        ArgumentNullException.ThrowIfNull(mdp);
        ArgumentNullException.ThrowIfNull(targetStates);
        TabularPolicy.Check(policy, mdp);
        int n = mdp.StateCount;
        var isTarget = new bool[n];
        foreach (int s in targetStates)
        {
            if ((uint)s >= (uint)n) throw new ArgumentOutOfRangeException(nameof(targetStates), s, $"target states must be in 0..{n - 1}.");
            isTarget[s] = true;
        }
        var terminal = mdp.TerminalFlags;
        if (horizon is int h)
        {
            if (h < 0) throw new ArgumentOutOfRangeException(nameof(horizon), h, "horizon must be at least 0.");
            var current = isTarget.Select(t => t ? 1.0 : 0.0).ToArray();
            var next = new double[n];
            for (int k = 0; k < h; k++)
            {
                for (int s = 0; s < n; s++)
                    next[s] = isTarget[s] ? 1 : terminal[s] ? 0 : Expected(mdp, policy, s, current);
                (current, next) = (next, current);
            }
            return current;
        }

        // Eventually: h = 1 on targets, 0 where no target is reachable, and h = P_π h on the rest (a non-singular system).
        var canReach = CanReach(mdp, policy, s => isTarget[s]);
        var unknown = Enumerable.Range(0, n).Where(s => canReach[s] && !isTarget[s]).ToArray();
        var index = new int[n];
        Array.Fill(index, -1);
        for (int i = 0; i < unknown.Length; i++) index[unknown[i]] = i;
        var a = Matrix<double>.Build.Dense(unknown.Length, unknown.Length);
        var b = Vector<double>.Build.Dense(unknown.Length);
        for (int i = 0; i < unknown.Length; i++)
        {
            int s = unknown[i];
            a[i, i] += 1;
            for (int action = 0; action < mdp.ActionCount; action++)
            {
                double pi = policy[s, action];
                if (pi == 0) continue;
                foreach (var t in mdp.Transitions(s, action))
                {
                    if (isTarget[t.NextState]) b[i] += pi * t.Probability;
                    else if (index[t.NextState] >= 0) a[i, index[t.NextState]] -= pi * t.Probability;
                }
            }
        }
        var solution = unknown.Length > 0 ? a.Solve(b) : b;
        var result = new double[n];
        for (int s = 0; s < n; s++) result[s] = isTarget[s] ? 1 : index[s] >= 0 ? solution[index[s]] : 0;
        return result;
    }

    static double Expected(TabularMdp mdp, double[,] policy, int s, double[] values)
    {
        double sum = 0;
        for (int action = 0; action < mdp.ActionCount; action++)
        {
            double pi = policy[s, action];
            if (pi == 0) continue;
            foreach (var t in mdp.Transitions(s, action)) sum += pi * t.Probability * values[t.NextState];
        }
        return sum;
    }

    /// <summary>Which states can reach a state satisfying <paramref name="goal"/> with positive probability under π (backward search).</summary>
    static bool[] CanReach(TabularMdp mdp, double[,] policy, Func<int, bool> goal)
    {
        int n = mdp.StateCount;
        var predecessors = new List<int>[n];
        for (int s = 0; s < n; s++) predecessors[s] = [];
        for (int s = 0; s < n; s++)
        {
            if (mdp.TerminalFlags[s]) continue;   // nothing leaves a terminal state
            for (int action = 0; action < mdp.ActionCount; action++)
            {
                if (policy[s, action] == 0) continue;
                foreach (var t in mdp.Transitions(s, action)) if (t.Probability > 0) predecessors[t.NextState].Add(s);
            }
        }
        var reached = new bool[n];
        var queue = new Queue<int>();
        for (int s = 0; s < n; s++) if (goal(s)) { reached[s] = true; queue.Enqueue(s); }
        while (queue.Count > 0)
            foreach (int p in predecessors[queue.Dequeue()])
                if (!reached[p]) { reached[p] = true; queue.Enqueue(p); }
        return reached;
    }
}
