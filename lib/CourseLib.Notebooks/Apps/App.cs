using System.Collections;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace CourseLib.Notebooks.Apps;

/// <summary>
/// The runtime of an app made by <see cref="AppExport"/>: what a notebook shows, without a notebook. Each output
/// (a cell's last expression, <c>display(...)</c>, CourseLib's Notebook.Display, charts, the final state of a
/// progress bar, console output) is printed on the terminal as text and recorded under its cell; at the end, or when
/// a cell throws, the app's source (markdown comments and cells) and the outputs are written as one HTML page
/// beside the app, drawn like the pages of `courselib run` (<see cref="HtmlPage"/>).
/// </summary>
public static class App
{
    static Report? _report;

    /// <summary>Starts the app named <paramref name="name"/> (02-reinforce) with <paramref name="cells"/> code cells.</summary>
    public static void Start(string name, int cells)
    {
        if (_report != null) throw new InvalidOperationException("App.Start was called twice.");
        var source = AppContext.GetData("EntryPointFilePath") as string;
        if (source == null || !File.Exists(source))
            source = Path.Combine(SeminarNotebooks.FindRoot(), AppExport.Folder, name + ".cs");
        _report = new Report(name, source, cells);
        // The library's output sink (CourseLib.Display.OutputSink.Current), set through reflection: this assembly
        // does not reference the library (the notebook engine must not load it from here).
        Type.GetType("CourseLib.Display.OutputSink, CourseLib")?.GetProperty("Current")?.SetValue(null, (Action<object>)_report.Record);
        Console.SetOut(_report.Out);
        AppDomain.CurrentDomain.UnhandledException += (_, e) =>
        {
            if (_report == null) return;
            _report.Fail(e.ExceptionObject as Exception);
            var path = _report.Write();
            _report.Terminal.WriteLine($"\nFAILED in cell {_report.CurrentCell}: {(e.ExceptionObject as Exception)?.Message}\nreport: {path}");
            _report.Terminal.Flush();
        };
        CheckTorchSharp();
    }

    /// <summary>Marks the start of the notebook's cell <paramref name="number"/>: outputs from here on belong to it.</summary>
    public static void Cell(int number)
    {
        var report = _report ?? throw new InvalidOperationException("call App.Start first.");
        report.StartCell(number);
    }

    /// <summary>Shows <paramref name="value"/> as a notebook shows a cell's last expression.</summary>
    public static void Show(object? value)
    {
        if (value == null) return;
        var report = _report ?? throw new InvalidOperationException("call App.Start first.");
        report.Terminal.WriteLine(Text(value));
        report.Record(value);
    }

    /// <summary>Shows <paramref name="value"/> below the running cell, as in a notebook.</summary>
#pragma warning disable IDE1006 // the notebook's name
    public static void display(object? value) => Show(value);
#pragma warning restore IDE1006

    /// <summary>Writes the report; prints where it is.</summary>
    public static void Finish()
    {
        var report = _report ?? throw new InvalidOperationException("call App.Start first.");
        var path = report.Write();
        report.Terminal.WriteLine($"\n{report.Name}: all {report.CellCount} cells ran in {report.Elapsed.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)} s; report: {path}");
        report.Terminal.Flush();
    }

    /// <summary>The text a notebook's text/plain view would show for <paramref name="value"/>.</summary>
    public static string Text(object value) => value switch
    {
        string s => s,
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        IEnumerable items when Html(value) == null => "[" + string.Join(", ", items.Cast<object?>().Take(50).Select(i => i == null ? "null" : Text(i))) + (items.Cast<object?>().Skip(50).Any() ? ", …" : "") + "]",
        _ => value.ToString() ?? "",
    };

    /// <summary>The HTML of one of the course's rich objects (CourseLib's HtmlDisplayable: a ToHtml() method), or null.</summary>
    static string? Html(object value) =>
        value.GetType().GetMethod("ToHtml", Type.EmptyTypes) is { } toHtml && toHtml.ReturnType == typeof(string) ? (string?)toHtml.Invoke(value, null) : null;

    /// <summary>
    /// TorchSharp's native library loads only where the build made it loadable: an app inside the repository builds
    /// with the repository's Directory.Build.targets (build/TorchSharpNative.targets). Copied elsewhere, it fails
    /// deep inside TorchSharp; say why instead.
    /// </summary>
    static void CheckTorchSharp()
    {
        var torch = Type.GetType("TorchSharp.torch, TorchSharp");
        if (torch == null) return; // an app that does not reference TorchSharp
        try
        {
            System.Runtime.CompilerServices.RuntimeHelpers.RunClassConstructor(torch.TypeHandle);
        }
        catch (Exception e) when (e is TypeInitializationException or DllNotFoundException or BadImageFormatException or FileNotFoundException)
        {
            throw new InvalidOperationException(
                "TorchSharp's native library could not load (" + (e.InnerException ?? e).Message + "). Run the app from inside the course " +
                "repository (apps/), whose build makes TorchSharp loadable on this system (build/TorchSharpNative.targets); " +
                "a copy outside it does not get that step.", e);
        }
    }

    sealed class Report(string name, string source, int cells)
    {
        readonly Dictionary<int, List<JsonObject>> _outputs = new();
        readonly System.Diagnostics.Stopwatch _clock = System.Diagnostics.Stopwatch.StartNew();
        readonly object _lock = new();

        public string Name { get; } = name;
        public int CellCount { get; } = cells;
        public int CurrentCell { get; private set; }
        public TimeSpan Elapsed => _clock.Elapsed;
        public TextWriter Terminal { get; } = Console.Out;
        public TextWriter Out => _out ??= new Tee(this);
        TextWriter? _out;

        public void StartCell(int number)
        {
            Out.Flush();
            CurrentCell = number;
            Terminal.WriteLine($"── cell {number} ──");
        }

        public void Record(object value)
        {
            Out.Flush();
            var data = new JsonObject();
            if (Html(value) is { } html) data["text/html"] = html;
            data["text/plain"] = Text(value);
            Add(new JsonObject { ["output_type"] = "display_data", ["data"] = data, ["metadata"] = new JsonObject() });
        }

        public void Stream(string text)
        {
            if (text.Length == 0) return;
            lock (_lock)
            {
                var list = Outputs();
                if (list.Count > 0 && list[^1]["output_type"]?.GetValue<string>() == "stream")
                    list[^1]["text"] = list[^1]["text"]!.GetValue<string>() + text;
                else list.Add(new JsonObject { ["output_type"] = "stream", ["name"] = "stdout", ["text"] = text });
            }
        }

        public void Fail(Exception? e)
        {
            Out.Flush();
            var inner = e is TypeInitializationException { InnerException: { } i } ? i : e;
            Add(new JsonObject
            {
                ["output_type"] = "error",
                ["ename"] = inner?.GetType().Name ?? "Error",
                ["evalue"] = inner?.Message ?? "the program failed.",
                ["traceback"] = new JsonArray(inner?.ToString() ?? ""),
            });
        }

        void Add(JsonObject output) { lock (_lock) Outputs().Add(output); }

        List<JsonObject> Outputs()
        {
            if (!_outputs.TryGetValue(CurrentCell, out var list)) _outputs[CurrentCell] = list = new List<JsonObject>();
            return list;
        }

        /// <summary>The report page: the app's markdown and cells, as parsed from its source, with their outputs.</summary>
        public string Write()
        {
            Out.Flush();
            var cellsJson = new JsonArray();
            foreach (var (kind, number, text) in ParseSource(File.Exists(source) ? File.ReadAllText(source) : ""))
            {
                var cell = new JsonObject { ["cell_type"] = kind, ["metadata"] = new JsonObject(), ["source"] = text };
                if (kind == "code")
                {
                    List<JsonObject>? outputs;
                    lock (_lock) outputs = _outputs.TryGetValue(number, out var o) ? o.Select(x => (JsonObject)x.DeepClone()).ToList() : null;
                    cell["outputs"] = new JsonArray((outputs ?? new()).Select(x => (JsonNode)x).ToArray());
                    cell["execution_count"] = null;
                }
                cellsJson.Add(cell);
            }
            var notebook = new JsonObject { ["cells"] = cellsJson, ["metadata"] = new JsonObject(), ["nbformat"] = 4, ["nbformat_minor"] = 5 };
            var path = Path.ChangeExtension(source, ".html");
            File.WriteAllText(path, HtmlPage.Render(IpynbDocument.Parse(notebook.ToJsonString(), source), Name));
            return path;
        }

        sealed class Tee(Report report) : TextWriter
        {
            readonly StringBuilder _pending = new();
            public override Encoding Encoding => Encoding.UTF8;
            public override void Write(char value) { report.Terminal.Write(value); lock (_pending) _pending.Append(value); }
            public override void Write(string? value) { report.Terminal.Write(value); lock (_pending) _pending.Append(value); }
            public override void Flush()
            {
                report.Terminal.Flush();
                string text;
                lock (_pending) { text = _pending.ToString(); _pending.Clear(); }
                report.Stream(text);
            }
        }
    }

    /// <summary>
    /// The cells of an app's source, in order: a markdown cell for each block comment that starts a line ("/*" …
    /// "*/"), a code cell from each <c>App.Cell(n);</c> to the next markdown or cell. Lines before App.Start and from
    /// App.Finish on are the app's frame, not the notebook's.
    /// </summary>
    public static IEnumerable<(string Kind, int Number, string Text)> ParseSource(string source)
    {
        var lines = source.Replace("\r\n", "\n").Split('\n');
        int i = Array.FindIndex(lines, l => l.StartsWith("App.Start(", StringComparison.Ordinal));
        if (i < 0) yield break;
        i++;
        string? kind = null;
        int number = 0;
        var text = new List<string>();
        IEnumerable<(string, int, string)> Flush()
        {
            if (kind != null)
            {
                var joined = string.Join("\n", text).Trim('\n');
                if (kind == "markdown") joined = joined.Replace("*\\/", "*/", StringComparison.Ordinal);
                if (kind == "markdown" || joined.Length > 0 || number > 0) yield return (kind, number, joined);
            }
            kind = null; text.Clear();
        }
        for (; i < lines.Length; i++)
        {
            var line = lines[i];
            if (line.StartsWith("App.Finish(", StringComparison.Ordinal)) break;
            if (line.TrimEnd() == "/*" && kind != "markdown")
            {
                foreach (var c in Flush()) yield return c;
                kind = "markdown";
                continue;
            }
            if (kind == "markdown" && line.TrimEnd() == "*/")
            {
                foreach (var c in Flush()) yield return c;
                continue;
            }
            if (kind != "markdown" && line.StartsWith("App.Cell(", StringComparison.Ordinal))
            {
                foreach (var c in Flush()) yield return c;
                var digits = new string(line["App.Cell(".Length..].TakeWhile(char.IsDigit).ToArray());
                number = int.TryParse(digits, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : 0;
                kind = "code";
                continue;
            }
            if (kind == null && line.Trim().Length == 0) continue;
            kind ??= "code";
            text.Add(line);
        }
        foreach (var c in Flush()) yield return c;
    }
}
