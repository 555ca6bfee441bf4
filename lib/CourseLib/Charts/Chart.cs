using System.Text.Json.Nodes;

namespace CourseLib.Charts;

/// <summary>The course's chart helpers. Each returns a <see cref="Figure"/> that renders inline in a notebook.</summary>
public static class Chart
{
    /// <summary>Colours used in order for series (plotly's default palette).</summary>
    public static readonly string[] Palette =
        ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"];

    /// <summary>A line of <paramref name="ys"/> against 0, 1, 2, ...</summary>
    public static Figure Line(IEnumerable<double> ys, string? name = null) =>
        Line(null, ys, name);

    /// <summary>A line of <paramref name="ys"/> against <paramref name="xs"/>.</summary>
    public static Figure Line(IEnumerable<double>? xs, IEnumerable<double> ys, string? name = null)
    {
        var y = Materialise(ys, nameof(ys));
        var x = xs == null ? Enumerable.Range(0, y.Length).Select(i => (double)i).ToArray() : Materialise(xs, nameof(xs));
        SameLength(x, y);
        var figure = new Figure();
        figure.Traces.Add(Trace("scatter", x, y, name, mode: "lines"));
        return figure;
    }

    /// <summary>Points at (<paramref name="xs"/>, <paramref name="ys"/>), with optional hover labels.</summary>
    public static Figure Scatter(IEnumerable<double> xs, IEnumerable<double> ys, string? name = null, IEnumerable<string>? labels = null)
    {
        double[] x = Materialise(xs, nameof(xs)), y = Materialise(ys, nameof(ys));
        SameLength(x, y);
        var trace = Trace("scatter", x, y, name, mode: "markers");
        if (labels != null) trace["text"] = new JsonArray(labels.Select(l => (JsonNode?)l).ToArray());
        var figure = new Figure();
        figure.Traces.Add(trace);
        return figure;
    }

    /// <summary>Bars of <paramref name="values"/>, one per label.</summary>
    public static Figure Bar(IEnumerable<string> labels, IEnumerable<double> values, string? name = null)
    {
        var l = labels.ToArray();
        var v = Materialise(values, nameof(values));
        if (l.Length != v.Length) throw new ArgumentException($"labels ({l.Length}) and values ({v.Length}) must have the same length.", nameof(values));
        var figure = new Figure();
        var trace = new JsonObject { ["type"] = "bar", ["x"] = new JsonArray(l.Select(s => (JsonNode?)s).ToArray()), ["y"] = Numbers(v) };
        if (name != null) trace["name"] = name;
        figure.Traces.Add(trace);
        return figure;
    }

    /// <summary>A histogram of <paramref name="values"/>.</summary>
    public static Figure Histogram(IEnumerable<double> values, string? name = null, int? bins = null)
    {
        var trace = new JsonObject { ["type"] = "histogram", ["x"] = Numbers(Materialise(values, nameof(values))), ["opacity"] = 0.7 };
        if (name != null) trace["name"] = name;
        if (bins.HasValue) trace["nbinsx"] = bins.Value;
        var figure = new Figure();
        figure.Traces.Add(trace);
        figure.Layout["barmode"] = "overlay";
        return figure;
    }

    /// <summary>
    /// A learning curve over seeds: the mean of <paramref name="runs"/> at each index as a line, inside a band from
    /// the lowest to the highest run. Runs may differ in length; each index uses the runs that reach it.
    /// </summary>
    public static Figure LearningCurve(IReadOnlyList<double[]> runs, string name = "mean over seeds", IEnumerable<double>? xs = null, string? color = null)
    {
        ArgumentNullException.ThrowIfNull(runs);
        if (runs.Count == 0) throw new ArgumentException("LearningCurve needs at least one run.", nameof(runs));
        int length = runs.Max(r => r.Length);
        var x = xs == null ? Enumerable.Range(0, length).Select(i => (double)i).ToArray() : xs.Take(length).ToArray();
        if (x.Length < length) throw new ArgumentException($"xs has {x.Length} values but the longest run has {length}.", nameof(xs));
        var mean = new double[length]; var low = new double[length]; var high = new double[length];
        for (int i = 0; i < length; i++)
        {
            var column = runs.Where(r => r.Length > i).Select(r => r[i]).ToArray();
            mean[i] = column.Average(); low[i] = column.Min(); high[i] = column.Max();
        }
        color ??= Palette[0];
        var figure = new Figure();
        var band = Trace("scatter", x.Concat(x.Reverse()).ToArray(), high.Concat(low.Reverse()).ToArray(), $"{name} (min–max of {runs.Count})", mode: "lines");
        band["fill"] = "toself";
        band["fillcolor"] = Transparent(color, 0.2);
        band["line"] = new JsonObject { ["width"] = 0 };
        band["hoverinfo"] = "skip";
        band["showlegend"] = runs.Count > 1;
        var line = Trace("scatter", x, mean, name, mode: "lines");
        line["line"] = new JsonObject { ["color"] = color, ["width"] = 2 };
        if (runs.Count > 1) figure.Traces.Add(band);
        figure.Traces.Add(line);
        return figure;
    }

    // plotly.js's named scales that run from dark (low) to light (high); Heatmap reverses them so high = dark.
    static readonly HashSet<string> DarkToLight = new(StringComparer.OrdinalIgnoreCase) { "Blues", "Greys", "Greens", "YlGnBu", "YlOrRd" };
    // Diverging scales: centred on 0 unless told otherwise.
    static readonly HashSet<string> Diverging = new(StringComparer.OrdinalIgnoreCase) { "RdBu", "Picnic", "Portland", "Bluered" };

    /// <summary>
    /// A heat map of z[row, column], with optional labels and a number written in each cell. Labelled axes are
    /// categorical (labels "3", "7", "8" are three equal cells, not positions on a number line). Sequential scales
    /// are drawn with high values dark; diverging ones ("RdBu", ...) are centred on <paramref name="zMid"/> (0
    /// unless given).
    /// </summary>
    public static Figure Heatmap(double[,] z, IEnumerable<string>? columnLabels = null, IEnumerable<string>? rowLabels = null,
        string colorscale = "Viridis", bool annotate = false, bool reverseRows = true, double? zMid = null)
    {
        ArgumentNullException.ThrowIfNull(z);
        int rows = z.GetLength(0), columns = z.GetLength(1);
        var data = new JsonArray();
        for (int r = 0; r < rows; r++)
        {
            var row = new double[columns];
            for (int c = 0; c < columns; c++) row[c] = z[r, c];
            data.Add(Numbers(row));
        }
        var trace = new JsonObject { ["type"] = "heatmap", ["z"] = data, ["colorscale"] = colorscale };
        if (DarkToLight.Contains(colorscale)) trace["reversescale"] = true;
        if (zMid.HasValue || Diverging.Contains(colorscale)) trace["zmid"] = zMid ?? 0;
        var figure = new Figure();
        var xAxis = new JsonObject();
        var yAxis = new JsonObject();
        if (columnLabels != null) Categorical(trace, "x", xAxis, columnLabels, columns, nameof(columnLabels), "columns");
        if (rowLabels != null) Categorical(trace, "y", yAxis, rowLabels, rows, nameof(rowLabels), "rows");
        if (annotate)
        {
            trace["texttemplate"] = "%{z:.2f}";
            trace["textfont"] = new JsonObject { ["size"] = 10 };
        }
        figure.Traces.Add(trace);
        if (reverseRows) yAxis["autorange"] = "reversed";
        if (xAxis.Count > 0) figure.Layout["xaxis"] = xAxis;
        if (yAxis.Count > 0) figure.Layout["yaxis"] = yAxis;
        return figure;
    }

    /// <summary>A greyscale image of pixel intensities (row 0 at the top), e.g. a Pong frame or a digit.</summary>
    public static Figure Image(float[,] pixels, string? title = null)
    {
        var z = new double[pixels.GetLength(0), pixels.GetLength(1)];
        for (int r = 0; r < z.GetLength(0); r++) for (int c = 0; c < z.GetLength(1); c++) z[r, c] = pixels[r, c];
        var figure = Heatmap(z, colorscale: "Greys");
        figure.Traces[0]["reversescale"] = false; // intensity 1 is white, as on a screen
        figure.Traces[0]["showscale"] = false;
        figure.Layout["yaxis"] = new JsonObject { ["autorange"] = "reversed", ["scaleanchor"] = "x", ["showticklabels"] = false };
        figure.Layout["xaxis"] = new JsonObject { ["showticklabels"] = false };
        figure.WithSize(360, 380);
        figure.Layout["margin"] = new JsonObject { ["l"] = 20, ["r"] = 20, ["t"] = 60, ["b"] = 20 };
        if (title != null) figure.WithTitle(title);
        return figure;
    }

    /// <summary>
    /// An animation: the first frame is drawn, then the figure plays the others (each must have the same traces,
    /// as from the same Chart call); a play button replays it.
    /// </summary>
    public static Figure Animation(IReadOnlyList<Figure> frames, int frameDurationMs = 80)
    {
        if (frames == null || frames.Count == 0) throw new ArgumentException("Animation needs at least one frame.", nameof(frames));
        if (frameDurationMs <= 0) throw new ArgumentOutOfRangeException(nameof(frameDurationMs), frameDurationMs, "frameDurationMs must be positive.");
        var figure = Figure.Overlay(frames[0]);
        figure.FrameDuration = frameDurationMs;
        foreach (var frame in frames) figure.Frames.Add(frame.Traces.Select(t => (JsonObject)t.DeepClone()).ToList());
        figure.Layout["updatemenus"] = new JsonArray(new JsonObject
        {
            ["type"] = "buttons", ["showactive"] = false, ["x"] = 0, ["y"] = 1.12, ["xanchor"] = "left",
            ["buttons"] = new JsonArray(new JsonObject
            {
                ["label"] = "▶ play", ["method"] = "animate",
                ["args"] = new JsonArray(null, new JsonObject
                {
                    ["frame"] = new JsonObject { ["duration"] = frameDurationMs, ["redraw"] = true },
                    ["fromcurrent"] = false, ["transition"] = new JsonObject { ["duration"] = 0 },
                }),
            }),
        });
        return figure;
    }

    internal static JsonObject Trace(string type, double[] x, double[] y, string? name, string mode)
    {
        var trace = new JsonObject { ["type"] = type, ["mode"] = mode, ["x"] = Numbers(x), ["y"] = Numbers(y) };
        if (name != null) trace["name"] = name;
        return trace;
    }

    internal static JsonArray Numbers(double[] values)
    {
        var array = new JsonArray();
        foreach (var v in values) array.Add(double.IsFinite(v) ? JsonValue.Create(v) : null);
        return array;
    }

    static double[] Materialise(IEnumerable<double> values, string argument)
    {
        ArgumentNullException.ThrowIfNull(values, argument);
        return values as double[] ?? values.ToArray();
    }

    static void SameLength(double[] x, double[] y)
    {
        if (x.Length != y.Length) throw new ArgumentException($"xs ({x.Length}) and ys ({y.Length}) must have the same length.", "xs");
    }

    static string Transparent(string hex, double alpha)
    {
        int r = Convert.ToInt32(hex.Substring(1, 2), 16), g = Convert.ToInt32(hex.Substring(3, 2), 16), b = Convert.ToInt32(hex.Substring(5, 2), 16);
        return $"rgba({r},{g},{b},{alpha.ToString(System.Globalization.CultureInfo.InvariantCulture)})";
    }

    /// <summary>Labels one heat-map axis with <paramref name="labels"/> (one per row or column) on a categorical axis.</summary>
    static void Categorical(JsonObject trace, string axisName, JsonObject axis, IEnumerable<string> labels, int count, string argument, string what)
    {
        var names = labels.ToArray();
        if (names.Length != count) throw new ArgumentException($"{argument} has {names.Length} labels but z has {count} {what}.", argument);
        trace[axisName] = new JsonArray(names.Select(s => (JsonNode?)s).ToArray());
        axis["type"] = "category";
        axis["automargin"] = true;
    }
}
