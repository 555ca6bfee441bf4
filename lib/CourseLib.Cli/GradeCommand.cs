using System.CommandLine;
using CourseLib.Notebooks;
using CourseLib.Notebooks.Grading;

namespace CourseLib.Cli;

/// <summary><c>grade PATH</c>: grades a submitted notebook or a folder of submissions (see docs/exercises.md).</summary>
static class GradeCommand
{
    public const string Name = "grade";

    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var defaults = new GradeOptions { CourseRoot = "." };
        var target = Options.OnePath("PATH", "A submitted notebook, or a folder of submissions (each .ipynb in it, or each subfolder, is one student's).");
        var json = Options.Path("--json", "FILE", "Also write the results as JSON, and the gradebook (one CSV row per student and exercise) beside it as FILE with the extension .csv.");
        var feedback = Options.Path("--feedback", "DIR", "Write one HTML feedback page per submission to DIR (points, failing inputs, hints).");
        var instructor = Options.Path("--instructor", "PATH", "The instructors' copies: a folder or one notebook (default: instructor/).");
        var timeout = Options.Seconds("--timeout", $"The most one submission may run in all, restarts included (default: {defaults.Timeout.TotalSeconds:0}).");
        var cellTimeout = Options.Seconds("--cell-timeout", $"The most one solution or check cell may run (default: {defaults.CellTimeout.TotalSeconds:0}).");
        var startTimeout = Options.Seconds("--start-timeout", $"The most a worker may take to start its kernel; the instructor's own cells get at least this (default: {defaults.StartTimeout.TotalSeconds:0}).");
        var memory = Options.Positive("--memory", "MB", $"The memory limit of a submission's processes (default: {defaults.MemoryMegabytes}).");
        var outputLimit = Options.Positive("--output-limit", "MB", $"The most output one submission's worker may write, and one cell may produce (default: {defaults.OutputLimitBytes >> 20}).");
        var maxProcesses = Options.Positive("--max-processes", "N", $"The most processes and threads of one worker at once (default: {defaults.MaxProcesses}).");
        var sandbox = new Option<string>("--sandbox")
        {
            Description = "Isolate submissions with Linux namespaces: auto (when available), namespaces (or fail), none (default: auto).",
            HelpName = "auto|namespaces|none",
        };
        sandbox.AcceptOnlyFromAmong("auto", "namespaces", "none");
        var seed = Options.Positive("--seed", "N", "The seed of the checks' random cases (default: a fresh one, printed).");
        var allCells = Options.Flag("--all-cells", "Run every cell, not only setup, read-only, solution and check cells.");
        var parallel = Options.Positive("--parallel", "N", $"Grade N submissions at once (default: half the processors, here {defaults.Parallelism}).");
        var command = new Command(Name, $"Grade a submitted notebook, or a folder of submissions. Prints a table; exits {ExitCodes.Success} whenever it could grade, whatever the scores, {ExitCodes.GraderFailed} when the grader itself fails.")
        {
            target, json, feedback, instructor, timeout, cellTimeout, startTimeout, memory, outputLimit, maxProcesses, sandbox, seed, allCells, parallel,
        };
        command.SetAction(async (result, cancellationToken) =>
        {
            var options = new GradeOptions { CourseRoot = SeminarNotebooks.FindRoot(), Log = line => stderr.WriteLine(line) };
            if (result.GetValue(instructor) is { } i) options = options with { Instructor = i };
            if (result.GetValue(timeout) is { } t) options = options with { Timeout = TimeSpan.FromSeconds(t) };
            if (result.GetValue(cellTimeout) is { } c) options = options with { CellTimeout = TimeSpan.FromSeconds(c) };
            if (result.GetValue(startTimeout) is { } st) options = options with { StartTimeout = TimeSpan.FromSeconds(st) };
            if (result.GetValue(memory) is { } m) options = options with { MemoryMegabytes = m };
            if (result.GetValue(outputLimit) is { } o) options = options with { OutputLimitBytes = (long)o << 20 };
            if (result.GetValue(maxProcesses) is { } n) options = options with { MaxProcesses = n };
            if (result.GetValue(parallel) is { } p) options = options with { Parallelism = p };
            if (result.GetValue(seed) is { } s) options = options with { Seed = s };
            if (result.GetValue(allCells)) options = options with { AllCells = true };
            options = options with
            {
                Sandbox = result.GetValue(sandbox) switch
                {
                    "namespaces" => SandboxMode.Namespaces,
                    "none" => SandboxMode.None,
                    _ => SandboxMode.Auto,
                },
            };
            if (options.CellTimeout > options.Timeout) options = options with { CellTimeout = options.Timeout };
            return await GradeAsync(result.GetValue(target)!, options, result.GetValue(json), result.GetValue(feedback), stdout, cancellationToken);
        });
        return command;
    }

    static async Task<int> GradeAsync(string target, GradeOptions options, string? json, string? feedback, TextWriter stdout, CancellationToken cancellationToken)
    {
        if (!File.Exists(target) && !Directory.Exists(target)) throw new FileNotFoundException($"{target}: no such notebook or folder.");
        var grader = new Grader(options);
        var run = await grader.GradeAsync(target, cancellationToken);
        stdout.Write(run.ToTable());
        if (json != null)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(json)!);
            File.WriteAllText(json, run.ToJson());
            stdout.WriteLine($"results: {json}");
            var gradebook = Path.ChangeExtension(json, ".csv");
            File.WriteAllText(gradebook, Gradebook.ToCsv(run));
            stdout.WriteLine($"gradebook: {gradebook}");
        }
        if (feedback != null)
        {
            var pages = FeedbackPages.Write(run, feedback);
            stdout.WriteLine($"feedback: {pages.Count} pages in {feedback}");
        }
        return ExitCodes.Success;
    }
}
