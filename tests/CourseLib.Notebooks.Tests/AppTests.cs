using CourseLib.Notebooks.Apps;
using Xunit.Abstractions;

namespace CourseLib.Notebooks.Tests;

/// <summary>
/// Every seminar notebook, exported as a C# file-based app (apps/NN-name.cs), runs with `dotnet run` to the end:
/// exit code 0, a report beside it with no error output and its charts, which draw offline.
/// </summary>
[Collection("apps")]
[Trait("Category", "notebooks")]
public class AppTests(ITestOutputHelper output)
{
    static readonly string Apps = Path.Combine(Repository.Root, AppExport.Folder);

    /// <summary>
    /// Runs an app as a student does (`dotnet run apps/NN-name.cs`). The libraries it references are already built by
    /// the solution's build (Release), so the app's build does not rebuild them (it would rewrite artifacts/notebook/ while
    /// other tests load it) and takes their Release outputs (`-c Release`: a clean clone has no Debug build of them).
    /// </summary>
    internal static Task<(int ExitCode, string Output)> RunAppAsync(string app) =>
        Homes.RunAsync("dotnet", Repository.Root, TimeSpan.FromMinutes(20), new Dictionary<string, string> { ["COURSELIB_PROGRESS"] = "none" },
            "run", "-c", "Release", "-p:BuildProjectReferences=false", app);

    [Theory]
    [MemberData(nameof(AppNames))]
    public async Task Runs_as_a_file_based_app_with_a_report_that_has_its_charts_and_no_error(string app)
    {
        var path = Path.Combine(Apps, app);
        var report = Path.ChangeExtension(path, ".html");
        if (File.Exists(report)) File.Delete(report);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var (exitCode, log) = await RunAppAsync(path);
        output.WriteLine($"app: {app} built and ran in {clock.Elapsed.TotalSeconds:0.0} s; {log.Split('\n').LastOrDefault(l => l.Contains("cells ran in"))?.Trim()}");
        Assert.True(exitCode == 0, $"dotnet run {AppExport.Folder}/{app} exited with {exitCode}:\n{Tail(log)}");
        Assert.True(File.Exists(report), $"{app} wrote no report {report}");
        var html = File.ReadAllText(report);
        Assert.DoesNotContain("class=\"output error\"", html);
        var expected = Homes.ExpectedCharts(Path.Combine(Repository.Notebooks, Path.ChangeExtension(app, ".ipynb")));
        Assert.True(Homes.Charts(html) >= expected, $"{app}: {Homes.Charts(html)} charts in its report, expected at least {expected}");
        // Every code cell of the notebook appears in the report, with the notebook's markdown.
        var notebook = IpynbDocument.Load(Path.Combine(Repository.Notebooks, Path.ChangeExtension(app, ".ipynb")));
        Assert.Equal(notebook.Cells.Count(c => c.Kind == "markdown"), System.Text.RegularExpressions.Regex.Matches(html, "<section class=\"markdown\">").Count);
        if (expected > 0) Assert.Equal(Homes.Charts(html), Homes.DrawnCharts(await Homes.RenderOfflineAsync(report)));
    }

    static string Tail(string text) => text.Length > 4000 ? text[^4000..] : text;

    public static IEnumerable<object[]> AppNames() =>
        SeminarNotebooks.List(Repository.Notebooks).Select(n => new object[] { AppExport.FileName(n) });
}

/// <summary>The committed apps are what `courselib export` makes of the students' notebooks, and the export is faithful.</summary>
[Trait("Category", "unit")]
public class AppExportTests
{
    [Fact]
    public void The_committed_apps_are_exactly_what_export_makes()
    {
        var stale = SeminarNotebooks.List(Repository.Notebooks).Where(n =>
        {
            var app = Path.Combine(Repository.Root, AppExport.Folder, AppExport.FileName(n));
            return !File.Exists(app) || File.ReadAllText(app) != AppExport.Export(IpynbDocument.Load(n), Path.GetFileNameWithoutExtension(n));
        }).Select(Path.GetFileName).ToList();
        Assert.True(stale.Count == 0, $"apps/ is not what export makes of {string.Join(", ", stale)}: run `dotnet run --project lib/CourseLib.Cli -c Release -- export`.");
        Assert.Equal(SeminarNotebooks.List(Repository.Notebooks).Count, Directory.GetFiles(Path.Combine(Repository.Root, AppExport.Folder), "*.cs").Length);
    }

    [Fact]
    public void Export_is_deterministic_and_keeps_cells_markdown_and_last_expressions()
    {
        var path = Path.Combine(Repository.Notebooks, "02-reinforce.ipynb");
        var notebook = IpynbDocument.Load(path);
        var first = AppExport.Export(notebook, "02-reinforce");
        Assert.Equal(first, AppExport.Export(IpynbDocument.Load(path), "02-reinforce"));
        Assert.Contains("#:project ../lib/CourseLib/CourseLib.csproj\n", first);
        Assert.Contains("#:property PublishAot=false\n", first);
        Assert.DoesNotContain("#r ", first);
        // Usings from every cell go to the top, once.
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(first, "^using CourseLib.Charts;$", System.Text.RegularExpressions.RegexOptions.Multiline));
        // A cell's last expression (no semicolon) is shown; a statement is left alone.
        Assert.Contains("App.Show(new ReinforceOptions());", first);
        Assert.Contains("App.Show(Check.RewardToGo(RewardToGo));", first);
        Assert.Contains("torch.set_num_threads(1);\n", first);
        // The report is made from the app's source: the same markdown and code cells as the notebook, in order.
        var cells = App.ParseSource(first).ToList();
        var expected = notebook.Cells.Where(c => c.Kind is "markdown" or "code").ToList();
        Assert.Equal(expected.Select(c => c.Kind), cells.Select(c => c.Kind));
        Assert.Equal(expected.Where(c => c.Kind == "markdown").Select(c => c.Source.TrimEnd()), cells.Where(c => c.Kind == "markdown").Select(c => c.Text));
        Assert.Equal(expected.Where(c => c.IsCode).Select(c => c.Number), cells.Where(c => c.Kind == "code").Select(c => c.Number));
    }

    [Fact]
    public void A_cell_that_declares_a_type_is_refused_with_the_cell_number()
    {
        var path = Repository.WriteNotebook("export-type.ipynb", "var x = 1;", "record Point(int X, int Y);");
        var error = Assert.Throws<NotebookFormatException>(() => AppExport.Export(IpynbDocument.Load(path), "export-type"));
        Assert.Contains("cell 2", error.Message);
    }
}

/// <summary>An exercise works in an app: the student writes the function in the app, and its check prints its report.</summary>
[Collection("apps")]
[Trait("Category", "notebooks")]
public class AppExerciseTests
{
    [Fact]
    public async Task A_solved_exercise_in_an_app_passes_its_check_and_the_report_says_so()
    {
        // An app in the repository (so it gets the same build), made from a small notebook with exercise 02's stub,
        // then solved as a student would solve it in the app.
        var folder = Path.Combine(Repository.Root, "out", "test-apps");
        Directory.CreateDirectory(folder);
        var notebook = Repository.WriteNotebook("exercise-app.ipynb",
            "#r \"../../artifacts/notebook/CourseLib.dll\"\nusing CourseLib.Exercises;",
            "double[] RewardToGo(double[] rewards)\n{\n    // YOUR CODE HERE\n    throw new NotImplementedException();\n}",
            "Check.RewardToGo(RewardToGo)");
        var source = AppExport.Export(IpynbDocument.Load(notebook), "exercise-app").Replace("#:project ../lib/", "#:project ../../lib/")
            .Replace("    // YOUR CODE HERE\n    throw new NotImplementedException();",
                     "    var toGo = new double[rewards.Length];\n    for (int t = rewards.Length - 1; t >= 0; t--) toGo[t] = rewards[t] + (t + 1 < rewards.Length ? toGo[t + 1] : 0);\n    return toGo;");
        var app = Path.Combine(folder, "exercise-app.cs");
        File.WriteAllText(app, source);
        var (exitCode, log) = await AppTests.RunAppAsync(app);
        Assert.True(exitCode == 0, log);
        Assert.Contains("passed: all", log);
        var report = File.ReadAllText(Path.ChangeExtension(app, ".html"));
        Assert.Contains("passed: all", report);
        Assert.DoesNotContain("class=\"output error\"", report);
    }
}

/// <summary>The apps share one build folder (artifacts/apps/): they build and run one at a time (beside the other homes).</summary>
[CollectionDefinition("apps")]
public sealed class AppsCollection;
