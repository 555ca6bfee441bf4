namespace CourseLib.Mdp;

/// <summary>
/// One episode τ = (s_0, a_0, r_0, s_1, a_1, r_1, ..., s_T): T + 1 observations (the last one is where the
/// episode stopped), T actions, T rewards, and for each action its log-probability log π(a_t|s_t) under the
/// policy that chose it.
/// </summary>
/// <param name="Observations">s_0 .. s_T (T + 1 of them).</param>
/// <param name="Actions">a_0 .. a_{T−1}.</param>
/// <param name="Rewards">r_0 .. r_{T−1}, r_t received for a_t.</param>
/// <param name="LogProbabilities">log π(a_t|s_t) for each action.</param>
/// <param name="Terminated">True when s_T is terminal.</param>
/// <param name="Truncated">True when the episode was cut off (time limit) before reaching a terminal state.</param>
public sealed record Trajectory<TObservation, TAction>(
    TObservation[] Observations,
    TAction[] Actions,
    double[] Rewards,
    double[] LogProbabilities,
    bool Terminated,
    bool Truncated)
{
    /// <summary>T, the number of steps.</summary>
    public int Length => Actions.Length;

    /// <summary>r(τ) = Σ_t r_t.</summary>
    public double TotalReward => Returns.Total(Rewards);

    /// <summary>log π(τ's actions) = Σ_t log π(a_t|s_t): the policy's part of log p(τ).</summary>
    public double PolicyLogProbability => Returns.Total(LogProbabilities);

    /// <summary>The trajectory as a text table, one line per step: t, s_t, a_t, r_t, log π(a_t|s_t) (at most <paramref name="maxSteps"/> lines).</summary>
    public string ToText(int maxSteps = 30)
    {
        var text = new System.Text.StringBuilder();
        text.AppendLine($"τ with T = {Length} steps, r(τ) = {TotalReward:G6}, {(Terminated ? "terminated" : Truncated ? "truncated" : "unfinished")}");
        text.AppendLine("  t | s_t | a_t | r_t | log π(a_t|s_t)");
        for (int t = 0; t < Math.Min(Length, maxSteps); t++)
            text.AppendLine(System.FormattableString.Invariant($"{t,3} | {Observations[t]} | {Actions[t]} | {Rewards[t]:G6} | {LogProbabilities[t]:F4}"));
        if (Length > maxSteps) text.AppendLine($"  ... {Length - maxSteps} more steps");
        text.Append(System.FormattableString.Invariant($"  s_T = {Observations[^1]}"));
        return text.ToString();
    }
}

/// <summary>Plays episodes: s_0 ~ p(s0), a_t ~ π(·|s_t), (s_{t+1}, r_t) from the environment, until the episode ends.</summary>
public static class Rollout
{
    /// <summary>
    /// Samples one trajectory τ. <paramref name="policy"/> gets the observation and a random generator and returns
    /// the action with its log-probability log π(a|s).
    /// </summary>
    /// <param name="environment">The environment (reset at the start).</param>
    /// <param name="policy">(s, rng) → (a, log π(a|s)).</param>
    /// <param name="rng">The policy's random generator.</param>
    /// <param name="seed">Seed for the environment's Reset (null: continue its generator).</param>
    /// <param name="maxSteps">Stop (as truncated) after this many steps even if the environment has no time limit. Default 100,000.</param>
    public static Trajectory<TObservation, TAction> Sample<TObservation, TAction>(
        Environments.IEnvironment<TObservation, TAction> environment,
        Func<TObservation, Rng, (TAction Action, double LogProbability)> policy,
        Rng rng, int? seed = null, int maxSteps = 100_000)
    {
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(rng);
        if (maxSteps <= 0) throw new ArgumentOutOfRangeException(nameof(maxSteps), maxSteps, "maxSteps must be at least 1.");
        var observations = new List<TObservation> { environment.Reset(seed).Observation };
        var actions = new List<TAction>();
        var rewards = new List<double>();
        var logProbabilities = new List<double>();
        bool terminated = false, truncated = false;
        while (!terminated && !truncated)
        {
            var (action, logProbability) = policy(observations[^1], rng);
            var step = environment.Step(action);
            actions.Add(action);
            logProbabilities.Add(logProbability);
            rewards.Add(step.Reward);
            observations.Add(step.Observation);
            terminated = step.Terminated;
            truncated = step.Truncated || (!terminated && actions.Count >= maxSteps);
        }
        return new Trajectory<TObservation, TAction>(observations.ToArray(), actions.ToArray(), rewards.ToArray(), logProbabilities.ToArray(), terminated, truncated);
    }

    /// <summary>Samples one trajectory of a tabular environment under the tabular policy π[s, a].</summary>
    public static Trajectory<int, int> Sample(Environments.TabularEnvironment environment, double[,] policy, Rng rng, int? seed = null, int maxSteps = 100_000)
    {
        ArgumentNullException.ThrowIfNull(environment);
        TabularPolicy.Check(policy, environment.Mdp);
        return Sample(environment, (s, r) =>
        {
            int a = TabularPolicy.Sample(policy, s, r);
            return (a, Math.Log(policy[s, a]));
        }, rng, seed, maxSteps);
    }
}
