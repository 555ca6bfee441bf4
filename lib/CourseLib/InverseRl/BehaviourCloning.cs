using CourseLib.Mdp;

namespace CourseLib.InverseRl;

/// <summary>
/// Behaviour cloning: supervised learning of π(a|s) from the expert's (s, a) pairs, here the tabular maximum-likelihood
/// estimate
/// <code>  π_BC(a|s) = (n(s,a) + α) / (n(s) + A α)   where the expert visited s,   1/A elsewhere  </code>
/// with n the demonstrations' counts and α a smoothing pseudo-count. It copies the expert where the expert went and
/// knows nothing anywhere else: one mistake off the expert's states and the errors compound.
/// </summary>
public static class BehaviourCloning
{
    /// <summary>n(s, a): how often the demonstrations take action a in state s.</summary>
    public static double[,] ActionCounts(IReadOnlyList<Trajectory<int, int>> demonstrations, int stateCount, int actionCount)
    {
        if (stateCount <= 0) throw new ArgumentOutOfRangeException(nameof(stateCount), stateCount, "stateCount must be at least 1.");
        if (actionCount <= 0) throw new ArgumentOutOfRangeException(nameof(actionCount), actionCount, "actionCount must be at least 1.");
        Demonstrations.Check(demonstrations, stateCount, actionCount);
        var counts = new double[stateCount, actionCount];
        foreach (var tau in demonstrations)
            for (int t = 0; t < tau.Length; t++) counts[tau.Observations[t], tau.Actions[t]]++;
        return counts;
    }

    /// <summary>The behaviour-cloning policy π_BC[s, a] (see the class summary).</summary>
    /// <param name="demonstrations">The expert's episodes.</param>
    /// <param name="stateCount">S.</param>
    /// <param name="actionCount">A.</param>
    /// <param name="smoothing">α ≥ 0, the pseudo-count added to every action of a visited state. Default 0 (the plain frequencies).</param>
    public static double[,] Fit(IReadOnlyList<Trajectory<int, int>> demonstrations, int stateCount, int actionCount, double smoothing = 0)
    {
        if (!(smoothing >= 0 && double.IsFinite(smoothing))) throw new ArgumentOutOfRangeException(nameof(smoothing), smoothing, "smoothing (α) must be 0 or a positive number.");
        var counts = ActionCounts(demonstrations, stateCount, actionCount);
        var policy = new double[stateCount, actionCount];
        for (int s = 0; s < stateCount; s++)
        {
            double visits = 0;
            for (int a = 0; a < actionCount; a++) visits += counts[s, a];
            for (int a = 0; a < actionCount; a++)
                policy[s, a] = visits == 0 ? 1.0 / actionCount : (counts[s, a] + smoothing) / (visits + actionCount * smoothing);
        }
        return policy;
    }
}
