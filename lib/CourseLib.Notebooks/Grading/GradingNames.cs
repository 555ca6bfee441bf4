namespace CourseLib.Notebooks.Grading;

/// <summary>How one graded part came out: a check cell, a check it calls, a manually graded answer, or (in the gradebook) an exercise.</summary>
public enum ExerciseStatus
{
    /// <summary>Every case agreed with the reference (or an nbgrader-style check cell ran without an error): full points.</summary>
    Passed,
    /// <summary>Wrong answers (the feedback lists failing inputs), or partial credit below full.</summary>
    Failed,
    /// <summary>The function is still the stub.</summary>
    NotImplemented,
    /// <summary>The check could not run or its answers could not be judged: compile error, timeout, crash, memory or output limit, tampering.</summary>
    Error,
    /// <summary>The submission's time or restart budget ran out before this check.</summary>
    NotRun,
    /// <summary>A manually graded answer (a markdown answer cell with points): listed for the instructor, not scored by the grader.</summary>
    Manual,
    /// <summary>Gradebook only: the checks of one exercise came out differently and none failed or erred (e.g. passed and not-run).</summary>
    PartlyPassed,
}

/// <summary>How one submitted notebook came out.</summary>
public enum SubmissionStatus
{
    /// <summary>Graded against an instructor's copy.</summary>
    Graded,
    /// <summary>Instructors' copies are here but none matches: 0 points.</summary>
    Unmatched,
    /// <summary>No instructors' copies at all (a student's machine): checked against its own visible checks.</summary>
    SelfChecked,
    /// <summary>Not a notebook: 0 points.</summary>
    Unreadable,
    /// <summary>The grader failed on this submission: 0 points, the reason in the messages.</summary>
    Error,
}

/// <summary>Why a cell of the instructor's copy is in a grading plan.</summary>
public enum CellRole
{
    /// <summary>The first code cell (references, usings).</summary>
    Setup,
    /// <summary>A teaching cell (run only with --all-cells).</summary>
    Context,
    /// <summary>A read-only cell the exercises need.</summary>
    Locked,
    /// <summary>A solution cell: the student's source.</summary>
    Solution,
    /// <summary>A visible or hidden check cell.</summary>
    Check,
}

/// <summary>What a flag for the instructor says about a solution.</summary>
public enum FlagKind
{
    /// <summary>The solution names the exercise's reference or another public function that computes the same thing.</summary>
    CallsReference,
}

/// <summary>
/// The names the results are written with (JSON <c>courselib-grades/1</c>, the gradebook, the table, the feedback
/// pages): fixed strings, so renaming an enum member never changes the format.
/// </summary>
public static class GradingNames
{
    /// <summary>passed, failed, not-implemented, error, not-run, manual, partly-passed.</summary>
    public static string Name(this ExerciseStatus status) => status switch
    {
        ExerciseStatus.Passed => "passed",
        ExerciseStatus.Failed => "failed",
        ExerciseStatus.NotImplemented => "not-implemented",
        ExerciseStatus.Error => "error",
        ExerciseStatus.NotRun => "not-run",
        ExerciseStatus.Manual => "manual",
        ExerciseStatus.PartlyPassed => "partly-passed",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "not an exercise status"),
    };

    /// <summary>graded, unmatched, self-checked, unreadable, error.</summary>
    public static string Name(this SubmissionStatus status) => status switch
    {
        SubmissionStatus.Graded => "graded",
        SubmissionStatus.Unmatched => "unmatched",
        SubmissionStatus.SelfChecked => "self-checked",
        SubmissionStatus.Unreadable => "unreadable",
        SubmissionStatus.Error => "error",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "not a submission status"),
    };

    /// <summary>setup, context, locked, solution, check (as the grader's notes name the instructor's cells).</summary>
    public static string Name(this CellRole role) => role switch
    {
        CellRole.Setup => "setup",
        CellRole.Context => "context",
        CellRole.Locked => "locked",
        CellRole.Solution => "solution",
        CellRole.Check => "check",
        _ => throw new ArgumentOutOfRangeException(nameof(role), role, "not a cell role"),
    };

    /// <summary>calls-reference.</summary>
    public static string Name(this FlagKind kind) => kind switch
    {
        FlagKind.CallsReference => "calls-reference",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "not a flag kind"),
    };

    /// <summary>The status a check report of the course library names (passed, failed, not-implemented, error); anything else is an error.</summary>
    public static ExerciseStatus ParseCheckStatus(string? name) => name switch
    {
        "passed" => ExerciseStatus.Passed,
        "failed" => ExerciseStatus.Failed,
        "not-implemented" => ExerciseStatus.NotImplemented,
        _ => ExerciseStatus.Error,
    };
}
