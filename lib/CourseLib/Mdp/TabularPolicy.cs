namespace CourseLib.Mdp;

/// <summary>
/// Tabular policies as arrays: a stochastic policy is <c>double[S, A]</c> with π[s, a] = π(a|s) (each row sums
/// to 1); a deterministic one is <c>int[S]</c>, one action per state. These functions build, check and use them.
/// </summary>
public static class TabularPolicy
{
    /// <summary>The uniformly random policy π(a|s) = 1/A.</summary>
    public static double[,] Uniform(int stateCount, int actionCount)
    {
        if (stateCount <= 0) throw new ArgumentOutOfRangeException(nameof(stateCount), stateCount, "stateCount must be at least 1.");
        if (actionCount <= 0) throw new ArgumentOutOfRangeException(nameof(actionCount), actionCount, "actionCount must be at least 1.");
        var pi = new double[stateCount, actionCount];
        for (int s = 0; s < stateCount; s++)
        for (int a = 0; a < actionCount; a++) pi[s, a] = 1.0 / actionCount;
        return pi;
    }

    /// <summary>The uniformly random policy for <paramref name="mdp"/>.</summary>
    public static double[,] Uniform(TabularMdp mdp) => Uniform(mdp.StateCount, mdp.ActionCount);

    /// <summary>The stochastic form of a deterministic policy: π(a|s) = 1 when a = actions[s], else 0.</summary>
    public static double[,] Deterministic(int[] actions, int actionCount)
    {
        ArgumentNullException.ThrowIfNull(actions);
        if (actionCount <= 0) throw new ArgumentOutOfRangeException(nameof(actionCount), actionCount, "actionCount must be at least 1.");
        var pi = new double[actions.Length, actionCount];
        for (int s = 0; s < actions.Length; s++)
        {
            if ((uint)actions[s] >= (uint)actionCount)
                throw new ArgumentOutOfRangeException(nameof(actions), actions[s], $"actions[{s}] = {actions[s]} is not an action in 0..{actionCount - 1}.");
            pi[s, actions[s]] = 1;
        }
        return pi;
    }

    /// <summary>
    /// The softmax (Boltzmann) policy of preferences θ[s, a]: π_θ(a|s) = exp(θ[s,a]/τ) / Σ_b exp(θ[s,b]/τ),
    /// with temperature τ = <paramref name="temperature"/> (the seminar's tabular π_θ).
    /// </summary>
    public static double[,] Softmax(double[,] preferences, double temperature = 1)
    {
        ArgumentNullException.ThrowIfNull(preferences);
        if (!(temperature > 0)) throw new ArgumentOutOfRangeException(nameof(temperature), temperature, "temperature must be positive.");
        int stateCount = preferences.GetLength(0), actionCount = preferences.GetLength(1);
        var pi = new double[stateCount, actionCount];
        for (int s = 0; s < stateCount; s++)
        {
            for (int a = 0; a < actionCount; a++)
                if (!double.IsFinite(preferences[s, a]))
                    throw new ArgumentException($"preferences[{s}, {a}] = {preferences[s, a]} must be a finite number.", nameof(preferences));
            Networks.Softmax.Write(Networks.Softmax.Row(preferences, s), Networks.Softmax.Row(pi, s), temperature);
        }
        return pi;
    }

    /// <summary>The greedy policy argmax_a Q(s, a) (ties go to the lowest action number).</summary>
    public static int[] Greedy(double[,] actionValues)
    {
        ArgumentNullException.ThrowIfNull(actionValues);
        int stateCount = actionValues.GetLength(0), actionCount = actionValues.GetLength(1);
        var policy = new int[stateCount];
        for (int s = 0; s < stateCount; s++)
        {
            int best = 0;
            for (int a = 1; a < actionCount; a++)
                if (actionValues[s, a] > actionValues[s, best]) best = a;
            policy[s] = best;
        }
        return policy;
    }

    /// <summary>Draws a ~ π(·|s).</summary>
    public static int Sample(double[,] policy, int state, Rng rng)
    {
        int actionCount = policy.GetLength(1);
        double u = rng.NextDouble(), cumulative = 0;
        int last = 0;
        for (int a = 0; a < actionCount; a++)
        {
            double p = policy[state, a];
            if (p <= 0) continue;
            cumulative += p;
            last = a;
            if (u < cumulative) return a;
        }
        return last;
    }

    /// <summary>Throws a clear exception unless <paramref name="policy"/> is an [S, A] array of distributions for <paramref name="mdp"/>.</summary>
    public static void Check(double[,] policy, TabularMdp mdp, string argumentName = "policy")
    {
        ArgumentNullException.ThrowIfNull(policy, argumentName);
        if (policy.GetLength(0) != mdp.StateCount || policy.GetLength(1) != mdp.ActionCount)
            throw new ArgumentException(
                $"{argumentName} must be [states, actions] = [{mdp.StateCount}, {mdp.ActionCount}]; it is [{policy.GetLength(0)}, {policy.GetLength(1)}].", argumentName);
        for (int s = 0; s < mdp.StateCount; s++)
        {
            double sum = 0;
            for (int a = 0; a < mdp.ActionCount; a++)
            {
                double p = policy[s, a];
                if (!(p >= 0 && p <= 1))
                    throw new ArgumentException($"{argumentName}[{s}, {a}] = π({a}|{s}) = {TabularMdp.Format(p)} is not a probability in [0, 1].", argumentName);
                sum += p;
            }
            if (Math.Abs(sum - 1) > TabularMdp.ProbabilityTolerance)
                throw new ArgumentException($"π(·|s={s}) sums to {TabularMdp.Format(sum)}, not 1: each row of {argumentName} must be a distribution over actions.", argumentName);
        }
    }
}
