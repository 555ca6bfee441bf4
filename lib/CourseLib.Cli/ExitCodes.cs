namespace CourseLib.Cli;

/// <summary>
/// The exit codes of <c>courselib</c>, one per kind of outcome, so a script or CI can tell a failing notebook from a
/// failing grader. Listed in every <c>--help</c>, in the README and in docs/exercises.md.
/// </summary>
public static class ExitCodes
{
    /// <summary>Everything worked (for <c>grade</c>: it could grade, whatever the scores).</summary>
    public const int Success = 0;

    /// <summary><c>run</c>: a cell of a notebook failed (the notebook, the cell and the error are on standard error).</summary>
    public const int NotebookFailed = 1;

    /// <summary>A usage error: an unknown command or option, a bad value, a notebook or folder that is missing or not a readable notebook.</summary>
    public const int UsageError = 2;

    /// <summary><c>grade</c>: the grader itself failed (the library is not built, an instructor's copy is malformed or calls an unknown check, the worker cannot start). Never a submission's score.</summary>
    public const int GraderFailed = 3;

    /// <summary><c>release --check</c>, <c>export --check</c>: a student's copy or an app is not what release or export would write.</summary>
    public const int NotUpToDate = 4;

    /// <summary><c>release</c>: an instructor's copy has malformed exercise cells (the message names the notebook, the cell and the grade_id).</summary>
    public const int InvalidExercises = 5;

    /// <summary><c>jupyter-setup</c>: the Jupyter kernel could not be registered.</summary>
    public const int SetupFailed = 6;

    /// <summary>A bug in courselib itself (the message and stack trace are on standard error): please report it.</summary>
    public const int InternalError = 7;

    /// <summary>Every code with a short meaning, in order (for the help text).</summary>
    public static IReadOnlyList<(int Code, string Meaning)> All { get; } =
    [
        (Success, "success (grade: it could grade, whatever the scores)"),
        (NotebookFailed, "run: a notebook's cell failed (notebook, cell and error on standard error)"),
        (UsageError, "usage error: unknown command or option, bad value, missing or unreadable notebook"),
        (GraderFailed, "grade: the grader itself failed (library not built, malformed instructor's copy, worker cannot start)"),
        (NotUpToDate, "release --check / export --check: a student's copy or an app is stale"),
        (InvalidExercises, "release: an instructor's copy has malformed exercise cells"),
        (SetupFailed, "jupyter-setup: the kernel could not be registered"),
        (InternalError, "a bug in courselib (stack trace on standard error)"),
    ];
}
