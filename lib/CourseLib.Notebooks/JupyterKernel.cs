using System.Diagnostics;
using System.Text.Json.Nodes;

namespace CourseLib.Notebooks;

/// <summary>A piece of the Jupyter set-up is missing; the message names the command that installs it.</summary>
public sealed class JupyterSetupException(string message) : Exception(message);

/// <summary>
/// The course in Jupyter (JupyterLab, Jupyter Notebook, VS Code's Jupyter extension): the pinned engine's kernel
/// `.net-csharp`, registered by <see cref="Install"/> (`courselib jupyter-setup`), and notebooks executed through the
/// real Jupyter client (`jupyter nbconvert --execute`, which drives the kernel with jupyter_client/nbclient).
/// </summary>
public static class JupyterKernel
{
    /// <summary>The kernel's name in Jupyter (the notebooks' kernelspec).</summary>
    public const string Name = ".net-csharp";

    /// <summary>The command that installs the Debian packages for Jupyter (the client, nbconvert) and Chromium.</summary>
    public const string InstallPackagesCommand = "bash build/install-test-deps.sh";

    /// <summary>The command that registers the kernel.</summary>
    public const string SetupCommand = "dotnet run --project lib/CourseLib.Cli -c Release -- jupyter-setup";

    /// <summary>Jupyter's per-user kernels folder: $JUPYTER_DATA_DIR/kernels, else ~/.local/share/jupyter/kernels.</summary>
    public static string KernelsFolder
    {
        get
        {
            var data = Environment.GetEnvironmentVariable("JUPYTER_DATA_DIR");
            if (string.IsNullOrEmpty(data))
            {
                var xdg = Environment.GetEnvironmentVariable("XDG_DATA_HOME");
                data = Path.Combine(string.IsNullOrEmpty(xdg) ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "share") : xdg, "jupyter");
            }
            return Path.Combine(data, "kernels");
        }
    }

    /// <summary>The kernel's spec file, kernels/.net-csharp/kernel.json.</summary>
    public static string KernelSpec => Path.Combine(KernelsFolder, Name, "kernel.json");

    /// <summary>True when the kernel is registered and starts the pinned engine (`dotnet interactive jupyter`).</summary>
    public static bool IsInstalled()
    {
        if (!File.Exists(KernelSpec)) return false;
        try
        {
            var argv = (JsonNode.Parse(File.ReadAllText(KernelSpec))?["argv"] as JsonArray)?.Select(a => a?.GetValue<string>()).ToList();
            return argv is { Count: > 3 } && argv[0] == "dotnet" && argv[1] == "interactive" && argv[2] == "jupyter";
        }
        catch (System.Text.Json.JsonException) { return false; }
    }

    /// <summary>
    /// Registers the kernel (idempotent): restores the pinned engine tool, creates Jupyter's kernels folder (the
    /// engine's installer fails with a confusing message without it), and runs the engine's `jupyter install` into
    /// it. The kernel runs `dotnet interactive jupyter`, which finds the pinned tool in any folder of the repository.
    /// Returns what it did.
    /// </summary>
    public static string Install(string repositoryRoot)
    {
        StockEngine.RestoreTools(repositoryRoot);
        if (IsInstalled()) return $"jupyter-setup: the kernel {Name} is already registered ({KernelSpec}); open the notebooks in JupyterLab (`jupyter lab notebooks/`) or VS Code's Jupyter extension and pick \".NET (C#)\".";
        Directory.CreateDirectory(KernelsFolder);
        var (exitCode, output) = ChildProcess.Run("dotnet", repositoryRoot, TimeSpan.FromMinutes(5),
            "tool", "run", "dotnet-interactive", "--", "jupyter", "install", "--path", KernelsFolder);
        if (exitCode != 0 || !IsInstalled())
            throw new JupyterSetupException($"registering the Jupyter kernel {Name} in {KernelsFolder} failed (exit code {exitCode}):\n{output.Trim()}");
        var jupyter = FindTool("jupyter-nbconvert") != null || FindTool("jupyter") != null
            ? "" : $" Jupyter itself is not installed: on Debian/Ubuntu `{InstallPackagesCommand}`, elsewhere `pip install jupyterlab`.";
        return $"jupyter-setup: registered the kernel {Name} ({KernelSpec}).{jupyter} Open the notebooks in JupyterLab (`jupyter lab notebooks/`) or VS Code's Jupyter extension and pick \".NET (C#)\".";
    }

    /// <summary>Fails with the command to run when the Jupyter client or the kernel is missing.</summary>
    public static string RequireNbconvert()
    {
        var nbconvert = FindTool("jupyter-nbconvert")
            ?? throw new JupyterSetupException($"jupyter-nbconvert (Debian's Jupyter client) is not installed: run `{InstallPackagesCommand}`.");
        if (!IsInstalled())
            throw new JupyterSetupException($"the Jupyter kernel {Name} is not registered in {KernelsFolder}: run `{SetupCommand}`.");
        return nbconvert;
    }

    /// <summary>
    /// Executes the notebook at <paramref name="path"/> through Jupyter (`jupyter nbconvert --to notebook --execute`
    /// with the kernel `.net-csharp`, in the notebook's folder) and writes the executed notebook into
    /// <paramref name="outFolder"/>. Errors are kept as outputs (not stopped at), so the result names the cell.
    /// </summary>
    public static async Task<JupyterRun> RunAsync(string path, string outFolder, TimeSpan cellTimeout, CancellationToken cancellationToken = default)
    {
        var nbconvert = RequireNbconvert();
        Directory.CreateDirectory(outFolder);
        var name = Path.GetFileNameWithoutExtension(path);
        var clock = Stopwatch.StartNew();
        var (exitCode, output) = await ChildProcess.RunAsync(nbconvert, Path.GetDirectoryName(Path.GetFullPath(path))!, TimeSpan.FromMinutes(60), [
            "--to", "notebook", "--execute", "--allow-errors",
            $"--ExecutePreprocessor.kernel_name={Name}",
            $"--ExecutePreprocessor.timeout={(int)cellTimeout.TotalSeconds}",
            "--output-dir", outFolder, "--output", name, Path.GetFullPath(path)], cancellationToken: cancellationToken);
        var executed = Path.Combine(outFolder, name + ".ipynb");
        if (exitCode != 0 || !File.Exists(executed))
            throw new JupyterSetupException($"jupyter nbconvert could not execute {path} (exit code {exitCode}):\n{Tail(output)}");
        return new JupyterRun(IpynbDocument.Load(executed), executed, clock.Elapsed, output);
    }

    /// <summary>Converts an executed notebook to a standalone HTML page with `jupyter nbconvert --to html`; returns its path.</summary>
    public static async Task<string> ToHtmlAsync(string executedNotebook, CancellationToken cancellationToken = default)
    {
        var nbconvert = RequireNbconvert();
        var folder = Path.GetDirectoryName(Path.GetFullPath(executedNotebook))!;
        var (exitCode, output) = await ChildProcess.RunAsync(nbconvert, folder, TimeSpan.FromMinutes(5), ["--to", "html", Path.GetFullPath(executedNotebook)], cancellationToken: cancellationToken);
        var html = Path.ChangeExtension(Path.GetFullPath(executedNotebook), ".html");
        if (exitCode != 0 || !File.Exists(html))
            throw new JupyterSetupException($"jupyter nbconvert --to html failed on {executedNotebook} (exit code {exitCode}):\n{Tail(output)}");
        return html;
    }

    internal static string? FindTool(string name)
    {
        // Debian's own Jupyter first (not a pyenv or venv python that happens to be on PATH).
        var system = Path.Combine("/usr/bin", name);
        if (File.Exists(system)) return system;
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(dir, name);
            if (File.Exists(candidate)) return candidate;
        }
        return null;
    }

    static string Tail(string text) => text.Length > 3000 ? text[^3000..] : text;
}

/// <summary>A notebook executed through Jupyter: the executed document, where it was written, how long it took.</summary>
public sealed record JupyterRun(IpynbDocument Document, string Path, TimeSpan Elapsed, string Log)
{
    /// <summary>Every output of every code cell, in order.</summary>
    public IEnumerable<(NotebookCell Cell, JsonObject Output)> Outputs =>
        Document.Cells.Where(c => c.IsCode).SelectMany(c => (c.Json["outputs"] as JsonArray ?? new JsonArray()).OfType<JsonObject>().Select(o => (c, o)));

    /// <summary>The first error output as "cell N (first line): ename: evalue", or null.</summary>
    public string? FirstError => Outputs.Where(x => x.Output["output_type"]?.GetValue<string>() == "error")
        .Select(x => $"cell {x.Cell.Number} ({x.Cell.FirstLine}): {x.Output["ename"]?.GetValue<string>()}: {x.Output["evalue"]?.GetValue<string>()}")
        .FirstOrDefault();
}
