using System.Text.Json.Nodes;
using CourseLib.Notebooks.Grading;

namespace CourseLib.Notebooks.Tests.Grading;

/// <summary>
/// <c>courselib release --student-dist DIR</c>: the course as students may have it. No instructor's copy, no test
/// (fixtures and tests hold solutions), no file with a solution region or a hidden check, no line of any
/// instructor's solution outside the library; the students' notebooks are there as release made them, and the
/// solution file lists only projects that are there.
/// </summary>
[Trait("Category", "unit")]
public class StudentDistributionTests : IDisposable
{
    readonly string _target = Path.Combine(Path.GetTempPath(), "courselib-student-dist-" + Guid.NewGuid().ToString("N")[..8]);

    public void Dispose()
    {
        if (Directory.Exists(_target)) Directory.Delete(_target, recursive: true);
    }

    [Fact]
    public void The_student_distribution_holds_no_solution_and_no_hidden_check()
    {
        var result = StudentDistribution.Write(Repository.Root, _target);

        Assert.False(Directory.Exists(Path.Combine(_target, "instructor")));
        Assert.False(Directory.Exists(Path.Combine(_target, "tests")));
        Assert.Contains(result.LeftOut, l => l.Path == "instructor/");
        var files = Directory.GetFiles(_target, "*", SearchOption.AllDirectories);
        Assert.NotEmpty(files);
        foreach (var file in files)
        {
            Assert.Null(StudentDistribution.WhyLeftOut(file, null));
            if (!file.EndsWith(".ipynb", StringComparison.Ordinal)) continue;
            var text = File.ReadAllText(file);
            Assert.DoesNotContain("BEGIN SOLUTION", text);
            Assert.DoesNotContain("\"hidden\": true", text);
        }

        // Every line of every instructor's solution region (the longer ones) is absent outside the library (whose
        // public functions are the references, by design).
        var solutionLines = Release.InstructorCopies(Path.Combine(Repository.Root, "instructor"))
            .SelectMany(p => IpynbDocument.Load(p).Cells)
            .Where(c => ExerciseCell.Read(c, "instructor")?.Kind == ExerciseCellKind.Solution)
            .SelectMany(c => SolutionRegions(c.Source))
            .Where(l => l.Length >= 30)
            .ToHashSet();
        Assert.NotEmpty(solutionLines);
        foreach (var file in files.Where(f => !Path.GetRelativePath(_target, f).StartsWith("lib", StringComparison.Ordinal)))
        {
            var text = File.ReadAllText(file);
            foreach (var line in solutionLines)
                Assert.False(text.Contains(line, StringComparison.Ordinal), $"{Path.GetRelativePath(_target, file)} holds a solution line: {line}");
        }

        // The students' notebooks are exactly the released ones.
        foreach (var notebook in SeminarNotebooks.List(Path.Combine(Repository.Root, "notebooks")))
            Assert.Equal(File.ReadAllText(notebook), File.ReadAllText(Path.Combine(_target, "notebooks", Path.GetFileName(notebook))));

        // The solution file builds what is there.
        var sln = File.ReadAllText(Path.Combine(_target, "CourseLib.sln"));
        Assert.DoesNotContain("tests\\", sln);
        foreach (var project in System.Text.RegularExpressions.Regex.Matches(sln, "\"([^\"]+\\.csproj)\"").Select(m => m.Groups[1].Value))
            Assert.True(File.Exists(Path.Combine(_target, project.Replace('\\', '/'))), project);
        Assert.Contains("lib\\CourseLib\\CourseLib.csproj", sln);
    }

    [Fact]
    public void It_refuses_a_folder_inside_the_course_or_one_that_is_not_empty()
    {
        Assert.Throws<ArgumentException>(() => StudentDistribution.Write(Repository.Root, Path.Combine(Repository.Root, "out", "dist")));
        Directory.CreateDirectory(_target);
        File.WriteAllText(Path.Combine(_target, "x"), "");
        Assert.Throws<ArgumentException>(() => StudentDistribution.Write(Repository.Root, _target));
    }

    [Fact]
    public async Task The_release_command_takes_the_folder_and_refuses_a_bad_one()
    {
        Assert.Equal(CourseLib.Cli.CommandLine.UsageError, await CourseLib.Cli.CommandLine.RunAsync(["release", "--check", "--student-dist"], TextWriter.Null, TextWriter.Null));
        var stderr = new StringWriter();
        Assert.Equal(CourseLib.Cli.CommandLine.UsageError, await CourseLib.Cli.CommandLine.RunAsync(["release", "--student-dist", Repository.Root], TextWriter.Null, stderr));
        Assert.Contains("outside the course", stderr.ToString());
    }

    static IEnumerable<string> SolutionRegions(string source)
    {
        bool inside = false;
        foreach (var raw in source.Split('\n'))
        {
            var line = raw.Trim();
            if (line.StartsWith("// BEGIN SOLUTION", StringComparison.Ordinal)) { inside = true; continue; }
            if (line.StartsWith("// END SOLUTION", StringComparison.Ordinal)) { inside = false; continue; }
            if (inside) yield return line;
        }
    }
}
