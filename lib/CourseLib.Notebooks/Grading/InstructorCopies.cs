namespace CourseLib.Notebooks.Grading;

/// <summary>
/// The instructors' copies a grader grades against (a folder of NN-name.ipynb, or one notebook): each loaded and
/// validated once (malformed exercise cells, or a check the course library does not have, are the grader's failure),
/// and matched to submissions.
/// </summary>
internal sealed class InstructorCopies(string location, IReadOnlySet<string> checkNames)
{
    readonly string _location = Path.GetFullPath(location);
    readonly Dictionary<string, IpynbDocument> _loaded = new(StringComparer.Ordinal);

    /// <summary>True when grading (there are instructors' copies), false on a student's machine (a self-check).</summary>
    public bool Any() => File.Exists(_location) || (Directory.Exists(_location) && Release.InstructorCopies(_location).Any());

    /// <summary>
    /// The copy <paramref name="submissionPath"/> is graded against: the one notebook, else <c>instructor/&lt;same file
    /// name&gt;</c>, else (a renamed file) the copy that shares the most solution grade_ids with
    /// <paramref name="submission"/>; null when none does or two tie.
    /// </summary>
    public IpynbDocument? Match(IpynbDocument? submission, string submissionPath)
    {
        if (File.Exists(_location)) return Load(_location);
        if (!Directory.Exists(_location)) return null;
        var byName = Path.Combine(_location, Path.GetFileName(submissionPath));
        if (File.Exists(byName)) return Load(byName);
        if (submission == null) return null;
        var solutions = submission.Cells.Select(c => ExerciseCell.ReadOrNull(c, submission.Path)).OfType<ExerciseCell>()
            .Where(c => c.Kind == ExerciseCellKind.Solution).Select(c => c.GradeId).ToHashSet();
        var best = Release.InstructorCopies(_location)
            .Select(Load)
            .Select(copy => (Copy: copy, Shared: ExerciseCell.ReadAll(copy).Count(c => c.Kind == ExerciseCellKind.Solution && solutions.Contains(c.GradeId))))
            .Where(x => x.Shared > 0).OrderByDescending(x => x.Shared).ToList();
        return best.Count == 0 || (best.Count > 1 && best[1].Shared == best[0].Shared) ? null : best[0].Copy;
    }

    /// <summary>The copy at <paramref name="path"/>, loaded and validated once.</summary>
    IpynbDocument Load(string path)
    {
        lock (_loaded)
        {
            if (_loaded.TryGetValue(path, out var copy)) return copy;
            try
            {
                copy = IpynbDocument.Load(path);
                var cells = ExerciseCell.Validate(copy);
                foreach (var check in cells.Where(c => c.IsCheck))
                    foreach (var name in check.CheckNames.Where(n => !checkNames.Contains(n)))
                        throw new GraderException($"{path}: check cell \"{check.GradeId}\" calls Check.{name}, which the course library does not have (rebuild it?).");
            }
            catch (Exception e) when (e is NotebookFormatException or ExerciseFormatException)
            {
                throw new GraderException($"The instructor's copy is not usable: {e.Message}");
            }
            return _loaded[path] = copy;
        }
    }
}
