using System.Diagnostics;
using System.Text.Json.Nodes;
using System.Threading.Channels;

namespace CourseLib.Notebooks;

/// <summary>
/// Runs a notebook in the stock engine that Polyglot Notebooks in VS Code uses: the <c>Microsoft.dotnet-interactive</c>
/// tool pinned in <c>.config/dotnet-tools.json</c> (1.0.712001, the final release), driven through its <c>stdio</c>
/// protocol one cell at a time. What passes here is what a student sees.
/// </summary>
public static class StockEngine
{
    /// <summary>Restores the pinned local tools (idempotent); throws with dotnet's output when it fails.</summary>
    public static void RestoreTools(string repositoryRoot)
    {
        var (exitCode, output) = ChildProcess.Run("dotnet", repositoryRoot, TimeSpan.FromMinutes(5), "tool", "restore");
        if (exitCode != 0) throw new InvalidOperationException($"dotnet tool restore failed ({exitCode}):\n{output}");
    }

    /// <summary>Runs every code cell of the notebook at <paramref name="path"/> in a fresh stock engine process.</summary>
    public static async Task<NotebookResult> RunAsync(string path, string repositoryRoot, TimeSpan? cellTimeout = null, CancellationToken cancellationToken = default)
    {
        var document = IpynbDocument.Load(path).Clone();
        document.ClearOutputs();
        var timeout = cellTimeout ?? TimeSpan.FromMinutes(10);
        var clock = Stopwatch.StartNew();
        var results = new List<CellResult>();
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = repositoryRoot,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "tool", "run", "dotnet-interactive", "--", "stdio", "--default-kernel", "csharp",
                                         "--working-dir", Path.GetDirectoryName(Path.GetFullPath(path))! })
            start.ArgumentList.Add(argument);
        start.Environment["DOTNET_INTERACTIVE_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["COURSELIB_PROGRESS"] = "none";

        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start dotnet-interactive.");
        var events = Channel.CreateUnbounded<JsonObject>();
        var reader = Task.Run(async () =>
        {
            string? line;
            while ((line = await process.StandardOutput.ReadLineAsync()) != null)
            {
                if (!line.StartsWith('{')) continue;
                try { if (JsonNode.Parse(line) is JsonObject json) events.Writer.TryWrite(json); }
                catch (System.Text.Json.JsonException) { }
            }
            events.Writer.TryComplete();
        });
        var errors = Task.Run(() => process.StandardError.ReadToEndAsync());
        try
        {
            int number = 0;
            foreach (var cell in document.Cells.Where(c => c.IsCode))
            {
                var token = $"courselib-{++number}";
                var command = new JsonObject
                {
                    ["token"] = token,
                    ["commandType"] = "SubmitCode",
                    ["command"] = new JsonObject { ["code"] = cell.Source, ["targetKernelName"] = "csharp" },
                };
                await process.StandardInput.WriteLineAsync(command.ToJsonString());
                await process.StandardInput.FlushAsync(cancellationToken);
                var cellClock = Stopwatch.StartNew();
                var outputs = new List<JsonObject>();
                string? error = null;
                bool finished = false;
                using var cellLimit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                cellLimit.CancelAfter(timeout);
                try
                {
                    while (!finished)
                    {
                        var e = await events.Reader.ReadAsync(cellLimit.Token);
                        var eventToken = e["command"]?["token"]?.GetValue<string>();
                        if (eventToken != token) continue;
                        var body = e["event"] as JsonObject;
                        switch (e["eventType"]?.GetValue<string>())
                        {
                            case "DisplayedValueProduced" or "ReturnValueProduced" or "DisplayedValueUpdated":
                                outputs.Add(new JsonObject { ["output_type"] = "display_data", ["data"] = Data(body), ["metadata"] = new JsonObject() });
                                break;
                            case "StandardOutputValueProduced" or "StandardErrorValueProduced":
                                outputs.Add(new JsonObject { ["output_type"] = "stream", ["name"] = "stdout", ["text"] = IpynbDocument.SplitText(FirstValue(body)) });
                                break;
                            case "CommandFailed":
                                error = body?["message"]?.GetValue<string>() ?? "the cell failed.";
                                finished = true;
                                break;
                            case "CommandSucceeded":
                                finished = true;
                                break;
                        }
                    }
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    error = $"timed out after {timeout.TotalSeconds:0} s (the per-cell time limit).";
                }
                catch (ChannelClosedException)
                {
                    error = $"the engine exited: {Tail(await errors)}";
                }
                if (error != null)
                    outputs.Add(new JsonObject { ["output_type"] = "error", ["ename"] = "Error", ["evalue"] = error, ["traceback"] = new JsonArray(error) });
                cell.Json["outputs"] = new JsonArray(outputs.Select(o => (JsonNode)o).ToArray());
                results.Add(new CellResult(cell, error == null, error, cellClock.Elapsed, outputs));
                if (error != null) break;
            }
        }
        finally
        {
            try { process.StandardInput.Close(); } catch (IOException) { }
            if (!process.WaitForExit(5000)) process.Kill(entireProcessTree: true);
            await reader;
        }
        return new NotebookResult(document, results, clock.Elapsed);
    }

    static JsonObject Data(JsonObject? body)
    {
        var data = new JsonObject();
        if (body?["formattedValues"] is JsonArray values)
            foreach (var value in values.OfType<JsonObject>())
                if (value["mimeType"]?.GetValue<string>() is { } mime && !data.ContainsKey(mime))
                    data[mime] = IpynbDocument.SplitText(value["value"]?.GetValue<string>() ?? "");
        return data;
    }

    static string FirstValue(JsonObject? body) =>
        (body?["formattedValues"] as JsonArray)?.OfType<JsonObject>().FirstOrDefault()?["value"]?.GetValue<string>() ?? "";

    static string Tail(string text) => text.Length > 2000 ? text[^2000..] : text;

}
