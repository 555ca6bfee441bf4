using CourseLib.Notebooks;

namespace CourseLib.Notebooks.Tests.Pages;

/// <summary>
/// Every seminar notebook, executed, makes an HTML page that a student can read offline: the maths is typeset
/// (KaTeX, no TeX delimiters left), every chart has drawn (plotly's <c>.main-svg</c>), and no chart title is under
/// the mode bar or the play button. Checked in headless Chromium; the checked pages stay in out/pages-check/.
/// </summary>
[Collection("engine")]
[Trait("Category", "notebooks")]
public class HtmlPagesTests
{
    static readonly string Folder = Path.Combine(Repository.Root, "out", "pages-check");

    [Theory]
    [MemberData(nameof(Notebooks))]
    public async Task The_executed_page_shows_typeset_maths_and_drawn_charts_with_clear_titles(string notebook)
    {
        Chromium.Executable(); // fail before spending minutes on the run
        var result = await NotebookRunner.RunAsync(Path.Combine(Repository.Notebooks, notebook));
        Assert.True(result.Succeeded, $"{notebook}: {result.FirstError}");
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
