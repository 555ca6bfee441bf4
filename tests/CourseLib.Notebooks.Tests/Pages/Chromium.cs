using System.Net;
using System.Text.RegularExpressions;

namespace CourseLib.Notebooks.Tests.Pages;

/// <summary>
/// Loads an HTML page in headless Chromium (Debian's <c>chromium</c>) with <c>page-check.js</c> appended, and
/// returns the problems the script found: maths KaTeX did not typeset, TeX left in the prose, charts that did not
/// draw, titles under the mode bar or the play button or cut off.
/// </summary>
static class Chromium
{
    static readonly string[] Names = ["chromium", "chromium-browser", "google-chrome"];

    /// <summary>The browser's path; the test fails (never skips) when there is none.</summary>
    public static string Executable()
    {
        var path = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries);
        return Names.SelectMany(n => path.Select(p => Path.Combine(p, n))).FirstOrDefault(File.Exists)
            ?? throw new Xunit.Sdk.XunitException(
                "Headless Chromium is needed to check the HTML pages and none is installed (looked for chromium, chromium-browser, " +
                "google-chrome on PATH). Install the test dependencies: bash build/install-test-deps.sh");
    }

    /// <summary>The problems in <paramref name="html"/> (empty: none). The checked copy is kept as <paramref name="copyPath"/>.</summary>
    public static async Task<IReadOnlyList<string>> CheckPageAsync(string html, string copyPath)
    {
        var script = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Pages", "page-check.js"));
        Directory.CreateDirectory(Path.GetDirectoryName(copyPath)!);
        File.WriteAllText(copyPath, html + "<script>" + script + "</script>\n");
        var dom = await DumpDomAsync(copyPath);
        var results = Regex.Matches(dom, "<pre id=\"page-check\">(.*?)</pre>", RegexOptions.Singleline);
        if (results.Count == 0) throw new Xunit.Sdk.XunitException($"Chromium ran no page check on {copyPath}: {dom[^Math.Min(dom.Length, 2000)..]}");
        return WebUtility.HtmlDecode(results[^1].Groups[1].Value).Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    /// <summary>
    /// Loads an HTML file in headless Chromium with every network request refused (a proxy that does not exist), so
    /// the page must draw offline; lets its scripts run, and returns the resulting DOM.
    /// </summary>
    public static async Task<string> DumpDomAsync(string htmlPath)
    {
        var executable = Executable();
        var profile = Directory.CreateTempSubdirectory("courselib-chromium-");
        try
        {
            var (exitCode, output) = await ChildProcess.RunAsync(executable, Path.GetDirectoryName(Path.GetFullPath(htmlPath))!, TimeSpan.FromMinutes(5),
            [
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--no-first-run", "--user-data-dir=" + profile.FullName, "--window-size=1000,1000",
                "--proxy-server=http://127.0.0.1:9", "--proxy-bypass-list=<-loopback>",
                "--virtual-time-budget=20000", "--dump-dom", new Uri(Path.GetFullPath(htmlPath)).AbsoluteUri,
            ]);
            if (exitCode != 0) throw new Xunit.Sdk.XunitException($"Chromium failed ({exitCode}) on {htmlPath}:\n{output[^Math.Min(output.Length, 2000)..]}");
            return output;
        }
        finally
        {
            try { profile.Delete(recursive: true); } catch (IOException) { }
        }
    }
}
