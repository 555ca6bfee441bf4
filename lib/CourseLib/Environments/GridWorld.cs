using CourseLib.Display;
using CourseLib.Mdp;

namespace CourseLib.Environments;

/// <summary>A move on a grid.</summary>
public enum GridMove
{
    /// <summary>One column to the left.</summary>
    Left,
    /// <summary>One row down.</summary>
    Down,
    /// <summary>One column to the right.</summary>
    Right,
    /// <summary>One row up.</summary>
    Up,
}

/// <summary>
/// The rules of a <see cref="GridWorld"/>. The map is a list of equally long rows of cells:
/// <c>S</c> start, <c>F</c> or <c>.</c> free, <c>G</c> goal (terminal), <c>H</c> hole (terminal),
/// <c>C</c> cliff (pays <see cref="CliffReward"/> and sends the agent back to a start cell), <c>#</c> wall (cannot be entered).
/// </summary>
public sealed record GridWorldOptions
{
    /// <summary>The map, one string per row (top row first), e.g. FrozenLake's "SFFF", "FHFH", "FFFH", "HFFG". Required.</summary>
    public required IReadOnlyList<string> Map { get; init; }

    /// <summary>The moves that actions 0, 1, ... make. Default: Left, Down, Right, Up (FrozenLake's order).</summary>
    public IReadOnlyList<GridMove> Actions { get; init; } = [GridMove.Left, GridMove.Down, GridMove.Right, GridMove.Up];

    /// <summary>Reward for a step that enters a free or start cell, or bumps into a wall or the edge (stays). Default 0.</summary>
    public double StepReward { get; init; }

    /// <summary>Reward for entering a goal cell. Default 1.</summary>
    public double GoalReward { get; init; } = 1;

    /// <summary>Reward for entering a hole. Default 0.</summary>
    public double HoleReward { get; init; }

    /// <summary>Reward for stepping onto a cliff cell (the agent then restarts at a start cell). Default -100.</summary>
    public double CliffReward { get; init; } = -100;

    /// <summary>Probability that the intended move happens. Default 1 (deterministic); FrozenLake's slippery ice: 1/3.</summary>
    public double IntendedMoveProbability { get; init; } = 1;

    /// <summary>Probability of each of the two perpendicular moves instead. Default 0; FrozenLake's slippery ice: 1/3.</summary>
    public double PerpendicularMoveProbability { get; init; }

    /// <summary>Episode length at which Step reports Truncated. Default null: no time limit.</summary>
    public int? MaxEpisodeSteps { get; init; }
}

/// <summary>
/// A configurable grid world (see <see cref="GridWorldOptions"/>): state = row × columns + column, as in
/// Gymnasium. Its <see cref="TabularEnvironment.Mdp"/> holds p(s0) (uniform over start cells), p(s'|s,a)
/// and the rewards exactly. Walls and cliff cells are never occupied; they are absorbing (terminal) with value 0.
/// </summary>
public class GridWorld : TabularEnvironment
{
    readonly string[] _map;

    /// <summary>A grid world with the given rules.</summary>
    public GridWorld(GridWorldOptions options) : base(BuildMdp(options), options.MaxEpisodeSteps)
    {
        Options = options;
        _map = options.Map.ToArray();
        Rows = _map.Length;
        Columns = _map[0].Length;
    }

    /// <summary>The rules this world was built with.</summary>
    public GridWorldOptions Options { get; }

    /// <summary>The map, one string per row.</summary>
    public IReadOnlyList<string> Map => _map;

    /// <summary>Number of rows.</summary>
    public int Rows { get; }

    /// <summary>Number of columns.</summary>
    public int Columns { get; }

    /// <summary>The state number of a cell: row × columns + column.</summary>
    public int StateAt(int row, int column)
    {
        if ((uint)row >= (uint)Rows) throw new ArgumentOutOfRangeException(nameof(row), row, $"row must be in 0..{Rows - 1}.");
        if ((uint)column >= (uint)Columns) throw new ArgumentOutOfRangeException(nameof(column), column, $"column must be in 0..{Columns - 1}.");
        return row * Columns + column;
    }

    /// <summary>The cell of a state.</summary>
    public (int Row, int Column) PositionOf(int state)
    {
        if ((uint)state >= (uint)(Rows * Columns))
            throw new ArgumentOutOfRangeException(nameof(state), state, $"state must be in 0..{Rows * Columns - 1}.");
        return (state / Columns, state % Columns);
    }

    /// <summary>One number per state laid out as the grid, [row, column] (e.g. V(s) or p(s0) for a heat map).</summary>
    public double[,] AsGrid(IReadOnlyList<double> valuePerState)
    {
        ArgumentNullException.ThrowIfNull(valuePerState);
        if (valuePerState.Count != Rows * Columns)
            throw new ArgumentException($"valuePerState has {valuePerState.Count} entries; the grid has {Rows * Columns} states.", nameof(valuePerState));
        var grid = new double[Rows, Columns];
        for (int s = 0; s < valuePerState.Count; s++) grid[s / Columns, s % Columns] = valuePerState[s];
        return grid;
    }

    /// <summary>The map character of a state's cell ('S', 'F', 'G', 'H', 'C', '#', '.').</summary>
    public char CellOf(int state)
    {
        var (r, c) = PositionOf(state);
        return _map[r][c];
    }

    /// <summary>The states of the goal cells.</summary>
    public IReadOnlyList<int> GoalStates => Enumerable.Range(0, Rows * Columns).Where(s => CellOf(s) == 'G').ToArray();

    /// <summary>
    /// The exact probability that <paramref name="policy"/> (π[s, a]) reaches a goal cell from s0 ~ p(s0),
    /// within <paramref name="horizon"/> steps when given (e.g. the time limit), otherwise eventually.
    /// </summary>
    public double SuccessProbability(double[,] policy, int? horizon = null) =>
        StartAverage(PolicyEvaluation.ReachProbabilities(Mdp, policy, GoalStates, horizon));

    /// <summary>The exact probability that the deterministic policy (one action per state) reaches a goal cell; see the other overload.</summary>
    public double SuccessProbability(int[] policy, int? horizon = null) =>
        SuccessProbability(TabularPolicy.Deterministic(policy, Mdp.ActionCount), horizon);

    double StartAverage(double[] valuePerState)
    {
        double sum = 0;
        for (int s = 0; s < valuePerState.Length; s++) sum += Mdp.InitialDistribution[s] * valuePerState[s];
        return sum;
    }

    /// <summary>The map as text with the agent's cell shown as 'A' (or the current state when <paramref name="agentState"/> is null).</summary>
    public string RenderText(int? agentState = null)
    {
        int agent = agentState ?? State;
        var rows = _map.Select(r => r.ToCharArray()).ToArray();
        var (ar, ac) = PositionOf(agent);
        rows[ar][ac] = 'A';
        return string.Join("\n", rows.Select(r => new string(r)));
    }

    /// <summary>The grid drawn as SVG with the agent in its current cell.</summary>
    public override string ToHtml() => GridWorldSvg.Render(this, agentState: State);

    /// <summary>The grid with state values V(s) (colour and number) and a deterministic policy's arrows; either may be null.</summary>
    public Html Draw(double[]? values = null, int[]? actions = null, string? title = null) =>
        new(actions is null ? GridWorldSvg.Render(this, values, (double[,]?)null, title: title) : GridWorldSvg.Render(this, values, actions, title: title));

    /// <summary>The grid with state values and a stochastic policy's arrows (longer the more probable the action).</summary>
    public Html Draw(double[]? values, double[,] policy, string? title = null) => new(GridWorldSvg.Render(this, values, policy, title: title));

    static (int DRow, int DColumn) Delta(GridMove move) => move switch
    {
        GridMove.Left => (0, -1),
        GridMove.Down => (1, 0),
        GridMove.Right => (0, 1),
        GridMove.Up => (-1, 0),
        _ => throw new ArgumentOutOfRangeException(nameof(move), move, "move must be Left, Down, Right or Up."),
    };

    static GridMove[] Perpendicular(GridMove move) => move is GridMove.Left or GridMove.Right
        ? [GridMove.Up, GridMove.Down]
        : [GridMove.Left, GridMove.Right];

    const string Cells = "SF.GHC#";

    static TabularMdp BuildMdp(GridWorldOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var map = options.Map ?? throw new ArgumentException("options.Map is required.", nameof(options));
        if (map.Count == 0 || map[0].Length == 0) throw new ArgumentException("options.Map must have at least one row and one column.", nameof(options));
        int rows = map.Count, columns = map[0].Length;
        for (int r = 0; r < rows; r++)
        {
            if (map[r].Length != columns)
                throw new ArgumentException($"options.Map row {r} (\"{map[r]}\") has {map[r].Length} cells; every row must have {columns}.", nameof(options));
            foreach (char ch in map[r])
                if (!Cells.Contains(ch))
                    throw new ArgumentException($"options.Map row {r} has the cell '{ch}'; cells are S (start), F or . (free), G (goal), H (hole), C (cliff), # (wall).", nameof(options));
        }
        if (options.Actions is not { Count: > 0 }) throw new ArgumentException("options.Actions must list at least one move.", nameof(options));
        double intended = options.IntendedMoveProbability, sideways = options.PerpendicularMoveProbability;
        if (!(intended >= 0 && intended <= 1)) throw new ArgumentOutOfRangeException(nameof(options), intended, "IntendedMoveProbability must be in [0, 1].");
        if (!(sideways >= 0 && sideways <= 0.5)) throw new ArgumentOutOfRangeException(nameof(options), sideways, "PerpendicularMoveProbability must be in [0, 0.5].");
        if (Math.Abs(intended + 2 * sideways - 1) > TabularMdp.ProbabilityTolerance)
            throw new ArgumentException($"IntendedMoveProbability + 2 × PerpendicularMoveProbability must be 1; it is {intended + 2 * sideways}.", nameof(options));
        foreach (var reward in new[] { options.StepReward, options.GoalReward, options.HoleReward, options.CliffReward })
            if (!double.IsFinite(reward)) throw new ArgumentException("Rewards must be finite numbers.", nameof(options));

        int stateCount = rows * columns, actionCount = options.Actions.Count;
        char Cell(int s) => map[s / columns][s % columns];
        var starts = Enumerable.Range(0, stateCount).Where(s => Cell(s) == 'S').ToArray();
        if (starts.Length == 0) throw new ArgumentException("options.Map needs at least one start cell 'S'.", nameof(options));
        var initial = new double[stateCount];
        foreach (int s in starts) initial[s] = 1.0 / starts.Length;
        var terminal = Enumerable.Range(0, stateCount).Select(s => Cell(s) is 'G' or 'H' or 'C' or '#').ToArray();

        // The outcome of trying to move from s in a direction: bump (stay), enter a cell, or fall off the cliff.
        IEnumerable<Transition> Move(int s, GridMove move, double probability)
        {
            if (probability == 0) yield break;
            var (dr, dc) = Delta(move);
            int r = s / columns + dr, c = s % columns + dc;
            if (r < 0 || r >= rows || c < 0 || c >= columns || map[r][c] == '#')
            {
                yield return new Transition(s, probability, options.StepReward);
                yield break;
            }
            int next = r * columns + c;
            switch (map[r][c])
            {
                case 'C':
                    foreach (int start in starts) yield return new Transition(start, probability / starts.Length, options.CliffReward);
                    break;
                case 'G': yield return new Transition(next, probability, options.GoalReward); break;
                case 'H': yield return new Transition(next, probability, options.HoleReward); break;
                default: yield return new Transition(next, probability, options.StepReward); break;
            }
        }

        var transitions = new IReadOnlyList<Transition>[stateCount, actionCount];
        for (int s = 0; s < stateCount; s++)
        for (int a = 0; a < actionCount; a++)
        {
            if (terminal[s]) { transitions[s, a] = [new Transition(s, 1, 0)]; continue; }
            var move = options.Actions[a];
            var side = Perpendicular(move);
            transitions[s, a] = Move(s, move, intended).Concat(Move(s, side[0], sideways)).Concat(Move(s, side[1], sideways)).ToArray();
        }
        return new TabularMdp(initial, transitions, terminal, options.Actions.Select(m => m.ToString()).ToArray());
    }
}
