namespace CourseLib.ActorCritic;

/// <summary>
/// The one-step bootstrapped target and the TD error, the critic's two basic quantities:
/// <code>
///   y_t = r_t + γ V(s_{t+1})            (0 instead of V(s_{t+1}) when s_{t+1} is terminal)
///   δ_t = r_t + γ V(s_{t+1}) − V(s_t)   (an estimate of the advantage A(s_t, a_t))
/// </code>
/// A step that <em>terminated</em> the episode reached a terminal state, whose value is 0 by definition. A step
/// that was <em>truncated</em> (time limit) did not: the episode was cut off, the state s_{t+1} still has a future,
/// so the target bootstraps from V(s_{t+1}) as usual. Only <c>terminated</c> turns the bootstrap off.
/// </summary>
/// <remarks>
/// Reference implementations for the exercises: pure functions of their inputs. Everywhere in this namespace,
/// <c>nextValues[t]</c> is V(s_{t+1}) of the observation that <c>Step</c> returned at step t, i.e. the episode's
/// final observation when the episode ended there (not the first observation of the next episode). Within an
/// episode it is therefore the next row's value, <c>nextValues[t] == values[t+1]</c>.
/// </remarks>
public static class TemporalDifference
{
    /// <summary>The bootstrapped one-step target y = r + γ (1 − terminated) V(s').</summary>
    /// <param name="reward">r_t.</param>
    /// <param name="nextValue">V(s_{t+1}); ignored when <paramref name="terminated"/>.</param>
    /// <param name="terminated">True when s_{t+1} is a terminal state (not when the episode was merely truncated).</param>
    /// <param name="gamma">The discount factor γ in [0, 1].</param>
    public static double Target(double reward, double nextValue, bool terminated, double gamma)
    {
        RolloutChecks.Gamma(gamma);
        return terminated ? reward : reward + gamma * nextValue;
    }

    /// <summary>The TD error δ = r + γ (1 − terminated) V(s') − V(s).</summary>
    /// <param name="reward">r_t.</param>
    /// <param name="value">V(s_t).</param>
    /// <param name="nextValue">V(s_{t+1}); ignored when <paramref name="terminated"/>.</param>
    /// <param name="terminated">True when s_{t+1} is a terminal state.</param>
    /// <param name="gamma">The discount factor γ in [0, 1].</param>
    public static double Error(double reward, double value, double nextValue, bool terminated, double gamma) =>
        Target(reward, nextValue, terminated, gamma) - value;

    /// <summary>The TD error of every step of a rollout (which may hold several episodes): δ_t for t = 0 .. T−1.</summary>
    /// <param name="rewards">r_0 .. r_{T−1}.</param>
    /// <param name="values">V(s_t) for every step.</param>
    /// <param name="nextValues">V(s_{t+1}) for every step, s_{t+1} being the observation Step returned.</param>
    /// <param name="terminated">Whether step t reached a terminal state.</param>
    /// <param name="gamma">The discount factor γ in [0, 1].</param>
    public static double[] Errors(ReadOnlySpan<double> rewards, ReadOnlySpan<double> values, ReadOnlySpan<double> nextValues,
        ReadOnlySpan<bool> terminated, double gamma)
    {
        RolloutChecks.Gamma(gamma);
        RolloutChecks.SameLength(rewards.Length, values.Length, nameof(values));
        RolloutChecks.SameLength(rewards.Length, nextValues.Length, nameof(nextValues));
        RolloutChecks.SameLength(rewards.Length, terminated.Length, nameof(terminated));
        var errors = new double[rewards.Length];
        for (int t = 0; t < rewards.Length; t++)
            errors[t] = Error(rewards[t], values[t], nextValues[t], terminated[t], gamma);
        return errors;
    }
}
