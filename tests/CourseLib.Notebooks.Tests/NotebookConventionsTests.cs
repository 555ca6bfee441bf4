using CourseLib.Notebooks;

namespace CourseLib.Notebooks.Tests;

/// <summary>The seminar notebooks follow the course's conventions (d2l's discipline: notebooks and library never drift).</summary>
[Trait("Category", "unit")]
public class NotebookConventionsTests
{
    public static IEnumerable<object[]> Notebooks() => Repository.SeminarNotebookNames();

    static IpynbDocument Load(string name) => IpynbDocument.Load(Path.Combine(Repository.Notebooks, name));

    [Theory]
    [MemberData(nameof(Notebooks))]
    public void Is_committed_without_outputs(string notebook)
    {
        var cells = Load(notebook).Cells.Where(c => c.IsCode).ToList();
        Assert.All(cells, c => Assert.Empty(c.Json["outputs"]?.AsArray() ?? new System.Text.Json.Nodes.JsonArray()));
        Assert.All(cells, c => Assert.Null(c.Json["execution_count"]));
    }

    [Theory]
    [MemberData(nameof(Notebooks))]
    public void Is_a_CSharp_notebook_whose_first_code_cell_loads_the_course_library(string notebook)
    {
        var document = Load(notebook);
        Assert.Equal(".net-csharp", document.Metadata["kernelspec"]?["name"]?.GetValue<string>());
        Assert.Equal("csharp", document.DefaultLanguage);
        Assert.All(document.Cells.Where(c => c.IsCode), c => Assert.Equal("csharp", c.Language(document.DefaultLanguage)));
        var first = document.Cells.First(c => c.IsCode);
        Assert.StartsWith("#r \"../artifacts/notebook/CourseLib.dll\"", first.Source);
        Assert.Equal("markdown", document.Cells[0].Kind); // it opens by saying what it teaches
    }

    [Theory]
    [MemberData(nameof(Notebooks))]
    public void Is_listed_in_the_README(string notebook)
    {
        Assert.Contains($"`notebooks/{notebook}`", File.ReadAllText(Path.Combine(Repository.Root, "README.md")));
    }
}
