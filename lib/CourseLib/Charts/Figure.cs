using System.Text.Json;
using System.Text.Json.Nodes;
using CourseLib.Display;

namespace CourseLib.Charts;

/// <summary>
/// A plotly.js figure (traces, layout, optional animation frames) built by <see cref="Chart"/>. It renders inline
/// in a notebook as the last expression of a cell, and as HTML anywhere. The course writes plotly.js JSON itself
/// instead of using Plotly.NET (which cannot load in the stock Polyglot engine) or XPlot: no dependency, and the
/// figure's data can be checked in tests.
/// </summary>
public sealed class Figure : HtmlDisplayable
{
    /// <summary>The plotly.js version the figures are written for, and loaded from its CDN when a page lacks it.</summary>
    public const string PlotlyVersion = "2.28.0";

    static readonly JsonSerializerOptions JsonOptions = new()
    {
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    /// <summary>The traces, each a plotly.js trace object.</summary>
    public List<JsonObject> Traces { get; } = new();

    /// <summary>The plotly.js layout.</summary>
    public JsonObject Layout { get; } = new()
    {
        ["template"] = "plotly_white",
        ["height"] = 420,
        ["margin"] = new JsonObject { ["l"] = 60, ["r"] = 30, ["t"] = 50, ["b"] = 50 },
    };

    /// <summary>Animation frames (each a list of traces replacing the figure's), empty for a still figure.</summary>
    public List<List<JsonObject>> Frames { get; } = new();

    /// <summary>Milliseconds per animation frame.</summary>
    public int FrameDuration { get; set; } = 80;

    /// <summary>Sets the title.</summary>
    public Figure WithTitle(string title) { Layout["title"] = new JsonObject { ["text"] = title }; return this; }

    /// <summary>Sets the axis titles.</summary>
    public Figure WithAxes(string? xTitle = null, string? yTitle = null)
    {
        if (xTitle != null) Axis("xaxis")["title"] = new JsonObject { ["text"] = xTitle };
        if (yTitle != null) Axis("yaxis")["title"] = new JsonObject { ["text"] = yTitle };
        return this;
    }

    /// <summary>Puts the y axis on a log scale.</summary>
    public Figure WithLogY() { Axis("yaxis")["type"] = "log"; return this; }

    /// <summary>Puts the x axis on a log scale.</summary>
    public Figure WithLogX() { Axis("xaxis")["type"] = "log"; return this; }

    /// <summary>Sets the x axis range (on a log axis, in data units too).</summary>
    public Figure WithXRange(double low, double high)
    {
        var axis = Axis("xaxis");
        axis["range"] = axis["type"]?.GetValue<string>() == "log" ? new JsonArray(Math.Log10(low), Math.Log10(high)) : new JsonArray(low, high);
        return this;
    }

    /// <summary>
    /// Styles the line (and markers) of every trace: a colour ("#1f77b4", "black", ...), a width in pixels, a dash
    /// ("solid", "dash", "dot", "dashdot"). Null leaves a setting as it is.
    /// </summary>
    public Figure WithLine(string? color = null, double? width = null, string? dash = null)
    {
        if (width is <= 0) throw new ArgumentOutOfRangeException(nameof(width), width, "width must be positive.");
        if (dash != null && !LineDashes.Contains(dash))
            throw new ArgumentOutOfRangeException(nameof(dash), dash, $"dash must be one of {string.Join(", ", LineDashes)}.");
        foreach (var trace in Traces)
        {
            if (trace["line"] is not JsonObject line) trace["line"] = line = new JsonObject();
            if (color != null) line["color"] = color;
            if (width.HasValue) line["width"] = width.Value;
            if (dash != null) line["dash"] = dash;
            if (color != null && trace["type"]?.GetValue<string>() is "scatter" or "bar")
            {
                if (trace["marker"] is not JsonObject marker) trace["marker"] = marker = new JsonObject();
                marker["color"] = color;
            }
        }
        return this;
    }

    static readonly string[] LineDashes = ["solid", "dash", "dot", "dashdot", "longdash", "longdashdot"];

    /// <summary>A colour for every trace (lines, markers and bars).</summary>
    public Figure WithColor(string color) => WithLine(color: color);

    /// <summary>A horizontal reference line at <paramref name="y"/> across the whole plot, labelled at its right end.</summary>
    public Figure WithHorizontalLine(double y, string? label = null, string color = "black", string dash = "dash") =>
        AddReferenceLine("y", y, label, color, dash);

    /// <summary>A vertical reference line at <paramref name="x"/> over the whole plot, labelled at its top.</summary>
    public Figure WithVerticalLine(double x, string? label = null, string color = "black", string dash = "dash") =>
        AddReferenceLine("x", x, label, color, dash);

    Figure AddReferenceLine(string axis, double value, string? label, string color, string dash)
    {
        if (!double.IsFinite(value)) throw new ArgumentOutOfRangeException(axis, value, "a reference line needs a finite position.");
        if (!LineDashes.Contains(dash)) throw new ArgumentOutOfRangeException(nameof(dash), dash, $"dash must be one of {string.Join(", ", LineDashes)}.");
        bool horizontal = axis == "y";
        if (Layout["shapes"] is not JsonArray shapes) Layout["shapes"] = shapes = new JsonArray();
        shapes.Add(new JsonObject
        {
            ["type"] = "line", ["xref"] = horizontal ? "paper" : "x", ["yref"] = horizontal ? "y" : "paper",
            ["x0"] = horizontal ? 0 : value, ["x1"] = horizontal ? 1 : value, ["y0"] = horizontal ? value : 0, ["y1"] = horizontal ? value : 1,
            ["line"] = new JsonObject { ["color"] = color, ["dash"] = dash, ["width"] = 1.5 },
        });
        if (label != null)
        {
            if (Layout["annotations"] is not JsonArray annotations) Layout["annotations"] = annotations = new JsonArray();
            annotations.Add(new JsonObject
            {
                ["text"] = label, ["showarrow"] = false, ["font"] = new JsonObject { ["color"] = color },
                ["xref"] = horizontal ? "paper" : "x", ["yref"] = horizontal ? "y" : "paper",
                ["x"] = horizontal ? 1 : value, ["y"] = horizontal ? value : 1,
                ["xanchor"] = horizontal ? "right" : "left", ["yanchor"] = "bottom",
            });
        }
        return this;
    }

    /// <summary>Sets the y axis range.</summary>
    public Figure WithYRange(double low, double high) { Axis("yaxis")["range"] = new JsonArray(low, high); return this; }

    /// <summary>Sets the size in pixels (width null: as wide as the page).</summary>
    public Figure WithSize(int? width, int height)
    {
        if (width.HasValue) Layout["width"] = width.Value;
        Layout["height"] = height;
        return this;
    }

    /// <summary>Sets any layout property (plotly.js names).</summary>
    public Figure WithLayout(string name, JsonNode? value) { Layout[name] = value; return this; }

    JsonObject Axis(string name)
    {
        if (Layout[name] is not JsonObject axis) Layout[name] = axis = new JsonObject();
        return axis;
    }

    /// <summary>A figure with the traces of all <paramref name="figures"/> drawn together (layout of the first).</summary>
    public static Figure Overlay(params Figure[] figures)
    {
        if (figures.Length == 0) throw new ArgumentException("Overlay needs at least one figure.", nameof(figures));
        var result = new Figure();
        foreach (var (key, value) in figures[0].Layout) result.Layout[key] = value?.DeepClone();
        foreach (var figure in figures)
            foreach (var trace in figure.Traces) result.Traces.Add((JsonObject)trace.DeepClone());
        return result;
    }

    /// <summary>The figure as plotly.js JSON: { data, layout, frames }.</summary>
    public string ToJson()
    {
        var root = new JsonObject
        {
            ["data"] = new JsonArray(Traces.Select(t => (JsonNode)t.DeepClone()).ToArray()),
            ["layout"] = PlaceTitle((JsonObject)Layout.DeepClone()),
        };
        if (Frames.Count > 0)
        {
            root["frames"] = new JsonArray(Frames.Select((f, i) => (JsonNode)new JsonObject
            {
                ["name"] = i.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["data"] = new JsonArray(f.Select(t => (JsonNode)t.DeepClone()).ToArray()),
            }).ToArray());
        }
        return root.ToJsonString(JsonOptions);
    }

    /// <summary>
    /// Lays out the top of the figure so nothing covers the title: plotly's mode bar (top right, about 30 px) gets
    /// the first band, the title (wrapped to the figure's width) the next, and an animation's play button sits just
    /// above the plot area.
    /// </summary>
    static JsonObject PlaceTitle(JsonObject layout)
    {
        const int modeBar = 32, titleLine = 22, playButton = 30, gap = 8;
        int lines = 0;
        if (layout["title"] is JsonObject title && title["text"]?.GetValue<string>() is { Length: > 0 } text)
        {
            var width = layout["width"]?.GetValue<int>() ?? 900;
            var wrapped = Wrap(text, Math.Max(20, width / 9));
            lines = wrapped.Count(c => c == '\n') + 1;
            title["text"] = wrapped.Replace("\n", "<br>", StringComparison.Ordinal);
            title["x"] = 0.5; title["xanchor"] = "center";
            title["yref"] = "container"; title["y"] = 1; title["yanchor"] = "top";
            // plotly anchors a multi-line title by its first baseline: each extra line moves it up about 12 px.
            title["pad"] = new JsonObject { ["t"] = modeBar + 4 + 12 * (lines - 1) };
        }
        bool buttons = layout["updatemenus"] is JsonArray { Count: > 0 };
        int top = modeBar + 4 + lines * titleLine + (buttons ? playButton : 0) + gap;
        if (layout["margin"] is not JsonObject margin) layout["margin"] = margin = new JsonObject();
        if ((margin["t"]?.GetValue<int>() ?? 0) < top) margin["t"] = top;
        if (buttons)
            foreach (var menu in layout["updatemenus"]!.AsArray().OfType<JsonObject>())
            {
                menu["x"] = 0; menu["xanchor"] = "left"; menu["y"] = 1; menu["yanchor"] = "bottom";
                menu["pad"] = new JsonObject { ["b"] = 4 };
            }
        return layout;
    }

    // Breaks text into lines of at most about maxChars characters, at spaces.
    static string Wrap(string text, int maxChars)
    {
        if (text.Length <= maxChars || text.Contains("<br>", StringComparison.Ordinal)) return text.Replace("<br>", "\n", StringComparison.Ordinal);
        var lines = new List<string>();
        var line = new System.Text.StringBuilder();
        foreach (var word in text.Split(' '))
        {
            if (line.Length > 0 && line.Length + 1 + word.Length > maxChars) { lines.Add(line.ToString()); line.Clear(); }
            if (line.Length > 0) line.Append(' ');
            line.Append(word);
        }
        lines.Add(line.ToString());
        return string.Join("\n", lines);
    }

    /// <summary>
    /// An HTML fragment: a div and a script that draws the figure with plotly.js, using the page's Plotly if it has
    /// one (the course's HTML pages inline it), else require.js (Jupyter), else the plotly.js CDN (VS Code).
    /// </summary>
    public override string ToHtml()
    {
        var id = "courselib-plot-" + Guid.NewGuid().ToString("N")[..12];
        var height = Layout["height"]?.GetValue<int>() ?? 420;
        var animate = Frames.Count > 0
            ? $".then(function () {{ return Plotly.addFrames(id, figure.frames); }}).then(function () {{ Plotly.animate(id, null, {{frame: {{duration: {FrameDuration}, redraw: true}}, transition: {{duration: 0}}}}); }})"
            : "";
        return PlotlyJs.ScriptOnce() + $$$"""
<div id="{{{id}}}" class="courselib-plot" style="width:100%;height:{{{height}}}px"></div>
<script type="text/javascript">
(function () {
  var id = "{{{id}}}";
  var figure = {{{ToJson()}}};
  var draw = function (Plotly) { Plotly.newPlot(id, figure.data, figure.layout, {responsive: true}){{{animate}}}; };
  if (typeof window.Plotly !== "undefined") { draw(window.Plotly); return; }
  if (typeof window.require === "function" && window.require.config) {
    window.require.config({paths: {plotly: "https://cdn.plot.ly/plotly-{{{PlotlyVersion}}}.min"}});
    window.require(["plotly"], draw);
    return;
  }
  var script = document.getElementById("courselib-plotly-js");
  if (!script) {
    script = document.createElement("script");
    script.id = "courselib-plotly-js";
    script.src = "https://cdn.plot.ly/plotly-{{{PlotlyVersion}}}.min.js";
    document.head.appendChild(script);
  }
  script.addEventListener("load", function () { draw(window.Plotly); });
})();
</script>
""";
    }

    /// <summary>Writes a standalone HTML page with the figure (plotly.js from its CDN).</summary>
    public void SaveHtml(string path) =>
        File.WriteAllText(path, $"<!DOCTYPE html><html><head><meta charset=\"utf-8\"><script src=\"https://cdn.plot.ly/plotly-{PlotlyVersion}.min.js\"></script></head><body>{ToHtml()}</body></html>");

    /// <inheritdoc />
    public override string ToString()
    {
        var title = Layout["title"]?["text"]?.GetValue<string>();
        return $"Figure{(title != null ? $" \"{title}\"" : "")}: {Traces.Count} trace(s){(Frames.Count > 0 ? $", {Frames.Count} frames" : "")}";
    }
}
