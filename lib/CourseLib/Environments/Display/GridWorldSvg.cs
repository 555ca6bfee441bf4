using System.Text;

namespace CourseLib.Environments;

/// <summary>An episode's path through a grid world, for <see cref="GridWorldSvg.Render(GridWorld, double[], double[,], int?, string, IReadOnlyList{GridPath})"/>.</summary>
/// <param name="States">The visited states, in order.</param>
/// <param name="Name">What the path is (for a legend).</param>
/// <param name="Color">Its stroke colour (CSS).</param>
public sealed record GridPath(IReadOnlyList<int> States, string Name, string Color);

/// <summary>Draws a <see cref="GridWorld"/> as SVG: the cells, optionally each state's value (colour and number), a policy's arrows, episodes' paths and the agent.</summary>
public static class GridWorldSvg
{
    /// <summary>
    /// The SVG of <paramref name="world"/>. <paramref name="values"/>: V(s) per state (colours non-terminal cells, green
    /// for positive, red for negative, and writes the number). <paramref name="policy"/>: π[s, a]; an arrow per action
    /// with positive probability, longer the more probable. <paramref name="agentState"/>: where to draw the agent (null: nowhere).
    /// <paramref name="paths"/>: episodes drawn as lines through the cells' centres (side by side when there are several).
    /// </summary>
    public static string Render(GridWorld world, double[]? values = null, double[,]? policy = null, int? agentState = null, string? title = null,
        IReadOnlyList<GridPath>? paths = null)
    {
        ArgumentNullException.ThrowIfNull(world);
        int states = world.Rows * world.Columns, actions = world.Mdp.ActionCount;
        if (values is not null && values.Length != states)
            throw new ArgumentException($"values has {values.Length} entries; the grid has {states} states.", nameof(values));
        if (policy is not null && (policy.GetLength(0) != states || policy.GetLength(1) != actions))
            throw new ArgumentException($"policy must be [{states}, {actions}]; it is [{policy.GetLength(0)}, {policy.GetLength(1)}].", nameof(policy));
        double cell = Math.Clamp(480.0 / Math.Max(world.Columns, world.Rows), 26, 72);
        double top = title is null ? 4 : 26;
        double width = Math.Max(world.Columns * cell + 8, (title?.Length ?? 0) * 7.8 + 10), height = world.Rows * cell + top + 4;
        var svg = Svg.Open(width, height);
        if (title is not null) Svg.Text(svg, width / 2, 18, title, 14, weight: "bold");
        double scale = values is null ? 1 : Math.Max(1e-12, values.Where((_, s) => !world.Mdp.IsTerminal(s)).Select(Math.Abs).DefaultIfEmpty(0).Max());

        for (int s = 0; s < states; s++)
        {
            var (r, c) = world.PositionOf(s);
            double x = 4 + c * cell, y = top + r * cell;
            char kind = world.CellOf(s);
            string fill = kind switch
            {
                'H' => "#1d3557",
                'G' => "#f4c542",
                'C' => "#8d2b2b",
                '#' => "#6c757d",
                'S' => "#cfe8f7",
                _ => "#eef6fb",
            };
            if (values is not null && kind is 'S' or 'F' or '.') fill = ValueColour(values[s] / scale);
            svg.Append($"<rect x=\"{Svg.N(x)}\" y=\"{Svg.N(y)}\" width=\"{Svg.N(cell)}\" height=\"{Svg.N(cell)}\" fill=\"{fill}\" stroke=\"#9aa5b1\" stroke-width=\"1\"/>");
            if (kind is 'S' or 'G' or 'H' or 'C')
                Svg.Text(svg, x + 4, y + 12, kind.ToString(), 10, kind is 'H' or 'C' ? "#ffffff" : "#333", "start", "bold");
            if (values is not null && !world.Mdp.IsTerminal(s))
                Svg.Text(svg, x + cell / 2, y + cell - 5, FormatValue(values[s]), Math.Max(8, cell / 6), "#222");
            if (policy is not null && !world.Mdp.IsTerminal(s))
                for (int a = 0; a < actions; a++)
                    if (policy[s, a] > 1e-9) Arrow(svg, x + cell / 2, y + cell / 2 - (values is null ? 0 : cell * 0.08), world.Options.Actions[a], (0.1 + 0.26 * policy[s, a]) * cell);
        }
        for (int p = 0; p < (paths?.Count ?? 0); p++)
        {
            var path = paths![p];
            foreach (int state in path.States)
                if ((uint)state >= (uint)states)
                    throw new ArgumentOutOfRangeException(nameof(paths), state, $"path '{path.Name}' visits state {state}; the grid's states are 0 to {states - 1}.");
            double shift = paths.Count == 1 ? 0 : (p - (paths.Count - 1) / 2.0) * Math.Max(3, cell / 10);
            var points = string.Join(" ", path.States.Select(state =>
            {
                var (r, c) = world.PositionOf(state);
                return $"{Svg.N(4 + (c + 0.5) * cell + shift)},{Svg.N(top + (r + 0.5) * cell + shift)}";
            }));
            svg.Append($"<polyline points=\"{points}\" fill=\"none\" stroke=\"{path.Color}\" stroke-width=\"4\" stroke-opacity=\"0.85\" stroke-linejoin=\"round\"/>");
        }
        if (agentState is int agent)
        {
            var (r, c) = world.PositionOf(agent);
            svg.Append($"<circle cx=\"{Svg.N(4 + (c + 0.5) * cell)}\" cy=\"{Svg.N(top + (r + 0.5) * cell)}\" r=\"{Svg.N(cell * 0.22)}\" fill=\"#e63946\" stroke=\"#ffffff\" stroke-width=\"2\"/>");
        }
        return Svg.Close(svg);
    }

    /// <summary>The SVG with a deterministic policy's arrows (one action per state).</summary>
    public static string Render(GridWorld world, double[]? values, int[] actions, int? agentState = null, string? title = null,
        IReadOnlyList<GridPath>? paths = null) =>
        Render(world, values, Mdp.TabularPolicy.Deterministic(actions, world.Mdp.ActionCount), agentState, title, paths);

    static void Arrow(StringBuilder svg, double cx, double cy, GridMove move, double length)
    {
        if (length < 1) return;
        var (dx, dy) = move switch
        {
            GridMove.Left => (-1.0, 0.0),
            GridMove.Right => (1.0, 0.0),
            GridMove.Up => (0.0, -1.0),
            _ => (0.0, 1.0),
        };
        double ex = cx + dx * length, ey = cy + dy * length, head = Math.Min(7, length * 0.5);
        double bx = ex - dx * head, by = ey - dy * head;      // base of the arrow head
        double px = -dy * head * 0.6, py = dx * head * 0.6;   // perpendicular half-width
        svg.Append($"<line x1=\"{Svg.N(cx)}\" y1=\"{Svg.N(cy)}\" x2=\"{Svg.N(bx)}\" y2=\"{Svg.N(by)}\" stroke=\"#1b263b\" stroke-width=\"2\"/>");
        svg.Append($"<polygon points=\"{Svg.N(ex)},{Svg.N(ey)} {Svg.N(bx + px)},{Svg.N(by + py)} {Svg.N(bx - px)},{Svg.N(by - py)}\" fill=\"#1b263b\"/>");
    }

    /// <summary>White at 0, green towards +1, red towards −1.</summary>
    static string ValueColour(double t)
    {
        t = Math.Clamp(t, -1, 1);
        var (r, g, b) = t >= 0 ? (255 - (int)(150 * t), 255 - (int)(60 * t), 255 - (int)(150 * t)) : (255, 255 + (int)(150 * t), 255 + (int)(150 * t));
        return $"#{r:x2}{g:x2}{b:x2}";
    }

    static string FormatValue(double v) => Math.Abs(v) >= 100 ? v.ToString("0", System.Globalization.CultureInfo.InvariantCulture)
        : Math.Abs(v) >= 10 ? v.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture)
        : v.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture);
}
