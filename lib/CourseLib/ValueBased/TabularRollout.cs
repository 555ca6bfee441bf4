using CourseLib.Environments;

namespace CourseLib.ValueBased;

/// <summary>One episode of a fixed policy: the states it visited (starting state first) and its return.</summary>
/// <param name="States">s0, s1, …, the last state reached.</param>
/// <param name="Return">The undiscounted return.</param>
/// <param name="Terminated">True when the episode reached a terminal state (false: truncated or stopped at the step cap).</param>
public sealed record TabularEpisode(IReadOnlyList<int> States, double Return, bool Terminated);

/// <summary>Following a deterministic tabular policy through an environment.</summary>
public static class TabularRollout
{
    /// <summary>
    /// Runs <paramref name="policy"/> (one action per state, e.g. <see cref="QTable.GreedyPolicy"/>) for one episode,
    /// reset with <paramref name="seed"/>, stopping after at most <paramref name="maxSteps"/> steps (a greedy policy can loop).
    /// </summary>
    public static TabularEpisode Follow(IEnvironment<int, int> environment, int[] policy, int seed = 0, int maxSteps = 1_000)
    {
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(policy);
        if (maxSteps < 1) throw new ArgumentOutOfRangeException(nameof(maxSteps), maxSteps, "maxSteps must be at least 1.");
        int s = environment.Reset(seed).Observation;
        var states = new List<int> { s };
        double total = 0;
        for (int t = 0; t < maxSteps; t++)
        {
            if ((uint)s >= (uint)policy.Length) throw new ArgumentException($"policy has {policy.Length} entries but the environment reached state {s}.", nameof(policy));
            var step = environment.Step(policy[s]);
            total += step.Reward;
            s = step.Observation;
            states.Add(s);
            if (step.Terminated) return new TabularEpisode(states, total, true);
            if (step.Truncated) break;
        }
        return new TabularEpisode(states, total, false);
    }

    /// <summary>The mean return of <paramref name="episodes"/> episodes of <paramref name="policy"/> (first reset seeded).</summary>
    public static double MeanReturn(IEnvironment<int, int> environment, int[] policy, int episodes, int seed = 0, int maxSteps = 1_000)
    {
        if (episodes < 1) throw new ArgumentOutOfRangeException(nameof(episodes), episodes, "episodes must be at least 1.");
        double sum = 0;
        for (int e = 0; e < episodes; e++) sum += Follow(environment, policy, seed + e, maxSteps).Return;
        return sum / episodes;
    }
}
