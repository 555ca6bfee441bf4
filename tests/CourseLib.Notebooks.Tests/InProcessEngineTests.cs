using Xunit.Abstractions;

namespace CourseLib.Notebooks.Tests;

/// <summary>
/// Every seminar notebook runs top to bottom in the course's in-process engine (what `courselib run` uses): no
/// failing cell, and its charts. With <see cref="StockEngineTests"/>, <see cref="JupyterTests"/> and
/// <see cref="AppTests"/>, every home of the course is run on every notebook.
/// </summary>
[Collection("engine")]
[Trait("Category", "notebooks")]
public class InProcessEngineTests(ITestOutputHelper output)
{
    [Theory]
    [MemberData(nameof(Notebooks))]
    public async Task Runs_in_the_in_process_engine_with_its_charts(string notebook)
    {
        var path = Path.Combine(Repository.Notebooks, notebook);
        var result = await NotebookRunner.RunAsync(path);
        output.WriteLine($"in-process: {notebook} ran in {result.Elapsed.TotalSeconds:0.0} s");
        Assert.True(result.Succeeded, $"{notebook}: {result.FirstError}");
        var charts = result.Cells.SelectMany(c => c.Outputs)
            .Sum(o => o["data"]?["text/html"] is { } html ? Homes.Charts(IpynbDocument.JoinText(html)) : 0);
        Assert.True(charts >= Homes.ExpectedCharts(path), $"{notebook}: {charts} charts in the in-process engine");
    }

    public static IEnumerable<object[]> Notebooks() => Repository.SeminarNotebookNames();
}
