namespace CourseLib.Mdp;

/// <summary>
/// log p(τ) split as the seminar writes it:
/// <code>  log p_θ(τ) = log p(s_0) + Σ_t log π_θ(a_t|s_t) + Σ_t log p(s_{t+1}|s_t, a_t)  </code>
/// Only the middle term depends on the policy's parameters θ, which is why the policy gradient needs no model.
/// </summary>
/// <param name="InitialState">log p(s_0).</param>
/// <param name="Policy">Σ_t log π(a_t|s_t).</param>
/// <param name="Dynamics">Σ_t log p(s_{t+1}|s_t, a_t).</param>
public readonly record struct TrajectoryLogProbability(double InitialState, double Policy, double Dynamics)
{
    /// <summary>log p(τ), the sum of the three terms.</summary>
    public double Total => InitialState + Policy + Dynamics;
}

/// <summary>The probability of a trajectory of a tabular MDP, term by term.</summary>
public static class TrajectoryProbability
{
    /// <summary>log p(τ) with the policy term taken from the log-probabilities recorded in τ.</summary>
    public static TrajectoryLogProbability LogProbability(TabularMdp mdp, Trajectory<int, int> trajectory)
    {
        ArgumentNullException.ThrowIfNull(trajectory);
        return new TrajectoryLogProbability(InitialTerm(mdp, trajectory), trajectory.PolicyLogProbability, DynamicsTerm(mdp, trajectory));
    }

    /// <summary>log p(τ) with the policy term computed from π[s, a] (e.g. to score τ under a different policy).</summary>
    public static TrajectoryLogProbability LogProbability(TabularMdp mdp, double[,] policy, Trajectory<int, int> trajectory)
    {
        ArgumentNullException.ThrowIfNull(trajectory);
        TabularPolicy.Check(policy, mdp);
        double policyTerm = 0;
        for (int t = 0; t < trajectory.Length; t++) policyTerm += Math.Log(policy[trajectory.Observations[t], trajectory.Actions[t]]);
        return new TrajectoryLogProbability(InitialTerm(mdp, trajectory), policyTerm, DynamicsTerm(mdp, trajectory));
    }

    static double InitialTerm(TabularMdp mdp, Trajectory<int, int> trajectory)
    {
        ArgumentNullException.ThrowIfNull(mdp);
        if (trajectory.Observations.Length != trajectory.Length + 1)
            throw new ArgumentException($"A trajectory with {trajectory.Length} actions needs {trajectory.Length + 1} observations, not {trajectory.Observations.Length}.", nameof(trajectory));
        int s0 = trajectory.Observations[0];
        if ((uint)s0 >= (uint)mdp.StateCount) throw new ArgumentOutOfRangeException(nameof(trajectory), s0, $"s_0 must be in 0..{mdp.StateCount - 1}.");
        return Math.Log(mdp.InitialDistribution[s0]);
    }

    static double DynamicsTerm(TabularMdp mdp, Trajectory<int, int> trajectory)
    {
        double sum = 0;
        for (int t = 0; t < trajectory.Length; t++)
            sum += Math.Log(mdp.TransitionProbability(trajectory.Observations[t], trajectory.Actions[t], trajectory.Observations[t + 1]));
        return sum;
    }
}
