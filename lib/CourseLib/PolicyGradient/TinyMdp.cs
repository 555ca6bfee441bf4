namespace CourseLib.PolicyGradient;

/// <summary>
/// A finite-horizon MDP small enough to enumerate every trajectory: states 0..S−1, actions 0..A−1, start
/// distribution p(s₀), transitions p(s'|s,a), deterministic rewards r(s,a), and exactly <see cref="Horizon"/> steps.
/// Used to check policy-gradient estimators against the exact gradient.
/// </summary>
/// <remarks>Note for the lead: CourseLib.Mdp (built in parallel) may offer a general tabular MDP; this one stays tiny on purpose.</remarks>
public sealed class TinyMdp
{
    /// <summary>Number of states S.</summary>
    public int StateCount { get; }
    /// <summary>Number of actions A.</summary>
    public int ActionCount { get; }
    /// <summary>Steps per episode H.</summary>
    public int Horizon { get; }
    /// <summary>p(s₀).</summary>
    public double[] StartDistribution { get; }
    /// <summary>p(s'|s,a) as [s, a, s'].</summary>
    public double[,,] Transitions { get; }
    /// <summary>r(s,a) as [s, a].</summary>
    public double[,] Rewards { get; }

    /// <summary>An MDP from its tables; each distribution must sum to 1.</summary>
    public TinyMdp(double[] startDistribution, double[,,] transitions, double[,] rewards, int horizon)
    {
        ArgumentNullException.ThrowIfNull(startDistribution);
        ArgumentNullException.ThrowIfNull(transitions);
        ArgumentNullException.ThrowIfNull(rewards);
        StateCount = startDistribution.Length;
        ActionCount = rewards.GetLength(1);
        if (StateCount < 1 || ActionCount < 1) throw new ArgumentException("The MDP needs at least one state and one action.", nameof(rewards));
        if (horizon < 1) throw new ArgumentOutOfRangeException(nameof(horizon), horizon, "horizon must be at least 1.");
        if (rewards.GetLength(0) != StateCount) throw new ArgumentException($"rewards must be [{StateCount}, actions].", nameof(rewards));
        if (transitions.GetLength(0) != StateCount || transitions.GetLength(1) != ActionCount || transitions.GetLength(2) != StateCount)
            throw new ArgumentException($"transitions must be [{StateCount}, {ActionCount}, {StateCount}].", nameof(transitions));
        CheckDistribution(startDistribution, nameof(startDistribution));
        for (int s = 0; s < StateCount; s++)
            for (int a = 0; a < ActionCount; a++)
                CheckDistribution(Enumerable.Range(0, StateCount).Select(t => transitions[s, a, t]).ToArray(), $"{nameof(transitions)}[{s}, {a}, ·]");
        StartDistribution = startDistribution;
        Transitions = transitions;
        Rewards = rewards;
        Horizon = horizon;
    }

    /// <summary>
    /// The course's example: 3 states, 2 actions, 3 steps, always starting in state 0; every reward is at least 1,
    /// so returns are far from zero and a baseline matters.
    /// </summary>
    public static TinyMdp Example() => new(
        startDistribution: [1, 0, 0],
        transitions: new double[,,]
        {
            { { 0.1, 0.8, 0.1 }, { 0.1, 0.1, 0.8 } },
            { { 0.7, 0.2, 0.1 }, { 0.2, 0.2, 0.6 } },
            { { 0.3, 0.3, 0.4 }, { 0.5, 0.4, 0.1 } },
        },
        rewards: new double[,] { { 1.0, 2.0 }, { 6.0, 4.0 }, { 1.0, 0.5 } },
        horizon: 3);

    static void CheckDistribution(double[] p, string name)
    {
        if (p.Any(x => !(x >= 0)) || Math.Abs(p.Sum() - 1) > 1e-9)
            throw new ArgumentException($"{name} must be a probability distribution (non-negative, summing to 1): [{string.Join(", ", p)}].", name);
    }
}
