using System.CommandLine;
using System.Globalization;
using CourseLib.Notebooks;
using CourseLib.Notebooks.Apps;

namespace CourseLib.Cli;

/// <summary>The commands for the course's notebooks and their other homes: <c>list</c>, <c>run</c>, <c>export</c>, <c>jupyter-setup</c>.</summary>
static class NotebookCommands
{
    /// <summary><c>list</c>: the seminar notebooks, in order.</summary>
    public static Command List(TextWriter stdout)
    {
        var command = new Command("list", "List the seminar notebooks, in order.");
        command.SetAction(_ =>
        {
            var root = SeminarNotebooks.FindRoot();
            foreach (var notebook in SeminarNotebooks.List(Path.Combine(root, "notebooks")))
                stdout.WriteLine(Path.GetRelativePath(root, notebook));
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary><c>run [NOTEBOOK ...]</c>: runs notebooks headless and writes each executed notebook and its HTML page.</summary>
    public static Command Run(TextWriter stdout, TextWriter stderr)
    {
        var notebooks = Options.Notebooks("NOTEBOOK", "Notebooks to run (default: every seminar notebook in notebooks/).");
        var output = Options.Path("--out", "DIR", "Where to write the executed notebooks (.ipynb, with outputs and charts) and their HTML pages (default: out/ in the repository).");
        var cellTimeout = Options.Seconds("--cell-timeout", "The longest one cell may run (default: 600).");
        var keepGoing = Options.Flag("--keep-going", "Run the remaining cells after a failing one.");
        var command = new Command("run", $"Run notebooks headless, top to bottom, and write each executed notebook and an HTML page of it. Exits {ExitCodes.NotebookFailed} when a cell fails, naming the notebook, the cell (its number and first line) and the error.")
        {
            notebooks, output, cellTimeout, keepGoing,
        };
        command.SetAction(async (result, cancellationToken) =>
        {
            var options = new RunOptions();
            if (result.GetValue(cellTimeout) is { } seconds) options = options with { CellTimeout = TimeSpan.FromSeconds(seconds) };
            if (result.GetValue(keepGoing)) options = options with { StopOnError = false };
            return await RunNotebooksAsync(result.GetValue(notebooks) ?? [], result.GetValue(output), options, stdout, stderr, cancellationToken);
        });
        return command;
    }

    static async Task<int> RunNotebooksAsync(string[] names, string? outFolder, RunOptions options, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        var root = SeminarNotebooks.FindRoot();
        var notebooksFolder = Path.Combine(root, "notebooks");
        outFolder ??= Path.Combine(root, "out");
        var notebooks = names.Length > 0
            ? names.Select(n => SeminarNotebooks.Resolve(n, notebooksFolder)).ToList()
            : SeminarNotebooks.List(notebooksFolder).ToList();
        if (notebooks.Count == 0)
        {
            stderr.WriteLine($"{CommandLine.Name}: no notebooks to run in {notebooksFolder}.");
            return ExitCodes.UsageError;
        }
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
                OnCellStarted = (cell, index, count) => stdout.WriteLine($"    cell {cell.Number} ({index + 1}/{count} code): {CommandLine.Shorten(cell.FirstLine)}"),
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
                failures.Add($"{name}: {result.FirstError}");
                stdout.WriteLine($"    FAILED in {seconds} s: {result.FirstError}");
            }
        }
        if (failures.Count == 0)
        {
            stdout.WriteLine($"all {notebooks.Count} notebook(s) ran; outputs in {Path.GetRelativePath(root, outFolder)}/");
            return ExitCodes.Success;
        }
        stderr.WriteLine($"{CommandLine.Name}: {failures.Count} of {notebooks.Count} notebook(s) failed:");
        foreach (var failure in failures) stderr.WriteLine("  " + failure);
        return ExitCodes.NotebookFailed;
    }

    /// <summary><c>export [NAME ...]</c>: writes each seminar notebook as a C# file-based app.</summary>
    public static Command Export(TextWriter stdout, TextWriter stderr)
    {
        var names = Options.Notebooks("NAME", "Seminar notebooks to export (default: all).");
        var check = Options.Flag("--check", $"Write nothing; exit {ExitCodes.NotUpToDate} when an app is not what export would write.");
        var command = new Command("export", "Write each seminar notebook (notebooks/NN-name.ipynb) as a C# file-based app, apps/NN-name.cs: `dotnet run apps/NN-name.cs` runs it and writes apps/NN-name.html.")
        {
            names, check,
        };
        command.SetAction(result =>
        {
            var root = SeminarNotebooks.FindRoot();
            var notebooks = Path.Combine(root, "notebooks");
            var apps = Path.Combine(root, AppExport.Folder);
            var wanted = result.GetValue(names) ?? [];
            if (result.GetValue(check))
            {
                var sources = wanted.Length == 0 ? SeminarNotebooks.List(notebooks) : wanted.Select(n => SeminarNotebooks.Resolve(n, notebooks)).ToList();
                var stale = sources.Where(s =>
                {
                    var target = Path.Combine(apps, AppExport.FileName(s));
                    return !File.Exists(target) || File.ReadAllText(target) != AppExport.Export(IpynbDocument.Load(s), Path.GetFileNameWithoutExtension(s));
                }).ToList();
                foreach (var s in stale) stderr.WriteLine($"{CommandLine.Name}: apps/{AppExport.FileName(s)} is not what export makes of notebooks/{Path.GetFileName(s)}; run `{CommandLine.Name} export`.");
                if (stale.Count == 0) stdout.WriteLine($"all {sources.Count} apps are up to date.");
                return stale.Count == 0 ? ExitCodes.Success : ExitCodes.NotUpToDate;
            }
            var written = AppExport.Run(notebooks, apps, wanted);
            foreach (var (path, changed) in written)
                stdout.WriteLine($"{(changed ? "wrote    " : "unchanged")} {Path.GetRelativePath(root, path)}");
            stdout.WriteLine($"run one with: dotnet run {AppExport.Folder}/<name>.cs");
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary><c>jupyter-setup</c>: registers the notebooks' Jupyter kernel.</summary>
    public static Command JupyterSetup(TextWriter stdout, TextWriter stderr)
    {
        var command = new Command("jupyter-setup", "Register the notebooks' Jupyter kernel (.net-csharp, the pinned engine) for JupyterLab, Jupyter Notebook and VS Code's Jupyter extension (idempotent).");
        command.SetAction(_ =>
        {
            try
            {
                stdout.WriteLine(JupyterKernel.Install(SeminarNotebooks.FindRoot()));
                return ExitCodes.Success;
            }
            catch (JupyterSetupException e)
            {
                stderr.WriteLine($"{CommandLine.Name}: {e.Message}");
                return ExitCodes.SetupFailed;
            }
        });
        return command;
    }
}
