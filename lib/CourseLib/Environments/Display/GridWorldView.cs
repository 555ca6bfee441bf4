using System.Net;
using System.Text;
using CourseLib.Charts;
using CourseLib.Display;

namespace CourseLib.Environments;

/// <summary>
/// A grid world drawn as SVG (by <see cref="GridWorldSvg"/>): the map's cells (start, goal, holes, cliff, walls), optionally
/// coloured by a value per state, with the greedy action of a policy as an arrow in each cell and episodes' paths drawn
/// through the cells, with a legend.
/// Build it fluently: <c>new GridWorldView(cliff).WithPolicy(policy).WithPath(states, "Q-learning")</c>.
/// </summary>
public sealed class GridWorldView : HtmlDisplayable
{
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

    /// <summary>Colours each cell by its value (e.g. max_a Q(s, a)): green for positive, red for negative, and writes the number.</summary>
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
        var paths = _paths.Select(p => new GridPath(p.States, p.Name, p.Color)).ToArray();
        string svg = _policy is null
            ? GridWorldSvg.Render(_world, _values, (double[,]?)null, title: _title, paths: paths)
            : GridWorldSvg.Render(_world, _values, _policy, title: _title, paths: paths);
        if (_paths.Count == 0) return svg;
        var html = new StringBuilder("<div style=\"display:inline-block;margin:4px\">").Append(svg)
            .Append("<div style=\"font-family:sans-serif;font-size:12px\">");
        foreach (var (states, name, color) in _paths)
            html.Append($"<span style=\"color:{color};font-weight:bold\">━</span> {WebUtility.HtmlEncode(name)} ({states.Count - 1} steps) &nbsp; ");
        return html.Append("</div></div>").ToString();
    }

    /// <inheritdoc />
    public override string ToString() => _world.RenderText();
}
