using System.Text.Json.Nodes;
using CourseLib.Notebooks;
using Xunit.Abstractions;

namespace CourseLib.Notebooks.Tests;

/// <summary>
/// Every seminar notebook runs top to bottom in Jupyter: Debian's jupyter-nbconvert (jupyter_client, nbclient)
/// executes it with the kernel `.net-csharp` (the pinned engine, registered by `courselib jupyter-setup`), with no
/// error output, no compiler warning shown to the student, and its charts; the HTML that `jupyter nbconvert --to
/// html` makes of it draws the charts offline in Chromium.
/// </summary>
[Trait("Category", "notebooks")]
public class JupyterTests(ITestOutputHelper output)
{
    static readonly string OutFolder = Path.Combine(Repository.Root, "out", "jupyter");

    /// <summary>The kernel is registered once per test run, as `courselib jupyter-setup` does (idempotent).</summary>
    static readonly Lazy<string> Setup = new(() =>
    {
        if (JupyterKernel.FindTool("jupyter-nbconvert") == null)
            throw new JupyterSetupException($"jupyter-nbconvert (Debian's Jupyter client) is not installed: run `{JupyterKernel.InstallPackagesCommand}`.");
        return JupyterKernel.Install(Repository.Root);
    });

    [Theory]
    [MemberData(nameof(Notebooks))]
    public async Task Runs_in_Jupyter_with_no_error_output_and_its_charts(string notebook)
    {
        output.WriteLine(Setup.Value);
        var path = Path.Combine(Repository.Notebooks, notebook);
        var run = await JupyterKernel.RunAsync(path, OutFolder, TimeSpan.FromMinutes(10));
        output.WriteLine($"jupyter: {notebook} ran in {run.Elapsed.TotalSeconds:0.0} s");
        Assert.True(run.FirstError == null, $"{notebook} in Jupyter: {run.FirstError}");
        var streams = run.Outputs.Where(x => x.Output["output_type"]?.GetValue<string>() == "stream")
            .Select(x => (x.Cell, Text: IpynbDocument.JoinText(x.Output["text"]))).ToList();
        var stderr = run.Outputs.FirstOrDefault(x => x.Output["output_type"]?.GetValue<string>() == "stream" && x.Output["name"]?.GetValue<string>() == "stderr" && IpynbDocument.JoinText(x.Output["text"]).Contains("rror"));
        Assert.True(stderr.Output == null, $"{notebook}: cell {stderr.Cell?.Number} wrote an error: {IpynbDocument.JoinText(stderr.Output?["text"])}");
        var warning = streams.FirstOrDefault(s => s.Text.Contains("warning CS"));
        Assert.True(warning.Text == null, $"{notebook}: cell {warning.Cell?.Number} shows a compiler warning: {warning.Text}");

        var html = run.Outputs.Select(x => x.Output["data"]?["text/html"]).Where(h => h != null).Select(h => IpynbDocument.JoinText(h)).ToList();
        var expected = Homes.ExpectedCharts(path);
        Assert.True(html.Sum(Homes.Charts) >= expected, $"{notebook}: {html.Sum(Homes.Charts)} charts in Jupyter, expected at least {expected}");
        if (expected > 0)
        {
            // JupyterLab has no require.js and nbconvert's pages must draw offline: the first chart carries plotly.js.
            var first = html.First(h => Homes.Charts(h) > 0);
            Assert.Contains("plotly.js v2.28.0", first);
        }
    }

    [Fact]
    public async Task Nbconvert_html_of_an_executed_notebook_draws_its_charts_offline()
    {
        output.WriteLine(Setup.Value);
        var folder = Path.Combine(OutFolder, "html");
        var run = await JupyterKernel.RunAsync(Path.Combine(Repository.Notebooks, "00-setup.ipynb"), folder, TimeSpan.FromMinutes(10));
        Assert.True(run.FirstError == null, run.FirstError);
        var page = await JupyterKernel.ToHtmlAsync(run.Path);
        var charts = Homes.Charts(File.ReadAllText(page));
        Assert.True(charts >= 3, $"{page}: {charts} charts (00-setup draws 3)");
        var dom = await Homes.RenderOfflineAsync(page);
        Assert.Equal(charts, Homes.DrawnCharts(dom));
    }

    [Fact]
    public void The_kernel_setup_is_idempotent_and_names_the_kernel()
    {
        Assert.Contains(JupyterKernel.Name, Setup.Value);
        var again = JupyterKernel.Install(Repository.Root);
        Assert.Contains("already registered", again);
        Assert.True(JupyterKernel.IsInstalled());
        var spec = JsonNode.Parse(File.ReadAllText(JupyterKernel.KernelSpec))!;
        Assert.Equal(new[] { "dotnet", "interactive", "jupyter" }, spec["argv"]!.AsArray().Take(3).Select(a => a!.GetValue<string>()));
    }

    public static IEnumerable<object[]> Notebooks() => Repository.SeminarNotebookNames();
}
