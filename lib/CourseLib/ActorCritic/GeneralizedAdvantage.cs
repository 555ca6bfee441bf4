namespace CourseLib.ActorCritic;

/// <summary>
/// Generalized Advantage Estimation (Schulman et al. 2016): an exponentially weighted average of the n-step
/// advantage estimates, computed as a discounted sum of TD errors within each episode:
/// <code>
///   δ_t = r_t + γ V(s_{t+1}) − V(s_t)
///   Â_t = Σ_{l≥0} (γλ)^l δ_{t+l}  =  δ_t + γλ Â_{t+1}    (the sum stops at the episode's end)
/// </code>
/// λ = 0 gives the one-step TD error (low variance, biased by the critic's errors); λ = 1 gives the Monte-Carlo
/// return minus V(s_t) (unbiased, high variance). The rollout may hold several episodes: the sum never crosses an
/// episode boundary, and the TD error bootstraps through a truncation but not through a termination.
/// </summary>
public static class GeneralizedAdvantage
{
    /// <summary>
    /// Â_t^{GAE(γ,λ)} for every step of the rollout. It has the signature of notebook 07's exercise <c>Gae</c>, so that it
    /// stands in for a student's function until that is written (<see cref="A2C.Train{TObservation}"/>'s <c>gae</c>).
    /// </summary>
    /// <param name="rewards">r_0 .. r_{T−1}.</param>
    /// <param name="values">V(s_t) for every step.</param>
    /// <param name="nextValues">V(s_{t+1}) for every step, s_{t+1} being the observation Step returned (the final one when the episode ended).
    /// At the last step of the rollout it is the bootstrap value of the state the rollout stopped in.</param>
    /// <param name="terminated">Whether step t reached a terminal state.</param>
    /// <param name="truncated">Whether the episode was cut off (time limit) after step t.</param>
    /// <param name="gamma">The discount factor γ in [0, 1].</param>
    /// <param name="lambda">GAE's λ in [0, 1].</param>
    public static double[] Estimate(double[] rewards, double[] values, double[] nextValues, bool[] terminated, bool[] truncated,
        double gamma, double lambda)
    {
        ArgumentNullException.ThrowIfNull(rewards);
        ArgumentNullException.ThrowIfNull(values);
        ArgumentNullException.ThrowIfNull(nextValues);
        ArgumentNullException.ThrowIfNull(terminated);
        ArgumentNullException.ThrowIfNull(truncated);
        RolloutChecks.Lambda(lambda);
        RolloutChecks.SameLength(rewards.Length, truncated.Length, nameof(truncated));
        var deltas = TemporalDifference.Errors(rewards, values, nextValues, terminated, gamma);
        var advantages = new double[rewards.Length];
        double next = 0;                                       // Â_{t+1}, 0 beyond the rollout
        for (int t = rewards.Length - 1; t >= 0; t--)
        {
            bool episodeEnds = terminated[t] || truncated[t];  // Â_{t+1} belongs to another episode
            next = advantages[t] = deltas[t] + (episodeEnds ? 0 : gamma * lambda * next);
        }
        return advantages;
    }

    /// <summary>
    /// The critic's regression targets that go with GAE, the λ-returns G_t^λ = Â_t + V(s_t)
    /// (λ = 1: the Monte-Carlo return; λ = 0: the TD target).
    /// </summary>
    public static double[] LambdaReturns(double[] rewards, double[] values, double[] nextValues, bool[] terminated, bool[] truncated,
        double gamma, double lambda)
    {
        var returns = Estimate(rewards, values, nextValues, terminated, truncated, gamma, lambda);
        for (int t = 0; t < returns.Length; t++) returns[t] += values[t];
        return returns;
    }
}
