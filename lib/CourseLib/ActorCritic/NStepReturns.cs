namespace CourseLib.ActorCritic;

/// <summary>
/// n-step bootstrapped returns over a rollout that may hold several episodes:
/// <code>
///   G_t^(n) = r_t + γ r_{t+1} + … + γ^{m−1} r_{t+m−1} + γ^m V(s_{t+m})
/// </code>
/// where m ≤ n stops early at the end of the episode or of the rollout. The bootstrap term γ^m V(s_{t+m}) is
/// dropped only when the episode <em>terminated</em> at step t+m−1; after a truncation (time limit) or at the end of
/// the rollout the return bootstraps from the value of the last observation. n = 1 gives the TD target; n = ∞
/// (<see cref="int.MaxValue"/>) gives the Monte-Carlo return, bootstrapped only where the episode was cut off.
/// </summary>
public static class NStepReturns
{
    /// <summary>Monte-Carlo horizon: pass as <c>n</c> to sum all the rewards to the end of the episode.</summary>
    public const int Infinite = int.MaxValue;

    /// <summary>G_t^(n) for every step t of the rollout (see the class summary).</summary>
    /// <param name="rewards">r_0 .. r_{T−1}.</param>
    /// <param name="nextValues">V(s_{t+1}) for every step, s_{t+1} being the observation Step returned (the final one when the episode ended).</param>
    /// <param name="terminated">Whether step t reached a terminal state (no bootstrap).</param>
    /// <param name="truncated">Whether the episode was cut off after step t (bootstrap, but the next step starts a new episode).</param>
    /// <param name="gamma">The discount factor γ in [0, 1].</param>
    /// <param name="n">How many rewards to sum before bootstrapping, at least 1 (<see cref="Infinite"/> for Monte Carlo).</param>
    public static double[] Compute(ReadOnlySpan<double> rewards, ReadOnlySpan<double> nextValues,
        ReadOnlySpan<bool> terminated, ReadOnlySpan<bool> truncated, double gamma, int n)
    {
        RolloutChecks.Gamma(gamma);
        RolloutChecks.SameLength(rewards.Length, nextValues.Length, nameof(nextValues));
        RolloutChecks.SameLength(rewards.Length, terminated.Length, nameof(terminated));
        RolloutChecks.SameLength(rewards.Length, truncated.Length, nameof(truncated));
        if (n < 1) throw new ArgumentOutOfRangeException(nameof(n), n, "n (the number of rewards before bootstrapping) must be at least 1.");

        int length = rewards.Length;
        var returns = new double[length];
        for (int t = 0; t < length; t++)
        {
            double sum = 0, discount = 1;
            int last = t;                            // the last step whose reward is summed
            for (int k = 0; k < n && t + k < length; k++)
            {
                last = t + k;
                sum += discount * rewards[last];
                discount *= gamma;
                if (terminated[last] || truncated[last]) break;   // the episode ends here
            }
            // discount is now γ^m; bootstrap from V(s_{last+1}) unless that state is terminal.
            returns[t] = terminated[last] ? sum : sum + discount * nextValues[last];
        }
        return returns;
    }
}
