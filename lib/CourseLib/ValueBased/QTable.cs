using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace CourseLib.ValueBased;

/// <summary>
/// A table of action values Q(s, a) for S states and A actions: a <c>double[S, A]</c> (<see cref="Values"/>), the
/// table the notebooks' exercises index as <c>q[state, action]</c>, with the helpers a learner needs.
/// </summary>
public sealed class QTable
{
    readonly double[,] _values;

    /// <summary>A table with every entry set to <paramref name="initialValue"/> (optimistic when above the achievable returns).</summary>
    public QTable(int stateCount, int actionCount, double initialValue = 0)
    {
        if (stateCount <= 0) throw new ArgumentOutOfRangeException(nameof(stateCount), stateCount, "stateCount must be at least 1.");
        if (actionCount <= 0) throw new ArgumentOutOfRangeException(nameof(actionCount), actionCount, "actionCount must be at least 1.");
        if (!double.IsFinite(initialValue)) throw new ArgumentOutOfRangeException(nameof(initialValue), initialValue, "initialValue must be finite.");
        StateCount = stateCount;
        ActionCount = actionCount;
        _values = new double[stateCount, actionCount];
        if (initialValue != 0) MemoryMarshal.CreateSpan(ref First, stateCount * actionCount).Fill(initialValue);
    }

    /// <summary>A table over <paramref name="values"/> itself (not a copy): Q(s, a) = values[s, a].</summary>
    public QTable(double[,] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.GetLength(0) == 0 || values.GetLength(1) == 0)
            throw new ArgumentException($"values must have at least one state and one action, not {values.GetLength(0)}×{values.GetLength(1)}.", nameof(values));
        _values = values;
        StateCount = values.GetLength(0);
        ActionCount = values.GetLength(1);
    }

    /// <summary>S.</summary>
    public int StateCount { get; }
    /// <summary>A.</summary>
    public int ActionCount { get; }

    /// <summary>The table itself as <c>q[state, action]</c> (not a copy: writing to it changes Q).</summary>
    public double[,] Values => _values;

    /// <summary>Q(s, a).</summary>
    public double this[int state, int action]
    {
        get => _values[CheckedState(state), CheckedAction(action)];
        set => _values[CheckedState(state), CheckedAction(action)] = value;
    }

    /// <summary>Q(s, ·): the A values of one state (writable).</summary>
    public Span<double> Row(int state)
    {
        CheckState(state);
        return MemoryMarshal.CreateSpan(ref Unsafe.Add(ref First, state * ActionCount), ActionCount);
    }

    /// <summary>Q(s, ·) of <paramref name="q"/> without copying (a <c>double[S, A]</c> is stored row by row).</summary>
    public static Span<double> Row(double[,] q, int state)
    {
        ArgumentNullException.ThrowIfNull(q);
        if ((uint)state >= (uint)q.GetLength(0)) throw new ArgumentOutOfRangeException(nameof(state), state, $"state must be in 0..{q.GetLength(0) - 1}.");
        int actions = q.GetLength(1);
        return MemoryMarshal.CreateSpan(ref Unsafe.Add(ref Unsafe.As<byte, double>(ref MemoryMarshal.GetArrayDataReference(q)), state * actions), actions);
    }

    ref double First => ref Unsafe.As<byte, double>(ref MemoryMarshal.GetArrayDataReference(_values));

    /// <summary>max_a Q(s, a).</summary>
    public double Max(int state)
    {
        var row = Row(state);
        double max = row[0];
        for (int a = 1; a < row.Length; a++) if (row[a] > max) max = row[a];
        return max;
    }

    /// <summary>A greedy action argmax_a Q(s, a), ties broken uniformly at random.</summary>
    public int GreedyAction(int state, Rng rng) => Greedy.Action(Row(state), rng);

    /// <summary>The greedy policy, one action per state; ties go to the lowest action index (deterministic, for evaluation).</summary>
    public int[] GreedyPolicy()
    {
        var policy = new int[StateCount];
        for (int s = 0; s < StateCount; s++)
        {
            var row = Row(s);
            int best = 0;
            for (int a = 1; a < row.Length; a++) if (row[a] > row[best]) best = a;
            policy[s] = best;
        }
        return policy;
    }

    /// <summary>V(s) = max_a Q(s, a) for every state.</summary>
    public double[] StateValues()
    {
        var values = new double[StateCount];
        for (int s = 0; s < StateCount; s++) values[s] = Max(s);
        return values;
    }

    /// <summary>A copy as a [S, A] array.</summary>
    public double[,] ToArray() => (double[,])_values.Clone();

    /// <summary>A deep copy.</summary>
    public QTable Clone() => new(ToArray());

    int CheckedAction(int action) =>
        (uint)action < (uint)ActionCount ? action : throw new ArgumentOutOfRangeException(nameof(action), action, $"action must be in 0..{ActionCount - 1}.");

    int CheckedState(int state)
    {
        CheckState(state);
        return state;
    }

    void CheckState(int state)
    {
        if ((uint)state >= (uint)StateCount) throw new ArgumentOutOfRangeException(nameof(state), state, $"state must be in 0..{StateCount - 1}.");
    }
}

/// <summary>Greedy choice with random tie-breaking.</summary>
public static class Greedy
{
    /// <summary>
    /// argmax_a q[a]; when several actions share the maximum, one of them uniformly at random
    /// (drawing one number from <paramref name="rng"/> only when there is a tie).
    /// </summary>
    public static int Action(ReadOnlySpan<double> qValues, Rng rng)
    {
        if (qValues.IsEmpty) throw new ArgumentException("qValues must hold at least one action value.", nameof(qValues));
        int best = 0, ties = 1;
        double max = qValues[0];
        for (int a = 1; a < qValues.Length; a++)
        {
            double q = qValues[a];
            if (q > max) { max = q; best = a; ties = 1; }
            else if (q == max) ties++;
        }
        if (ties == 1) return best;
        int pick = rng.NextInt(ties);
        for (int a = best; a < qValues.Length; a++)
            if (qValues[a] == max && pick-- == 0) return a;
        return best; // unreachable
    }
}
