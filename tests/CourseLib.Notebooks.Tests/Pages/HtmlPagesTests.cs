using CourseLib.Notebooks;
using Xunit.Abstractions;

namespace CourseLib.Notebooks.Tests.Pages;

/// <summary>
/// Every seminar notebook runs top to bottom in the course's in-process engine (what `courselib run` uses), with no
/// failing cell and its charts; and its HTML page is one a student can read offline: the maths is typeset (KaTeX, no
/// TeX delimiters left), every chart has drawn (plotly's <c>.main-svg</c>), and no chart title is under the mode bar
/// or the play button. Checked in headless Chromium; the checked pages stay in out/pages-check/. With
/// <see cref="StockEngineTests"/>, <see cref="JupyterTests"/> and <see cref="AppTests"/>, every home of the course
/// is run on every notebook.
/// </summary>
[Collection("engine")]
[Trait("Category", "notebooks")]
public class HtmlPagesTests(ITestOutputHelper output)
{
    static readonly string Folder = Path.Combine(Repository.Root, "out", "pages-check");

    [Theory]
    [MemberData(nameof(Notebooks))]
    public async Task Runs_in_the_in_process_engine_and_its_page_shows_typeset_maths_and_drawn_charts_with_clear_titles(string notebook)
    {
        Chromium.Executable(); // fail before spending minutes on the run
        var path = Path.Combine(Repository.Notebooks, notebook);
        var result = await NotebookRunner.RunAsync(path);
        output.WriteLine($"in-process: {notebook} ran in {result.Elapsed.TotalSeconds:0.0} s");
        Assert.True(result.Succeeded, $"{notebook}: {result.FirstError}");
        var charts = result.Cells.SelectMany(c => c.Outputs)
            .Sum(o => o["data"]?["text/html"] is { } html ? Homes.Charts(IpynbDocument.JoinText(html)) : 0);
        Assert.True(charts >= Homes.ExpectedCharts(path), $"{notebook}: {charts} charts in the in-process engine");
        var stem = Path.GetFileNameWithoutExtension(notebook);
        var problems = await Chromium.CheckPageAsync(HtmlPage.Render(result.Document, stem), Path.Combine(Folder, stem + ".html"));
        Assert.True(problems.Count == 0, $"{notebook}: {problems.Count} problem(s) in the page:\n" + string.Join("\n", problems));
    }

    [Fact]
    public async Task The_check_finds_raw_TeX_a_chart_that_did_not_draw_and_a_covered_title()
    {
        var html = $$"""
<!DOCTYPE html><html><head><meta charset="utf-8"></head><body><main>
<p>Raw maths: \(x^2\) and $y_1$.</p>
<div class="courselib-plot" style="width:600px;height:300px"></div>
</main></body></html>
""";
        var problems = await Chromium.CheckPageAsync(html, Path.Combine(Folder, "check-self-test.html"));
        Assert.Contains(problems, p => p.StartsWith("raw TeX in the prose", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.EndsWith("did not draw", StringComparison.Ordinal));
    }

    public static IEnumerable<object[]> Notebooks() => Repository.SeminarNotebookNames();
}
