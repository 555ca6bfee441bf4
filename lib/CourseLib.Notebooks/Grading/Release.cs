using System.Text.Json.Nodes;

namespace CourseLib.Notebooks.Grading;

/// <summary>
/// Makes students' copies from instructors' copies (nbgrader's "generate assignment"): every solution region
/// between <c>// BEGIN SOLUTION</c> and <c>// END SOLUTION</c> becomes a stub that compiles and throws
/// <see cref="NotImplementedException"/>, every model answer between <c>&lt;!-- BEGIN SOLUTION --&gt;</c> and
/// <c>&lt;!-- END SOLUTION --&gt;</c> in a markdown answer cell becomes "YOUR ANSWER HERE", hidden checks are
/// removed, outputs are cleared. Deterministic: the same instructor's copy always gives the same bytes.
/// </summary>
public static class Release
{
    /// <summary>The lines that replace a solution region in a code cell (indented like the BEGIN marker).</summary>
    public const string CodeStub = "// YOUR CODE HERE\nthrow new NotImplementedException();";

    /// <summary>The line that replaces a model answer in a markdown answer cell.</summary>
    public const string MarkdownStub = "YOUR ANSWER HERE";

    /// <summary>The student's copy of <paramref name="instructor"/>.</summary>
    public static IpynbDocument StudentCopy(IpynbDocument instructor)
    {
        var exercises = ExerciseCell.Validate(instructor);
        var copy = instructor.Clone();
        copy.ClearOutputs();
        var hidden = exercises.Where(e => e.Kind == ExerciseCellKind.HiddenCheck).Select(e => e.Cell.Number - 1).ToHashSet();
        foreach (var exercise in exercises.Where(e => e.HasSolution))
        {
            var cell = copy.Cells[exercise.Cell.Number - 1];
            cell.Source = Stub(cell.Source, cell.IsCode, $"{instructor.Path}: cell {cell.Number}");
        }
        foreach (var i in hidden.OrderDescending())
        {
            var json = copy.Cells[i].Json;
            ((JsonArray)json.Parent!).Remove(json);
        }
        return IpynbDocument.Parse(copy.ToJson(), instructor.Path);
    }

    /// <summary>The student's copy as the file release writes (nbformat's JSON layout, see <see cref="NotebookJson"/>).</summary>
    public static string StudentCopyJson(IpynbDocument instructor) =>
        NotebookJson.Write(JsonNode.Parse(StudentCopy(instructor).ToJson())!);

    /// <summary>The source with every solution region replaced by the stub: <see cref="CodeStub"/> in a code cell, <see cref="MarkdownStub"/> in a markdown cell.</summary>
    public static string Stub(string source, bool code, string where)
    {
        var regions = ExerciseCell.SolutionRegions(source, code, where, requireOne: false);
        if (regions.Count == 0) return source;
        var lines = source.Split('\n');
        var result = new List<string>();
        int next = 0;
        foreach (var (begin, end) in regions)
        {
            result.AddRange(lines[next..begin]);
            var indent = lines[begin][..(lines[begin].Length - lines[begin].TrimStart().Length)];
            result.AddRange((code ? CodeStub : MarkdownStub).Split('\n').Select(l => indent + l));
            next = end + 1;
        }
        result.AddRange(lines[next..]);
        return string.Join("\n", result);
    }

    /// <summary>
    /// Folds edits made to a student's copy (teaching cells changed by a merge, say) back into the instructor's copy:
    /// the result is the student's copy with the instructor's solutions in its solution cells (and model answers in
    /// its answer cells graded by hand) and the instructor's
    /// hidden checks re-inserted where they were (after the cell that preceded each). Releasing the result gives the
    /// edited student's copy again. Refuses when the student's copy lost solution cells the instructor's copy has.
    /// </summary>
    public static IpynbDocument UpdateInstructorCopy(IpynbDocument instructor, IpynbDocument student)
    {
        var exercises = ExerciseCell.Validate(instructor);
        var solutions = exercises.Where(e => e.HasSolution).ToDictionary(e => e.GradeId, e => e.Cell.Source);
        var studentCells = student.Cells.Select(c => (Cell: c, Exercise: ExerciseCell.Read(c, student.Path))).ToList();
        var missing = solutions.Keys.Except(studentCells.Where(c => c.Exercise?.HasSolution == true).Select(c => c.Exercise!.GradeId)).ToList();
        if (missing.Count > 0)
            throw new ExerciseFormatException($"{student.Path} has no solution cell {string.Join(", ", missing.Select(m => $"\"{m}\""))} of {instructor.Path}: refusing to drop exercises (restore the cells, or edit the instructor's copy by hand).");

        var result = student.Clone();
        foreach (var cell in result.Cells)
            if (ExerciseCell.Read(cell, student.Path) is { HasSolution: true } solution && solutions.TryGetValue(solution.GradeId, out var source))
                cell.Source = source;

        // Hidden checks go back after the cell that preceded them in the instructor's copy (found by grade_id, else by source).
        var cells = (JsonArray)result.Cells[0].Json.Parent!;
        foreach (var hidden in exercises.Where(e => e.Kind == ExerciseCellKind.HiddenCheck))
        {
            int index = hidden.Cell.Number - 1, anchorAt = -1;
            for (int before = index - 1; before >= 0 && anchorAt < 0; before--)
            {
                var anchor = instructor.Cells[before];
                var anchorId = ExerciseCell.Read(anchor, instructor.Path)?.GradeId;
                for (int i = 0; i < cells.Count && anchorAt < 0; i++)
                {
                    var candidateCell = new NotebookCell((JsonObject)cells[i]!, i + 1);
                    var candidateId = ExerciseCell.Read(candidateCell, student.Path)?.GradeId;
                    if (anchorId != null ? candidateId == anchorId : candidateCell.Source == anchor.Source && candidateCell.Kind == anchor.Kind)
                        anchorAt = i;
                }
            }
            cells.Insert(anchorAt + 1, hidden.Cell.Json.DeepClone());
        }
        return IpynbDocument.Parse(result.ToJson(), instructor.Path);
    }

    /// <summary>The instructors' copies in <paramref name="instructorFolder"/> (NN-name.ipynb), in order.</summary>
    public static IReadOnlyList<string> InstructorCopies(string instructorFolder) => SeminarNotebooks.List(instructorFolder);

    /// <summary>
    /// Writes the student's copy of each named instructor's copy (all when <paramref name="names"/> is empty) into
    /// <paramref name="studentFolder"/>; returns the files written, with whether each changed.
    /// </summary>
    public static IReadOnlyList<(string Path, bool Changed)> Run(string instructorFolder, string studentFolder, IReadOnlyList<string> names)
    {
        var sources = names.Count == 0
            ? InstructorCopies(instructorFolder)
            : names.Select(n => SeminarNotebooks.Resolve(n, instructorFolder)).ToList();
        // Generate all first: a malformed instructor's copy stops the release before anything is written.
        var copies = sources.Select(s => (Source: s, Json: StudentCopyJson(IpynbDocument.Load(s)))).ToList();
        Directory.CreateDirectory(studentFolder);
        var written = new List<(string, bool)>();
        foreach (var (source, json) in copies)
        {
            var target = Path.Combine(studentFolder, Path.GetFileName(source));
            bool changed = !File.Exists(target) || File.ReadAllText(target) != json;
            if (changed) File.WriteAllText(target, json);
            written.Add((target, changed));
        }
        return written;
    }
}
