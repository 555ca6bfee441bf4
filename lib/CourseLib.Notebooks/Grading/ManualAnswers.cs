namespace CourseLib.Notebooks.Grading;

/// <summary>
/// The answers a submission gives to open questions (markdown answer cells graded by hand, nbgrader's "manually
/// graded answer"): never run and never scored by the grader. Each becomes a result with status
/// <see cref="ExerciseStatus.Manual"/>, 0 points of its <c>points</c> (counted as pending, not in the score), the
/// student's answer and the instructor's model answer, for the instructor to grade. Nothing about them can fail a run.
/// </summary>
internal static class ManualAnswers
{
    /// <summary>The longest answer kept in the results (the rest is cut): a student's cell may hold anything.</summary>
    public const int MaxAnswerLength = 20_000;

    /// <summary>What a student sees for such an answer.</summary>
    public const string Feedback = "graded by your instructor";

    /// <summary>
    /// One result per answer cell graded by hand in <paramref name="instructor"/>, with the number of its cell there
    /// (to keep the notebook's order); notes about missing answers go to <paramref name="messages"/>.
    /// </summary>
    public static IReadOnlyList<(int CellNumber, ExerciseResult Result)> Collect(IpynbDocument instructor, IpynbDocument submission, List<string> messages)
    {
        var results = new List<(int, ExerciseResult)>();
        var questions = instructor.Cells.Select(c => ExerciseCell.ReadOrNull(c, instructor.Path)).OfType<ExerciseCell>()
            .Where(c => c.Kind == ExerciseCellKind.ManualAnswer).ToList();
        if (questions.Count == 0) return results;
        var answers = new Dictionary<string, NotebookCell>(StringComparer.Ordinal);
        foreach (var cell in submission.Cells)
            if (ExerciseCell.ReadOrNull(cell, submission.Path) is { } exercise && !answers.ContainsKey(exercise.GradeId))
                answers[exercise.GradeId] = cell;
        foreach (var question in questions)
        {
            string? answer = null;
            string feedback = Feedback + ".";
            if (answers.TryGetValue(question.GradeId, out var cell))
            {
                answer = Cut(cell.Source.Trim());
                if (answer.Length == 0 || answer == Release.MarkdownStub)
                    feedback = $"{Feedback} (your answer cell is still empty: \"{Release.MarkdownStub}\").";
            }
            else
            {
                messages.Add($"the submission has no answer cell \"{question.GradeId}\" (deleted, or its metadata changed?): nothing to grade by hand.");
                feedback = $"{Feedback} (no answer cell \"{question.GradeId}\" was found in your notebook).";
            }
            // In a self-check the "instructor's copy" is the student's own: its answer region holds no model answer.
            var model = ReferenceEquals(instructor, submission) ? null : ExerciseCell.SolutionText(question.Cell.Source, code: false);
            results.Add((question.Cell.Number, new ExerciseResult(question.GradeId, question.GradeId, false, 0, question.Points, ExerciseStatus.Manual, feedback, [])
            {
                Answer = answer,
                ModelAnswer = model,
            }));
        }
        return results;
    }

    static string Cut(string text) => text.Length <= MaxAnswerLength ? text : text[..MaxAnswerLength] + " … (cut)";
}
