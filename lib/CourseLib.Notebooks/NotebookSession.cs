using System.Text.Json.Nodes;
using Microsoft.DotNet.Interactive.CSharp;

namespace CourseLib.Notebooks;

/// <summary>
/// A C# kernel that runs cells one at a time, as they arrive (the grader's worker uses it: it receives a
/// submission's cells one by one). Runs in the process's working directory; <see cref="NotebookRunner"/> runs whole
/// notebooks.
/// </summary>
public sealed class NotebookSession : IDisposable
{
    readonly CSharpKernel _kernel;
    int _executionCount;

    /// <summary>A fresh kernel.</summary>
    public NotebookSession()
    {
        NotebookRunner.PrepareFormatting();
        _kernel = NotebookRunner.CreateKernel();
    }

    /// <summary>Runs one C# cell; its outputs are captured as <see cref="NotebookRunner"/> captures them.</summary>
    public Task<CellResult> RunCellAsync(string source, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var json = new JsonObject
        {
            ["cell_type"] = "code",
            ["execution_count"] = null,
            ["metadata"] = new JsonObject(),
            ["outputs"] = new JsonArray(),
            ["source"] = IpynbDocument.SplitText(source),
        };
        var cell = new NotebookCell(json, ++_executionCount);
        return NotebookRunner.RunCellAsync(_kernel, cell, "csharp", timeout, cancellationToken);
    }

    /// <inheritdoc />
    public void Dispose() => _kernel.Dispose();
}
