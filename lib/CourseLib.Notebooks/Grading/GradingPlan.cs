using System.Security.Cryptography;
using System.Text;

namespace CourseLib.Notebooks.Grading;

/// <summary>One cell to run when grading a submission.</summary>
/// <param name="Index">Its place in the plan (0-based).</param>
/// <param name="Role">Why it runs.</param>
/// <param name="Source">What runs: the instructor's source, or the student's for a solution cell.</param>
/// <param name="StubSource">What runs in its place after it stopped a worker: the released stub for a solution cell, else the source.</param>
/// <param name="Exercise">The exercise cell of the instructor's copy, or null for an ordinary cell.</param>
/// <param name="OwnerSolution">For a check cell: the grade_id of the solution cell above it (the function it tests).</param>
/// <param name="Seed">For a check cell: the seed of its cases, derived from the run's seed and its grade_id.</param>
internal sealed record PlannedCell(int Index, CellRole Role, string Source, string StubSource, ExerciseCell? Exercise, string? OwnerSolution, int Seed)
{
    /// <summary>True for a visible or hidden check.</summary>
    public bool IsCheck => Exercise?.IsCheck == true;

    /// <summary>True for the student's code: a solution cell, or a check that calls it.</summary>
    public bool IsStudentCode => Role is CellRole.Solution or CellRole.Check;
}

/// <summary>
/// Which cells run when a submission is graded, with whose source: the instructor's copy's code cells top to
/// bottom, each solution cell's source taken from the student's cell of the same grade_id (a missing one becomes the
/// stub). Teaching cells are left out unless every cell is to run.
/// </summary>
internal sealed class GradingPlan
{
    /// <summary>The cells, in order.</summary>
    public IReadOnlyList<PlannedCell> Cells { get; }

    GradingPlan(IReadOnlyList<PlannedCell> cells) => Cells = cells;

    /// <summary>
    /// The plan of <paramref name="submission"/> against <paramref name="instructor"/> (the same document for a
    /// self-check); notes about missing solution cells go to <paramref name="messages"/>.
    /// </summary>
    public static GradingPlan Build(IpynbDocument instructor, IpynbDocument submission, int runSeed, bool allCells, List<string> messages)
    {
        var studentSolutions = new Dictionary<string, NotebookCell>(StringComparer.Ordinal);
        foreach (var cell in submission.Cells)
            if (ExerciseCell.ReadOrNull(cell, submission.Path) is { Kind: ExerciseCellKind.Solution } solution && !studentSolutions.ContainsKey(solution.GradeId))
                studentSolutions[solution.GradeId] = cell;

        var plan = new List<PlannedCell>();
        bool firstCode = true;
        string? owner = null;
        foreach (var cell in instructor.Cells.Where(c => c.IsCode))
        {
            var exercise = ReferenceEquals(instructor, submission) ? ExerciseCell.ReadOrNull(cell, instructor.Path) : ExerciseCell.Read(cell, instructor.Path);
            var role = exercise?.Kind switch
            {
                ExerciseCellKind.Solution => CellRole.Solution,
                ExerciseCellKind.Check or ExerciseCellKind.HiddenCheck => CellRole.Check,
                ExerciseCellKind.Locked => CellRole.Locked,
                _ => firstCode ? CellRole.Setup : CellRole.Context,
            };
            firstCode = false;
            if (role == CellRole.Context && !allCells) continue;
            var source = cell.Source;
            var stub = source;
            if (exercise?.Kind == ExerciseCellKind.Solution)
            {
                owner = exercise.GradeId;
                stub = Release.Stub(source, code: true, instructor.Path);
                if (studentSolutions.TryGetValue(exercise.GradeId, out var mine)) source = mine.Source;
                else
                {
                    source = stub;
                    messages.Add($"the submission has no solution cell \"{exercise.GradeId}\" (deleted, or its metadata changed?): graded as not implemented.");
                }
            }
            int seed = exercise?.IsCheck == true ? DeriveSeed(runSeed, exercise.GradeId) : 0;
            plan.Add(new PlannedCell(plan.Count, role, source, stub, exercise, exercise?.IsCheck == true ? owner : null, seed));
        }
        return new GradingPlan(plan);
    }

    /// <summary>The seed of one check cell's cases: a hash of the run's seed and the cell's grade_id.</summary>
    static int DeriveSeed(int seed, string gradeId)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{seed}:{gradeId}"));
        return (int)(BitConverter.ToUInt32(hash, 0) & 0x7FFF_FFFF);
    }
}
