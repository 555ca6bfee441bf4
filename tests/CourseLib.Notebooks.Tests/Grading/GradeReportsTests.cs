using System.Diagnostics;
using System.Text.Json.Nodes;
using CourseLib.Notebooks.Grading;
using YamlDotNet.RepresentationModel;

namespace CourseLib.Notebooks.Tests.Grading;

/// <summary>
/// What instructors get besides the table and the JSON: the gradebook CSV, one feedback page per submission, and
/// the GitHub Classroom workflow. Built from results made by hand (no worker runs).
/// </summary>
[Trait("Category", "unit")]
public class GradeReportsTests
{
    static CheckVerdict Failed() => new("DiscountedReturn", ExerciseStatus.Failed, 60, 66, "failed: 6 of 66 cases give a wrong answer", "✘ ...", "The first reward is not discounted",
        [new JsonObject { ["case"] = "one step", ["input"] = "DiscountedReturn([2.5], gamma: 0.9)", ["expected"] = "2.5", ["got"] = "<2.25 & more>" }]);

    static readonly GradeRun Run = new(
    [
        new SubmissionResult
        {
            Submission = "/s/alice/01-mdps-and-trajectories.ipynb", Student = "alice", Status = SubmissionStatus.Graded, Score = 4, MaxScore = 7,
            Exercises =
            [
                new ExerciseResult("01-discounted-return-check", "01-discounted-return", false, 0, 2, ExerciseStatus.Failed, "✘ failed", [Failed()]),
                new ExerciseResult("01-discounted-return-hidden", "01-discounted-return", true, 0, 1, ExerciseStatus.Failed, "✘ failed", [Failed()]),
                new ExerciseResult("01-discounted-returns-check", "01-discounted-returns", false, 3, 3, ExerciseStatus.Passed, "passed.", []),
                new ExerciseResult("01-discounted-returns-hidden", "01-discounted-returns", true, 1, 1, ExerciseStatus.Passed, "passed.", []),
            ],
            Flags = [new ReferenceFlag("01-discounted-returns", "DiscountedReturns", "Returns.DiscountedReturns", 3)],
            Seconds = 12.5,
        },
        new SubmissionResult
        {
            Submission = "/s/=cmd|' /C calc'!A0, \"bob\"/homework.ipynb", Student = "=cmd|' /C calc'!A0, \"bob\"", Status = SubmissionStatus.Unmatched, Score = 0, MaxScore = 0,
            Exercises = [], Messages = ["no instructor's copy matches this notebook <script>"],
        },
    ], 7, "namespaces", new GradeOptions { CourseRoot = Repository.Root });

    [Fact]
    public void The_gradebook_has_one_row_per_student_and_exercise_and_is_safe_to_open_in_a_spreadsheet()
    {
        var lines = Gradebook.ToCsv(Run).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(Gradebook.Header, lines[0]);
        Assert.Equal("alice,01-mdps-and-trajectories.ipynb,01-discounted-return,0,3,failed,graded,no", lines[1]);
        Assert.Equal("alice,01-mdps-and-trajectories.ipynb,01-discounted-returns,4,4,passed,graded,yes", lines[2]);
        // A student's name that looks like a formula is escaped, and quoted because of its comma and quotes.
        Assert.Equal("\"'=cmd|' /C calc'!A0, \"\"bob\"\"\",homework.ipynb,,0,0,unmatched,unmatched,no", lines[3]);
        Assert.Equal(4, lines.Length);
    }

    [Fact]
    public void A_feedback_page_shows_points_failing_inputs_and_hints_in_the_course_style_and_escapes_everything()
    {
        var folder = Path.Combine(Path.GetTempPath(), "courselib-feedback-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            var pages = FeedbackPages.Write(Run, folder);
            Assert.Equal(2, pages.Count);
            Assert.Equal("alice-01-mdps-and-trajectories.html", Path.GetFileName(pages[0]));
            Assert.DoesNotContain("/", Path.GetFileName(pages[1])[..^5]);
            var alice = File.ReadAllText(pages[0]);
            Assert.Contains("4 / 7 points", alice);
            Assert.Contains("DiscountedReturn([2.5], gamma: 0.9)", alice);
            Assert.Contains("<td>2.5</td><td>&lt;2.25 &amp; more&gt;</td>", alice);
            Assert.Contains("Hint: The first reward is not discounted", alice);
            Assert.Contains("section.code pre", alice); // the course's page style
            Assert.DoesNotContain("Returns.DiscountedReturns", alice); // flags are for the instructor
            Assert.DoesNotContain("plotly", alice, StringComparison.OrdinalIgnoreCase); // small pages: no chart library
            var bob = File.ReadAllText(pages[1]);
            Assert.Contains("&lt;script&gt;", bob);
            Assert.DoesNotContain("<script>", bob);
        }
        finally { if (Directory.Exists(folder)) Directory.Delete(folder, true); }
    }

    // ---- answers graded by hand (open questions) ----

    static readonly GradeRun WithOpenQuestion = new(
    [
        new SubmissionResult
        {
            Submission = "/s/carol/99-grading-fixture.ipynb", Student = "carol", Status = SubmissionStatus.Graded, Score = 3, MaxScore = 3, PendingPoints = 2,
            Exercises =
            [
                new ExerciseResult("returns-check", "returns", false, 3, 3, ExerciseStatus.Passed, "passed.", []),
                new ExerciseResult("why-discount", "why-discount", false, 0, 2, ExerciseStatus.Manual, "graded by your instructor.", [])
                {
                    Answer = "Because <later> rewards\nare less certain.", ModelAnswer = "THE MODEL ANSWER: finite returns.",
                },
            ],
        },
    ], 7, "namespaces", new GradeOptions { CourseRoot = Repository.Root });

    [Fact]
    public void An_answer_graded_by_hand_is_listed_with_the_answer_and_the_model_answer_and_counted_as_pending()
    {
        // JSON: status manual, the answer and the model answer, the points pending (not in the score).
        var json = System.Text.Json.Nodes.JsonNode.Parse(WithOpenQuestion.ToJson())!;
        Assert.Equal("courselib-grades/1", json["format"]!.GetValue<string>());
        var submission = json["submissions"]![0]!;
        Assert.Equal(3, submission["score"]!.GetValue<double>());
        Assert.Equal(3, submission["max_score"]!.GetValue<double>());
        Assert.Equal(2, submission["pending_points"]!.GetValue<double>());
        var manual = submission["exercises"]![1]!;
        Assert.Equal("manual", manual["status"]!.GetValue<string>());
        Assert.Equal(0, manual["points"]!.GetValue<double>());
        Assert.Equal(2, manual["max_points"]!.GetValue<double>());
        Assert.Equal("Because <later> rewards\nare less certain.", manual["answer"]!.GetValue<string>());
        Assert.Equal("THE MODEL ANSWER: finite returns.", manual["model_answer"]!.GetValue<string>());
        Assert.Null(submission["exercises"]![0]!["answer"]); // only answers graded by hand carry them

        // Gradebook: a row of its own, points empty for the instructor to fill in.
        var lines = Gradebook.ToCsv(WithOpenQuestion).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("carol,99-grading-fixture.ipynb,why-discount,,2,manual,graded,no", lines[2]);

        // The table: the answer and the model answer, quoted line by line.
        var table = WithOpenQuestion.ToTable();
        Assert.Contains("carol: 99-grading-fixture.ipynb  3 / 3  (+ 2 to grade by hand)", table);
        Assert.Matches(@"why-discount\s+\? / 2\s+manual\s+to grade by hand", table);
        Assert.Contains("      | Because <later> rewards\n      | are less certain.", table);
        Assert.Contains("    model answer:\n      | THE MODEL ANSWER: finite returns.", table);

        // The feedback page: "graded by your instructor", the points pending, and nothing of the model answer.
        var page = FeedbackPages.Render(WithOpenQuestion.Submissions[0]);
        Assert.Contains("graded by your instructor", page);
        Assert.Contains("3 / 3 points", page);
        Assert.Contains("up to 2 points graded by your instructor", page);
        Assert.DoesNotContain("THE MODEL ANSWER", page);
        Assert.DoesNotContain("<section class=\"exercise\"><h2>why-discount", page); // not a failed exercise
    }

    [Fact]
    public void Statuses_roles_and_flag_kinds_are_written_with_the_documented_names()
    {
        Assert.Equal(["passed", "failed", "not-implemented", "error", "not-run", "manual", "partly-passed"], Enum.GetValues<ExerciseStatus>().Select(s => s.Name()));
        Assert.Equal(["graded", "unmatched", "self-checked", "unreadable", "error"], Enum.GetValues<SubmissionStatus>().Select(s => s.Name()));
        Assert.Equal(["setup", "context", "locked", "solution", "check"], Enum.GetValues<CellRole>().Select(r => r.Name()));
        Assert.Equal(["calls-reference"], Enum.GetValues<FlagKind>().Select(k => k.Name()));
        Assert.Equal(ExerciseStatus.NotImplemented, GradingNames.ParseCheckStatus("not-implemented"));
        Assert.Equal(ExerciseStatus.Error, GradingNames.ParseCheckStatus("something else"));
    }

    static readonly string WorkflowFile = Path.Combine(Repository.Root, ".github", "workflows", "classroom-autograding.yml");

    static YamlMappingNode Workflow()
    {
        var yaml = new YamlStream();
        using var reader = new StreamReader(WorkflowFile);
        yaml.Load(reader);
        return (YamlMappingNode)yaml.Documents.Single().RootNode;
    }

    static string Scalar(YamlNode node, params string[] path)
    {
        foreach (var key in path) node = ((YamlMappingNode)node).Children[new YamlScalarNode(key)];
        return ((YamlScalarNode)node).Value!;
    }

    [Fact]
    public async Task The_classroom_workflow_runs_a_grade_command_that_exists_on_a_notebook_that_exists()
    {
        var workflow = Workflow();
        Assert.True(workflow.Children.ContainsKey(new YamlScalarNode("on")));
        var steps = ((YamlSequenceNode)((YamlMappingNode)((YamlMappingNode)workflow.Children[new YamlScalarNode("jobs")]).Children[new YamlScalarNode("grade")]).Children[new YamlScalarNode("steps")]).Children.Cast<YamlMappingNode>().ToList();
        var grade = steps.Single(s => s.Children.ContainsKey(new YamlScalarNode("run")) && Scalar(s, "run").Contains(" grade "));
        var words = Scalar(grade, "run").Split(' ', StringSplitOptions.RemoveEmptyEntries);

        // dotnet run --project lib/CourseLib.Cli ... -- grade NOTEBOOK options
        var project = words[Array.IndexOf(words, "--project") + 1];
        Assert.True(File.Exists(Path.Combine(Repository.Root, project, "CourseLib.Cli.csproj")), project);
        var command = words[(Array.IndexOf(words, "--") + 1)..];
        Assert.Equal("grade", command[0]);
        Assert.True(File.Exists(Path.Combine(Repository.Root, command[1])), command[1]);
        var usage = new StringWriter();
        Assert.Equal(CourseLib.Cli.ExitCodes.Success, await CourseLib.Cli.CommandLine.RunAsync(["grade", "--help"], usage, TextWriter.Null));
        foreach (var option in command.Where(w => w.StartsWith("--", StringComparison.Ordinal)))
            Assert.Contains("  " + option + " <", usage.ToString());
        // A wrong option is refused, so the check above means something.
        Assert.Equal(2, await CourseLib.Cli.CommandLine.RunAsync(["grade", command[1], "--no-such-option"], TextWriter.Null, TextWriter.Null));

        // One autograding step per exercise of the notebook, with the exercise's points, and the reporter gets them all.
        var instructor = IpynbDocument.Load(Path.Combine(Repository.Root, "instructor", Path.GetFileName(command[1])));
        var cells = ExerciseCell.ReadAll(instructor);
        var solutions = cells.Where(c => c.Kind == ExerciseCellKind.Solution).Select(c => c.GradeId).ToList();
        var graders = steps.Where(s => s.Children.ContainsKey(new YamlScalarNode("uses")) && Scalar(s, "uses").StartsWith("classroom-resources/autograding-command-grader@", StringComparison.Ordinal)).ToList();
        Assert.Equal(solutions, graders.Select(s => Scalar(s, "with", "test-name")).ToList());
        foreach (var step in graders)
        {
            var exercise = Scalar(step, "with", "test-name");
            var points = cells.Where(c => c.IsCheck && OwnerOf(cells, c) == exercise).Sum(c => c.Points);
            Assert.Equal(points, double.Parse(Scalar(step, "with", "max-score"), System.Globalization.CultureInfo.InvariantCulture));
            Assert.Contains($"\"{exercise}\"", Scalar(step, "with", "command"));
        }
        var reporter = steps.Single(s => s.Children.ContainsKey(new YamlScalarNode("uses")) && Scalar(s, "uses").StartsWith("classroom-resources/autograding-grading-reporter@", StringComparison.Ordinal));
        Assert.Equal(graders.Select(s => Scalar(s, "id")), Scalar(reporter, "with", "runners").Split(','));
        foreach (var id in graders.Select(s => Scalar(s, "id")))
            Assert.Contains($"steps.{id}.outputs.result", Scalar(reporter, "env", id.ToUpperInvariant() + "_RESULTS"));
    }

    [Fact]
    public void The_workflows_jq_test_passes_an_exercise_only_when_all_its_checks_passed()
    {
        var steps = Workflow().AllNodes.OfType<YamlMappingNode>().Where(m => m.Children.ContainsKey(new YamlScalarNode("test-name"))).ToList();
        Assert.NotEmpty(steps);
        var json = Path.Combine(Path.GetTempPath(), "courselib-grades-" + Guid.NewGuid().ToString("N")[..8] + ".json");
        File.WriteAllText(json, new GradeRun([Run.Submissions[0]], 7, "namespaces", Run.Options).ToJson());
        try
        {
            foreach (var step in steps)
            {
                var exercise = Scalar(step, "test-name");
                var command = Scalar(step, "command");
                var filter = command[(command.IndexOf('\'') + 1)..command.LastIndexOf('\'')];
                bool expected = exercise == "01-discounted-returns"; // alice passed this one and failed the other
                Assert.Equal(expected, Jq(filter, json) == 0);
            }
        }
        finally { File.Delete(json); }
    }

    static string? OwnerOf(IReadOnlyList<ExerciseCell> cells, ExerciseCell check)
    {
        string? owner = null;
        foreach (var c in cells)
        {
            if (c.Kind == ExerciseCellKind.Solution) owner = c.GradeId;
            if (ReferenceEquals(c, check)) return owner;
        }
        return null;
    }

    static int Jq(string filter, string file)
    {
        if (!File.Exists("/usr/bin/jq")) Assert.Fail("jq is missing: run `bash build/install-test-deps.sh`.");
        var info = new ProcessStartInfo("/usr/bin/jq") { RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add("-e");
        info.ArgumentList.Add(filter);
        info.ArgumentList.Add(file);
        using var jq = Process.Start(info)!;
        jq.StandardOutput.ReadToEnd();
        jq.WaitForExit();
        return jq.ExitCode;
    }

    [Fact]
    public void The_json_reads_back_into_the_same_results()
    {
        // The grading tests read the results of `courselib grade` from its JSON: the reader keeps everything the JSON holds.
        var json = (Run with { Seconds = 612.34, PeakMemoryMegabytes = 148.4 }).ToJson();
        Assert.Contains("\"peak_memory_mb\": 148", json);
        Assert.Equal(json, GradedSubmissions.Read(json).ToJson());
    }

    [Fact]
    public void A_worker_killed_by_a_signal_near_its_memory_limit_is_told_it_ran_out_of_memory()
    {
        long limit = 1024L << 20;
        Assert.Equal("ran out of memory: it used 800 MB of the memory limit of 1024 MB and then crashed (a segmentation fault)",
            WorkerProcess.DescribeExit(139, "", 800L << 20, limit));
        Assert.StartsWith("ran out of memory: it used 900 MB of the memory limit of 1024 MB and then crashed (signal 6) (Unhandled exception. System.OutOfMemoryException",
            WorkerProcess.DescribeExit(134, "Unhandled exception. System.OutOfMemoryException: Insufficient memory", 900L << 20, limit));
        // Far from the limit a crash is a crash, and a stack overflow is named as one wherever the memory is.
        Assert.Equal("crashed with a segmentation fault (an invalid memory access)", WorkerProcess.DescribeExit(139, "", 300L << 20, limit));
        Assert.Equal("crashed with a stack overflow (endless recursion?)", WorkerProcess.DescribeExit(134, "Stack overflow.\n   at ...", 900L << 20, limit));
    }
}
