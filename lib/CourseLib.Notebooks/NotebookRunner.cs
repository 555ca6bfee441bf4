using System.Diagnostics;
using System.Text.Json.Nodes;
using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Commands;
using Microsoft.DotNet.Interactive.CSharp;
using Microsoft.DotNet.Interactive.Events;
using Microsoft.DotNet.Interactive.Formatting;
using Microsoft.DotNet.Interactive.PackageManagement;

namespace CourseLib.Notebooks;

/// <summary>Settings for running a notebook.</summary>
public sealed record RunOptions
{
    /// <summary>The longest a single cell may run before the run stops with an error. Default: 10 minutes.</summary>
    public TimeSpan CellTimeout { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>Stop at the first failing cell (true, the default) or run the remaining cells anyway.</summary>
    public bool StopOnError { get; init; } = true;

    /// <summary>Called as each cell starts (cell, index among code cells, number of code cells).</summary>
    public Action<NotebookCell, int, int>? OnCellStarted { get; init; }
}

/// <summary>What happened when one cell ran.</summary>
public sealed record CellResult(NotebookCell Cell, bool Succeeded, string? Error, TimeSpan Elapsed, IReadOnlyList<JsonObject> Outputs);

/// <summary>What happened when a notebook ran; <see cref="Document"/> holds the executed notebook with outputs.</summary>
public sealed record NotebookResult(IpynbDocument Document, IReadOnlyList<CellResult> Cells, TimeSpan Elapsed)
{
    /// <summary>True when every cell ran without error.</summary>
    public bool Succeeded => Cells.All(c => c.Succeeded) && Cells.Count == Document.Cells.Count(c => c.IsCode);

    /// <summary>The first failure, as "cell N (`first line`): message", or null.</summary>
    public string? FirstError => Cells.FirstOrDefault(c => !c.Succeeded) is { } failed
        ? $"cell {failed.Cell.Number} (`{Shorten(failed.Cell.FirstLine)}`): {failed.Error}"
        : null;

    static string Shorten(string line) => line.Length > 70 ? line[..67] + "..." : line;
}

/// <summary>
/// Runs C# notebooks headless, in this process, with the .NET Interactive C# kernel (the engine behind Polyglot
/// Notebooks): cells in order, <c>#r "nuget: ..."</c> supported, each cell's outputs captured by MIME type and stored
/// in the notebook the way VS Code stores them.
/// </summary>
public static class NotebookRunner
{
    static readonly object FormatterSetupLock = new();
    static bool _formatterReady;

    /// <summary>Runs the notebook at <paramref name="path"/> with its folder as working directory.</summary>
    public static Task<NotebookResult> RunAsync(string path, RunOptions? options = null, CancellationToken cancellationToken = default) =>
        RunAsync(IpynbDocument.Load(path), Path.GetDirectoryName(Path.GetFullPath(path))!, options, cancellationToken);

    /// <summary>Runs <paramref name="notebook"/> (a copy is executed) with <paramref name="workingDirectory"/> as working directory.</summary>
    public static async Task<NotebookResult> RunAsync(IpynbDocument notebook, string workingDirectory, RunOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new RunOptions();
        var document = notebook.Clone();
        document.ClearOutputs();
        PrepareFormatting();
        var clock = Stopwatch.StartNew();
        var results = new List<CellResult>();
        var previousDirectory = Directory.GetCurrentDirectory();
        Directory.SetCurrentDirectory(workingDirectory);
        using var kernel = CreateKernel();
        try
        {
            var codeCells = document.Cells.Where(c => c.IsCode).ToList();
            int executionCount = 0;
            foreach (var cell in codeCells)
            {
                cancellationToken.ThrowIfCancellationRequested();
                options.OnCellStarted?.Invoke(cell, executionCount, codeCells.Count);
                var result = await RunCellAsync(kernel, cell, document.DefaultLanguage, options.CellTimeout, cancellationToken);
                results.Add(result);
                cell.Json["execution_count"] = ++executionCount;
                cell.Json["outputs"] = new JsonArray(result.Outputs.Select(o => (JsonNode)o).ToArray());
                if (!result.Succeeded && (options.StopOnError || result.Error!.StartsWith("timed out", StringComparison.Ordinal))) break;
            }
        }
        finally
        {
            Directory.SetCurrentDirectory(previousDirectory);
        }
        return new NotebookResult(document, results, clock.Elapsed);
    }

    internal static CSharpKernel CreateKernel()
    {
        var kernel = new CSharpKernel().UseKernelHelpers().UseValueSharing();
        kernel.UseNugetDirective((k, references) =>
        {
            k.AddAssemblyReferences(references.SelectMany(r => r.AssemblyPaths));
            return Task.CompletedTask;
        }, forceRestore: false);
        return kernel;
    }

    internal static void PrepareFormatting()
    {
        lock (FormatterSetupLock)
        {
            if (_formatterReady) return;
            Formatter.DefaultMimeType = HtmlFormatter.MimeType;
            Formatter.SetPreferredMimeTypesFor(typeof(string), PlainTextFormatter.MimeType);
            _formatterReady = true;
        }
    }

    internal static async Task<CellResult> RunCellAsync(CSharpKernel kernel, NotebookCell cell, string defaultLanguage, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var outputs = new List<JsonObject>();
        var language = cell.Language(defaultLanguage);
        if (language is not ("csharp" or "C#" or "c#"))
            return new CellResult(cell, false, $"the cell is in language \"{language}\"; the course runs C# cells only.", clock.Elapsed, outputs);

        var code = StripKernelDirective(cell.Source);
        if (string.IsNullOrWhiteSpace(code)) return new CellResult(cell, true, null, clock.Elapsed, outputs);

        var submission = kernel.SendAsync(new SubmitCode(code), cancellationToken);
        var finished = await Task.WhenAny(submission, Task.Delay(timeout, cancellationToken));
        if (finished != submission)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var message = $"timed out after {timeout.TotalSeconds:0} s (the per-cell time limit).";
            outputs.Add(ErrorOutput("Timeout", message));
            return new CellResult(cell, false, message, clock.Elapsed, outputs);
        }

        var result = await submission;
        var byValueId = new Dictionary<string, JsonObject>();
        string? error = null;
        foreach (var e in result.Events)
        {
            switch (e)
            {
                case DisplayedValueUpdated updated when updated.ValueId != null && byValueId.TryGetValue(updated.ValueId, out var existing):
                    existing["data"] = Data(updated.FormattedValues);
                    break;
                case ReturnValueProduced returned:
                    outputs.Add(new JsonObject { ["output_type"] = "execute_result", ["data"] = Data(returned.FormattedValues), ["execution_count"] = 1, ["metadata"] = new JsonObject() });
                    break;
                case DisplayEvent displayed and (DisplayedValueProduced or DisplayedValueUpdated):
                    var output = new JsonObject { ["output_type"] = "display_data", ["data"] = Data(displayed.FormattedValues), ["metadata"] = new JsonObject() };
                    outputs.Add(output);
                    if (displayed.ValueId != null) byValueId[displayed.ValueId] = output;
                    break;
                case StandardOutputValueProduced stdout:
                    AppendStream(outputs, "stdout", Text(stdout.FormattedValues));
                    break;
                case StandardErrorValueProduced stderr:
                    AppendStream(outputs, "stderr", Text(stderr.FormattedValues));
                    break;
                case ErrorProduced produced:
                    error ??= produced.Message;
                    break;
                case CommandFailed failed:
                    error = failed.Exception is { } exception ? Describe(exception) : failed.Message;
                    break;
            }
        }
        if (error != null) outputs.Add(ErrorOutput("Error", error));
        return new CellResult(cell, error == null, error, clock.Elapsed, outputs);
    }

    static string Describe(Exception exception)
    {
        while (exception is System.Reflection.TargetInvocationException or AggregateException && exception.InnerException != null)
            exception = exception.InnerException;
        return $"{exception.GetType().Name}: {exception.Message}";
    }

    static string StripKernelDirective(string source)
    {
        var trimmed = source.TrimStart();
        if (trimmed.StartsWith("#!csharp", StringComparison.Ordinal) || trimmed.StartsWith("#!c#", StringComparison.Ordinal))
        {
            var newline = trimmed.IndexOf('\n');
            return newline < 0 ? "" : trimmed[(newline + 1)..];
        }
        return source;
    }

    static JsonObject Data(IReadOnlyCollection<FormattedValue> values)
    {
        var data = new JsonObject();
        foreach (var value in values)
            if (value.MimeType != null && !data.ContainsKey(value.MimeType))
                data[value.MimeType] = IpynbDocument.SplitText(value.Value ?? "");
        return data;
    }

    static string Text(IReadOnlyCollection<FormattedValue> values) =>
        values.FirstOrDefault(v => v.MimeType == PlainTextFormatter.MimeType)?.Value ?? values.FirstOrDefault()?.Value ?? "";

    static void AppendStream(List<JsonObject> outputs, string name, string text)
    {
        if (outputs.Count > 0 && outputs[^1]["output_type"]?.GetValue<string>() == "stream" && outputs[^1]["name"]?.GetValue<string>() == name)
        {
            var joined = IpynbDocument.JoinText(outputs[^1]["text"]) + text;
            outputs[^1]["text"] = IpynbDocument.SplitText(joined);
            return;
        }
        outputs.Add(new JsonObject { ["output_type"] = "stream", ["name"] = name, ["text"] = IpynbDocument.SplitText(text) });
    }

    static JsonObject ErrorOutput(string name, string message) => new()
    {
        ["output_type"] = "error",
        ["ename"] = name,
        ["evalue"] = message,
        ["traceback"] = new JsonArray(message),
    };
}
