using System.Text.Json.Nodes;
using CourseLib.Charts;
using CourseLib.Environments;
using CourseLib.Mdp;

namespace CourseLib.InverseRl;

/// <summary>The rules of a <see cref="LavaWorld"/>: its map and the hidden true reward the expert optimises.</summary>
public sealed record LavaWorldOptions
{
    /// <summary>
    /// The map, one string per row (top first): <c>S</c> start, <c>.</c> free, <c>L</c> lava (costly, not terminal),
    /// <c>G</c> goal (terminal), <c>#</c> wall. Default: <see cref="LavaWorld.DefaultMap"/>.
    /// </summary>
    public IReadOnlyList<string> Map { get; init; } = LavaWorld.DefaultMap;

    /// <summary>True reward weight of the "goal" feature (paid on entering the goal). Default 10.</summary>
    public double GoalWeight { get; init; } = 10;

    /// <summary>True reward weight of the "lava" feature (paid on entering a lava cell). Default −5.</summary>
    public double LavaWeight { get; init; } = -5;

    /// <summary>True reward weight of the "step" feature (1 in every cell, so paid on every move). Default −1.</summary>
    public double StepWeight { get; init; } = -1;

    /// <summary>Probability that the intended move happens; the rest is split between the two perpendicular moves. Default 1 (deterministic).</summary>
    public double IntendedMoveProbability { get; init; } = 1;

    /// <summary>Episode length at which the environment truncates. Default 40.</summary>
    public int MaxEpisodeSteps { get; init; } = 40;
}

/// <summary>
/// The grid world of the inverse-RL section: walk from a start cell to the goal, avoiding lava. The reward is linear
/// in three state features, r(s') = θᵀφ(s') paid on entering s', with φ = (goal, lava, step) and the hidden true
/// θ = (<see cref="LavaWorldOptions.GoalWeight"/>, <see cref="LavaWorldOptions.LavaWeight"/>, <see cref="LavaWorldOptions.StepWeight"/>).
/// Lava is not terminal: the expert can cross it, it just costs. The dynamics are those of a <see cref="GridWorld"/>
/// (lava cells are free cells to it), so every dynamic-programming tool of <see cref="CourseLib.Mdp"/> applies.
/// </summary>
public sealed class LavaWorld
{
    /// <summary>The default 6x8 map: three start cells on the left, the goal on the right, two lava walls with gaps.</summary>
    public static IReadOnlyList<string> DefaultMap { get; } =
    [
        "........",
        ".LLL....",
        "S..L..L.",
        "S..L..LG",
        "S.....L.",
        "...LL...",
    ];

    readonly string[] _map;

    /// <summary>A lava world with the given rules (default: <see cref="DefaultMap"/>, deterministic moves).</summary>
    public LavaWorld(LavaWorldOptions? options = null)
    {
        Options = options ??= new LavaWorldOptions();
        var map = options.Map ?? throw new ArgumentException("options.Map is required.", nameof(options));
        foreach (var row in map)
            foreach (char c in row)
                if (c is not ('S' or '.' or 'L' or 'G' or '#'))
                    throw new ArgumentException($"A lava-world map has only the cells S, ., L, G and #; found '{c}' in \"{row}\".", nameof(options));
        if (options.MaxEpisodeSteps <= 0)
            throw new ArgumentOutOfRangeException(nameof(options), options.MaxEpisodeSteps, "MaxEpisodeSteps must be at least 1.");
        foreach (var w in new[] { options.GoalWeight, options.LavaWeight, options.StepWeight })
            if (!double.IsFinite(w)) throw new ArgumentException("The true reward weights must be finite numbers.", nameof(options));
        _map = map.ToArray();
        double sideways = (1 - options.IntendedMoveProbability) / 2;
        Grid = new GridWorld(new GridWorldOptions
        {
            Map = _map.Select(r => r.Replace('L', '.')).ToArray(),
            IntendedMoveProbability = options.IntendedMoveProbability,
            PerpendicularMoveProbability = sideways,
            MaxEpisodeSteps = options.MaxEpisodeSteps,
        });
        int n = Grid.Rows * Grid.Columns;
        LavaStates = Enumerable.Range(0, n).Where(s => CellOf(s) == 'L').ToArray();
        var phi = new double[n, 3];
        for (int s = 0; s < n; s++)
        {
            phi[s, 0] = CellOf(s) == 'G' ? 1 : 0;
            phi[s, 1] = CellOf(s) == 'L' ? 1 : 0;
            phi[s, 2] = 1;
        }
        Features = new StateFeatures(phi, ["goal", "lava", "step"]);
        TrueTheta = [options.GoalWeight, options.LavaWeight, options.StepWeight];
        TrueStateReward = Features.Reward(TrueTheta);
        TrueMdp = Relabel.WithRewardOnEntering(Grid.Mdp, TrueStateReward);
    }

    /// <summary>The rules.</summary>
    public LavaWorldOptions Options { get; }

    /// <summary>The grid world that gives the layout and the dynamics (lava cells are ordinary cells to it; its own rewards are not used).</summary>
    public GridWorld Grid { get; }

    /// <summary>p(s0) and p(s'|s,a): what an inverse-RL learner knows (ignore its rewards).</summary>
    public TabularMdp Dynamics => Grid.Mdp;

    /// <summary>The MDP with the hidden true reward r(s') = θ_trueᵀφ(s'): what the expert optimises, and what we score learners with.</summary>
    public TabularMdp TrueMdp { get; }

    /// <summary>φ(s) = (goal, lava, step).</summary>
    public StateFeatures Features { get; }

    /// <summary>The hidden θ_true = (goal, lava, step) weights.</summary>
    public double[] TrueTheta { get; }

    /// <summary>r_true(s) = θ_trueᵀφ(s), paid on entering s.</summary>
    public double[] TrueStateReward { get; }

    /// <summary>The states of the lava cells.</summary>
    public IReadOnlyList<int> LavaStates { get; }

    /// <summary>Number of states (cells).</summary>
    public int StateCount => Grid.Rows * Grid.Columns;

    /// <summary>The map character of a state's cell (S, ., L, G, #).</summary>
    public char CellOf(int state)
    {
        var (r, c) = Grid.PositionOf(state);
        return _map[r][c];
    }

    /// <summary>A fresh environment that samples the true MDP (truncated after <see cref="LavaWorldOptions.MaxEpisodeSteps"/>).</summary>
    public TabularEnvironment CreateEnvironment() => new(TrueMdp, Options.MaxEpisodeSteps);

    /// <summary>
    /// The Boltzmann-rational expert: π_E(a|s) ∝ exp(Q*(s,a)/τ), with Q* the optimal action values of the true reward
    /// under discount γ (<see cref="ValueIteration"/>). Small τ: nearly optimal; large τ: nearly random.
    /// </summary>
    /// <param name="discount">The expert's discount factor γ. Default 0.95.</param>
    /// <param name="temperature">τ &gt; 0. Default 0.5.</param>
    public double[,] Expert(double discount = 0.95, double temperature = 0.5) =>
        TabularPolicy.Softmax(ValueIteration.Run(TrueMdp, discount).ActionValues, temperature);

    /// <summary>V^π(s) under the true reward for every state (exact policy evaluation, γ = <paramref name="discount"/>).</summary>
    public double[] TrueValues(double[,] policy, double discount = 0.95) => PolicyEvaluation.Solve(TrueMdp, policy, discount);

    /// <summary>The expected discounted return Σ_s p(s0) V^π(s) of π under the true reward: how we score a learner.</summary>
    public double TrueReturn(double[,] policy, double discount = 0.95)
    {
        var v = TrueValues(policy, discount);
        double sum = 0;
        for (int s = 0; s < v.Length; s++) sum += TrueMdp.InitialDistribution[s] * v[s];
        return sum;
    }

    /// <summary>The optimal (greedy, deterministic) policy for a reward r(s') paid on entering s', e.g. a recovered one: value iteration on the same dynamics.</summary>
    public double[,] PolicyOptimalFor(IReadOnlyList<double> stateReward, double discount = 0.95) =>
        TabularPolicy.Deterministic(ValueIteration.Run(Relabel.WithRewardOnEntering(Dynamics, stateReward), discount).GreedyPolicy, Dynamics.ActionCount);

    /// <summary>
    /// Heat maps of numbers per state side by side, one panel per (title, values), each cell labelled with its map letter
    /// (S, L, G); values that are NaN are left blank. Each panel has its own colour scale.
    /// </summary>
    public Figure Heatmaps(params (string Title, IReadOnlyList<double> PerState)[] panels) => Heatmaps(panels, sharedScale: false);

    /// <summary>Heat maps side by side (see the other overload); with <paramref name="sharedScale"/> all panels use one colour scale, so colours compare across panels.</summary>
    public Figure Heatmaps(IReadOnlyList<(string Title, IReadOnlyList<double> PerState)> panels, bool sharedScale)
    {
        ArgumentNullException.ThrowIfNull(panels);
        if (panels.Count == 0) throw new ArgumentException("Heatmaps needs at least one panel.", nameof(panels));
        var finite = panels.SelectMany(p => p.PerState ?? throw new ArgumentException($"panel \"{p.Title}\" has no values.", nameof(panels))).Where(double.IsFinite).ToArray();
        const double gap = 0.08;
        double width = (1 - gap * (panels.Count - 1)) / panels.Count;
        var labels = new JsonArray();
        for (int r = 0; r < Grid.Rows; r++)
            labels.Add(new JsonArray(Enumerable.Range(0, Grid.Columns).Select(c => (JsonNode?)(_map[r][c] is '.' ? "" : _map[r][c].ToString())).ToArray()));
        var figure = new Figure();
        var annotations = new JsonArray();
        for (int i = 0; i < panels.Count; i++)
        {
            string suffix = i == 0 ? "" : (i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
            double start = i * (width + gap), end = start + width;
            var trace = Chart.Heatmap(ToGrid(panels[i].PerState)).Traces[0];
            trace["xaxis"] = "x" + suffix;
            trace["yaxis"] = "y" + suffix;
            trace["name"] = panels[i].Title;
            trace["text"] = labels.DeepClone();
            trace["texttemplate"] = "%{text}";
            trace["textfont"] = new JsonObject { ["size"] = 12 };   // colour "auto": contrasting with each cell
            trace["colorbar"] = new JsonObject { ["x"] = end + 0.005, ["xanchor"] = "left", ["thickness"] = 10, ["len"] = 0.85 };
            if (sharedScale && finite.Length > 0)
            {
                trace["zmin"] = finite.Min();
                trace["zmax"] = finite.Max();
                trace["showscale"] = i == panels.Count - 1;
            }
            figure.Traces.Add(trace);
            figure.Layout["xaxis" + suffix] = new JsonObject { ["domain"] = new JsonArray(start, end - 0.02), ["anchor"] = "y" + suffix, ["showticklabels"] = false, ["showgrid"] = false, ["constrain"] = "domain" };
            figure.Layout["yaxis" + suffix] = new JsonObject { ["anchor"] = "x" + suffix, ["autorange"] = "reversed", ["showticklabels"] = false, ["showgrid"] = false, ["scaleanchor"] = "x" + suffix, ["constrain"] = "domain" };
            annotations.Add(new JsonObject
            {
                ["text"] = panels[i].Title, ["x"] = (start + end - 0.02) / 2, ["y"] = 1.0, ["xref"] = "paper", ["yref"] = "paper",
                ["xanchor"] = "center", ["yanchor"] = "bottom", ["showarrow"] = false,
            });
        }
        figure.Layout["annotations"] = annotations;
        figure.Layout["margin"] = new JsonObject { ["l"] = 20, ["r"] = 40, ["t"] = 60, ["b"] = 20 };
        figure.WithSize(40 + 340 * panels.Count, 300);   // square cells: about 330 px per 8-column panel
        return figure;
    }

    /// <summary>A number per state laid out as the grid, [row, column], for heat maps (terminal cells can be masked with NaN by the caller).</summary>
    public double[,] ToGrid(IReadOnlyList<double> perState)
    {
        ArgumentNullException.ThrowIfNull(perState);
        if (perState.Count != StateCount)
            throw new ArgumentException($"perState has {perState.Count} entries; the grid has {StateCount} cells.", nameof(perState));
        var grid = new double[Grid.Rows, Grid.Columns];
        for (int s = 0; s < StateCount; s++) grid[s / Grid.Columns, s % Grid.Columns] = perState[s];
        return grid;
    }

    /// <summary>The map as text.</summary>
    public override string ToString() => string.Join("\n", _map);
}
