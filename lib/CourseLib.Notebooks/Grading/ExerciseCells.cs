using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace CourseLib.Notebooks.Grading;

/// <summary>An instructor's notebook whose exercise cells are malformed; the message names the notebook and the cell.</summary>
public sealed class ExerciseFormatException(string message) : Exception(message);

/// <summary>What an exercise cell is for.</summary>
public enum ExerciseCellKind
{
    /// <summary>The student writes code here (nbgrader's "autograded answer"); no points of its own.</summary>
    Solution,
    /// <summary>A check the student sees and runs (nbgrader's "autograder tests"); carries points.</summary>
    Check,
    /// <summary>A check that only the grader runs: removed from the student's copy, injected at grading time.</summary>
    HiddenCheck,
    /// <summary>A read-only cell the exercises need (nbgrader's "read-only"); the grader runs it.</summary>
    Locked,
}

/// <summary>
/// An exercise cell, read from the cell's metadata. nbgrader's names are used where they fit:
/// <c>"nbgrader": {"grade_id", "points", "solution", "grade", "locked", "schema_version": 3}</c>; the course adds
/// <c>"courselib": {"hidden": true}</c> for hidden checks and <c>"courselib": {"partial_credit": true}</c> for a check
/// whose points are shared out by the fraction of cases passed.
/// </summary>
public sealed partial record ExerciseCell(NotebookCell Cell, ExerciseCellKind Kind, string GradeId, double Points, bool PartialCredit)
{
    /// <summary>The marker lines around an instructor's solution.</summary>
    public const string BeginSolution = "// BEGIN SOLUTION", EndSolution = "// END SOLUTION";

    /// <summary>True for a visible or hidden check.</summary>
    public bool IsCheck => Kind is ExerciseCellKind.Check or ExerciseCellKind.HiddenCheck;

    /// <summary>The checks a check cell calls (<c>Check.Name(</c>), in order; empty for a cell graded nbgrader's way (it passes when it runs without an error).</summary>
    public IReadOnlyList<string> CheckNames => CheckCall().Matches(Cell.Source).Select(m => m.Groups[1].Value).Distinct().ToList();

    [GeneratedRegex(@"(?<![\w.])(?:(?:global::)?CourseLib\.Exercises\.)?Check\.([A-Z]\w*)\s*\(")]
    private static partial Regex CheckCall();

    /// <summary>The exercise cell of <paramref name="cell"/>, or null when it is an ordinary cell.</summary>
    public static ExerciseCell? Read(NotebookCell cell, string notebookPath)
    {
        if (cell.Metadata["nbgrader"] is not JsonObject nbgrader) return null;
        string Where(string? id = null) => $"{notebookPath}: cell {cell.Number}{(id != null ? $" (grade_id \"{id}\")" : "")} (`{Shorten(cell.FirstLine)}`)";
        bool Flag(JsonNode? node) => node is JsonValue v && v.TryGetValue<bool>(out var b) && b;

        bool solution = Flag(nbgrader["solution"]), grade = Flag(nbgrader["grade"]), locked = Flag(nbgrader["locked"]);
        var courselib = cell.Metadata["courselib"] as JsonObject;
        bool hidden = Flag(courselib?["hidden"]), partial = Flag(courselib?["partial_credit"]);
        if (!solution && !grade && !locked) return null; // nbgrader metadata that marks nothing (e.g. "task": false)

        var gradeId = (nbgrader["grade_id"] as JsonValue)?.TryGetValue<string>(out var id) == true ? id : null;
        if (string.IsNullOrWhiteSpace(gradeId))
            throw new ExerciseFormatException($"{Where()}: an exercise cell needs a \"grade_id\" in its nbgrader metadata.");
        double points = 0;
        if (nbgrader["points"] is JsonValue p && !p.TryGetValue(out points))
            throw new ExerciseFormatException($"{Where(gradeId)}: \"points\" must be a number.");

        if (solution && grade)
            throw new ExerciseFormatException($"{Where(gradeId)}: a solution cell carries no points here; give the points to the check cell that tests it (set \"grade\": false on the solution cell).");
        if (hidden && !(grade && !solution))
            throw new ExerciseFormatException($"{Where(gradeId)}: only check cells (\"grade\": true, \"solution\": false) can be hidden.");
        if (grade && !cell.IsCode)
            throw new ExerciseFormatException($"{Where(gradeId)}: a check cell must be a code cell (markdown answers are graded by hand, which this grader does not do).");
        if (grade && (double.IsNaN(points) || points <= 0))
            throw new ExerciseFormatException($"{Where(gradeId)}: a check cell needs \"points\" greater than 0.");
        if (points < 0)
            throw new ExerciseFormatException($"{Where(gradeId)}: \"points\" must not be negative.");

        var kind = solution ? ExerciseCellKind.Solution
            : grade ? (hidden ? ExerciseCellKind.HiddenCheck : ExerciseCellKind.Check)
            : ExerciseCellKind.Locked;
        return new ExerciseCell(cell, kind, gradeId, grade ? points : 0, partial);
    }

    /// <summary>All exercise cells of a notebook, checked: unique grade ids, balanced solution markers.</summary>
    public static IReadOnlyList<ExerciseCell> ReadAll(IpynbDocument notebook)
    {
        var cells = notebook.Cells.Select(c => Read(c, notebook.Path)).OfType<ExerciseCell>().ToList();
        var duplicate = cells.GroupBy(c => c.GradeId).FirstOrDefault(g => g.Count() > 1);
        if (duplicate != null)
            throw new ExerciseFormatException($"{notebook.Path}: grade_id \"{duplicate.Key}\" is used by cells {string.Join(" and ", duplicate.Select(c => c.Cell.Number))}; each exercise cell needs its own.");
        return cells;
    }

    /// <summary>Checks an instructor's notebook: every solution cell has its markers, every check cell calls a check or asserts.</summary>
    public static IReadOnlyList<ExerciseCell> Validate(IpynbDocument instructor)
    {
        var cells = ReadAll(instructor);
        foreach (var cell in cells.Where(c => c.Kind == ExerciseCellKind.Solution))
            SolutionRegions(cell.Cell.Source, $"{instructor.Path}: cell {cell.Cell.Number} (grade_id \"{cell.GradeId}\")", requireOne: true);
        foreach (var cell in cells.Where(c => c.Kind != ExerciseCellKind.Solution))
            if (cell.Cell.Source.Contains(BeginSolution, StringComparison.Ordinal))
                throw new ExerciseFormatException($"{instructor.Path}: cell {cell.Cell.Number} (grade_id \"{cell.GradeId}\") has a solution marker but is not a solution cell (\"solution\": true).");
        return cells;
    }

    /// <summary>The line ranges (first, last, inclusive) of the solution regions in <paramref name="source"/>.</summary>
    internal static IReadOnlyList<(int Begin, int End)> SolutionRegions(string source, string where, bool requireOne)
    {
        var lines = source.Split('\n');
        var regions = new List<(int, int)>();
        int? open = null;
        for (int i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            if (line == BeginSolution)
            {
                if (open != null) throw new ExerciseFormatException($"{where}: \"{BeginSolution}\" on line {i + 1} before the previous one (line {open + 1}) was closed.");
                open = i;
            }
            else if (line == EndSolution)
            {
                if (open == null) throw new ExerciseFormatException($"{where}: \"{EndSolution}\" on line {i + 1} without a \"{BeginSolution}\" before it.");
                regions.Add((open.Value, i));
                open = null;
            }
        }
        if (open != null) throw new ExerciseFormatException($"{where}: \"{BeginSolution}\" on line {open + 1} is never closed by \"{EndSolution}\".");
        if (requireOne && regions.Count == 0)
            throw new ExerciseFormatException($"{where}: a solution cell needs its solution between \"{BeginSolution}\" and \"{EndSolution}\" lines (keep the method's signature outside, so the student's stub compiles).");
        return regions;
    }

    static string Shorten(string line) => line.Length > 60 ? line[..57] + "..." : line;
}
