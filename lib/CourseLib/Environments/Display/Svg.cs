using System.Globalization;
using System.Text;

namespace CourseLib.Environments;

/// <summary>Small helpers for writing SVG text (numbers in invariant culture, escaped text).</summary>
internal static class Svg
{
    public static string N(double value) => Math.Round(value, 2).ToString("0.##", CultureInfo.InvariantCulture);

    public static string Escape(string text) => System.Net.WebUtility.HtmlEncode(text);

    public static StringBuilder Open(double width, double height) =>
        new StringBuilder().Append($"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{N(width)}\" height=\"{N(height)}\" viewBox=\"0 0 {N(width)} {N(height)}\" font-family=\"sans-serif\">");

    public static string Close(StringBuilder svg) => svg.Append("</svg>").ToString();

    public static void Text(StringBuilder svg, double x, double y, string text, double size = 12, string color = "#222", string anchor = "middle", string weight = "normal") =>
        svg.Append($"<text x=\"{N(x)}\" y=\"{N(y)}\" font-size=\"{N(size)}\" fill=\"{color}\" text-anchor=\"{anchor}\" font-weight=\"{weight}\">{Escape(text)}</text>");
}
