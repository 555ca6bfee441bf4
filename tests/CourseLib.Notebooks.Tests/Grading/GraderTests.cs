using CourseLib.Notebooks.Grading;

namespace CourseLib.Notebooks.Tests.Grading;

[Collection("grading")]
[Trait("Category", "grading")]
public class GraderTests(GradedSubmissions graded) : IClassFixture<GradedSubmissions>
{
    static ExerciseResult Exercise(SubmissionResult submission, string gradeId) => submission.Exercises.Single(e => e.GradeId == gradeId);

    /// <summary>The second exercise (discounted-returns: 3 + 1 points) survives whatever the first one did.</summary>
    static void SecondExerciseKeepsItsPoints(SubmissionResult s)
    {
        Assert.Equal(3, Exercise(s, "discounted-returns-check").Points);
        Assert.Equal(1, Exercise(s, "discounted-returns-asserts").Points);
    }

    static void FirstExerciseEarnsNothing(SubmissionResult s)
    {
        Assert.Equal(0, Exercise(s, "discounted-return-check").Points);
        Assert.Equal(0, Exercise(s, "discounted-return-hidden").Points);
    }

    [Fact]
    public void The_instructors_copy_scores_full_marks_with_hidden_checks_run()
    {
        var s = graded["instructor"];
        Assert.Equal(SubmissionStatus.Graded, s.Status);
        Assert.Equal(7, s.MaxScore);
        Assert.Equal(7, s.Score);
        Assert.All(s.Exercises.Where(e => e.GradeId != "why-discount"), e => Assert.Equal(ExerciseStatus.Passed, e.Status));
        Assert.Equal(ExerciseStatus.Manual, Exercise(s, "why-discount").Status);
        var hidden = Exercise(s, "discounted-return-hidden");
        Assert.True(hidden.Hidden);
        Assert.True(hidden.Checks.Single().TotalCases > Exercise(s, "discounted-return-check").Checks.Single().TotalCases); // the larger, grading-only set
        Assert.Equal(0, s.Restarts);
    }

    [Fact]
    public void The_students_copy_compiles_and_scores_zero_as_not_implemented()
    {
        var s = graded["student-copy"];
        Assert.Equal(0, s.Score);
        Assert.Equal(7, s.MaxScore);
        Assert.Equal(ExerciseStatus.NotImplemented, Exercise(s, "discounted-return-check").Status);
        Assert.Equal(ExerciseStatus.NotImplemented, Exercise(s, "discounted-return-hidden").Status); // injected by the grader
        Assert.Equal(ExerciseStatus.NotImplemented, Exercise(s, "discounted-returns-check").Status);
        Assert.Contains("NotImplementedException", Exercise(s, "discounted-returns-asserts").Feedback);
        Assert.DoesNotContain(s.Exercises, e => e.Feedback.Contains("CS0")); // no compile errors
    }

    [Fact]
    public void A_wrong_answer_loses_its_exercise_and_gets_the_failing_input_expected_value_and_hint()
    {
        var s = graded["wrong-discount"];
        Assert.Equal(4, s.Score);
        var check = Exercise(s, "discounted-return-check");
        Assert.Equal(ExerciseStatus.Failed, check.Status);
        Assert.Contains("one step: the return is the reward: DiscountedReturn([2.5], gamma: 0.9)", check.Feedback);
        Assert.Contains("expected 2.5, got 2.25", check.Feedback);
        Assert.Contains("Hint: The first reward is not discounted", check.Feedback);
        Assert.Equal(ExerciseStatus.Failed, Exercise(s, "discounted-return-hidden").Status);
        SecondExerciseKeepsItsPoints(s);
    }

    [Fact]
    public void Partial_credit_is_the_fraction_of_cases_passed_where_the_check_allows_it()
    {
        var s = graded["partial-discounted-returns"];
        var check = Exercise(s, "discounted-returns-check");
        var verdict = check.Checks.Single();
        Assert.Equal(verdict.TotalCases - 1, verdict.PassedCases); // only the empty episode fails
        Assert.Equal(Math.Round(3.0 * verdict.PassedCases / verdict.TotalCases, 2), check.Points);
        Assert.InRange(check.Points, 2.9, 2.99);
        Assert.Contains("empty episode", check.Feedback);
        Assert.Contains("threw ArgumentException: an empty episode", check.Feedback);
        Assert.Equal(3, Exercise(s, "discounted-return-check").Points + Exercise(s, "discounted-return-hidden").Points);
        Assert.Equal(1, Exercise(s, "discounted-returns-asserts").Points);
    }

    [Fact]
    public void A_compile_error_is_reported_under_the_exercise_it_breaks()
    {
        var s = graded["compile-error"];
        FirstExerciseEarnsNothing(s);
        var feedback = Exercise(s, "discounted-return-check").Feedback;
        Assert.Contains("Your solution cell \"discounted-return\" failed", feedback);
        Assert.Contains("CS1002", feedback); // ; expected
        SecondExerciseKeepsItsPoints(s);
    }

    [Fact]
    public void An_exception_in_the_students_function_is_a_failed_case_not_a_crash()
    {
        var s = graded["throws"];
        FirstExerciseEarnsNothing(s);
        Assert.Equal(ExerciseStatus.Failed, Exercise(s, "discounted-return-check").Status);
        Assert.Contains("threw InvalidOperationException: my own bug", Exercise(s, "discounted-return-check").Feedback);
        Assert.Equal(0, s.Restarts);
        SecondExerciseKeepsItsPoints(s);
    }

    [Fact]
    public void An_edited_check_cell_is_replaced_by_the_instructors()
    {
        var s = graded["edited-check"];
        FirstExerciseEarnsNothing(s);
        Assert.Equal(ExerciseStatus.Failed, Exercise(s, "discounted-return-check").Status);
        SecondExerciseKeepsItsPoints(s);
    }

    [Fact]
    public void An_endless_loop_times_out_and_costs_only_its_exercise()
    {
        var s = graded["endless-loop"];
        FirstExerciseEarnsNothing(s);
        Assert.Contains($"timed out after {GradedSubmissions.CellTimeout.TotalSeconds:0} s", Exercise(s, "discounted-return-check").Feedback);
        Assert.Contains("was not run: an earlier check of this exercise timed out", Exercise(s, "discounted-return-hidden").Feedback);
        SecondExerciseKeepsItsPoints(s);
    }

    [Fact]
    public void An_endless_loop_in_the_solution_cell_itself_is_stopped_and_the_cell_replaced_by_its_stub()
    {
        var s = graded["endless-loop-at-top"];
        FirstExerciseEarnsNothing(s);
        Assert.Equal(ExerciseStatus.NotImplemented, Exercise(s, "discounted-return-check").Status);
        Assert.Contains("Your solution cell \"discounted-return\" timed out", Exercise(s, "discounted-return-check").Feedback);
        SecondExerciseKeepsItsPoints(s);
    }

    [Theory]
    [InlineData("stack-overflow", "stack overflow")]
    [InlineData("exit", "ended the grading process early (exit code 0")]
    [InlineData("crash", "crashed")]
    [InlineData("flood-stdout", "stopped: it wrote more than 16 MB of output")]
    [InlineData("memory-native", "more than the memory limit of 1024 MB")]
    public void A_worker_that_dies_or_is_stopped_costs_only_that_exercise_with_a_clear_message(string student, string message)
    {
        var s = graded[student];
        FirstExerciseEarnsNothing(s);
        var check = Exercise(s, "discounted-return-check");
        Assert.Equal(ExerciseStatus.Error, check.Status);
        Assert.Contains(message, check.Feedback);
        Assert.True(s.Restarts >= 1);
        SecondExerciseKeepsItsPoints(s);
    }

    [Fact]
    public void Flooding_the_cells_output_is_stopped_by_the_output_limit()
    {
        // The kernel keeps a cell's captured output until the cell ends. Unbounded, it filled the worker's heap, and what
        // came first depended on the machine's load: the memory limit, the cell limit, or a crash of the worker at its
        // heap limit (an unhandled OutOfMemoryException, or a segmentation fault, seen in CI). The worker now counts the
        // captured output and stops the cell at the output limit, long before that.
        var s = graded["flood-console"];
        FirstExerciseEarnsNothing(s);
        var check = Exercise(s, "discounted-return-check");
        Assert.Equal(ExerciseStatus.Error, check.Status);
        Assert.Contains($"stopped: it wrote more than {GradedSubmissions.OutputLimitMegabytes} MB of output", check.Feedback);
        Assert.True(s.Restarts >= 1);
        Assert.InRange(s.PeakMemoryMegabytes, 1, 1023); // stopped by the output limit, not at the memory limit
        SecondExerciseKeepsItsPoints(s);
    }

    [Fact]
    public void Filling_the_managed_heap_throws_OutOfMemoryException_in_the_students_code()
    {
        var s = graded["memory-managed"];
        FirstExerciseEarnsNothing(s);
        var check = Exercise(s, "discounted-return-check");
        Assert.Equal(ExerciseStatus.Failed, check.Status);
        Assert.Contains("threw OutOfMemoryException", check.Feedback);
        SecondExerciseKeepsItsPoints(s);
    }

    [Fact]
    public void Forged_output_a_shadowed_check_and_a_written_result_file_earn_nothing()
    {
        var s = graded["forgery"];
        FirstExerciseEarnsNothing(s);
        Assert.Equal(ExerciseStatus.Error, Exercise(s, "discounted-return-check").Status);
        Assert.Contains("ran on other cases than the grader chose (the output was tampered with)", Exercise(s, "discounted-return-check").Feedback);
        SecondExerciseKeepsItsPoints(s);
        Assert.False(File.Exists(GradedSubmissions.ForgedResultFile)); // the sandbox has no path to it
    }

    [Fact]
    public void A_submission_cannot_see_the_instructors_copy_or_the_repository()
    {
        var s = graded["reads-instructor"];
        var feedback = Exercise(s, "discounted-return-check").Feedback;
        Assert.DoesNotContain("BEGIN SOLUTION", feedback);
        Assert.Contains("LEAK:no-access", feedback);
    }

    [Fact]
    public void The_run_is_sandboxed_and_says_so()
    {
        Assert.Equal("namespaces", graded.Run.Sandbox);
        Assert.All(graded.Run.Submissions, s => Assert.DoesNotContain(s.Messages, m => m.StartsWith("not sandboxed", StringComparison.Ordinal)));
    }

    // ---- hole 1: answers decoded with sizes from the submission ----

    [Fact]
    public void Forged_matrix_sizes_for_the_graders_own_seed_are_wrong_answers_of_that_submission_only()
    {
        var s = graded["matrix-forgery"];
        Assert.Equal(SubmissionStatus.Graded, s.Status);
        var check = Exercise(s, "q-from-v-check");
        Assert.Equal(0, check.Points);
        Assert.Equal(ExerciseStatus.Failed, check.Status);
        Assert.Contains("a matrix of -1×4 (negative size)", check.Feedback);
        Assert.Contains("a matrix of 1×2147483647, more than 1048576 entries", check.Feedback);
    }

    // ---- hole 2: no score against the submission's own checks ----

    [Fact]
    public void A_notebook_that_matches_no_instructors_copy_gets_zero_with_the_reason_not_a_self_check()
    {
        var s = graded["renamed-ids"];
        Assert.Equal(SubmissionStatus.Unmatched, s.Status);
        Assert.Equal(0, s.Score);
        Assert.Empty(s.Exercises);
        Assert.Contains(s.Messages, m => m.StartsWith("no instructor's copy matches this notebook", StringComparison.Ordinal) && m.Contains("0 points"));
    }

    // ---- hole 3: processes and CPU ----

    [Fact]
    public void A_fork_bomb_is_held_to_the_process_limit_and_one_core_and_costs_only_its_exercise()
    {
        var s = graded["fork-bomb"];
        var check = Exercise(s, "discounted-return-check");
        Assert.Equal(ExerciseStatus.Failed, check.Status);
        var match = System.Text.RegularExpressions.Regex.Match(check.Feedback, @"FORKBOMB started (\d+) of 200, stopped by (\w+), cpus (\S+)");
        Assert.True(match.Success, check.Feedback);
        Assert.InRange(int.Parse(match.Groups[1].Value), 1, GradedSubmissions.MaxProcesses - 1);
        Assert.Equal("Win32Exception", match.Groups[2].Value); // fork failed: RLIMIT_NPROC
        Assert.Matches(@"^\d+$", match.Groups[3].Value); // one core
        SecondExerciseKeepsItsPoints(s);
    }

    [Fact]
    public void No_process_a_submission_started_outlives_the_run()
    {
        var processes = Processes();
        Assert.DoesNotContain(processes, p => p.CommandLine.Contains(GradedSubmissions.ForkBombMarker, StringComparison.Ordinal));
        // Nor the grader, nor any worker or sandbox it started: the workers run this test's build of the worker (its folder
        // is in each sandbox's command line), and the grader ran as a child of this process.
        var ours = processes.Where(p => p.CommandLine.StartsWith("unshare", StringComparison.Ordinal) && p.CommandLine.Contains(AppContext.BaseDirectory.TrimEnd('/'), StringComparison.Ordinal))
            .Select(p => p.Pid).ToHashSet();
        int self = Environment.ProcessId;
        Assert.DoesNotContain(processes, p => p.Pid == graded.GraderProcessId && p.CommandLine.Contains(" grade ", StringComparison.Ordinal));
        Assert.DoesNotContain(processes, p => ours.Contains(p.Pid) || p.Ancestors.Any(ours.Contains)
            || (p.Ancestors.Contains(self) && (p.CommandLine.Contains("grade-worker") || p.CommandLine.StartsWith("unshare"))));
    }

    static List<(int Pid, string CommandLine, List<int> Ancestors)> Processes()
    {
        var parents = new Dictionary<int, int>();
        var commands = new Dictionary<int, string>();
        foreach (var dir in Directory.GetDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid)) continue;
            try
            {
                var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                parents[pid] = int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[1]);
                commands[pid] = File.ReadAllText(Path.Combine(dir, "cmdline")).Replace('\0', ' ');
            }
            catch (IOException) { }
        }
        return commands.Select(c =>
        {
            var ancestors = new List<int>();
            for (int p = parents.GetValueOrDefault(c.Key); p > 1 && ancestors.Count < 64; p = parents.GetValueOrDefault(p)) ancestors.Add(p);
            return (c.Key, c.Value, ancestors);
        }).ToList();
    }

    [Fact]
    public void The_grader_stays_under_1_GB_with_a_result_for_each_of_more_than_20_submissions()
    {
        // The peak resident memory (VmHWM) of the `courselib grade` process, read by the grader at the end of the run:
        // the grader's own memory (each worker is a process of its own, held to --memory).
        Assert.InRange(graded.Run.PeakMemoryMegabytes, 1, 1023);
        Assert.True(graded.Run.Submissions.Count > 20, $"{graded.Run.Submissions.Count} submissions");
        Assert.All(graded.Run.Submissions, s => Assert.True(s.Status != SubmissionStatus.Graded || (s.Seconds > 0 && s.Exercises.Count > 0), s.Student));
    }

    // ---- hole 5: calling the reference ----

    [Fact]
    public void A_solution_that_calls_the_reference_is_flagged_in_the_report_and_the_json()
    {
        var s = graded["calls-reference"];
        Assert.Equal(7, s.Score); // the instructor decides
        var flag = Assert.Single(s.Flags);
        Assert.Equal(("discounted-return", "DiscountedReturn", "Returns.Discounted"), (flag.Exercise, flag.Check, flag.Calls));
        Assert.Empty(graded["instructor"].Flags);
        var json = System.Text.Json.Nodes.JsonNode.Parse(graded.Run.ToJson())!["submissions"]!.AsArray().Single(x => x!["student"]!.GetValue<string>() == "calls-reference")!;
        Assert.Equal("Returns.Discounted", json["flags"]![0]!["calls"]!.GetValue<string>());
        Assert.Contains("FLAG: solution \"discounted-return\" calls Returns.Discounted", graded.Run.ToTable());
    }

    // ---- open questions: answers graded by hand ----

    [Fact]
    public void An_open_question_is_listed_for_the_instructor_with_the_answer_and_the_model_answer_and_scores_nothing()
    {
        var s = graded["open-answer"];
        Assert.Equal(SubmissionStatus.Graded, s.Status);
        Assert.Equal((7, 7, 2), (s.Score, s.MaxScore, s.PendingPoints)); // its 2 points are pending, not in the score
        var answer = Exercise(s, "why-discount");
        Assert.Equal(ExerciseStatus.Manual, answer.Status);
        Assert.Equal((0, 2), (answer.Points, answer.MaxPoints));
        Assert.Equal(GradedSubmissions.OpenAnswer, answer.Answer);
        Assert.StartsWith("Discounting keeps the return finite", answer.ModelAnswer);
        Assert.Equal("why-discount", s.Exercises[^1].GradeId); // in the notebook's order: after the second exercise's checks

        var json = System.Text.Json.Nodes.JsonNode.Parse(graded.Run.ToJson())!["submissions"]!.AsArray().Single(x => x!["student"]!.GetValue<string>() == "open-answer")!;
        Assert.Equal(2, json["pending_points"]!.GetValue<double>());
        var entry = json["exercises"]!.AsArray().Single(e => e!["grade_id"]!.GetValue<string>() == "why-discount")!;
        Assert.Equal("manual", entry["status"]!.GetValue<string>());
        Assert.Equal(GradedSubmissions.OpenAnswer, entry["answer"]!.GetValue<string>());
        Assert.StartsWith("Discounting keeps", entry["model_answer"]!.GetValue<string>());
        Assert.Contains("open-answer,99-grading-fixture.ipynb,why-discount,,2,manual,graded,no", Gradebook.ToCsv(graded.Run));
        var table = graded.Run.ToTable();
        Assert.Contains("open-answer: 99-grading-fixture.ipynb  7 / 7  (+ 2 to grade by hand)", table);
        Assert.Contains("      | Because a reward now is worth more than the same reward later,", table);

        var page = FeedbackPages.Render(s);
        Assert.Contains("graded by your instructor", page);
        Assert.DoesNotContain("Discounting keeps", page);
    }

    [Fact]
    public void Nothing_about_an_open_question_can_fail_a_submission()
    {
        // Every graded submission lists it, whatever else it did (hostile ones included), and the students' copy says it is unanswered.
        foreach (var s in graded.Run.Submissions.Where(s => s.Status == SubmissionStatus.Graded && Path.GetFileName(s.Submission) == Submissions.FileName))
        {
            Assert.Equal(ExerciseStatus.Manual, Exercise(s, "why-discount").Status);
            Assert.Equal(2, s.PendingPoints);
        }
        var unanswered = Exercise(graded["student-copy"], "why-discount");
        Assert.Equal(Release.MarkdownStub, unanswered.Answer);
        Assert.Contains("still empty", unanswered.Feedback);
    }

    [Fact]
    public void An_unreadable_submission_scores_zero_without_failing_the_grader()
    {
        var s = graded["unreadable"];
        Assert.Equal(SubmissionStatus.Unreadable, s.Status);
        Assert.Equal(0, s.Score);
        Assert.Equal(7, s.MaxScore);
        Assert.Contains(s.Messages, m => m.Contains("not a valid notebook"));
    }

    [Fact]
    public void Every_submission_of_the_folder_has_a_result_and_the_json_holds_them_all()
    {
        var students = Directory.GetDirectories(GradedSubmissions.Folder).Select(Path.GetFileName).Order().ToList();
        Assert.Equal(students, graded.Run.Submissions.Select(s => s.Student).Order().ToList());
        var json = System.Text.Json.Nodes.JsonNode.Parse(graded.Run.ToJson())!;
        Assert.Equal("courselib-grades/1", json["format"]!.GetValue<string>());
        Assert.Equal(12345, json["seed"]!.GetValue<int>());
        Assert.Equal(students.Count, json["submissions"]!.AsArray().Count);
        var table = graded.Run.ToTable();
        Assert.Contains("wrong-discount: 99-grading-fixture.ipynb  4 / 7", table);
    }
}

/// <summary>The grading tests start many processes: one class at a time.</summary>
[CollectionDefinition("grading", DisableParallelization = true)]
public sealed class GradingCollection;
