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
    /// <summary>
    /// A markdown answer the instructor grades by hand (nbgrader's "manually graded answer": solution and grade, with
    /// points): the model answer sits between <see cref="ExerciseCell.BeginAnswer"/> and <see cref="ExerciseCell.EndAnswer"/>,
    /// release replaces it by "YOUR ANSWER HERE", and the grader lists the student's answer with the model answer for
    /// the instructor, never scores it.
    /// </summary>
    ManualAnswer,
}

/// <summary>
/// An exercise cell, read from the cell's metadata. nbgrader's names are used where they fit:
/// <c>"nbgrader": {"grade_id", "points", "solution", "grade", "locked", "schema_version": 3}</c>; the course adds
/// <c>"courselib": {"hidden": true}</c> for hidden checks and <c>"courselib": {"partial_credit": true}</c> for a check
/// whose points are shared out by the fraction of cases passed. A markdown cell with <c>solution</c>, <c>grade</c> and
/// points is an answer graded by hand (<see cref="ExerciseCellKind.ManualAnswer"/>).
/// </summary>
public sealed partial record ExerciseCell(NotebookCell Cell, ExerciseCellKind Kind, string GradeId, double Points, bool PartialCredit)
{
    /// <summary>The marker lines around an instructor's solution in a code cell.</summary>
    public const string BeginSolution = "// BEGIN SOLUTION", EndSolution = "// END SOLUTION";

    /// <summary>The marker lines around the model answer in a markdown answer cell (HTML comments: a page or a notebook shows nothing of them).</summary>
    public const string BeginAnswer = "<!-- BEGIN SOLUTION -->", EndAnswer = "<!-- END SOLUTION -->";

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

        if (solution && grade && cell.IsCode)
            throw new ExerciseFormatException($"{Where(gradeId)}: a code solution cell carries no points here; give the points to the check cell that tests it (set \"grade\": false on the solution cell). Only a markdown answer graded by hand has \"solution\" and \"grade\" both.");
        if (solution && !grade && !cell.IsCode)
            throw new ExerciseFormatException($"{Where(gradeId)}: a markdown solution cell is an answer graded by hand: give it \"grade\": true and \"points\".");
        if (hidden && !(grade && !solution))
            throw new ExerciseFormatException($"{Where(gradeId)}: only check cells (\"grade\": true, \"solution\": false) can be hidden.");
        if (grade && !solution && !cell.IsCode)
            throw new ExerciseFormatException($"{Where(gradeId)}: a check cell must be a code cell (a markdown answer graded by hand has \"solution\": true as well).");
        if (grade && (double.IsNaN(points) || points <= 0))
            throw new ExerciseFormatException($"{Where(gradeId)}: {(solution ? "an answer graded by hand" : "a check cell")} needs \"points\" greater than 0.");
        if (points < 0)
            throw new ExerciseFormatException($"{Where(gradeId)}: \"points\" must not be negative.");

        var kind = solution && grade ? ExerciseCellKind.ManualAnswer
            : solution ? ExerciseCellKind.Solution
            : grade ? (hidden ? ExerciseCellKind.HiddenCheck : ExerciseCellKind.Check)
            : ExerciseCellKind.Locked;
        return new ExerciseCell(cell, kind, gradeId, grade ? points : 0, partial);
    }

    /// <summary>The exercise cell of <paramref name="cell"/>, or null when it is an ordinary cell or its metadata is malformed (a submission's cells, which may be anything).</summary>
    internal static ExerciseCell? ReadOrNull(NotebookCell cell, string notebookPath)
    {
        try { return Read(cell, notebookPath); }
        catch (ExerciseFormatException) { return null; }
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

    /// <summary>True for a cell whose solution regions release replaces: a solution cell or an answer graded by hand.</summary>
    public bool HasSolution => Kind is ExerciseCellKind.Solution or ExerciseCellKind.ManualAnswer;

    /// <summary>
    /// Checks an instructor's notebook: every solution cell and every answer graded by hand has its markers (code
    /// cells <see cref="BeginSolution"/>, markdown cells <see cref="BeginAnswer"/>), and no other cell has one (release
    /// would hand it to students as it is).
    /// </summary>
    public static IReadOnlyList<ExerciseCell> Validate(IpynbDocument instructor)
    {
        var cells = ReadAll(instructor);
        foreach (var cell in cells.Where(c => c.HasSolution))
            SolutionRegions(cell.Cell.Source, cell.Cell.IsCode, $"{instructor.Path}: cell {cell.Cell.Number} (grade_id \"{cell.GradeId}\")", requireOne: true);
        var withSolutions = cells.Where(c => c.HasSolution).Select(c => c.Cell.Number).ToHashSet();
        foreach (var cell in instructor.Cells.Where(c => !withSolutions.Contains(c.Number)))
            if (cell.Source.Contains(BeginSolution, StringComparison.Ordinal) || cell.Source.Contains(BeginAnswer, StringComparison.Ordinal))
            {
                var id = cells.FirstOrDefault(c => c.Cell.Number == cell.Number)?.GradeId;
                throw new ExerciseFormatException($"{instructor.Path}: cell {cell.Number}{(id != null ? $" (grade_id \"{id}\")" : "")} has a solution marker but is not a solution cell (\"solution\": true).");
            }
        return cells;
    }

    /// <summary>The text of the solution regions of <paramref name="source"/> (the model answer; the marker lines left out), or null when it has none.</summary>
    public static string? SolutionText(string source, bool code)
    {
        var regions = SolutionRegions(source, code, "", requireOne: false);
        if (regions.Count == 0) return null;
        var lines = source.Split('\n');
        return string.Join("\n", regions.SelectMany(r => lines[(r.Begin + 1)..r.End])).Trim('\n');
    }

    /// <summary>
    /// The lines inside solution regions of <paramref name="source"/>, of either kind of marker, trimmed; unlike
    /// <see cref="SolutionRegions"/> it never throws (an unclosed region runs to the end).
    /// </summary>
    public static IEnumerable<string> SolutionLines(string source)
    {
        bool inside = false;
        foreach (var raw in source.Split('\n'))
        {
            var line = raw.Trim();
            if (line.StartsWith(BeginSolution, StringComparison.Ordinal) || line.StartsWith(BeginAnswer, StringComparison.Ordinal)) { inside = true; continue; }
            if (line.StartsWith(EndSolution, StringComparison.Ordinal) || line.StartsWith(EndAnswer, StringComparison.Ordinal)) { inside = false; continue; }
            if (inside) yield return line;
        }
    }

    /// <summary>
    /// The line ranges (first, last, inclusive) of the solution regions in <paramref name="source"/>, between
    /// <see cref="BeginSolution"/> and <see cref="EndSolution"/> lines in a code cell, <see cref="BeginAnswer"/> and
    /// <see cref="EndAnswer"/> lines in a markdown cell.
    /// </summary>
    internal static IReadOnlyList<(int Begin, int End)> SolutionRegions(string source, bool code, string where, bool requireOne)
    {
        var (begin, end) = code ? (BeginSolution, EndSolution) : (BeginAnswer, EndAnswer);
        var lines = source.Split('\n');
        var regions = new List<(int, int)>();
        int? open = null;
        for (int i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            if (line == begin)
            {
                if (open != null) throw new ExerciseFormatException($"{where}: \"{begin}\" on line {i + 1} before the previous one (line {open + 1}) was closed.");
                open = i;
            }
            else if (line == end)
            {
                if (open == null) throw new ExerciseFormatException($"{where}: \"{end}\" on line {i + 1} without a \"{begin}\" before it.");
                regions.Add((open.Value, i));
                open = null;
            }
        }
        if (open != null) throw new ExerciseFormatException($"{where}: \"{begin}\" on line {open + 1} is never closed by \"{end}\".");
        if (requireOne && regions.Count == 0)
            throw new ExerciseFormatException(code
                ? $"{where}: a solution cell needs its solution between \"{begin}\" and \"{end}\" lines (keep the method's signature outside, so the student's stub compiles)."
                : $"{where}: an answer graded by hand needs its model answer between \"{begin}\" and \"{end}\" lines.");
        return regions;
    }

    static string Shorten(string line) => line.Length > 60 ? line[..57] + "..." : line;
}
