using System.Globalization;

namespace CourseLib.Mdp;

/// <summary>
/// One possible outcome of taking action a in state s: the next state s' with probability p(s'|s,a),
/// and the reward r(s,a,s') received on that transition.
/// </summary>
public readonly record struct Transition(int NextState, double Probability, double Reward);

/// <summary>
/// A finite Markov decision process written out in full: states 0..S-1, actions 0..A-1, the initial-state
/// distribution p(s0), the dynamics p(s'|s,a) as a list of <see cref="Transition"/>s per (s, a), the rewards,
/// and which states are terminal (entering one ends the episode; its value is 0).
/// Dynamic programming (<see cref="PolicyEvaluation"/>, <see cref="ValueIteration"/>) reads it directly;
/// <see cref="Environments.TabularEnvironment"/> samples from it.
/// </summary>
/// <remarks>
/// Every distribution is checked on construction: probabilities are in [0, 1] and sum to 1 (within 1e-9),
/// next states are in range, rewards are finite. Outcomes with the same next state and the same reward are
/// merged, so <see cref="Transitions"/> usually lists each possible s' once; an s' reached with two different
/// rewards (e.g. falling off a cliff back to the start versus walking to the start) keeps two entries.
/// </remarks>
public sealed class TabularMdp
{
    /// <summary>The tolerance within which every distribution must sum to 1.</summary>
    public const double ProbabilityTolerance = 1e-9;

    readonly double[] _initialDistribution;
    readonly bool[] _isTerminal;
    readonly int[] _offsets;             // transitions of (s, a) are _transitions[_offsets[s*A + a] .. _offsets[s*A + a + 1])
    readonly Transition[] _transitions;
    readonly double[] _expectedReward;   // r(s, a) = Σ_s' p(s'|s,a) r(s,a,s'), index s*A + a

    /// <summary>Number of states S.</summary>
    public int StateCount { get; }

    /// <summary>Number of actions A (the same in every state).</summary>
    public int ActionCount { get; }

    /// <summary>p(s0): the probability of starting in each state.</summary>
    public IReadOnlyList<double> InitialDistribution => _initialDistribution;

    /// <summary>Terminal flags, one per state: entering a terminal state ends the episode.</summary>
    public IReadOnlyList<bool> TerminalStates => _isTerminal;

    /// <summary>Optional names of the actions, e.g. "Left", "Down" (used in displays and messages).</summary>
    public IReadOnlyList<string>? ActionNames { get; }

    /// <summary>
    /// An MDP from its parts. <paramref name="transitions"/>[s, a] lists the outcomes of action a in state s
    /// (for terminal states list a self-loop with reward 0: nothing happens after the end).
    /// </summary>
    /// <param name="initialDistribution">p(s0), one probability per state, summing to 1.</param>
    /// <param name="transitions">The outcomes of each (state, action); each list's probabilities sum to 1.</param>
    /// <param name="isTerminal">Terminal flags, one per state.</param>
    /// <param name="actionNames">Optional action names, one per action.</param>
    public TabularMdp(IReadOnlyList<double> initialDistribution, IReadOnlyList<Transition>[,] transitions, IReadOnlyList<bool> isTerminal,
        IReadOnlyList<string>? actionNames = null)
    {
        ArgumentNullException.ThrowIfNull(initialDistribution);
        ArgumentNullException.ThrowIfNull(transitions);
        ArgumentNullException.ThrowIfNull(isTerminal);
        int stateCount = transitions.GetLength(0), actionCount = transitions.GetLength(1);
        if (stateCount == 0) throw new ArgumentException("An MDP needs at least one state: transitions has 0 rows.", nameof(transitions));
        if (actionCount == 0) throw new ArgumentException("An MDP needs at least one action: transitions has 0 columns.", nameof(transitions));
        if (initialDistribution.Count != stateCount)
            throw new ArgumentException($"initialDistribution has {initialDistribution.Count} entries but there are {stateCount} states.", nameof(initialDistribution));
        if (isTerminal.Count != stateCount)
            throw new ArgumentException($"isTerminal has {isTerminal.Count} entries but there are {stateCount} states.", nameof(isTerminal));
        if (actionNames != null && actionNames.Count != actionCount)
            throw new ArgumentException($"actionNames has {actionNames.Count} entries but there are {actionCount} actions.", nameof(actionNames));

        StateCount = stateCount;
        ActionCount = actionCount;
        ActionNames = actionNames?.ToArray();
        _isTerminal = isTerminal.ToArray();
        _initialDistribution = initialDistribution.ToArray();
        CheckDistribution(_initialDistribution, "p(s0)", nameof(initialDistribution));

        _offsets = new int[stateCount * actionCount + 1];
        _expectedReward = new double[stateCount * actionCount];
        var all = new List<Transition>();
        var merged = new List<Transition>();   // the outcomes of one (s, a), each (s', reward) once
        for (int s = 0; s < stateCount; s++)
        for (int a = 0; a < actionCount; a++)
        {
            var outcomes = transitions[s, a] ?? throw new ArgumentException($"transitions[{s}, {a}] is null: list at least one outcome.", nameof(transitions));
            merged.Clear();
            double sum = 0;
            foreach (var t in outcomes)
            {
                if ((uint)t.NextState >= (uint)stateCount)
                    throw new ArgumentException($"p(·|s={s}, a={a}) leads to state {t.NextState}, outside 0..{stateCount - 1}.", nameof(transitions));
                if (!(t.Probability >= 0 && t.Probability <= 1))
                    throw new ArgumentException($"p(s'={t.NextState}|s={s}, a={a}) = {Format(t.Probability)} is not a probability in [0, 1].", nameof(transitions));
                if (!double.IsFinite(t.Reward))
                    throw new ArgumentException($"r(s={s}, a={a}, s'={t.NextState}) = {Format(t.Reward)}: rewards must be finite numbers.", nameof(transitions));
                sum += t.Probability;
                if (t.Probability == 0) continue;
                int seen = merged.FindIndex(m => m.NextState == t.NextState && m.Reward == t.Reward);
                if (seen < 0) merged.Add(t);
                else merged[seen] = merged[seen] with { Probability = merged[seen].Probability + t.Probability };
            }
            if (Math.Abs(sum - 1) > ProbabilityTolerance)
                throw new ArgumentException($"p(·|s={s}, a={a}) sums to {Format(sum)}, not 1: the outcomes of every (state, action) must sum to 1.", nameof(transitions));
            _offsets[s * actionCount + a] = all.Count;
            double expected = 0;
            foreach (var t in merged) { all.Add(t); expected += t.Probability * t.Reward; }
            _expectedReward[s * actionCount + a] = expected;
        }
        _offsets[^1] = all.Count;
        _transitions = all.ToArray();
    }

    /// <summary>
    /// An MDP from dense arrays: <paramref name="transitionProbabilities"/>[s, a, s'] = p(s'|s,a) and
    /// <paramref name="rewards"/>[s, a] = r(s,a) (received whatever the next state).
    /// </summary>
    public static TabularMdp FromArrays(double[] initialDistribution, double[,,] transitionProbabilities, double[,] rewards, bool[] isTerminal,
        IReadOnlyList<string>? actionNames = null)
    {
        ArgumentNullException.ThrowIfNull(transitionProbabilities);
        ArgumentNullException.ThrowIfNull(rewards);
        int s = transitionProbabilities.GetLength(0), a = transitionProbabilities.GetLength(1);
        if (transitionProbabilities.GetLength(2) != s)
            throw new ArgumentException($"transitionProbabilities must be [S, A, S]; it is [{s}, {a}, {transitionProbabilities.GetLength(2)}].", nameof(transitionProbabilities));
        if (rewards.GetLength(0) != s || rewards.GetLength(1) != a)
            throw new ArgumentException($"rewards must be [S, A] = [{s}, {a}]; it is [{rewards.GetLength(0)}, {rewards.GetLength(1)}].", nameof(rewards));
        var lists = new IReadOnlyList<Transition>[s, a];
        for (int i = 0; i < s; i++)
        for (int j = 0; j < a; j++)
        {
            var list = new List<Transition>();
            for (int k = 0; k < s; k++)
                if (transitionProbabilities[i, j, k] != 0) list.Add(new Transition(k, transitionProbabilities[i, j, k], rewards[i, j]));
            lists[i, j] = list;
        }
        return new TabularMdp(initialDistribution, lists, isTerminal, actionNames);
    }

    /// <summary>The possible outcomes of action <paramref name="action"/> in state <paramref name="state"/>, each (s', reward) once.</summary>
    public ReadOnlySpan<Transition> Transitions(int state, int action)
    {
        int i = Index(state, action);
        return _transitions.AsSpan(_offsets[i], _offsets[i + 1] - _offsets[i]);
    }

    /// <summary>p(s'|s,a).</summary>
    public double TransitionProbability(int state, int action, int nextState)
    {
        CheckState(nextState, nameof(nextState));
        double p = 0;
        foreach (var t in Transitions(state, action)) if (t.NextState == nextState) p += t.Probability;
        return p;
    }

    /// <summary>r(s,a) = Σ_s' p(s'|s,a) r(s,a,s'): the expected reward of action a in state s.</summary>
    public double ExpectedReward(int state, int action) => _expectedReward[Index(state, action)];

    /// <summary>True when <paramref name="state"/> is terminal.</summary>
    public bool IsTerminal(int state)
    {
        CheckState(state, nameof(state));
        return _isTerminal[state];
    }

    /// <summary>The dynamics as a dense array p[s, a, s'] (a fresh copy).</summary>
    public double[,,] TransitionArray()
    {
        var p = new double[StateCount, ActionCount, StateCount];
        for (int s = 0; s < StateCount; s++)
        for (int a = 0; a < ActionCount; a++)
            foreach (var t in Transitions(s, a)) p[s, a, t.NextState] += t.Probability;
        return p;
    }

    /// <summary>The expected rewards as a dense array r[s, a] (a fresh copy).</summary>
    public double[,] RewardArray()
    {
        var r = new double[StateCount, ActionCount];
        for (int s = 0; s < StateCount; s++)
        for (int a = 0; a < ActionCount; a++) r[s, a] = _expectedReward[s * ActionCount + a];
        return r;
    }

    /// <summary>Draws s0 ~ p(s0).</summary>
    public int SampleInitialState(Rng rng)
    {
        double u = rng.NextDouble(), cumulative = 0;
        int last = 0;
        for (int s = 0; s < StateCount; s++)
        {
            double p = _initialDistribution[s];
            if (p <= 0) continue;
            cumulative += p;
            last = s;
            if (u < cumulative) return s;
        }
        return last;
    }

    /// <summary>Draws s' ~ p(·|s,a) and returns that transition (with its reward).</summary>
    public Transition SampleTransition(int state, int action, Rng rng)
    {
        var outcomes = Transitions(state, action);
        if (outcomes.Length == 1) return outcomes[0];
        double u = rng.NextDouble(), cumulative = 0;
        for (int i = 0; i < outcomes.Length; i++)
        {
            cumulative += outcomes[i].Probability;
            if (u < cumulative) return outcomes[i];
        }
        return outcomes[^1];
    }

    /// <summary>The name of an action (its <see cref="ActionNames"/> entry, or its number).</summary>
    public string ActionName(int action)
    {
        if ((uint)action >= (uint)ActionCount)
            throw new ArgumentOutOfRangeException(nameof(action), action, $"action must be in 0..{ActionCount - 1}.");
        return ActionNames?[action] ?? action.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>"TabularMdp(16 states, 4 actions, 5 terminal)".</summary>
    public override string ToString() =>
        $"TabularMdp({StateCount} states, {ActionCount} actions, {_isTerminal.Count(t => t)} terminal)";

    // Internal fast access for dynamic programming (no bounds re-checks in inner loops).
    internal ReadOnlySpan<int> Offsets => _offsets;
    internal ReadOnlySpan<Transition> AllTransitions => _transitions;
    internal ReadOnlySpan<double> ExpectedRewards => _expectedReward;
    internal ReadOnlySpan<bool> TerminalFlags => _isTerminal;

    int Index(int state, int action)
    {
        CheckState(state, nameof(state));
        if ((uint)action >= (uint)ActionCount)
            throw new ArgumentOutOfRangeException(nameof(action), action, $"action must be in 0..{ActionCount - 1} ({ActionCount} actions).");
        return state * ActionCount + action;
    }

    void CheckState(int state, string name)
    {
        if ((uint)state >= (uint)StateCount)
            throw new ArgumentOutOfRangeException(name, state, $"{name} must be in 0..{StateCount - 1} ({StateCount} states).");
    }

    static void CheckDistribution(double[] p, string what, string argument)
    {
        double sum = 0;
        for (int i = 0; i < p.Length; i++)
        {
            if (!(p[i] >= 0 && p[i] <= 1))
                throw new ArgumentException($"{what}[{i}] = {Format(p[i])} is not a probability in [0, 1].", argument);
            sum += p[i];
        }
        if (Math.Abs(sum - 1) > ProbabilityTolerance)
            throw new ArgumentException($"{what} sums to {Format(sum)}, not 1.", argument);
    }

    internal static string Format(double x) => x.ToString("G17", CultureInfo.InvariantCulture);
}
