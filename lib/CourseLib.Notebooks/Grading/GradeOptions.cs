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
