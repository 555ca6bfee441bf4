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
            ["layout"] = Layout.DeepClone(),
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
