namespace CourseLib.Mdp;

/// <summary>The outcome of <see cref="PolicyIteration.Run"/>.</summary>
/// <param name="Policy">The optimal deterministic policy (one action per state).</param>
/// <param name="Values">Its values V^π = V*.</param>
/// <param name="Iterations">Number of evaluate-and-improve rounds.</param>
public sealed record PolicyIterationResult(int[] Policy, double[] Values, int Iterations);

/// <summary>
/// Policy iteration: evaluate the current policy exactly, V^π = (I − γ P_π)^{-1} r_π, then make it greedy,
/// π'(s) = argmax_a [ r(s,a) + γ Σ_s' p(s'|s,a) V^π(s') ]; stop when the policy no longer changes.
/// </summary>
public static class PolicyIteration
{
    /// <summary>Runs policy iteration from <paramref name="initialPolicy"/> (default: action 0 everywhere).</summary>
    /// <param name="mdp">The MDP.</param>
    /// <param name="gamma">The discount factor γ in [0, 1). (γ = 1 needs every intermediate policy to end episodes.)</param>
    /// <param name="initialPolicy">The policy to start from. Default: action 0 in every state.</param>
    /// <param name="maxIterations">Give up (throw) after this many rounds. Default 1000.</param>
    public static PolicyIterationResult Run(TabularMdp mdp, double gamma, int[]? initialPolicy = null, int maxIterations = 1000)
    {
        ArgumentNullException.ThrowIfNull(mdp);
        Bellman.CheckGamma(gamma);
        var policy = initialPolicy is null ? new int[mdp.StateCount] : (int[])initialPolicy.Clone();
        if (policy.Length != mdp.StateCount)
            throw new ArgumentException($"initialPolicy has {policy.Length} entries; the MDP has {mdp.StateCount} states.", nameof(initialPolicy));
        for (int k = 1; k <= maxIterations; k++)
        {
            var values = PolicyEvaluation.Solve(mdp, policy, gamma);
            var q = Bellman.QFromV(mdp, values, gamma);
            bool stable = true;
            for (int s = 0; s < mdp.StateCount; s++)
            {
                int best = policy[s];
                for (int a = 0; a < mdp.ActionCount; a++)
                    if (q[s, a] > q[s, best] + 1e-12) best = a;   // change only for a real improvement (no flip-flopping between ties)
                if (best != policy[s]) { policy[s] = best; stable = false; }
            }
            if (stable) return new PolicyIterationResult(policy, values, k);
        }
        throw new InvalidOperationException($"Policy iteration did not settle within {maxIterations} rounds (gamma = {gamma}).");
    }
}
