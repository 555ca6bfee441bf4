using System.Threading;
using CourseLib.Display;

namespace CourseLib.Charts;

/// <summary>
/// plotly.js for pages that have none. VS Code's Polyglot Notebooks and the course's HTML pages provide or load it;
/// Jupyter front ends do not (JupyterLab has no require.js, and `jupyter nbconvert --to html` pages must draw
/// offline), so in a Jupyter kernel the first figure carries plotly.js itself, once per kernel process, as plotly's
/// own Python "notebook" renderer does. The script is CourseLib.dll's embedded copy of the exact version the
/// figures are written for (<see cref="Figure.PlotlyVersion"/>), taken from the Plotly.NET package at build time.
/// </summary>
public static class PlotlyJs
{
    static readonly Lazy<string> Script = new(Load);
    static int _inlined;

    /// <summary>True when figures carry plotly.js themselves: in a Jupyter kernel, or when COURSELIB_PLOTLY=inline.</summary>
    public static bool InlineInFigures =>
        JupyterFrontend.IsRunning || string.Equals(Environment.GetEnvironmentVariable("COURSELIB_PLOTLY"), "inline", StringComparison.OrdinalIgnoreCase);

    /// <summary>The plotly.js source (minified).</summary>
    public static string Source => Script.Value;

    /// <summary>
    /// A script element that defines window.Plotly from the embedded plotly.js, the first time it is asked for in
    /// a process where figures carry plotly.js (<see cref="InlineInFigures"/>); otherwise "".
    /// </summary>
    public static string ScriptOnce()
    {
        if (!InlineInFigures || Interlocked.Exchange(ref _inlined, 1) == 1) return "";
        // Inside a function whose define, module and exports are undefined, plotly's UMD wrapper sets window.Plotly
        // even where require.js is loaded (classic Jupyter Notebook). A "</script" inside would end the element early.
        return "<script type=\"text/javascript\">if (typeof window.Plotly === \"undefined\") { (function (define, module, exports) {\n"
            + Script.Value.Replace("</script", "<\\/script", StringComparison.OrdinalIgnoreCase)
            + "\n}).call(window); }</script>\n";
    }

    static string Load()
    {
        using var stream = typeof(PlotlyJs).Assembly.GetManifestResourceStream("CourseLib.plotly.min.js")
            ?? throw new InvalidOperationException("CourseLib.dll carries no plotly.js (resource CourseLib.plotly.min.js); rebuild it with `dotnet build -c Release`.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
