using System.Text.Json.Nodes;
using CourseLib.Charts;

namespace CourseLib.Tests.Charts;

/// <summary>The fluent helpers notebook cells use instead of writing plotly JSON, and the layout fixes.</summary>
[Trait("Category", "unit")]
public class FigureHelpersTests
{
    static JsonObject Json(Figure figure) => (JsonObject)JsonNode.Parse(figure.ToJson())!;

    [Fact]
    public void Log_axes_line_styles_and_reference_lines_are_set_without_JSON()
    {
        var figure = Chart.Line([1.0, 10, 100], [3.0, 2, 1], "fit").WithLogX().WithLogY()
            .WithLine(color: "black", width: 3, dash: "dash").WithHorizontalLine(2.5, "exact");
        var json = Json(figure);
        Assert.Equal("log", json["layout"]!["xaxis"]!["type"]!.GetValue<string>());
        Assert.Equal("log", json["layout"]!["yaxis"]!["type"]!.GetValue<string>());
        var line = json["data"]![0]!["line"]!;
        Assert.Equal(("black", 3.0, "dash"), (line["color"]!.GetValue<string>(), line["width"]!.GetValue<double>(), line["dash"]!.GetValue<string>()));
        var shape = json["layout"]!["shapes"]![0]!;
        Assert.Equal(("paper", 0.0, 1.0, 2.5, 2.5), (shape["xref"]!.GetValue<string>(), shape["x0"]!.GetValue<double>(), shape["x1"]!.GetValue<double>(),
            shape["y0"]!.GetValue<double>(), shape["y1"]!.GetValue<double>()));
        Assert.Equal("exact", json["layout"]!["annotations"]![0]!["text"]!.GetValue<string>());
        Assert.Throws<ArgumentOutOfRangeException>(() => figure.WithLine(dash: "wiggly"));
        Assert.Throws<ArgumentOutOfRangeException>(() => figure.WithLine(width: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => figure.WithVerticalLine(double.NaN));
    }

    [Fact]
    public void A_labelled_heat_map_has_categorical_axes_even_for_digit_labels()
    {
        var json = Json(Chart.Heatmap(new double[3, 3], ["3", "7", "8"], ["3", "7", "8"]));
        Assert.Equal("category", json["layout"]!["xaxis"]!["type"]!.GetValue<string>());
        Assert.Equal("category", json["layout"]!["yaxis"]!["type"]!.GetValue<string>());
        Assert.Equal("reversed", json["layout"]!["yaxis"]!["autorange"]!.GetValue<string>());
        Assert.Throws<ArgumentException>(() => Chart.Heatmap(new double[2, 3], ["a", "b"]));
    }

    [Fact]
    public void Sequential_scales_draw_high_values_dark_and_diverging_ones_are_centred_on_zero()
    {
        Assert.True(Json(Chart.Heatmap(new double[1, 1], colorscale: "Blues"))["data"]![0]!["reversescale"]!.GetValue<bool>());
        Assert.Equal(0.0, Json(Chart.Heatmap(new double[1, 1], colorscale: "RdBu"))["data"]![0]!["zmid"]!.GetValue<double>());
        Assert.Equal(0.5, Json(Chart.Heatmap(new double[1, 1], colorscale: "RdBu", zMid: 0.5))["data"]![0]!["zmid"]!.GetValue<double>());
        Assert.Null(Json(Chart.Heatmap(new double[1, 1]))["data"]![0]!["reversescale"]);
        Assert.False(Json(Chart.Image(new float[2, 2]))["data"]![0]!["reversescale"]!.GetValue<bool>()); // pixels: 1 is white
    }

    [Fact]
    public void The_title_sits_below_the_mode_bar_and_a_long_title_wraps()
    {
        var layout = Json(Chart.Line([1.0, 2]).WithTitle("short"))["layout"]!;
        Assert.Equal("container", layout["title"]!["yref"]!.GetValue<string>());
        Assert.Equal("top", layout["title"]!["yanchor"]!.GetValue<string>());
        int pad = layout["title"]!["pad"]!["t"]!.GetValue<int>();
        Assert.True(pad >= 30, $"title padding {pad}");
        Assert.True(layout["margin"]!["t"]!.GetValue<int>() >= pad + 22);
        var narrow = Json(Chart.Line([1.0, 2]).WithSize(360, 300).WithTitle("a title much too long for a figure only three hundred and sixty pixels wide"))["layout"]!;
        Assert.Contains("<br>", narrow["title"]!["text"]!.GetValue<string>());
        var animation = Json(Chart.Animation([Chart.Line([1.0, 2]), Chart.Line([2.0, 1])]).WithTitle("playing"))["layout"]!;
        Assert.Equal("bottom", animation["updatemenus"]![0]!["yanchor"]!.GetValue<string>());
        Assert.True(animation["margin"]!["t"]!.GetValue<int>() >= pad + 22 + 30);
    }
}

/// <summary>Settings records print their lists as lists.</summary>
[Trait("Category", "unit")]
public class OptionsTextTests
{
    [Fact]
    public void A_settings_record_prints_its_hidden_sizes_as_a_list_not_a_compiler_type_name()
    {
        var text = new CourseLib.PolicyGradient.ReinforceOptions().ToString();
        Assert.Contains("HiddenSizes = [128]", text);
        Assert.Contains("LearningRate = 0.01", text);
        Assert.DoesNotContain("z__", text);
        Assert.StartsWith("ReinforceOptions { Discount = 1, ", text);
    }
}
