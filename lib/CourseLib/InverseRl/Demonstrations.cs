using CourseLib.Environments;
using CourseLib.Mdp;

namespace CourseLib.InverseRl;

/// <summary>Expert demonstrations: episodes τ = (s_0, a_0, s_1, ..., s_T) of a tabular environment played by an expert policy.</summary>
public static class Demonstrations
{
    /// <summary>
    /// Plays <paramref name="count"/> episodes of <paramref name="environment"/> with the policy π[s, a]; episode i resets
    /// with seed <paramref name="seed"/> + i, and the actions are drawn from one generator seeded with <paramref name="seed"/>.
    /// </summary>
    public static IReadOnlyList<Trajectory<int, int>> Sample(TabularEnvironment environment, double[,] policy, int count, int seed)
    {
        ArgumentNullException.ThrowIfNull(environment);
        if (count <= 0) throw new ArgumentOutOfRangeException(nameof(count), count, "count (the number of demonstrations) must be at least 1.");
        TabularPolicy.Check(policy, environment.Mdp);
        var rng = new Rng(seed);
        var episodes = new Trajectory<int, int>[count];
        for (int i = 0; i < count; i++) episodes[i] = Rollout.Sample(environment, policy, rng, seed + i);
        return episodes;
    }

    /// <summary>The empirical distribution of the demonstrations' start states s_0.</summary>
    public static double[] StartDistribution(IReadOnlyList<Trajectory<int, int>> demonstrations, int stateCount)
    {
        Check(demonstrations, stateCount);
        var p = new double[stateCount];
        foreach (var tau in demonstrations) p[tau.Observations[0]] += 1.0 / demonstrations.Count;
        return p;
    }

    /// <summary>Throws a clear exception unless every demonstration is a well-formed episode over states 0..stateCount−1.</summary>
    public static void Check(IReadOnlyList<Trajectory<int, int>> demonstrations, int stateCount, int? actionCount = null)
    {
        ArgumentNullException.ThrowIfNull(demonstrations);
        if (demonstrations.Count == 0) throw new ArgumentException("At least one demonstration is needed.", nameof(demonstrations));
        for (int i = 0; i < demonstrations.Count; i++)
        {
            var tau = demonstrations[i] ?? throw new ArgumentException($"demonstrations[{i}] is null.", nameof(demonstrations));
            if (tau.Observations.Length != tau.Actions.Length + 1)
                throw new ArgumentException($"demonstrations[{i}] has {tau.Actions.Length} actions and {tau.Observations.Length} observations; it needs {tau.Actions.Length + 1}.", nameof(demonstrations));
            foreach (int s in tau.Observations)
                if ((uint)s >= (uint)stateCount)
                    throw new ArgumentException($"demonstrations[{i}] visits state {s}, outside 0..{stateCount - 1}.", nameof(demonstrations));
            if (actionCount is int a)
                foreach (int action in tau.Actions)
                    if ((uint)action >= (uint)a)
                        throw new ArgumentException($"demonstrations[{i}] takes action {action}, outside 0..{a - 1}.", nameof(demonstrations));
        }
    }
}
