using System.Text.Json.Nodes;
using Microsoft.DotNet.Interactive.CSharp;
using Microsoft.DotNet.Interactive.Events;

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

    /// <summary>
    /// Calls <paramref name="written"/> with the length (in characters) of every piece of output a cell produces
    /// (standard output and error, displayed values), as the kernel captures it, on the thread that produced it.
    /// The kernel keeps a cell's outputs until the cell ends, so a cell that writes endlessly fills the heap: the
    /// grader's worker stops such a cell at its output limit. Dispose the result to stop watching.
    /// </summary>
    public IDisposable WatchOutput(Action<int> written) => _kernel.KernelEvents.Subscribe(new OutputObserver(written));

    sealed class OutputObserver(Action<int> written) : IObserver<KernelEvent>
    {
        public void OnNext(KernelEvent e)
        {
            if (e is not DisplayEvent display) return;
            int length = 0;
            foreach (var value in display.FormattedValues) length += value.Value?.Length ?? 0;
            if (length > 0) written(length);
        }

        public void OnError(Exception error) { }

        public void OnCompleted() { }
    }

    /// <inheritdoc />
    public void Dispose() => _kernel.Dispose();
}
