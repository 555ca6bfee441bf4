using CourseLib.Mdp;

namespace CourseLib.InverseRl;

/// <summary>
/// The same dynamics with a different reward: inverse RL learns a reward and then hands "the MDP with the learned
/// reward" to an ordinary solver (<see cref="ValueIteration"/>, <see cref="PolicyEvaluation"/>). p(s0), p(s'|s,a)
/// and the terminal states are copied; terminal states keep reward 0 (nothing happens after the end).
/// </summary>
public static class Relabel
{
    /// <summary>
    /// The MDP with the reward r(s, a, s') = <paramref name="stateReward"/>[s'], paid on entering s' (the convention of
    /// <see cref="Environments.GridWorld"/>, which pays the goal's reward on entering the goal).
    /// </summary>
    public static TabularMdp WithRewardOnEntering(TabularMdp dynamics, IReadOnlyList<double> stateReward)
    {
        ArgumentNullException.ThrowIfNull(dynamics);
        CheckPerState(dynamics, stateReward, nameof(stateReward));
        return Build(dynamics, (s, a, next) => stateReward[next]);
    }

    /// <summary>The MDP with the reward r(s, a, s') = <paramref name="reward"/>[s, a], whatever s' is (e.g. GAIL's −log(1 − D(s,a))).</summary>
    public static TabularMdp WithStateActionReward(TabularMdp dynamics, double[,] reward)
    {
        ArgumentNullException.ThrowIfNull(dynamics);
        ArgumentNullException.ThrowIfNull(reward);
        if (reward.GetLength(0) != dynamics.StateCount || reward.GetLength(1) != dynamics.ActionCount)
            throw new ArgumentException($"reward must be [states, actions] = [{dynamics.StateCount}, {dynamics.ActionCount}]; it is [{reward.GetLength(0)}, {reward.GetLength(1)}].", nameof(reward));
        return Build(dynamics, (s, a, next) => reward[s, a]);
    }

    static TabularMdp Build(TabularMdp dynamics, Func<int, int, int, double> reward)
    {
        int stateCount = dynamics.StateCount, actionCount = dynamics.ActionCount;
        var transitions = new IReadOnlyList<Transition>[stateCount, actionCount];
        for (int s = 0; s < stateCount; s++)
        for (int a = 0; a < actionCount; a++)
        {
            if (dynamics.TerminalStates[s]) { transitions[s, a] = [new Transition(s, 1, 0)]; continue; }
            var outcomes = new List<Transition>();
            foreach (var t in dynamics.Transitions(s, a)) outcomes.Add(t with { Reward = reward(s, a, t.NextState) });
            transitions[s, a] = outcomes;
        }
        return new TabularMdp(dynamics.InitialDistribution, transitions, dynamics.TerminalStates, dynamics.ActionNames);
    }

    internal static void CheckPerState(TabularMdp mdp, IReadOnlyList<double> values, string argumentName)
    {
        ArgumentNullException.ThrowIfNull(values, argumentName);
        if (values.Count != mdp.StateCount)
            throw new ArgumentException($"{argumentName} has {values.Count} entries; the MDP has {mdp.StateCount} states.", argumentName);
        for (int s = 0; s < values.Count; s++)
            if (!double.IsFinite(values[s])) throw new ArgumentException($"{argumentName}[{s}] = {values[s]} must be a finite number.", argumentName);
    }
}
