using CourseLib.Notebooks.Grading;

namespace CourseLib.Notebooks.Tests.Grading;

/// <summary>The submissions of the "write the loop" grading tests (notebooks 05 and 06), made from a notebook.</summary>
static class LoopSubmissions
{
    /// <summary>Writes <paramref name="notebook"/> as <paramref name="student"/>'s submission, as a student hands it in: without the hidden checks.</summary>
    public static void Hand(string folder, string student, IpynbDocument notebook, string notebookName, string prefix)
    {
        var copy = notebook.Clone();
        foreach (var cell in copy.Cells.Where(c => ExerciseCell.Read(c, prefix)?.Kind == ExerciseCellKind.HiddenCheck).ToList())
            ((System.Text.Json.Nodes.JsonArray)cell.Json.Parent!).Remove(cell.Json);
        copy.Save(Path.Combine(Directory.CreateDirectory(Path.Combine(folder, student)).FullName, notebookName));
    }

    /// <summary>A copy of <paramref name="notebook"/> whose solution cell <paramref name="gradeId"/> holds <paramref name="source"/>.</summary>
    public static IpynbDocument WithSolution(IpynbDocument notebook, string prefix, string gradeId, string source)
    {
        var copy = notebook.Clone();
        copy.Cells.Single(c => ExerciseCell.Read(c, prefix)?.GradeId == gradeId).Source = source;
        return copy;
    }

    /// <summary>A submission's score and every exercise's result, for assertion messages.</summary>
    public static string Describe(SubmissionResult s) =>
        $"{s.Student}: {s.Score} / {s.MaxScore}\n" + string.Join("\n", s.Exercises.Select(e => $"{e.GradeId}: {e.Status} {e.Points}/{e.MaxPoints} {e.Feedback}"));
}
