using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Markdig;
using Markdig.Extensions.EmphasisExtras;

namespace CourseLib.Notebooks;

/// <summary>
/// Renders an executed notebook as one standalone HTML page: markdown as HTML, code, and every output. KaTeX (with
/// its fonts) and plotly.js are inlined once, so the equations typeset and the charts draw without a network.
/// </summary>
public static class HtmlPage
{
    // Jupyter's Markdown: GitHub's (tables, strikethrough, autolinks, task lists) and TeX maths. The maths extension
    // is the course's own (TexMathExtension): Markdig's reads neither multi-line $$ in a paragraph nor inline maths
    // across a line break. No superscript/subscript extras (they would read ^ and ~ in prose) and no generic
    // attributes (they read LaTeX braces such as \underbrace{...}_{...} as attributes).
    static readonly MarkdownPipeline Markdown = new MarkdownPipelineBuilder()
        .Use<TexMathExtension>().UsePipeTables().UseEmphasisExtras(EmphasisExtraOptions.Strikethrough).UseAutoLinks().UseTaskLists()
        .Build();
    static readonly Lazy<string> PlotlyJs = new(LoadPlotlyJs);
    static readonly Lazy<string> KatexJs = new(() => Resource("katex.min.js").Replace("</script", "<\\/script", StringComparison.OrdinalIgnoreCase));
    static readonly Lazy<string> KatexCss = new(LoadKatexCss);

    /// <summary>The Markdown of a notebook cell as HTML (maths in <c>.math.inline</c>/<c>.math.display</c> elements).</summary>
    public static string MarkdownToHtml(string markdown) => Markdig.Markdown.ToHtml(markdown, Markdown);

    /// <summary>The page for <paramref name="notebook"/>.</summary>
    public static string Render(IpynbDocument notebook, string title)
    {
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">");
        html.Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">");
        html.Append("<title>").Append(WebUtility.HtmlEncode(title)).Append("</title>\n<style>").Append(Style).Append("</style>\n");
        html.Append("<style>").Append(KatexCss.Value).Append("</style>\n");
        html.Append("<script type=\"text/javascript\">").Append(KatexJs.Value).Append("</script>\n");
        html.Append("<script type=\"text/javascript\">").Append(PlotlyJs.Value).Append("</script>\n");
        html.Append("</head><body><main>\n");
        foreach (var cell in notebook.Cells)
        {
            if (cell.Kind == "markdown")
            {
                html.Append("<section class=\"markdown\">").Append(MarkdownToHtml(cell.Source)).Append("</section>\n");
                continue;
            }
            if (!cell.IsCode) continue;
            html.Append("<section class=\"code\"><pre><code>").Append(WebUtility.HtmlEncode(cell.Source)).Append("</code></pre>");
            if (cell.Json["outputs"] is JsonArray outputs)
                foreach (var output in outputs.OfType<JsonObject>()) html.Append(RenderOutput(output));
            html.Append("</section>\n");
        }
        html.Append("</main>\n<script type=\"text/javascript\">").Append(TypesetScript).Append("</script>\n</body></html>\n");
        return html.ToString();
    }

    static string RenderOutput(JsonObject output)
    {
        var kind = output["output_type"]?.GetValue<string>();
        switch (kind)
        {
            case "stream":
                return $"<pre class=\"output stream {Attr(output["name"]?.GetValue<string>())}\">{WebUtility.HtmlEncode(IpynbDocument.JoinText(output["text"]))}</pre>";
            case "error":
                return $"<pre class=\"output error\">{WebUtility.HtmlEncode(output["ename"]?.GetValue<string>() + ": " + output["evalue"]?.GetValue<string>())}</pre>";
            case "display_data" or "execute_result" when output["data"] is JsonObject data:
                if (data["text/html"] is { } htmlNode) return $"<div class=\"output\">{IpynbDocument.JoinText(htmlNode)}</div>";
                if (data["image/svg+xml"] is { } svg) return $"<div class=\"output\">{IpynbDocument.JoinText(svg)}</div>";
                if (data["image/png"] is { } png) return $"<div class=\"output\"><img src=\"data:image/png;base64,{IpynbDocument.JoinText(png).Trim()}\"></div>";
                if (data["text/markdown"] is { } markdown) return $"<div class=\"output\">{MarkdownToHtml(IpynbDocument.JoinText(markdown))}</div>";
                if (data["text/plain"] is { } text) return $"<pre class=\"output\">{WebUtility.HtmlEncode(IpynbDocument.JoinText(text))}</pre>";
                return "";
            default:
                return "";
        }
    }

    static string Attr(string? value) => WebUtility.HtmlEncode(value ?? "");

    static string LoadPlotlyJs()
    {
        var assembly = typeof(Plotly.NET.Chart).Assembly;
        var name = assembly.GetManifestResourceNames().FirstOrDefault(n => n.EndsWith($"plotly-{CourseLibPlotlyVersion}.min.js", StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"Plotly.NET carries no plotly-{CourseLibPlotlyVersion}.min.js resource; the course's charts are written for that version.");
        using var stream = assembly.GetManifestResourceStream(name)!;
        using var reader = new StreamReader(stream);
        // A literal "</script>" inside the library would end the inline script early.
        return reader.ReadToEnd().Replace("</script", "<\\/script", StringComparison.OrdinalIgnoreCase);
    }

    // Typesets every maths element once the page has loaded; a formula KaTeX cannot read shows as red TeX
    // (.katex-error) instead of stopping the others.
    const string TypesetScript = """
document.querySelectorAll("main .math").forEach(function (e) {
  katex.render(e.textContent, e, {displayMode: e.classList.contains("display"), throwOnError: false, strict: "ignore"});
});
""";

    static string Resource(string name)
    {
        var assembly = typeof(HtmlPage).Assembly;
        using var stream = assembly.GetManifestResourceStream("CourseLib.Notebooks.Katex." + name)
            ?? throw new InvalidOperationException($"CourseLib.Notebooks carries no Katex/{name} resource.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    // KaTeX's stylesheet with each font's WOFF2 file as a data: URL (its WOFF and TTF fallbacks dropped).
    static string LoadKatexCss()
    {
        var assembly = typeof(HtmlPage).Assembly;
        return Regex.Replace(Resource("katex.min.css"), @"src:url\(fonts/(?<name>[A-Za-z0-9_-]+)\.woff2\)[^;}]*", match =>
        {
            using var stream = assembly.GetManifestResourceStream("CourseLib.Notebooks.Katex.fonts." + match.Groups["name"].Value + ".woff2")
                ?? throw new InvalidOperationException($"CourseLib.Notebooks carries no Katex/fonts/{match.Groups["name"].Value}.woff2 resource.");
            using var bytes = new MemoryStream();
            stream.CopyTo(bytes);
            return $"src:url(data:font/woff2;base64,{Convert.ToBase64String(bytes.ToArray())}) format(\"woff2\")";
        });
    }

    /// <summary>The plotly.js version the course library's figures use (CourseLib.Charts.Figure.PlotlyVersion).</summary>
    internal const string CourseLibPlotlyVersion = "2.28.0";

    const string Style = """
body { font-family: -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif; color: #222; background: #fff; }
main { max-width: 980px; margin: 2em auto; padding: 0 1em; line-height: 1.5; }
section.code pre { background: #f6f8fa; border: 1px solid #e1e4e8; border-radius: 4px; padding: 0.6em 0.8em; overflow-x: auto; font-size: 13px; }
pre.output { background: #fff; border-left: 3px solid #ccc; padding: 0.3em 0.8em; white-space: pre-wrap; font-size: 13px; }
pre.output.error { border-left-color: #d62728; color: #a00; }
pre.output.stderr { border-left-color: #ff7f0e; }
div.output { margin: 0.5em 0; overflow-x: auto; }
table { border-collapse: collapse; } td, th { border: 1px solid #ddd; padding: 2px 8px; }
div.math.display { overflow-x: auto; overflow-y: hidden; }
""";
}
