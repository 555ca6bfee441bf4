using System.Diagnostics;
using System.Security.Cryptography;

namespace CourseLib.Notebooks.Grading;

/// <summary>
/// Grades submitted notebooks against the instructors' copies, the way nbgrader does for Python: the student's
/// solution cells, the instructor's everything else (checks, hidden checks, setup), run top to bottom in a child
/// process per submission, with a time limit per cell and per submission, a memory limit and an output limit.
/// <para>
/// The grade never rests on what the child says about itself. A check cell makes the child print the raw answers
/// of the student's function on cases drawn from a seed the grader chose; the grader re-draws the same cases in its
/// own process, with the course library loaded before any submission ran, and compares the answers with the
/// reference. Printing a fake "passed", writing files, renaming or shadowing the check, or exiting early does not
/// earn points: only answers that agree with the reference on the grader's random cases do.
/// </para>
/// <para>
/// The jobs, one class each: <see cref="SubmissionFile"/> finds the submissions, <see cref="InstructorCopies"/>
/// matches each to an instructor's copy, <see cref="GradingPlan"/> decides which cells run with whose source,
/// <see cref="SubmissionRun"/> runs them in sandboxed workers (restarting and replaying after a cell that stopped
/// one), <see cref="CheckCellJudge"/> judges the check cells, <see cref="ManualAnswers"/> lists the answers graded by
/// hand, and this class puts it together, one submission at a time per worker slot.
/// </para>
/// </summary>
public sealed class Grader
{
    readonly GradeOptions _options;
    readonly CheckJudge _judge;
    readonly CheckCellJudge _checkCells;
    readonly InstructorCopies _instructorCopies;
    readonly Sandbox.Layout _layout;
    readonly SandboxMode _mode;
    readonly string? _sandboxWarning;
    readonly WorkerSlots _slots = new();

    /// <summary>The seed of this grader's checks.</summary>
    public int Seed { get; }

    /// <summary>The isolation in use: "namespaces" or "none".</summary>
    public string SandboxName => _mode == SandboxMode.Namespaces ? "namespaces" : "none";

    /// <summary>Prepares a grader: loads the course library's checks, finds the worker, probes the sandbox.</summary>
    public Grader(GradeOptions options)
    {
        _options = options;
        var root = Path.GetFullPath(options.CourseRoot);
        var library = Path.Combine(root, "artifacts", "notebook");
        _judge = CheckJudge.Load(library);
        _checkCells = new CheckCellJudge(_judge);
        _instructorCopies = new InstructorCopies(options.Instructor ?? Path.Combine(options.CourseRoot, "instructor"), _judge.Names);
        var worker = options.WorkerDll ?? Path.Combine(AppContext.BaseDirectory, "CourseLib.Cli.dll");
        if (!File.Exists(worker))
            worker = Path.Combine(Path.GetDirectoryName(typeof(Grader).Assembly.Location)!, "CourseLib.Cli.dll");
        if (!File.Exists(worker))
            throw new GraderException($"The grading worker (CourseLib.Cli.dll) is not beside {typeof(Grader).Assembly.Location}; build lib/CourseLib.Cli.");
        var data = Path.Combine(root, "data");
        _layout = new Sandbox.Layout(DotnetRoot(), Path.GetFullPath(worker), library, Directory.Exists(data) ? data : null);
        Seed = options.Seed ?? RandomNumberGenerator.GetInt32(1, int.MaxValue);

        _mode = options.Sandbox;
        if (_mode != SandboxMode.None)
        {
            string? error = "not Linux";
            bool available = OperatingSystem.IsLinux() && Sandbox.NamespacesAvailable(_layout, out error);
            if (!available)
            {
                if (_mode == SandboxMode.Namespaces)
                    throw new GraderException($"The namespace sandbox does not work here ({error}). Use --sandbox none to grade without it.");
                _sandboxWarning = $"not sandboxed (namespaces unavailable: {error}): the submission ran as your user and could read and write your files.";
                _mode = SandboxMode.None;
            }
            else _mode = SandboxMode.Namespaces;
        }
        else _sandboxWarning = "not sandboxed (--sandbox none): the submission ran as your user and could read and write your files.";
    }

    static string DotnetRoot()
    {
        // The runtime this process runs on: .../dotnet/shared/Microsoft.NETCore.App/<version>/System.Private.CoreLib.dll
        var runtime = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        var root = Path.GetFullPath(Path.Combine(runtime, "..", "..", ".."));
        if (File.Exists(Path.Combine(root, "dotnet"))) return root;
        var fromEnvironment = Environment.GetEnvironmentVariable("DOTNET_ROOT");
        if (fromEnvironment != null && File.Exists(Path.Combine(fromEnvironment, "dotnet"))) return fromEnvironment;
        throw new GraderException($"Cannot find the dotnet executable near {runtime}; set DOTNET_ROOT.");
    }

    /// <summary>
    /// Grades <paramref name="path"/>: one notebook, or a folder of submissions (each .ipynb in it is one student's;
    /// each subfolder is one student's, with one or more notebooks).
    /// </summary>
    public async Task<GradeRun> GradeAsync(string path, CancellationToken cancellationToken = default)
    {
        var clock = Stopwatch.StartNew();
        var submissions = SubmissionFile.Discover(path);
        if (submissions.Count == 0) throw new GraderException($"No notebooks (.ipynb) to grade in {path}.");
        var results = new SubmissionResult[submissions.Count];
        using var slots = new SemaphoreSlim(Math.Max(1, _options.Parallelism));
        await Task.WhenAll(submissions.Select(async (s, i) =>
        {
            await slots.WaitAsync(cancellationToken);
            try
            {
                results[i] = await GradeOneAsync(s, cancellationToken);
                _options.Log?.Invoke($"{(s.Student != null ? s.Student + ": " : "")}{Path.GetFileName(s.Path)}: {GradeRun.Points(results[i].Score)} / {GradeRun.Points(results[i].MaxScore)} in {results[i].Seconds:0.0} s");
            }
            finally { slots.Release(); }
        }));
        return new GradeRun(results, Seed, SandboxName, _options)
        {
            Seconds = clock.Elapsed.TotalSeconds,
            PeakMemoryMegabytes = ProcessTree.PeakResidentBytesOfThisProcess() / (double)(1 << 20),
        };
    }

    /// <summary>
    /// Grades one submission, whatever it does: an unexpected failure while grading it is that submission's result
    /// (status error, 0 points, the reason in its messages), so the others are still graded and written. Only the
    /// grader's own failures (a malformed instructor's copy, a worker that cannot start) end the run.
    /// </summary>
    async Task<SubmissionResult> GradeOneAsync(SubmissionFile submission, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        try
        {
            return await GradeSubmissionAsync(submission.Path, submission.Student, cancellationToken);
        }
        catch (Exception e) when (e is not (GraderException or OperationCanceledException))
        {
            return new SubmissionResult
            {
                Submission = submission.Path, Student = submission.Student, Status = SubmissionStatus.Error, Score = 0, MaxScore = 0, Exercises = [],
                Messages = [$"the grader could not grade this submission ({e.GetType().Name}: {e.Message}); 0 points. Please report it with the submission."],
                Seconds = clock.Elapsed.TotalSeconds,
            };
        }
    }

    /// <summary>Grades one submitted notebook.</summary>
    public async Task<SubmissionResult> GradeSubmissionAsync(string submissionPath, string? student = null, CancellationToken cancellationToken = default)
    {
        var clock = Stopwatch.StartNew();
        IpynbDocument submission;
        try
        {
            submission = IpynbDocument.Load(submissionPath);
        }
        catch (NotebookFormatException e)
        {
            var byName = _instructorCopies.Match(null, submissionPath);
            var exercises = byName == null ? [] : ExerciseCell.Validate(byName).Where(c => c.IsCheck)
                .Select(c => new ExerciseResult(c.GradeId, null, c.Kind == ExerciseCellKind.HiddenCheck, 0, c.Points, ExerciseStatus.NotRun, "not run: the submission is not a readable notebook.", [])).ToList();
            return new SubmissionResult
            {
                Submission = submissionPath, Student = student, Instructor = byName?.Path, Status = SubmissionStatus.Unreadable,
                Score = 0, MaxScore = exercises.Sum(x => x.MaxPoints), Exercises = exercises, Messages = [e.Message], Seconds = clock.Elapsed.TotalSeconds,
            };
        }

        var instructor = _instructorCopies.Match(submission, submissionPath);
        var messages = new List<string>();
        if (instructor == null && _instructorCopies.Any())
        {
            // Grading (the instructors' copies are here) and none matches: the submission's own check cells and
            // points would score it against itself, so it gets nothing, and the reason.
            return new SubmissionResult
            {
                Submission = submissionPath, Student = student, Status = SubmissionStatus.Unmatched, Score = 0, MaxScore = 0, Exercises = [],
                Messages = [$"no instructor's copy matches this notebook (no copy named {Path.GetFileName(submissionPath)}, and none shares the most solution cells' grade_ids with it: renamed file, edited grade_ids, or a tie): 0 points. Its own check cells are not used for a grade; match it to an instructor's copy by hand (rename the file) and grade again."],
                Seconds = clock.Elapsed.TotalSeconds,
            };
        }
        if (_sandboxWarning != null) messages.Add(_sandboxWarning);
        if (instructor == null)
            messages.Add("no instructor's copy here: checked against its own visible check cells only (a self-check, not a grade).");
        var plan = GradingPlan.Build(instructor ?? submission, submission, Seed, _options.AllCells, messages);
        var manual = ManualAnswers.Collect(instructor ?? submission, submission, messages);
        int slot = _slots.Take();
        RunResult run;
        try { run = await SubmissionRun.RunAsync(_options, _mode, _layout, plan, slot, messages, cancellationToken); }
        finally { _slots.Return(slot); }
        var checks = _checkCells.Judge(plan, run.Outcomes);
        // In the notebook's order: the check cells' results and the answers graded by hand.
        var exercisesResults = plan.Cells.Where(p => p.IsCheck).Select(p => p.Exercise!.Cell.Number).Zip(checks, (number, result) => (CellNumber: number, Result: result))
            .Concat(manual).OrderBy(x => x.CellNumber).Select(x => x.Result).ToList();
        var scored = exercisesResults.Where(e => e.Status != ExerciseStatus.Manual).ToList();
        return new SubmissionResult
        {
            Submission = submissionPath,
            Student = student,
            Instructor = instructor?.Path,
            Status = instructor == null ? SubmissionStatus.SelfChecked : SubmissionStatus.Graded,
            Score = Math.Round(scored.Sum(e => e.Points), 2),
            MaxScore = scored.Sum(e => e.MaxPoints),
            PendingPoints = exercisesResults.Where(e => e.Status == ExerciseStatus.Manual).Sum(e => e.MaxPoints),
            Exercises = exercisesResults,
            Messages = messages,
            Flags = Flags(plan),
            Seconds = clock.Elapsed.TotalSeconds,
            Restarts = run.Restarts,
            PeakMemoryMegabytes = run.PeakBytes / (double)(1 << 20),
        };
    }

    /// <summary>The solution cells (the student's own, not the stub) that name their exercise's reference or an equivalent library function.</summary>
    static List<ReferenceFlag> Flags(GradingPlan plan) => plan.Cells
        .Where(p => p.Role == CellRole.Solution && p.Source != p.StubSource)
        .SelectMany(p => ReferenceCalls.Find(p.Exercise!.GradeId, p.Source,
            plan.Cells.Where(c => c.IsCheck && c.OwnerSolution == p.Exercise.GradeId).SelectMany(c => c.Exercise!.CheckNames)))
        .ToList();
}
