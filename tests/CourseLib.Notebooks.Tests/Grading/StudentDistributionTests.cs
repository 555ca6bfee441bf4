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
            .Where(c => ExerciseCell.Read(c, "instructor")?.HasSolution == true)
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
    public void A_model_answer_of_an_open_question_never_reaches_the_student_distribution()
    {
        // A small course of its own: an instructor's copy with an open question, its released student's copy, a
        // notebook that kept the model answer's markers and a page that quotes the model answer.
        var course = Path.Combine(Path.GetTempPath(), "courselib-dist-course-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            Directory.CreateDirectory(Path.Combine(course, "instructor"));
            Directory.CreateDirectory(Path.Combine(course, "notebooks"));
            Directory.CreateDirectory(Path.Combine(course, "docs"));
            File.WriteAllText(Path.Combine(course, "CourseLib.sln"), "");
            var instructor = Path.Combine(course, "instructor", Submissions.FileName);
            File.Copy(Submissions.InstructorCopy, instructor);
            File.WriteAllText(Path.Combine(course, "notebooks", Submissions.FileName), Release.StudentCopyJson(IpynbDocument.Load(instructor)));
            var model = ExerciseCell.SolutionText(Submissions.Instructor().Cells.Single(c => ExerciseCell.Read(c, "x")?.Kind == ExerciseCellKind.ManualAnswer).Source, code: false)!;
            File.WriteAllText(Path.Combine(course, "docs", "answers.md"), "The answer to the open question:\n" + model + "\n");
            File.WriteAllText(Path.Combine(course, "notebooks", "98-kept-markers.ipynb"),
                "{\"cells\": [{\"cell_type\": \"markdown\", \"metadata\": {}, \"source\": [\"<!-- BEGIN SOLUTION -->\\n\", \"an answer\\n\", \"<!-- END SOLUTION -->\"]}], \"metadata\": {}, \"nbformat\": 4, \"nbformat_minor\": 5}\n");

            Assert.Contains(model, StudentDistribution.SolutionLines(Path.Combine(course, "instructor")));
            var result = StudentDistribution.Write(course, _target);
            Assert.Contains(result.LeftOut, l => l.Path == "docs/answers.md" && l.Reason.StartsWith("holds a line of an instructor's solution", StringComparison.Ordinal));
            Assert.Contains(result.LeftOut, l => l.Path == "notebooks/98-kept-markers.ipynb" && l.Reason.Contains("BEGIN SOLUTION"));
            Assert.Contains("notebooks/" + Submissions.FileName, result.Written);
            foreach (var file in Directory.GetFiles(_target, "*", SearchOption.AllDirectories))
            {
                var text = File.ReadAllText(file);
                Assert.DoesNotContain(model, text);
                Assert.DoesNotContain("BEGIN SOLUTION", text);
            }
            Assert.Contains(Release.MarkdownStub, File.ReadAllText(Path.Combine(_target, "notebooks", Submissions.FileName)));
        }
        finally { Directory.Delete(course, recursive: true); }
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
        Assert.Equal(CourseLib.Cli.ExitCodes.UsageError, await CourseLib.Cli.CommandLine.RunAsync(["release", "--check", "--student-dist"], TextWriter.Null, TextWriter.Null));
        var stderr = new StringWriter();
        Assert.Equal(CourseLib.Cli.ExitCodes.UsageError, await CourseLib.Cli.CommandLine.RunAsync(["release", "--student-dist", Repository.Root], TextWriter.Null, stderr));
        Assert.Contains("outside the course", stderr.ToString());
    }

    static IEnumerable<string> SolutionRegions(string source)
    {
        bool inside = false;
        foreach (var raw in source.Split('\n'))
        {
            var line = raw.Trim();
            if (line.StartsWith("// BEGIN SOLUTION", StringComparison.Ordinal) || line.StartsWith("<!-- BEGIN SOLUTION -->", StringComparison.Ordinal)) { inside = true; continue; }
            if (line.StartsWith("// END SOLUTION", StringComparison.Ordinal) || line.StartsWith("<!-- END SOLUTION -->", StringComparison.Ordinal)) { inside = false; continue; }
            if (inside) yield return line;
        }
    }
}
