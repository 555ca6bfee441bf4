using System.Globalization;
using System.Text.Json.Nodes;
using CourseLib.Notebooks;
using CourseLib.Notebooks.Grading;

namespace CourseLib.Cli;

/// <summary>The `courselib` command line: a thin front end over the notebook engine.</summary>
public static class CommandLine
{
    /// <summary>Exit code when everything worked.</summary>
    public const int Success = 0;
    /// <summary>Exit code when a notebook failed.</summary>
    public const int NotebookFailed = 1;
    /// <summary>Exit code for a usage error or an unreadable notebook.</summary>
    public const int UsageError = 2;
    /// <summary>Exit code when the grader itself failed (not a student's wrong answer).</summary>
    public const int GraderFailed = 1;

    const string Usage = """
usage: courselib <command> [options]

commands:
  list                          the seminar notebooks, in order
  run [NOTEBOOK ...]            run notebooks headless (default: every seminar notebook) and write each
                                executed notebook (.ipynb, with outputs and charts) and an HTML page to out/
      --out DIR                 where to write them (default: out/ in the repository)
      --cell-timeout SECONDS    the longest one cell may run (default: 600)
      --keep-going              run the remaining cells after a failing one

  release [NAME ...]            make the students' copies (notebooks/NN-name.ipynb) from the instructors' copies
                                (instructor/NN-name.ipynb): solutions become stubs, hidden checks are removed
      --check                   write nothing; exit 1 when a student's copy is not what release would write
      --from-students           first fold edits made to the students' copies (e.g. teaching cells changed in a
                                merge) back into the instructors' copies, keeping solutions and hidden checks
      --student-dist DIR        then write the course as students may have it to DIR (new or empty): no
                                instructor/, no tests, nothing holding a solution or a hidden check
  export [NAME ...]             write each seminar notebook (notebooks/NN-name.ipynb) as a C# file-based app,
                                apps/NN-name.cs: `dotnet run apps/NN-name.cs` runs it and writes apps/NN-name.html
      --check                   write nothing; exit 1 when an app is not what export would write
  jupyter-setup                 register the notebooks' Jupyter kernel (.net-csharp, the pinned engine) for
                                JupyterLab, Jupyter Notebook and VS Code's Jupyter extension (idempotent)
  grade PATH                    grade a submitted notebook, or a folder of submissions (each .ipynb in it, or
                                each subfolder, is one student's); prints a table, exits 0 unless the grader fails
      --json FILE               also write the results as JSON, and the gradebook (one CSV row per student and
                                exercise) beside it as FILE with the extension .csv
      --feedback DIR            write one HTML feedback page per submission to DIR (points, failing inputs, hints)
      --instructor PATH         the instructors' copies: a folder or one notebook (default: instructor/)
      --timeout SECONDS         the most one submission may run in all (default: 600)
      --cell-timeout SECONDS    the most one cell may run (default: 60)
      --memory MB               the memory limit of a submission's process (default: 2048)
      --sandbox auto|namespaces|none   isolate submissions with Linux namespaces (default: auto)
      --seed N                  the seed of the checks' random cases (default: a fresh one, printed)
      --all-cells               run every cell, not only setup, read-only, solution and check cells
      --parallel N              grade N submissions at once (default: half the processors)

A NOTEBOOK is a path, or the start of a seminar notebook's name ("02", "02-reinforce").
See docs/exercises.md for the exercise format and the grader.
""";

    /// <summary>Runs the command line; returns the exit code.</summary>
    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken = default)
    {
        if (args.Length == 0 || args[0] is "-h" or "--help" or "help")
        {
            stdout.Write(Usage);
            return args.Length == 0 ? UsageError : Success;
        }
        try
        {
            return args[0] switch
            {
                "list" => List(stdout),
                "run" => await RunNotebooksAsync(args[1..], stdout, stderr, cancellationToken),
                "release" => ReleaseNotebooks(args[1..], stdout, stderr),
                "grade" => await GradeAsync(args[1..], stdout, stderr, cancellationToken),
                "export" => ExportApps(args[1..], stdout, stderr),
                "jupyter-setup" => JupyterSetup(stdout, stderr),
                GradeWorker.Command => await GradeWorker.RunAsync(),
                _ => Fail(stderr, $"unknown command \"{args[0]}\"."),
            };
        }
        catch (Exception e) when (e is NotebookFormatException or FileNotFoundException or DirectoryNotFoundException or ArgumentException)
        {
            stderr.WriteLine($"courselib: {e.Message}");
            return UsageError;
        }
        catch (Exception e) when (e is GraderException or ExerciseFormatException)
        {
            stderr.WriteLine($"courselib: {e.Message}");
            return GraderFailed;
        }
    }

    static int Fail(TextWriter stderr, string message)
    {
        stderr.WriteLine($"courselib: {message}");
        stderr.Write(Usage);
        return UsageError;
    }

    static int List(TextWriter stdout)
    {
        var root = SeminarNotebooks.FindRoot();
        foreach (var notebook in SeminarNotebooks.List(Path.Combine(root, "notebooks")))
            stdout.WriteLine(Path.GetRelativePath(root, notebook));
        return Success;
    }

    static async Task<int> RunNotebooksAsync(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        var root = SeminarNotebooks.FindRoot();
        var notebooksFolder = Path.Combine(root, "notebooks");
        string outFolder = Path.Combine(root, "out");
        var options = new RunOptions();
        var names = new List<string>();
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--out" when i + 1 < args.Length:
                    outFolder = Path.GetFullPath(args[++i]);
                    break;
                case "--cell-timeout" when i + 1 < args.Length:
                    if (!double.TryParse(args[++i], NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) || seconds <= 0)
                        return Fail(stderr, $"--cell-timeout must be a positive number of seconds, not \"{args[i]}\".");
                    options = options with { CellTimeout = TimeSpan.FromSeconds(seconds) };
                    break;
                case "--keep-going":
                    options = options with { StopOnError = false };
                    break;
                case var option when option.StartsWith("--", StringComparison.Ordinal):
                    return Fail(stderr, $"unknown or incomplete option \"{option}\".");
                default:
                    names.Add(args[i]);
                    break;
            }
        }
        var notebooks = names.Count > 0
            ? names.Select(n => SeminarNotebooks.Resolve(n, notebooksFolder)).ToList()
            : SeminarNotebooks.List(notebooksFolder).ToList();
        if (notebooks.Count == 0) return Fail(stderr, $"no notebooks to run in {notebooksFolder}.");
        // Load every notebook first, so a malformed one is reported before anything runs.
        var documents = notebooks.Select(IpynbDocument.Load).ToList();
        Directory.CreateDirectory(outFolder);

        var failures = new List<string>();
        for (int n = 0; n < notebooks.Count; n++)
        {
            var name = Path.GetFileName(notebooks[n]);
            stdout.WriteLine($"[{n + 1}/{notebooks.Count}] {name}");
            var runOptions = options with
            {
                OnCellStarted = (cell, index, count) => stdout.WriteLine($"    cell {cell.Number} ({index + 1}/{count} code): {Shorten(cell.FirstLine)}"),
            };
            var result = await NotebookRunner.RunAsync(documents[n], Path.GetDirectoryName(notebooks[n])!, runOptions, cancellationToken);
            var stem = Path.GetFileNameWithoutExtension(name);
            var executedPath = Path.Combine(outFolder, stem + ".ipynb");
            var htmlPath = Path.Combine(outFolder, stem + ".html");
            result.Document.Save(executedPath);
            File.WriteAllText(htmlPath, HtmlPage.Render(result.Document, stem));
            var seconds = result.Elapsed.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture);
            if (result.Succeeded)
                stdout.WriteLine($"    ok in {seconds} s -> {Path.GetRelativePath(root, executedPath)}, {Path.GetRelativePath(root, htmlPath)}");
            else
            {
                var message = $"{name}: {result.FirstError}";
                failures.Add(message);
                stdout.WriteLine($"    FAILED in {seconds} s: {result.FirstError}");
            }
        }
        if (failures.Count == 0)
        {
            stdout.WriteLine($"all {notebooks.Count} notebook(s) ran; outputs in {Path.GetRelativePath(root, outFolder)}/");
            return Success;
        }
        stderr.WriteLine($"courselib: {failures.Count} of {notebooks.Count} notebook(s) failed:");
        foreach (var failure in failures) stderr.WriteLine("  " + failure);
        return NotebookFailed;
    }

    static string Shorten(string line) => line.Length > 70 ? line[..67] + "..." : line;

    static int ReleaseNotebooks(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var root = SeminarNotebooks.FindRoot();
        bool checkOnly = false, fromStudents = false;
        var names = new List<string>();
        // --student-dist DIR: after releasing, write the course as students may have it (no solutions, no hidden checks).
        int distAt = Array.IndexOf(args, "--student-dist");
        string? studentDist = null;
        if (distAt >= 0)
        {
            if (distAt + 1 >= args.Length) return Fail(stderr, "--student-dist needs a folder.");
            studentDist = args[distAt + 1];
            args = [.. args[..distAt], .. args[(distAt + 2)..]];
        }
        foreach (var arg in args)
        {
            if (arg == "--check") checkOnly = true;
            else if (arg == "--from-students") fromStudents = true;
            else if (arg.StartsWith("--", StringComparison.Ordinal)) return Fail(stderr, $"unknown option \"{arg}\".");
            else names.Add(arg);
        }
        if (studentDist != null)
        {
            if (checkOnly) return Fail(stderr, "--student-dist writes files; it cannot go with --check.");
            try { StudentDistribution.CheckTarget(root, studentDist); }
            catch (ArgumentException e) { return Fail(stderr, e.Message); }
        }
        var instructor = Path.Combine(root, "instructor");
        var students = Path.Combine(root, "notebooks");
        if (checkOnly)
        {
            var sources = names.Count == 0 ? Release.InstructorCopies(instructor) : names.Select(n => SeminarNotebooks.Resolve(n, instructor)).ToList();
            var stale = sources.Where(s =>
            {
                var target = Path.Combine(students, Path.GetFileName(s));
                return !File.Exists(target) || File.ReadAllText(target) != Release.StudentCopyJson(IpynbDocument.Load(s));
            }).ToList();
            foreach (var s in stale) stderr.WriteLine($"courselib: notebooks/{Path.GetFileName(s)} is not what release makes of instructor/{Path.GetFileName(s)}; run `courselib release`.");
            if (stale.Count == 0) stdout.WriteLine($"all {sources.Count} student copies are up to date.");
            return stale.Count == 0 ? Success : NotebookFailed;
        }
        if (fromStudents)
        {
            var sources = names.Count == 0 ? Release.InstructorCopies(instructor) : names.Select(n => SeminarNotebooks.Resolve(n, instructor)).ToList();
            // All first, so that a refused notebook leaves every instructor's copy as it was.
            var updated = sources.Select(s => (Path: s, Json: NotebookJson.Write(JsonNode.Parse(
                Release.UpdateInstructorCopy(IpynbDocument.Load(s), IpynbDocument.Load(Path.Combine(students, Path.GetFileName(s)))).ToJson())!))).ToList();
            foreach (var (path, json) in updated)
            {
                bool changed = File.ReadAllText(path) != json;
                if (changed) File.WriteAllText(path, json);
                stdout.WriteLine($"{(changed ? "updated  " : "unchanged")} {Path.GetRelativePath(root, path)}");
            }
        }
        var written = Release.Run(instructor, students, names);
        foreach (var (path, changed) in written)
            stdout.WriteLine($"{(changed ? "wrote    " : "unchanged")} {Path.GetRelativePath(root, path)}");
        if (written.Count == 0) stdout.WriteLine($"no instructors' copies in {Path.GetRelativePath(root, instructor)}/.");
        if (studentDist != null)
        {
            StudentDistribution.Result dist;
            try { dist = StudentDistribution.Write(root, studentDist); }
            catch (ArgumentException e) { return Fail(stderr, e.Message); }
            foreach (var (path, reason) in dist.LeftOut) stdout.WriteLine($"left out  {path} ({reason})");
            stdout.WriteLine($"wrote the student distribution to {Path.GetFullPath(studentDist)} ({dist.Written.Count} files).");
        }
        return Success;
    }

    static async Task<int> GradeAsync(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        var root = SeminarNotebooks.FindRoot();
        string? target = null, json = null, feedback = null;
        var options = new GradeOptions { CourseRoot = root, Log = line => stderr.WriteLine(line) };
        for (int i = 0; i < args.Length; i++)
        {
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
            double Seconds(string name)
            {
                var text = Value();
                return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var s) && s > 0
                    ? s : throw new ArgumentException($"{name} must be a positive number of seconds, not \"{text}\".");
            }
            int Positive(string name)
            {
                var text = Value();
                return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n > 0
                    ? n : throw new ArgumentException($"{name} must be a positive whole number, not \"{text}\".");
            }
            switch (args[i])
            {
                case "--json": json = Path.GetFullPath(Value()); break;
                case "--feedback": feedback = Path.GetFullPath(Value()); break;
                case "--instructor": options = options with { Instructor = Path.GetFullPath(Value()) }; break;
                case "--timeout": options = options with { Timeout = TimeSpan.FromSeconds(Seconds("--timeout")) }; break;
                case "--cell-timeout": options = options with { CellTimeout = TimeSpan.FromSeconds(Seconds("--cell-timeout")) }; break;
                case "--memory": options = options with { MemoryMegabytes = Positive("--memory") }; break;
                case "--parallel": options = options with { Parallelism = Positive("--parallel") }; break;
                case "--seed": options = options with { Seed = Positive("--seed") }; break;
                case "--all-cells": options = options with { AllCells = true }; break;
                case "--sandbox":
                    var mode = Value();
                    options = options with
                    {
                        Sandbox = mode switch
                        {
                            "auto" => SandboxMode.Auto,
                            "namespaces" => SandboxMode.Namespaces,
                            "none" => SandboxMode.None,
                            _ => throw new ArgumentException($"--sandbox must be auto, namespaces or none, not \"{mode}\"."),
                        },
                    };
                    break;
                case var option when option.StartsWith("--", StringComparison.Ordinal):
                    return Fail(stderr, $"unknown option \"{option}\".");
                default:
                    if (target != null) return Fail(stderr, "grade takes one notebook or folder.");
                    target = args[i];
                    break;
            }
        }
        if (target == null) return Fail(stderr, "grade needs a notebook or a folder of submissions.");
        if (!File.Exists(target) && !Directory.Exists(target)) throw new FileNotFoundException($"{target}: no such notebook or folder.");
        if (options.CellTimeout > options.Timeout) options = options with { CellTimeout = options.Timeout };
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
        return Success;
    }

    // ---- export and jupyter-setup: the course's other homes (C# file-based apps, Jupyter) ----

    static int ExportApps(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var root = SeminarNotebooks.FindRoot();
        bool checkOnly = false;
        var names = new List<string>();
        foreach (var arg in args)
        {
            if (arg == "--check") checkOnly = true;
            else if (arg.StartsWith("--", StringComparison.Ordinal)) return Fail(stderr, $"unknown option \"{arg}\".");
            else names.Add(arg);
        }
        var notebooks = Path.Combine(root, "notebooks");
        var apps = Path.Combine(root, CourseLib.Notebooks.Apps.AppExport.Folder);
        if (checkOnly)
        {
            var sources = names.Count == 0 ? SeminarNotebooks.List(notebooks) : names.Select(n => SeminarNotebooks.Resolve(n, notebooks)).ToList();
            var stale = sources.Where(s =>
            {
                var target = Path.Combine(apps, CourseLib.Notebooks.Apps.AppExport.FileName(s));
                return !File.Exists(target) || File.ReadAllText(target) != CourseLib.Notebooks.Apps.AppExport.Export(IpynbDocument.Load(s), Path.GetFileNameWithoutExtension(s));
            }).ToList();
            foreach (var s in stale) stderr.WriteLine($"courselib: apps/{CourseLib.Notebooks.Apps.AppExport.FileName(s)} is not what export makes of notebooks/{Path.GetFileName(s)}; run `courselib export`.");
            if (stale.Count == 0) stdout.WriteLine($"all {sources.Count} apps are up to date.");
            return stale.Count == 0 ? Success : NotebookFailed;
        }
        var written = CourseLib.Notebooks.Apps.AppExport.Run(notebooks, apps, names);
        foreach (var (path, changed) in written)
            stdout.WriteLine($"{(changed ? "wrote    " : "unchanged")} {Path.GetRelativePath(root, path)}");
        stdout.WriteLine($"run one with: dotnet run {CourseLib.Notebooks.Apps.AppExport.Folder}/<name>.cs");
        return Success;
    }

    static int JupyterSetup(TextWriter stdout, TextWriter stderr)
    {
        try
        {
            stdout.WriteLine(JupyterKernel.Install(SeminarNotebooks.FindRoot()));
            return Success;
        }
        catch (JupyterSetupException e)
        {
            stderr.WriteLine($"courselib: {e.Message}");
            return NotebookFailed;
        }
    }
}
