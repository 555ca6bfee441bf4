using CourseLib.Notebooks;

namespace CourseLib.Notebooks.Tests;

/// <summary>Every seminar notebook runs top to bottom in the stock engine that VS Code's Polyglot Notebooks uses.</summary>
[Trait("Category", "notebooks")]
public class StockEngineTests
{
    static readonly Lazy<bool> ToolsRestored = new(() => { StockEngine.RestoreTools(Repository.Root); return true; });

    [Theory]
    [MemberData(nameof(Notebooks))]
    public async Task Runs_in_the_stock_dotnet_interactive_engine(string notebook)
    {
        Assert.True(ToolsRestored.Value);
        var result = await StockEngine.RunAsync(Path.Combine(Repository.Notebooks, notebook), Repository.Root, TimeSpan.FromMinutes(10));
        Assert.True(result.Succeeded, $"{notebook}: {result.FirstError}");
        // Charts render through the course's convention-based HTML formatter in the stock engine too.
        if (File.ReadAllText(Path.Combine(Repository.Notebooks, notebook)).Contains("Chart."))
            Assert.Contains(result.Cells.SelectMany(c => c.Outputs), o => o["data"]?["text/html"] is { } html && IpynbDocument.JoinText(html).Contains("Plotly.newPlot"));
    }

    [Fact]
    public async Task Reports_a_failing_cell_from_the_stock_engine()
    {
        Assert.True(ToolsRestored.Value);
        var path = Repository.WriteNotebook("stock-failing.ipynb", "var fine = 2;", "throw new Exception(\"stock failure\");");
        var result = await StockEngine.RunAsync(path, Repository.Root, TimeSpan.FromMinutes(2));
        Assert.False(result.Succeeded);
        Assert.Contains("stock failure", result.FirstError);
        Assert.StartsWith("cell 2", result.FirstError);
    }

    public static IEnumerable<object[]> Notebooks() => Repository.SeminarNotebookNames();
}
