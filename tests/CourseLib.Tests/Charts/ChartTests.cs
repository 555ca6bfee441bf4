using System.Text.Json.Nodes;
using CourseLib.Charts;
using CourseLib.Display;

namespace CourseLib.Tests.Charts;

[Trait("Category", "unit")]
public class ChartTests
{
    static JsonObject Json(Figure figure) => (JsonObject)JsonNode.Parse(figure.ToJson())!;

    [Fact]
    public void A_line_holds_its_points_in_plotly_form()
    {
        var json = Json(Chart.Line(new[] { 1.0, 4.0, 9.0 }, "squares").WithTitle("t").WithAxes("x", "y"));
        var trace = json["data"]![0]!;
        Assert.Equal("scatter", trace["type"]!.GetValue<string>());
        Assert.Equal(new[] { 0.0, 1.0, 2.0 }, trace["x"]!.AsArray().Select(v => v!.GetValue<double>()));
        Assert.Equal(new[] { 1.0, 4.0, 9.0 }, trace["y"]!.AsArray().Select(v => v!.GetValue<double>()));
        Assert.Equal("t", json["layout"]!["title"]!["text"]!.GetValue<string>());
        Assert.Equal("y", json["layout"]!["yaxis"]!["title"]!["text"]!.GetValue<string>());
    }

    [Fact]
    public void A_learning_curve_draws_the_mean_inside_a_min_max_band_over_seeds()
    {
        var runs = new[] { new[] { 0.0, 2.0, 4.0 }, new[] { 2.0, 4.0 } };
        var json = Json(Chart.LearningCurve(runs, "returns"));
        var band = json["data"]![0]!;
        var mean = json["data"]![1]!;
        Assert.Equal(new[] { 1.0, 3.0, 4.0 }, mean["y"]!.AsArray().Select(v => v!.GetValue<double>()));
        // The band goes along the highs and back along the lows.
        Assert.Equal(new[] { 2.0, 4.0, 4.0, 4.0, 2.0, 0.0 }, band["y"]!.AsArray().Select(v => v!.GetValue<double>()));
        Assert.Equal("toself", band["fill"]!.GetValue<string>());
    }

    [Fact]
    public void Missing_values_become_gaps_not_invalid_JSON()
    {
        var json = Json(Chart.Line(new[] { 1.0, double.NaN, double.PositiveInfinity }));
        Assert.Null(json["data"]![0]!["y"]![1]);
        Assert.Null(json["data"]![0]!["y"]![2]);
    }

    [Fact]
    public void A_heatmap_keeps_rows_and_columns()
    {
        var json = Json(Chart.Heatmap(new double[,] { { 1, 2, 3 }, { 4, 5, 6 } }, annotate: true));
        var z = json["data"]![0]!["z"]!.AsArray();
        Assert.Equal(2, z.Count);
        Assert.Equal(6.0, z[1]![2]!.GetValue<double>());
    }

    [Fact]
    public void An_animation_has_one_frame_per_figure_and_a_play_button()
    {
        var frames = Enumerable.Range(0, 5).Select(i => Chart.Line(new[] { (double)i, i + 1.0 })).ToList();
        var json = Json(Chart.Animation(frames, 50));
        Assert.Equal(5, json["frames"]!.AsArray().Count);
        Assert.Equal("animate", json["layout"]!["updatemenus"]![0]!["buttons"]![0]!["method"]!.GetValue<string>());
    }

    [Fact]
    public void Overlay_combines_traces_and_keeps_the_first_layout()
    {
        var a = Chart.Line(new[] { 1.0 }, "a").WithTitle("first");
        var b = Chart.Line(new[] { 2.0 }, "b").WithTitle("second");
        var json = Json(Figure.Overlay(a, b));
        Assert.Equal(2, json["data"]!.AsArray().Count);
        Assert.Equal("first", json["layout"]!["title"]!["text"]!.GetValue<string>());
    }

    [Fact]
    public void Bad_input_names_the_argument()
    {
        var error = Assert.Throws<ArgumentException>(() => Chart.Line(new[] { 1.0, 2.0 }, new[] { 1.0 }));
        Assert.Equal("xs", error.ParamName);
        Assert.Throws<ArgumentException>(() => Chart.LearningCurve(Array.Empty<double[]>()));
        Assert.Throws<ArgumentOutOfRangeException>(() => Chart.Animation(new[] { Chart.Line(new[] { 1.0 }) }, 0));
    }

    [Fact]
    public void The_HTML_draws_with_plotly_and_loads_it_when_the_page_lacks_it()
    {
        var html = Chart.Bar(new[] { "a" }, new[] { 1.0 }).ToHtml();
        Assert.Contains("Plotly.newPlot", html);
        Assert.Contains($"plotly-{Figure.PlotlyVersion}.min.js", html);
        Assert.Contains("\"type\":\"bar\"", html);
    }

    [Fact]
    public void Figures_carry_the_convention_attribute_the_notebook_formatter_looks_for()
    {
        // .NET Interactive matches the attribute by its type name and reads these two properties by reflection.
        var attribute = typeof(Figure).GetCustomAttributes(true).Single(a => a.GetType().Name == "TypeFormatterSourceAttribute");
        var sourceType = (Type)attribute.GetType().GetProperty("FormatterSourceType")!.GetValue(attribute)!;
        Assert.Equal(new[] { "text/html" }, (string[])attribute.GetType().GetProperty("PreferredMimeTypes")!.GetValue(attribute)!);
        var formatter = ((IEnumerable<object>)sourceType.GetMethod("CreateTypeFormatters")!.Invoke(Activator.CreateInstance(sourceType), null)!).Single();
        Assert.Equal("text/html", formatter.GetType().GetProperty("MimeType")!.GetValue(formatter));
        var writer = new StringWriter();
        var figure = Chart.Line(new[] { 1.0 });
        Assert.True((bool)formatter.GetType().GetMethod("Format")!.Invoke(formatter, new object[] { figure, writer })!);
        Assert.Contains("Plotly.newPlot", writer.ToString());
        Assert.False((bool)formatter.GetType().GetMethod("Format")!.Invoke(formatter, new object[] { "not displayable", new StringWriter() })!);
    }
}
