using System.Text.Json.Nodes;

namespace CourseLib.Notebooks.Grading;

/// <summary>
/// The grader's verdict on each check cell of a plan, from what the cell did in the worker: the answer lines it
/// printed are bounded, parsed and handed to <see cref="CheckJudge"/>, which re-draws the cases from the grader's
/// own seed and compares them with the reference. Nothing else the worker says earns points: a check that reported
/// no answers, answers twice, or answers for other cases than the grader chose is an error of that check.
/// </summary>
internal sealed class CheckCellJudge(CheckJudge judge)
{
    /// <summary>The most JSON tokens of one check's answers line (bounds the grader's memory per line to some 40 MB; a check prints far fewer).</summary>
    internal const int MaxAnswerTokens = 400_000;

    /// <summary>One result per check cell of <paramref name="plan"/>, in order.</summary>
    public List<ExerciseResult> Judge(GradingPlan plan, CellOutcome?[] outcomes)
    {
        var solutionOutcomes = plan.Cells.Where(p => p.Role == CellRole.Solution).ToDictionary(p => p.Exercise!.GradeId, p => outcomes[p.Index]);
        var results = new List<ExerciseResult>();
        foreach (var cell in plan.Cells.Where(p => p.IsCheck))
        {
            string? solutionProblem = null;
            if (cell.OwnerSolution != null && solutionOutcomes.TryGetValue(cell.OwnerSolution, out var solution) && solution != null && !solution.Ok)
                solutionProblem = solution.Stopped != null
                    ? $"Your solution cell \"{cell.OwnerSolution}\" {solution.Stopped}; it was replaced by the empty stub."
                    : $"Your solution cell \"{cell.OwnerSolution}\" failed: {solution.Error}";
            results.Add(JudgeCell(cell, outcomes[cell.Index], solutionProblem));
        }
        return results;
    }

    ExerciseResult JudgeCell(PlannedCell cell, CellOutcome? outcome, string? solutionProblem)
    {
        var exercise = cell.Exercise!;
        var hidden = exercise.Kind == ExerciseCellKind.HiddenCheck;
        ExerciseResult Result(double points, ExerciseStatus status, string feedback, IReadOnlyList<CheckVerdict> checks) =>
            new(exercise.GradeId, cell.OwnerSolution, hidden, points, exercise.Points, status, feedback, checks);

        if (outcome == null)
            return Result(0, ExerciseStatus.NotRun, "not run: the submission's time or restart budget ran out before this check.", []);
        if (outcome.Stopped != null)
            return Result(0, ExerciseStatus.Error, Join($"This check {outcome.Stopped}; it earns no points.", solutionProblem), []);
        var names = exercise.CheckNames;
        if (names.Count == 0)
        {
            // An nbgrader-style check cell (asserts): it passes when it runs without an error.
            return outcome.Ok
                ? Result(exercise.Points, ExerciseStatus.Passed, "passed.", [])
                : Result(0, ExerciseStatus.Failed, Join($"The check failed: {outcome.Error}", solutionProblem), []);
        }
        var reported = ParseAnswers(outcome.Answers);
        var verdicts = new List<CheckVerdict>();
        var problems = new List<string>();
        foreach (var name in names)
        {
            var mine = reported.Where(r => (r["check"] as JsonValue)?.ToString() == name).ToList();
            if (mine.Count != 1 || mine[0]["answers"] is not JsonArray answers)
            {
                problems.Add(mine.Count > 1
                    ? $"Check.{name} reported its answers {mine.Count} times: the output was tampered with; no points."
                    : !outcome.Ok ? $"Check.{name} could not run: {outcome.Error}"
                    : $"Check.{name} reported no answers (was the check or the function renamed, shadowed or bypassed?); no points.");
                continue;
            }
            var seed = (mine[0]["seed"] as JsonValue)?.TryGetValue<int>(out var s) == true ? s : -1;
            var reportedHidden = (mine[0]["hidden"] as JsonValue)?.TryGetValue<bool>(out var h) == true && h;
            if (seed != cell.Seed || reportedHidden != hidden)
            {
                problems.Add($"Check.{name} ran on other cases than the grader chose (the output was tampered with); no points.");
                continue;
            }
            verdicts.Add(judge.Judge(name, cell.Seed, hidden, answers));
        }
        bool passed = problems.Count == 0 && verdicts.All(v => v.Passed);
        double points = passed ? exercise.Points
            : exercise.PartialCredit && problems.Count == 0 ? Math.Round(exercise.Points * verdicts.Average(v => v.Fraction), 2)
            : 0;
        var status = passed ? ExerciseStatus.Passed
            : problems.Count > 0 || verdicts.Any(v => v.Status == ExerciseStatus.Error) ? ExerciseStatus.Error
            : verdicts.All(v => v.Status == ExerciseStatus.NotImplemented) ? ExerciseStatus.NotImplemented
            : ExerciseStatus.Failed;
        var feedback = string.Join("\n", verdicts.Select(v => v.Text).Concat(problems));
        if (!passed) feedback = Join(feedback, solutionProblem);
        return Result(points, status, feedback, verdicts);
    }

    /// <summary>The answer lines are the submission's output: bounded in number, length and size before parsing; what does not parse is dropped.</summary>
    static List<JsonObject> ParseAnswers(IReadOnlyList<string> lines)
    {
        var reported = new List<JsonObject>();
        foreach (var line in lines.Take(GradeWorker.MaxAnswerLines))
        {
            if (line.Length > GradeWorker.MaxAnswerLength || !JsonBounds.Within(line, MaxAnswerTokens, 16)) continue;
            try { if (JsonNode.Parse(line) is JsonObject o) reported.Add(o); }
            catch (System.Text.Json.JsonException) { }
        }
        return reported;
    }

    static string Join(string first, string? second) => second == null ? first : first + "\n" + second;
}
