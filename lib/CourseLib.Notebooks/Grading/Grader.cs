using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace CourseLib.Notebooks.Grading;

/// <summary>Settings of a grading run.</summary>
public sealed record GradeOptions
{
    /// <summary>The course repository: its artifacts/notebook (the built library) and data/ are what workers get. Required.</summary>
    public required string CourseRoot { get; init; }

    /// <summary>The instructors' copies: a folder of NN-name.ipynb, or one notebook. Default: instructor/ in <see cref="CourseRoot"/>.</summary>
    public string? Instructor { get; init; }

    /// <summary>The longest one submission may run in all (restarts included). Default: 10 minutes.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>The longest one cell may run; a cell over it is stopped and the rest of the notebook still graded. Default: 60 s.</summary>
    public TimeSpan CellTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>The longest a worker may take to start its kernel. Default: 60 s.</summary>
    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>The memory limit of a worker (its whole process tree's resident memory; the .NET heap's hard limit is half of it). Default: 2048 MB.</summary>
    public int MemoryMegabytes { get; init; } = 2048;

    /// <summary>The most a worker may write to its standard output. Default: 32 MB.</summary>
    public long OutputLimitBytes { get; init; } = 32L << 20;

    /// <summary>How the worker is isolated. Default: namespaces when available.</summary>
    public SandboxMode Sandbox { get; init; } = SandboxMode.Auto;

    /// <summary>The seed of the checks' random cases; null draws a fresh one (written to the results, so a run can be repeated).</summary>
    public int? Seed { get; init; }

    /// <summary>Run every code cell (nbgrader's way) instead of only the first code cell, read-only cells, solutions and checks.</summary>
    public bool AllCells { get; init; }

    /// <summary>How many submissions are graded at once. Default: half the processors (at least 1).</summary>
    public int Parallelism { get; init; } = Math.Max(1, Environment.ProcessorCount / 2);

    /// <summary>
    /// The most processes and threads a worker may have at once (RLIMIT_NPROC in the namespace sandbox; the worker
    /// itself uses about 40 threads). Default: 256.
    /// </summary>
    public int MaxProcesses { get; init; } = 256;

    /// <summary>How often a submission's worker may be restarted after a cell stopped it. Default: 6.</summary>
    public int MaxRestarts { get; init; } = 6;

    /// <summary>The worker's entry (CourseLib.Cli.dll); default: found beside this library.</summary>
    public string? WorkerDll { get; init; }

    /// <summary>Called with progress lines (one per submission).</summary>
    public Action<string>? Log { get; init; }
}

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
/// </summary>
public sealed class Grader
{
    readonly GradeOptions _options;
    readonly CheckJudge _judge;
    readonly Sandbox.Layout _layout;
    readonly SandboxMode _mode;
    readonly string? _sandboxWarning;
    readonly Dictionary<string, IpynbDocument> _instructorCopies = new(StringComparer.Ordinal);

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
        var submissions = Discover(path);
        if (submissions.Count == 0) throw new GraderException($"No notebooks (.ipynb) to grade in {path}.");
        var results = new SubmissionResult[submissions.Count];
        using var slots = new SemaphoreSlim(Math.Max(1, _options.Parallelism));
        await Task.WhenAll(submissions.Select(async (s, i) =>
        {
            await slots.WaitAsync(cancellationToken);
            try
            {
                results[i] = await GradeOneAsync(s.Path, s.Student, cancellationToken);
                _options.Log?.Invoke($"{(s.Student != null ? s.Student + ": " : "")}{Path.GetFileName(s.Path)}: {GradeRun.Points(results[i].Score)} / {GradeRun.Points(results[i].MaxScore)} in {results[i].Seconds:0.0} s");
            }
            finally { slots.Release(); }
        }));
        return new GradeRun(results, Seed, SandboxName, _options);
    }

    static IReadOnlyList<(string Path, string? Student)> Discover(string path)
    {
        if (File.Exists(path)) return [(Path.GetFullPath(path), null)];
        if (!Directory.Exists(path)) throw new GraderException($"{path}: no such notebook or folder.");
        var found = new List<(string, string?)>();
        foreach (var file in Directory.GetFiles(path, "*.ipynb").Order(StringComparer.Ordinal))
            found.Add((Path.GetFullPath(file), Path.GetFileNameWithoutExtension(file)));
        foreach (var folder in Directory.GetDirectories(path).Order(StringComparer.Ordinal))
        {
            if (Path.GetFileName(folder).StartsWith('.')) continue;
            foreach (var file in Directory.GetFiles(folder, "*.ipynb", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
                if (!file.Contains(".ipynb_checkpoints", StringComparison.Ordinal))
                    found.Add((Path.GetFullPath(file), Path.GetFileName(folder)));
        }
        return found;
    }

    /// <summary>
    /// Grades one submission, whatever it does: an unexpected failure while grading it is that submission's result
    /// (status "error", 0 points, the reason in its messages), so the others are still graded and written. Only the
    /// grader's own failures (a malformed instructor's copy, a worker that cannot start) end the run.
    /// </summary>
    async Task<SubmissionResult> GradeOneAsync(string submissionPath, string? student, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        try
        {
            return await GradeSubmissionAsync(submissionPath, student, cancellationToken);
        }
        catch (Exception e) when (e is not (GraderException or OperationCanceledException))
        {
            return new SubmissionResult
            {
                Submission = submissionPath, Student = student, Status = "error", Score = 0, MaxScore = 0, Exercises = [],
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
            var byName = FindInstructorCopy(null, submissionPath);
            var exercises = byName == null ? [] : ExerciseCell.Validate(byName).Where(c => c.IsCheck)
                .Select(c => new ExerciseResult(c.GradeId, null, c.Kind == ExerciseCellKind.HiddenCheck, 0, c.Points, "not-run", "not run: the submission is not a readable notebook.", [])).ToList();
            return new SubmissionResult
            {
                Submission = submissionPath, Student = student, Instructor = byName?.Path, Status = "unreadable",
                Score = 0, MaxScore = exercises.Sum(x => x.MaxPoints), Exercises = exercises, Messages = [e.Message], Seconds = clock.Elapsed.TotalSeconds,
            };
        }

        var instructor = FindInstructorCopy(submission, submissionPath);
        var messages = new List<string>();
        if (instructor == null && HasInstructorCopies())
        {
            // Grading (the instructors' copies are here) and none matches: the submission's own check cells and
            // points would score it against itself, so it gets nothing, and the reason.
            return new SubmissionResult
            {
                Submission = submissionPath, Student = student, Status = "unmatched", Score = 0, MaxScore = 0, Exercises = [],
                Messages = [$"no instructor's copy matches this notebook (no copy named {Path.GetFileName(submissionPath)}, and none shares the most solution cells' grade_ids with it: renamed file, edited grade_ids, or a tie): 0 points. Its own check cells are not used for a grade; match it to an instructor's copy by hand (rename the file) and grade again."],
                Seconds = clock.Elapsed.TotalSeconds,
            };
        }
        if (_sandboxWarning != null) messages.Add(_sandboxWarning);
        if (instructor == null)
            messages.Add("no instructor's copy here: checked against its own visible check cells only (a self-check, not a grade).");
        var plan = Plan(instructor ?? submission, submission, messages);
        int slot = TakeSlot();
        RunResult run;
        try { run = await RunAsync(plan, slot, messages, cancellationToken); }
        finally { ReturnSlot(slot); }
        var exercisesResults = Judge(plan, run.Outcomes);
        var flags = plan.Where(p => p.Role == "solution" && p.Source != p.StubSource)
            .SelectMany(p => ReferenceCalls.Find(p.Exercise!.GradeId, p.Source,
                plan.Where(c => c.IsCheck && c.OwnerSolution == p.Exercise.GradeId).SelectMany(c => c.Exercise!.CheckNames)))
            .ToList();
        return new SubmissionResult
        {
            Submission = submissionPath,
            Student = student,
            Instructor = instructor?.Path,
            Status = instructor == null ? "self-checked" : "graded",
            Score = Math.Round(exercisesResults.Sum(e => e.Points), 2),
            MaxScore = exercisesResults.Sum(e => e.MaxPoints),
            Exercises = exercisesResults,
            Messages = messages,
            Flags = flags,
            Seconds = clock.Elapsed.TotalSeconds,
            Restarts = run.Restarts,
            PeakMemoryMegabytes = run.PeakBytes / (double)(1 << 20),
        };
    }

    /// <summary>True when grading (there are instructors' copies), false on a student's machine (a self-check).</summary>
    bool HasInstructorCopies()
    {
        var instructor = Path.GetFullPath(_options.Instructor ?? Path.Combine(_options.CourseRoot, "instructor"));
        return File.Exists(instructor) || (Directory.Exists(instructor) && Release.InstructorCopies(instructor).Any());
    }

    IpynbDocument? FindInstructorCopy(IpynbDocument? submission, string submissionPath)
    {
        var instructor = Path.GetFullPath(_options.Instructor ?? Path.Combine(_options.CourseRoot, "instructor"));
        if (File.Exists(instructor)) return LoadInstructor(instructor);
        if (!Directory.Exists(instructor)) return null;
        var byName = Path.Combine(instructor, Path.GetFileName(submissionPath));
        if (File.Exists(byName)) return LoadInstructor(byName);
        if (submission == null) return null;
        // A renamed file (alice.ipynb): the instructor's copy that shares the most solution grade_ids.
        var solutions = submission.Cells.Select(c => SafeRead(c, submission.Path)).OfType<ExerciseCell>()
            .Where(c => c.Kind == ExerciseCellKind.Solution).Select(c => c.GradeId).ToHashSet();
        var best = Release.InstructorCopies(instructor)
            .Select(p => (Copy: LoadInstructor(p), Shared: 0))
            .Select(x => (x.Copy, Shared: ExerciseCell.ReadAll(x.Copy).Count(c => c.Kind == ExerciseCellKind.Solution && solutions.Contains(c.GradeId))))
            .Where(x => x.Shared > 0).OrderByDescending(x => x.Shared).ToList();
        return best.Count == 0 || (best.Count > 1 && best[1].Shared == best[0].Shared) ? null : best[0].Copy;
    }

    IpynbDocument LoadInstructor(string path)
    {
        lock (_instructorCopies)
        {
            if (_instructorCopies.TryGetValue(path, out var copy)) return copy;
            try
            {
                copy = IpynbDocument.Load(path);
                var cells = ExerciseCell.Validate(copy);
                foreach (var check in cells.Where(c => c.IsCheck))
                    foreach (var name in check.CheckNames.Where(n => !_judge.Names.Contains(n)))
                        throw new GraderException($"{path}: check cell \"{check.GradeId}\" calls Check.{name}, which the course library does not have (rebuild it?).");
            }
            catch (Exception e) when (e is NotebookFormatException or ExerciseFormatException)
            {
                throw new GraderException($"The instructor's copy is not usable: {e.Message}");
            }
            return _instructorCopies[path] = copy;
        }
    }

    static ExerciseCell? SafeRead(NotebookCell cell, string path)
    {
        try { return ExerciseCell.Read(cell, path); }
        catch (ExerciseFormatException) { return null; }
    }

    // ---- Planning: which cells run, with whose source ----

    sealed record PlannedCell(int Index, string Role, string Source, string StubSource, ExerciseCell? Exercise, string? OwnerSolution, int Seed)
    {
        public bool IsCheck => Exercise?.IsCheck == true;
    }

    List<PlannedCell> Plan(IpynbDocument instructor, IpynbDocument submission, List<string> messages)
    {
        var studentSolutions = new Dictionary<string, NotebookCell>(StringComparer.Ordinal);
        foreach (var cell in submission.Cells)
            if (SafeRead(cell, submission.Path) is { Kind: ExerciseCellKind.Solution } solution && !studentSolutions.ContainsKey(solution.GradeId))
                studentSolutions[solution.GradeId] = cell;

        var plan = new List<PlannedCell>();
        bool firstCode = true;
        string? owner = null;
        foreach (var cell in instructor.Cells.Where(c => c.IsCode))
        {
            var exercise = ReferenceEquals(instructor, submission) ? SafeRead(cell, instructor.Path) : ExerciseCell.Read(cell, instructor.Path);
            string role = exercise?.Kind switch
            {
                ExerciseCellKind.Solution => "solution",
                ExerciseCellKind.Check or ExerciseCellKind.HiddenCheck => "check",
                ExerciseCellKind.Locked => "locked",
                _ => firstCode ? "setup" : "context",
            };
            firstCode = false;
            if (role == "context" && !_options.AllCells) continue;
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
            int seed = exercise?.IsCheck == true ? DeriveSeed(Seed, exercise.GradeId) : 0;
            plan.Add(new PlannedCell(plan.Count, role, source, stub, exercise, exercise?.IsCheck == true ? owner : null, seed));
        }
        return plan;
    }

    static int DeriveSeed(int seed, string gradeId)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{seed}:{gradeId}"));
        return (int)(BitConverter.ToUInt32(hash, 0) & 0x7FFF_FFFF);
    }

    // ---- Running: cell by cell, restarting the worker after a cell that stopped it ----

    sealed record CellOutcome(bool Ok, string? Error, string Text, IReadOnlyList<string> Answers, string? Stopped);

    sealed record RunResult(CellOutcome?[] Outcomes, int Restarts, long PeakBytes);

    readonly List<int> _slotsInUse = [];

    /// <summary>The lowest worker slot not in use (it picks the worker's core and, as root, its user id).</summary>
    int TakeSlot()
    {
        lock (_slotsInUse)
        {
            int slot = 0;
            while (_slotsInUse.Contains(slot)) slot++;
            _slotsInUse.Add(slot);
            return slot;
        }
    }

    void ReturnSlot(int slot)
    {
        lock (_slotsInUse) _slotsInUse.Remove(slot);
    }

    async Task<RunResult> RunAsync(List<PlannedCell> plan, int slot, List<string> messages, CancellationToken cancellationToken)
    {
        var limits = new Sandbox.Limits(slot, _options.MemoryMegabytes, _options.MaxProcesses);
        var outcomes = new CellOutcome?[plan.Count];
        var stopped = new bool[plan.Count];
        var stoppedExercises = new Dictionary<string, string>(StringComparer.Ordinal);
        var deadline = DateTime.UtcNow + _options.Timeout;
        int next = 0, restarts = 0;
        long peak = 0;
        while (next < plan.Count)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var scratch = Directory.CreateTempSubdirectory("courselib-grade-");
            try
            {
                using var worker = WorkerProcess.Start(Sandbox.WorkerStart(_mode, _layout, scratch.FullName, limits), _options.MemoryMegabytes, _options.OutputLimitBytes);
                var ready = await worker.WaitReadyAsync(Min(_options.StartTimeout, deadline - DateTime.UtcNow));
                if (!ready.Answered)
                {
                    if (restarts == 0 && ready.Stop != WorkerStop.Timeout)
                        throw new GraderException($"The grading worker did not start ({ready.Message ?? "no reason given"}).");
                    messages.Add(restarts == 0
                        ? $"the grading worker did not start ({ready.Message}; the machine is overloaded?)."
                        : $"the grading worker did not start again after a restart ({ready.Message}).");
                    break;
                }
                // Replay what the state needs (setup, read-only cells, solutions) up to where the last worker stopped.
                bool replayFailed = false;
                for (int i = 0; i < next && !replayFailed; i++)
                {
                    if (plan[i].IsCheck || (stopped[i] && plan[i].Role != "solution")) continue;
                    var reply = await worker.RunCellAsync(stopped[i] ? plan[i].StubSource : plan[i].Source, Empty, Min(Max(_options.CellTimeout, _options.StartTimeout), deadline - DateTime.UtcNow));
                    if (!reply.Answered) { replayFailed = true; stopped[i] = true; }
                }
                if (replayFailed)
                {
                    restarts++;
                    if (restarts > _options.MaxRestarts || DateTime.UtcNow >= deadline) break;
                    continue;
                }
                for (; next < plan.Count; next++)
                {
                    var remaining = deadline - DateTime.UtcNow;
                    if (remaining <= TimeSpan.Zero) break;
                    var cell = plan[next];
                    if (cell.IsCheck && cell.OwnerSolution != null && stoppedExercises.TryGetValue(cell.OwnerSolution, out var earlier))
                    {
                        // The same function stopped the worker in an earlier check: do not pay for it twice.
                        outcomes[next] = new CellOutcome(false, earlier, "", [], $"was not run: an earlier check of this exercise {earlier}");
                        continue;
                    }
                    var environment = cell.IsCheck
                        ? new Dictionary<string, string>
                        {
                            ["COURSELIB_GRADING_SEED"] = cell.Seed.ToString(CultureInfo.InvariantCulture),
                            ["COURSELIB_GRADING_HIDDEN"] = cell.Exercise!.Kind == ExerciseCellKind.HiddenCheck ? "1" : "0",
                        }
                        : Empty;
                    // The instructor's own cells (setup, read-only, teaching) may take as long as a start; the
                    // student's code (solutions, and the checks that call it) gets the per-cell limit.
                    var limit = cell.Role is "solution" or "check" ? _options.CellTimeout : Max(_options.CellTimeout, _options.StartTimeout);
                    var timeout = Min(limit, remaining);
                    var reply = await worker.RunCellAsync(cell.Source, environment, timeout);
                    if (reply.Answered)
                    {
                        var r = reply.Result!;
                        outcomes[next] = new CellOutcome(
                            r["ok"]?.GetValue<bool>() == true,
                            r["error"]?.GetValue<string>(),
                            r["text"]?.GetValue<string>() ?? "",
                            (r["answers"] as JsonArray)?.Select(a => a?.GetValue<string>() ?? "").ToList() ?? [],
                            null);
                        continue;
                    }
                    var why = reply.Stop == WorkerStop.Timeout && timeout < limit
                        ? $"timed out: the submission used up its time limit of {_options.Timeout.TotalSeconds:0} s"
                        : reply.Stop == WorkerStop.Timeout ? $"timed out after {timeout.TotalSeconds:0.#} s (the limit per cell): an endless loop?"
                        : reply.Message ?? "the worker stopped without a reason";
                    outcomes[next] = new CellOutcome(false, why, "", [], why);
                    stopped[next] = true;
                    if (cell.IsCheck && cell.OwnerSolution != null) stoppedExercises.TryAdd(cell.OwnerSolution, why);
                    if (cell.Role is not ("solution" or "check"))
                        messages.Add($"the instructor's {cell.Role} cell {cell.Index + 1} (of the cells graded) {why}; it was skipped after that.");
                    next++;
                    restarts++;
                    break;
                }
                peak = Math.Max(peak, worker.PeakBytes);
                if (next >= plan.Count) { await worker.EndAsync(); break; }
                if (DateTime.UtcNow >= deadline || restarts > _options.MaxRestarts) break;
            }
            finally
            {
                try { scratch.Delete(recursive: true); } catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
            }
        }
        if (next < plan.Count)
        {
            var reason = DateTime.UtcNow >= deadline
                ? $"not run: the submission used up its time limit of {_options.Timeout.TotalSeconds:0} s."
                : $"not run: the worker was stopped {restarts} times (the most allowed is {_options.MaxRestarts}).";
            messages.Add(reason);
        }
        return new RunResult(outcomes, restarts, peak);
    }

    static readonly IReadOnlyDictionary<string, string> Empty = new Dictionary<string, string>();

    static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    /// <summary>The smaller of a limit and the time left (at least 100 ms, so a cell gets a chance to answer).</summary>
    static TimeSpan Min(TimeSpan limit, TimeSpan remaining) =>
        remaining >= limit ? limit : remaining > TimeSpan.FromMilliseconds(100) ? remaining : TimeSpan.FromMilliseconds(100);

    // ---- Judging: the grader's own verdict on each check cell ----

    List<ExerciseResult> Judge(List<PlannedCell> plan, CellOutcome?[] outcomes)
    {
        var solutionOutcomes = plan.Where(p => p.Role == "solution").ToDictionary(p => p.Exercise!.GradeId, p => outcomes[p.Index]);
        var results = new List<ExerciseResult>();
        foreach (var cell in plan.Where(p => p.IsCheck))
        {
            var exercise = cell.Exercise!;
            var outcome = outcomes[cell.Index];
            var hidden = exercise.Kind == ExerciseCellKind.HiddenCheck;
            string? solutionProblem = null;
            if (cell.OwnerSolution != null && solutionOutcomes.TryGetValue(cell.OwnerSolution, out var solution) && solution != null && !solution.Ok)
                solutionProblem = solution.Stopped != null
                    ? $"Your solution cell \"{cell.OwnerSolution}\" {solution.Stopped}; it was replaced by the empty stub."
                    : $"Your solution cell \"{cell.OwnerSolution}\" failed: {solution.Error}";

            if (outcome == null)
            {
                results.Add(new ExerciseResult(exercise.GradeId, cell.OwnerSolution, hidden, 0, exercise.Points, "not-run", "not run: the submission's time or restart budget ran out before this check.", []));
                continue;
            }
            if (outcome.Stopped != null)
            {
                results.Add(new ExerciseResult(exercise.GradeId, cell.OwnerSolution, hidden, 0, exercise.Points, "error",
                    Join($"This check {outcome.Stopped}; it earns no points.", solutionProblem), []));
                continue;
            }
            var names = exercise.CheckNames;
            if (names.Count == 0)
            {
                // An nbgrader-style check cell (asserts): it passes when it runs without an error.
                results.Add(outcome.Ok
                    ? new ExerciseResult(exercise.GradeId, cell.OwnerSolution, hidden, exercise.Points, exercise.Points, "passed", "passed.", [])
                    : new ExerciseResult(exercise.GradeId, cell.OwnerSolution, hidden, 0, exercise.Points, "failed", Join($"The check failed: {outcome.Error}", solutionProblem), []));
                continue;
            }
            // The answer lines are the submission's output: bounded in number, length and size before parsing.
            var reported = new List<JsonObject>();
            foreach (var line in outcome.Answers.Take(GradeWorker.MaxAnswerLines))
            {
                if (line.Length > GradeWorker.MaxAnswerLength || !JsonBounds.Within(line, MaxAnswerTokens, 16)) continue;
                try { if (JsonNode.Parse(line) is JsonObject o) reported.Add(o); }
                catch (System.Text.Json.JsonException) { }
            }
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
                verdicts.Add(_judge.Judge(name, cell.Seed, hidden, answers));
            }
            bool passed = problems.Count == 0 && verdicts.All(v => v.Passed);
            double points = passed ? exercise.Points
                : exercise.PartialCredit && problems.Count == 0 ? Math.Round(exercise.Points * verdicts.Average(v => v.Fraction), 2)
                : 0;
            string status = passed ? "passed"
                : problems.Count > 0 || verdicts.Any(v => v.Status == "error") ? "error"
                : verdicts.All(v => v.Status == "not-implemented") ? "not-implemented"
                : "failed";
            var feedback = string.Join("\n", verdicts.Select(v => v.Text).Concat(problems));
            if (!passed) feedback = Join(feedback, solutionProblem);
            results.Add(new ExerciseResult(exercise.GradeId, cell.OwnerSolution, hidden, points, exercise.Points, status, feedback, verdicts));
        }
        return results;
    }

    /// <summary>The most JSON tokens of one check's answers line (bounds the grader's memory per line to some 40 MB; a check prints far fewer).</summary>
    internal const int MaxAnswerTokens = 400_000;

    static string Join(string first, string? second) => second == null ? first : first + "\n" + second;
}
