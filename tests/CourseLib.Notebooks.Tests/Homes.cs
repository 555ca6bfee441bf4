using System.Diagnostics;
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
    public static async Task<(int ExitCode, string Output)> RunAsync(string program, string workingDirectory, TimeSpan timeout, IDictionary<string, string>? environment, params string[] arguments)
    {
        var start = new ProcessStartInfo(program) { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in arguments) start.ArgumentList.Add(a);
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        foreach (var (k, v) in environment ?? new Dictionary<string, string>()) start.Environment[k] = v;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var limit = new CancellationTokenSource(timeout);
        try { await process.WaitForExitAsync(limit.Token); }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            return (-1, $"timed out after {timeout.TotalMinutes:0} min\n{await stdout}{await stderr}");
        }
        return (process.ExitCode, await stdout + await stderr);
    }

    /// <summary>
    /// Loads an HTML file in headless Chromium with every network request refused (a proxy that does not exist),
    /// lets its scripts run, and returns the resulting DOM.
    /// </summary>
    public static async Task<string> RenderOfflineAsync(string htmlPath)
    {
        var chromium = new[] { "/usr/bin/chromium", "/usr/bin/chromium-browser" }.FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("headless Chromium is not installed: run `bash build/install-test-deps.sh`.");
        var profile = Directory.CreateTempSubdirectory("courselib-chromium-");
        try
        {
            var (exitCode, output) = await RunAsync(chromium, Path.GetDirectoryName(htmlPath)!, TimeSpan.FromMinutes(3), null,
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--no-first-run", $"--user-data-dir={profile.FullName}",
                "--proxy-server=http://127.0.0.1:9", "--proxy-bypass-list=<-loopback>",
                "--virtual-time-budget=20000", "--dump-dom", new Uri(htmlPath).AbsoluteUri);
            Assert.True(exitCode == 0, $"chromium failed ({exitCode}) on {htmlPath}:\n{output[^Math.Min(output.Length, 2000)..]}");
            return output;
        }
        finally { try { profile.Delete(recursive: true); } catch (IOException) { } }
    }

    /// <summary>How many plotly.js charts were drawn in a rendered DOM (plotly adds a plot-container to each).</summary>
    public static int DrawnCharts(string dom) => Regex.Matches(dom, "class=\"plot-container plotly\"").Count;
}
