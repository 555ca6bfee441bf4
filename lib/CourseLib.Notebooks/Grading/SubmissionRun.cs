using System.Globalization;
using System.Text.Json.Nodes;

namespace CourseLib.Notebooks.Grading;

/// <summary>What one planned cell did in a worker.</summary>
/// <param name="Ok">It ran without an error.</param>
/// <param name="Error">The error it reported, or why it stopped.</param>
/// <param name="Text">Its text output (cut).</param>
/// <param name="Answers">The checks' raw answer lines it printed (unparsed: the submission's output).</param>
/// <param name="Stopped">Why it stopped the worker (timeout, crash, limit), or null when it answered.</param>
internal sealed record CellOutcome(bool Ok, string? Error, string Text, IReadOnlyList<string> Answers, string? Stopped);

/// <summary>How a submission's plan ran.</summary>
/// <param name="Outcomes">One per planned cell; null for a cell that was not run (time or restarts ran out).</param>
/// <param name="Restarts">How often a worker was restarted.</param>
/// <param name="PeakBytes">The highest resident memory of a worker's process tree.</param>
internal sealed record RunResult(CellOutcome?[] Outcomes, int Restarts, long PeakBytes);

/// <summary>
/// Runs one submission's plan, cell by cell, in a sandboxed worker. When a cell stops the worker (a timeout, a crash,
/// a limit), the worker is restarted, the state the later cells need is replayed (setup and read-only cells, and the
/// solutions: a solution that stopped a worker is replayed as its stub) and grading goes on after that cell; a check
/// whose function already stopped a worker is not run again. The submission's time limit and restart limit bound it
/// all; cells left when either runs out are not run (their outcome stays null).
/// </summary>
internal sealed class SubmissionRun
{
    readonly GradeOptions _options;
    readonly SandboxMode _mode;
    readonly Sandbox.Layout _layout;
    readonly Sandbox.Limits _limits;
    readonly IReadOnlyList<PlannedCell> _plan;
    readonly List<string> _messages;
    readonly CellOutcome?[] _outcomes;
    readonly bool[] _stopped;
    readonly Dictionary<string, string> _stoppedExercises = new(StringComparer.Ordinal);
    readonly DateTime _deadline;
    int _next, _restarts;
    long _peak;

    static readonly IReadOnlyDictionary<string, string> NoEnvironment = new Dictionary<string, string>();

    SubmissionRun(GradeOptions options, SandboxMode mode, Sandbox.Layout layout, GradingPlan plan, int slot, List<string> messages)
    {
        _options = options;
        _mode = mode;
        _layout = layout;
        _limits = new Sandbox.Limits(slot, options.MemoryMegabytes, options.MaxProcesses);
        _plan = plan.Cells;
        _messages = messages;
        _outcomes = new CellOutcome?[_plan.Count];
        _stopped = new bool[_plan.Count];
        _deadline = DateTime.UtcNow + options.Timeout;
    }

    /// <summary>
    /// Runs <paramref name="plan"/> in workers of slot <paramref name="slot"/>; notes for the submission go to
    /// <paramref name="messages"/>. Throws <see cref="GraderException"/> only when the first worker cannot start for
    /// another reason than time (the grader's failure, not the submission's).
    /// </summary>
    public static Task<RunResult> RunAsync(GradeOptions options, SandboxMode mode, Sandbox.Layout layout, GradingPlan plan, int slot, List<string> messages, CancellationToken cancellationToken) =>
        new SubmissionRun(options, mode, layout, plan, slot, messages).RunAsync(cancellationToken);

    bool OutOfTime => DateTime.UtcNow >= _deadline;

    async Task<RunResult> RunAsync(CancellationToken cancellationToken)
    {
        while (_next < _plan.Count)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var scratch = Directory.CreateTempSubdirectory("courselib-grade-");
            try
            {
                if (!await RunInOneWorkerAsync(scratch.FullName)) break;
            }
            finally
            {
                try { scratch.Delete(recursive: true); } catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
            }
        }
        if (_next < _plan.Count)
        {
            _messages.Add(OutOfTime
                ? $"not run: the submission used up its time limit of {_options.Timeout.TotalSeconds:0} s."
                : $"not run: the worker was stopped {_restarts} times (the most allowed is {_options.MaxRestarts}).");
        }
        return new RunResult(_outcomes, _restarts, _peak);
    }

    /// <summary>Starts a worker, replays the state, runs cells until one stops it or all ran; false when grading this submission cannot go on.</summary>
    async Task<bool> RunInOneWorkerAsync(string scratch)
    {
        using var worker = WorkerProcess.Start(Sandbox.WorkerStart(_mode, _layout, scratch, _limits), _options.MemoryMegabytes, _options.OutputLimitBytes);
        var ready = await worker.WaitReadyAsync(Min(_options.StartTimeout, _deadline - DateTime.UtcNow));
        if (!ready.Answered)
        {
            if (_restarts == 0 && ready.Stop != WorkerStop.Timeout)
                throw new GraderException($"The grading worker did not start ({ready.Message ?? "no reason given"}).");
            _messages.Add(_restarts == 0
                ? $"the grading worker did not start ({ready.Message}; the machine is overloaded?)."
                : $"the grading worker did not start again after a restart ({ready.Message}).");
            return false;
        }
        if (!await ReplayAsync(worker))
        {
            _restarts++;
            return _restarts <= _options.MaxRestarts && !OutOfTime;
        }
        await RunCellsAsync(worker);
        _peak = Math.Max(_peak, worker.PeakBytes);
        if (_next >= _plan.Count) { await worker.EndAsync(); return false; }
        return !OutOfTime && _restarts <= _options.MaxRestarts;
    }

    /// <summary>Replays what the state needs (setup, read-only cells, solutions) up to where the last worker stopped; false when a replayed cell stopped this one too (it is then marked stopped).</summary>
    async Task<bool> ReplayAsync(WorkerProcess worker)
    {
        for (int i = 0; i < _next; i++)
        {
            var cell = _plan[i];
            if (cell.IsCheck || (_stopped[i] && cell.Role != CellRole.Solution)) continue;
            var source = _stopped[i] ? cell.StubSource : cell.Source;
            var reply = await worker.RunCellAsync(source, NoEnvironment, Min(Max(_options.CellTimeout, _options.StartTimeout), _deadline - DateTime.UtcNow));
            if (!reply.Answered)
            {
                _stopped[i] = true;
                return false;
            }
        }
        return true;
    }

    /// <summary>Runs the cells from the next one on, until one stops the worker (then the next is the cell after it), the time runs out, or all ran.</summary>
    async Task RunCellsAsync(WorkerProcess worker)
    {
        for (; _next < _plan.Count; _next++)
        {
            var remaining = _deadline - DateTime.UtcNow;
            if (remaining <= TimeSpan.Zero) return;
            var cell = _plan[_next];
            if (cell.IsCheck && cell.OwnerSolution != null && _stoppedExercises.TryGetValue(cell.OwnerSolution, out var earlier))
            {
                // The same function stopped the worker in an earlier check: do not pay for it twice.
                _outcomes[_next] = new CellOutcome(false, earlier, "", [], $"was not run: an earlier check of this exercise {earlier}");
                continue;
            }
            // The instructor's own cells (setup, read-only, teaching) may take as long as a start; the
            // student's code (solutions, and the checks that call it) gets the per-cell limit.
            var limit = cell.IsStudentCode ? _options.CellTimeout : Max(_options.CellTimeout, _options.StartTimeout);
            var timeout = Min(limit, remaining);
            var reply = await worker.RunCellAsync(cell.Source, Environment(cell), timeout);
            if (reply.Answered)
            {
                _outcomes[_next] = Outcome(reply.Result!);
                continue;
            }
            var why = reply.Stop == WorkerStop.Timeout && timeout < limit
                ? $"timed out: the submission used up its time limit of {_options.Timeout.TotalSeconds:0} s"
                : reply.Stop == WorkerStop.Timeout ? $"timed out after {timeout.TotalSeconds:0.#} s (the limit per cell): an endless loop?"
                : reply.Message ?? "the worker stopped without a reason";
            _outcomes[_next] = new CellOutcome(false, why, "", [], why);
            _stopped[_next] = true;
            if (cell.IsCheck && cell.OwnerSolution != null) _stoppedExercises.TryAdd(cell.OwnerSolution, why);
            if (!cell.IsStudentCode)
                _messages.Add($"the instructor's {cell.Role.Name()} cell {cell.Index + 1} (of the cells graded) {why}; it was skipped after that.");
            _next++;
            _restarts++;
            return;
        }
    }

    /// <summary>A check cell runs with the seed of its cases and whether they are the hidden set; other cells with nothing.</summary>
    static IReadOnlyDictionary<string, string> Environment(PlannedCell cell) => cell.IsCheck
        ? new Dictionary<string, string>
        {
            ["COURSELIB_GRADING_SEED"] = cell.Seed.ToString(CultureInfo.InvariantCulture),
            ["COURSELIB_GRADING_HIDDEN"] = cell.Exercise!.Kind == ExerciseCellKind.HiddenCheck ? "1" : "0",
        }
        : NoEnvironment;

    static CellOutcome Outcome(JsonObject result) => new(
        result["ok"]?.GetValue<bool>() == true,
        result["error"]?.GetValue<string>(),
        result["text"]?.GetValue<string>() ?? "",
        (result["answers"] as JsonArray)?.Select(a => a?.GetValue<string>() ?? "").ToList() ?? [],
        null);

    static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    /// <summary>The smaller of a limit and the time left (at least 100 ms, so a cell gets a chance to answer).</summary>
    static TimeSpan Min(TimeSpan limit, TimeSpan remaining) =>
        remaining >= limit ? limit : remaining > TimeSpan.FromMilliseconds(100) ? remaining : TimeSpan.FromMilliseconds(100);
}
