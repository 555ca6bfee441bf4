using System.Text.RegularExpressions;
using CourseLib.Notebooks;

namespace CourseLib.Notebooks.Tests;

/// <summary>What the tests of the course's other homes (Jupyter, file-based apps) share: tools, timings, charts.</summary>
static class Homes
{
    /// <summary>How many of the course's figures a notebook draws, at least: one when any cell calls Chart or Figure.</summary>
    public static int ExpectedCharts(string notebookPath)
    {
        var text = File.ReadAllText(notebookPath);
        return text.Contains("Chart.") || text.Contains("Figure.") || text.Contains("EpisodeAnimation.") ? 1 : 0;
    }

    /// <summary>How many figures an HTML text holds (each draws with Plotly.newPlot into a courselib-plot div).</summary>
    public static int Charts(string html) => Regex.Matches(html, "class=\"courselib-plot\"").Count;

    /// <summary>Runs a program; (exit code, standard output and error). Kills it after <paramref name="timeout"/>.</summary>
    public static Task<(int ExitCode, string Output)> RunAsync(string program, string workingDirectory, TimeSpan timeout, IDictionary<string, string>? environment, params string[] arguments) =>
        ChildProcess.RunAsync(program, workingDirectory, timeout, arguments, environment?.AsReadOnly());

    /// <summary>Loads an HTML file in headless Chromium with every network request refused, and returns the DOM.</summary>
    public static Task<string> RenderOfflineAsync(string htmlPath) => Pages.Chromium.DumpDomAsync(htmlPath);

    /// <summary>How many plotly.js charts were drawn in a rendered DOM (plotly adds a plot-container to each).</summary>
    public static int DrawnCharts(string dom) => Regex.Matches(dom, "class=\"plot-container plotly\"").Count;
}
