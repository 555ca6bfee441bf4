using System.Globalization;
using CourseLib.Notebooks;

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

    const string Usage = """
usage: courselib <command> [options]

commands:
  list                          the seminar notebooks, in order
  run [NOTEBOOK ...]            run notebooks headless (default: every seminar notebook) and write each
                                executed notebook (.ipynb, with outputs and charts) and an HTML page to out/
      --out DIR                 where to write them (default: out/ in the repository)
      --cell-timeout SECONDS    the longest one cell may run (default: 600)
      --keep-going              run the remaining cells after a failing one

A NOTEBOOK is a path, or the start of a seminar notebook's name ("02", "02-reinforce").
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
                _ => Fail(stderr, $"unknown command \"{args[0]}\"."),
            };
        }
        catch (Exception e) when (e is NotebookFormatException or FileNotFoundException or DirectoryNotFoundException or ArgumentException)
        {
            stderr.WriteLine($"courselib: {e.Message}");
            return UsageError;
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
}
