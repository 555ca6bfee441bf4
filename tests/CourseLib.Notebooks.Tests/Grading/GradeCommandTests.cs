using System.Text.Json.Nodes;
using CourseLib.Cli;

namespace CourseLib.Notebooks.Tests.Grading;

[Collection("grading")]
[Trait("Category", "grading")]
public class GradeCommandTests
{
    static async Task<(int Code, string Out, string Error)> Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = await CommandLine.RunAsync(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    static string Folder(string name)
    {
        var folder = Path.Combine(Repository.Root, "out", "test-grade-command", name);
        if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        return Directory.CreateDirectory(folder).FullName;
    }

    [Fact]
    public async Task Grade_prints_a_table_writes_json_and_exits_zero_whatever_the_scores()
    {
        var folder = Folder("submissions");
        // A folder of files: each file is one student's (a renamed file is matched by its grade_ids).
        Submissions.Instructor().Save(Path.Combine(folder, "ada.ipynb"));
        Submissions.StudentCopy().Save(Path.Combine(folder, "bob.ipynb"));
        var json = Path.Combine(folder, "..", "grades.json");
        var (code, stdout, stderr) = await Run("grade", folder, "--instructor", Submissions.InstructorFolder, "--json", json, "--seed", "99", "--parallel", "2", "--cell-timeout", "60", "--start-timeout", "240");
        Assert.True(code == ExitCodes.Success, stdout + stderr);
        Assert.Contains("ada: ada.ipynb  7 / 7", stdout);
        Assert.Contains("bob: bob.ipynb  0 / 7", stdout);
        Assert.Contains("not-implemented", stdout);
        Assert.Contains("seed 99", stdout);
        var results = JsonNode.Parse(File.ReadAllText(json))!;
        Assert.Equal(99, results["seed"]!.GetValue<int>());
        var submissions = results["submissions"]!.AsArray();
        Assert.Equal(new[] { "ada", "bob" }, submissions.Select(s => s!["student"]!.GetValue<string>()));
        Assert.Equal(7, submissions[0]!["score"]!.GetValue<double>());
        Assert.EndsWith("99-grading-fixture.ipynb", submissions[1]!["instructor"]!.GetValue<string>());
        Assert.Equal("not-implemented", submissions[1]!["exercises"]![0]!["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_notebook_without_an_instructors_copy_is_self_checked_against_its_own_visible_checks()
    {
        var folder = Folder("self-check");
        var path = Path.Combine(folder, "mine.ipynb");
        Submissions.Solved(("discounted-return", Submissions.DiscountedReturn(Submissions.RightDiscountedReturn))).Save(path);
        var (code, stdout, stderr) = await Run("grade", path, "--instructor", Path.Combine(folder, "no-instructor-here"), "--seed", "5", "--start-timeout", "240");
        Assert.True(code == ExitCodes.Success, stdout + stderr);
        Assert.Contains("[self-checked]", stdout);
        Assert.Contains("discounted-return-check", stdout);
        Assert.DoesNotContain("discounted-return-hidden", stdout);
        Assert.Contains("a self-check, not a grade", stdout);
        Assert.Contains("(none: no instructor's copy)", stdout); // an open question: no model answer to show
    }

    [Fact]
    public async Task A_broken_instructors_copy_is_a_grader_failure_with_its_own_exit_code()
    {
        var folder = Folder("broken-instructor");
        var instructor = Submissions.Instructor();
        var solution = instructor.Cells.First(c => c.Source.Contains("// BEGIN SOLUTION"));
        solution.Source = solution.Source.Replace("// END SOLUTION", "");
        var instructorPath = Path.Combine(folder, Submissions.FileName);
        instructor.Save(instructorPath);
        var submission = Path.Combine(folder, "submission.ipynb");
        Submissions.StudentCopy().Save(submission);
        var (code, _, stderr) = await Run("grade", submission, "--instructor", instructorPath);
        Assert.Equal(ExitCodes.GraderFailed, code);
        Assert.NotEqual(ExitCodes.NotebookFailed, code); // a failing grader is not a failing notebook
        Assert.Contains("is never closed", stderr);
    }

    [Theory]
    [InlineData("grade")]
    [InlineData("grade", "no-such-folder")]
    [InlineData("grade", "x.ipynb", "--timeout", "soon")]
    [InlineData("grade", "x.ipynb", "--sandbox", "docker")]
    [InlineData("grade", "x.ipynb", "--memory", "0")]
    [InlineData("grade", "x.ipynb", "--output-limit", "0")]
    [InlineData("grade", "x.ipynb", "--max-processes", "-3")]
    [InlineData("grade", "x.ipynb", "--start-timeout", "never")]
    [InlineData("grade", "x.ipynb", "--parallel", "two")]
    [InlineData("grade", "x.ipynb", "--cell-timeout", "-1")]
    [InlineData("grade", "x.ipynb", "--timeout", "Infinity")]
    [InlineData("grade", "a.ipynb", "b.ipynb")]
    [InlineData("grade", "x.ipynb", "--json")]
    [InlineData("grade", "--frobnicate")]
    [InlineData("release", "--frobnicate")]
    [InlineData("release", "--check", "--student-dist", "students-copy")]
    [InlineData("export", "--frobnicate")]
    public async Task Usage_errors_exit_with_2(params string[] args)
    {
        var (code, _, stderr) = await Run(args);
        Assert.Equal(ExitCodes.UsageError, code);
        Assert.StartsWith("courselib: ", stderr);
    }

    [Fact]
    public async Task Release_check_passes_when_the_student_copies_are_up_to_date()
    {
        var (code, stdout, stderr) = await Run("release", "--check");
        Assert.True(code == ExitCodes.Success, stdout + stderr);
        Assert.Contains("up to date", stdout);
    }
}
