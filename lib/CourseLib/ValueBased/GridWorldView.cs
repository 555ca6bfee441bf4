using System.Globalization;
using System.Text;
using CourseLib.Charts;
using CourseLib.Display;
using CourseLib.Environments;

namespace CourseLib.ValueBased;

/// <summary>
/// A grid world drawn as SVG: the map's cells (start, goal, holes, cliff, walls), optionally shaded by a value per
/// state, with the greedy action of a policy as an arrow in each cell and episodes' paths drawn through the cells.
/// Build it fluently: <c>new GridWorldView(cliff).WithPolicy(policy).WithPath(states, "Q-learning")</c>.
/// </summary>
public sealed class GridWorldView : HtmlDisplayable
{
    const int Cell = 40;
    readonly GridWorld _world;
    readonly List<(IReadOnlyList<int> States, string Name, string Color)> _paths = new();
    double[]? _values;
    int[]? _policy;
    string? _title;

    /// <summary>A picture of <paramref name="world"/>.</summary>
    public GridWorldView(GridWorld world)
    {
        ArgumentNullException.ThrowIfNull(world);
        _world = world;
    }

    /// <summary>Shades each cell by its value (e.g. max_a Q(s, a)): light for low, dark green for high.</summary>
    public GridWorldView WithValues(IReadOnlyList<double> stateValues)
    {
        ArgumentNullException.ThrowIfNull(stateValues);
        if (stateValues.Count != _world.Rows * _world.Columns)
            throw new ArgumentException($"stateValues must have {_world.Rows * _world.Columns} entries (one per cell), not {stateValues.Count}.", nameof(stateValues));
        _values = stateValues.ToArray();
        return this;
    }

    /// <summary>Draws the action of <paramref name="policy"/> (one action per state) as an arrow in every non-terminal cell.</summary>
    public GridWorldView WithPolicy(int[] policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        if (policy.Length != _world.Rows * _world.Columns)
            throw new ArgumentException($"policy must have {_world.Rows * _world.Columns} entries (one per cell), not {policy.Length}.", nameof(policy));
        _policy = (int[])policy.Clone();
        return this;
    }

    /// <summary>Draws an episode's path (its visited states, in order) as a line through the cells.</summary>
    public GridWorldView WithPath(IReadOnlyList<int> states, string name, string? color = null)
    {
        ArgumentNullException.ThrowIfNull(states);
        _paths.Add((states.ToArray(), name, color ?? Chart.Palette[_paths.Count % Chart.Palette.Length]));
        return this;
    }

    /// <summary>A caption above the picture.</summary>
    public GridWorldView WithTitle(string title) { _title = title; return this; }

    /// <inheritdoc />
    public override string ToHtml()
    {
        int width = _world.Columns * Cell, height = _world.Rows * Cell;
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width + 2}\" height=\"{height + 2}\" viewBox=\"-1 -1 {width + 2} {height + 2}\" style=\"font-family:sans-serif\">");
        svg.Append("<defs><marker id=\"gwv-arrow\" viewBox=\"0 0 10 10\" refX=\"5\" refY=\"5\" markerWidth=\"5\" markerHeight=\"5\" orient=\"auto-start-reverse\"><path d=\"M 0 0 L 10 5 L 0 10 z\" fill=\"#333\"/></marker></defs>");
        double min = 0, max = 1;
        if (_values != null)
        {
            var finite = _values.Where(double.IsFinite).ToArray();
            if (finite.Length > 0) { min = finite.Min(); max = finite.Max(); }
        }
        for (int s = 0; s < _world.Rows * _world.Columns; s++)
        {
            var (row, column) = _world.PositionOf(s);
            char cell = _world.CellOf(s);
            string fill = cell switch
            {
                'S' => "#c7e9c0", 'G' => "#fdd835", 'H' => "#1a237e", 'C' => "#8d6e63", '#' => "#616161",
                _ => _values != null ? Shade(_values[s], min, max) : "#ffffff",
            };
            svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{column * Cell}\" y=\"{row * Cell}\" width=\"{Cell}\" height=\"{Cell}\" fill=\"{fill}\" stroke=\"#999\" stroke-width=\"1\"><title>state {s} ({row}, {column}){(_values != null ? $": {_values[s]:0.###}" : "")}</title></rect>");
            if (cell is 'S' or 'G')
                svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{column * Cell + 3}\" y=\"{row * Cell + 12}\" font-size=\"10\" fill=\"#333\">{cell}</text>");
            if (_policy != null && !_world.Mdp.IsTerminal(s)) AppendArrow(svg, row, column, _policy[s]);
        }
        for (int p = 0; p < _paths.Count; p++)
        {
            var (states, _, color) = _paths[p];
            double shift = (_paths.Count == 1 ? 0 : (p - (_paths.Count - 1) / 2.0) * 5);
            var points = string.Join(" ", states.Select(s =>
            {
                var (r, c) = _world.PositionOf(s);
                return string.Create(CultureInfo.InvariantCulture, $"{c * Cell + Cell / 2.0 + shift:0.#},{r * Cell + Cell / 2.0 + shift:0.#}");
            }));
            svg.Append(CultureInfo.InvariantCulture, $"<polyline points=\"{points}\" fill=\"none\" stroke=\"{color}\" stroke-width=\"4\" stroke-opacity=\"0.9\" stroke-linejoin=\"round\"/>");
        }
        svg.Append("</svg>");

        var html = new StringBuilder("<div style=\"display:inline-block;margin:4px\">");
        if (_title != null) html.Append($"<div style=\"font-family:sans-serif;font-size:13px;margin-bottom:2px\"><b>{Escape(_title)}</b></div>");
        html.Append(svg);
        if (_paths.Count > 0)
        {
            html.Append("<div style=\"font-family:sans-serif;font-size:12px\">");
            foreach (var (states, name, color) in _paths)
                html.Append($"<span style=\"color:{color};font-weight:bold\">━</span> {Escape(name)} ({states.Count - 1} steps) &nbsp; ");
            html.Append("</div>");
        }
        if (_values != null)
            html.Append(CultureInfo.InvariantCulture, $"<div style=\"font-family:sans-serif;font-size:11px;color:#555\">shading: {min:0.##} (light) … {max:0.##} (dark green)</div>");
        html.Append("</div>");
        return html.ToString();
    }

    void AppendArrow(StringBuilder svg, int row, int column, int action)
    {
        if ((uint)action >= (uint)_world.Options.Actions.Count) return;
        var (dx, dy) = _world.Options.Actions[action] switch
        {
            GridMove.Left => (-1, 0), GridMove.Right => (1, 0), GridMove.Up => (0, -1), _ => (0, 1),
        };
        double cx = column * Cell + Cell / 2.0, cy = row * Cell + Cell / 2.0, half = Cell * 0.28;
        svg.Append(CultureInfo.InvariantCulture,
            $"<line x1=\"{cx - dx * half:0.#}\" y1=\"{cy - dy * half:0.#}\" x2=\"{cx + dx * half:0.#}\" y2=\"{cy + dy * half:0.#}\" stroke=\"#555\" stroke-width=\"1.2\" marker-end=\"url(#gwv-arrow)\"/>");
    }

    static string Shade(double value, double min, double max)
    {
        double t = max > min && double.IsFinite(value) ? (value - min) / (max - min) : 0.5;
        int r = (int)(247 - t * (247 - 35)), g = (int)(252 - t * (252 - 139)), b = (int)(245 - t * (245 - 69)); // light to dark green
        return $"#{r:x2}{g:x2}{b:x2}";
    }

    /// <inheritdoc />
    public override string ToString() => _world.RenderText();
}
