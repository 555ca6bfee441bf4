using CourseLib.Notebooks;

namespace CourseLib.Notebooks.Tests;

/// <summary>Paths of the repository under test, and small notebooks written for a test.</summary>
static class Repository
{
    public static readonly string Root = SeminarNotebooks.FindRoot(AppContext.BaseDirectory);
    public static readonly string Notebooks = Path.Combine(Root, "notebooks");

    public static IEnumerable<object[]> SeminarNotebookNames() =>
        SeminarNotebooks.List(Notebooks).Select(p => new object[] { Path.GetFileName(p) });

    /// <summary>A notebook in a temporary folder beside notebooks/ (so "../artifacts" resolves), from C# cell sources.</summary>
    public static string WriteNotebook(string name, params string[] cells)
    {
        var folder = Path.Combine(Root, "out", "test-notebooks");
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, name);
        var cellJson = cells.Select(source => new System.Text.Json.Nodes.JsonObject
        {
            ["cell_type"] = "code",
            ["execution_count"] = null,
            ["metadata"] = new System.Text.Json.Nodes.JsonObject { ["polyglot_notebook"] = new System.Text.Json.Nodes.JsonObject { ["kernelName"] = "csharp" } },
            ["outputs"] = new System.Text.Json.Nodes.JsonArray(),
            ["source"] = source,
        });
        var notebook = new System.Text.Json.Nodes.JsonObject
        {
            ["cells"] = new System.Text.Json.Nodes.JsonArray(cellJson.ToArray<System.Text.Json.Nodes.JsonNode>()),
            ["metadata"] = new System.Text.Json.Nodes.JsonObject(),
            ["nbformat"] = 4,
            ["nbformat_minor"] = 5,
        };
        File.WriteAllText(path, notebook.ToJsonString());
        return path;
    }

    public const string LoadCourseLib = "#r \"../../artifacts/notebook/CourseLib.dll\"\nusing CourseLib.Charts;";
}

/// <summary>Tests that run notebooks in this process share the working directory: run them one at a time.</summary>
[CollectionDefinition("engine", DisableParallelization = true)]
public sealed class EngineCollection;
