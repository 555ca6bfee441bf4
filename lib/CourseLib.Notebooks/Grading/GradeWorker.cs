using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace CourseLib.Notebooks.Grading;

/// <summary>
/// The child process that runs one submission's cells (<c>courselib grade-worker</c>). It talks to the grader over
/// its standard input and output, one JSON object a line: it says <c>{"type":"ready"}</c> once its kernel is up, then
/// for each <c>{"type":"cell", "token", "source", "env"}</c> it receives it runs the cell and answers
/// <c>{"type":"result", "token", "ok", "error", "text", "answers"}</c>, until <c>{"type":"end"}</c> or the end of its
/// input. The grader sends a cell only when the previous one has answered, so a cell is not in this process before
/// its turn (hidden checks come last, after the student's code has run).
/// Nothing this process says is trusted by the grader: it only carries the checks' raw answers (see
/// <see cref="Grader"/>).
/// </summary>
public static class GradeWorker
{
    /// <summary>The command line's name for the worker.</summary>
    public const string Command = "grade-worker";

    /// <summary>The longest text of a cell's outputs sent back (the rest is cut).</summary>
    public const int MaxTextLength = 4000;

    /// <summary>The most answer lines of one cell sent back, and the longest one.</summary>
    public const int MaxAnswerLines = 16, MaxAnswerLength = 4 << 20;

    /// <summary>The start of an answers line (as the checks print it; see CourseLib.Exercises.Grading).</summary>
    public const string AnswersMarker = "\u001Ecourselib-answers ";

    /// <summary>The message a worker sends (then it ends, with <see cref="OutputLimitExitCode"/>) when a cell's output passed the limit the grader sent with the cell (<c>"output_limit"</c>, in characters).</summary>
    public const string OutputLimitMessage = "{\"type\":\"output-limit\"}";

    /// <summary>The exit code of a worker that ended at a cell's output limit.</summary>
    public const int OutputLimitExitCode = 75;

    /// <summary>Runs the worker on this process's standard streams; returns the exit code.</summary>
    public static async Task<int> RunAsync()
    {
        WatchTheGrader();
        var input = new StreamReader(Console.OpenStandardInput(), new UTF8Encoding(false));
        var output = new StreamWriter(Console.OpenStandardOutput(), new UTF8Encoding(false)) { AutoFlush = true };
        // Code in the cells that reads or writes the console gets nothing and reaches nobody outside a cell; inside
        // a cell the kernel captures what it writes as the cell's output.
        Console.SetIn(TextReader.Null);
        Console.SetOut(TextWriter.Null);
        Console.SetError(TextWriter.Null);

        using var session = new NotebookSession();
        // Warm the compiler up before saying ready: its first compilation is the slow one, and is not the cells' time.
        await session.RunCellAsync("var courselibWarmUp = 1;", TimeSpan.FromMinutes(5));
        // The kernel keeps all of a cell's output until the cell ends: a cell that writes endlessly would fill the
        // heap to its hard limit, where the process crashes or crawls (seen: a segmentation fault, an unhandled
        // OutOfMemoryException on a kernel thread, a cell limit reached while collecting). So a cell's output is
        // counted as it is written, and at the grader's output limit the worker says so and ends at once.
        long cellOutput = 0, outputLimit = long.MaxValue;
        using var outputWatch = session.WatchOutput(length =>
        {
            if (Interlocked.Add(ref cellOutput, length) <= Interlocked.Read(ref outputLimit)) return;
            lock (output) output.WriteLine(OutputLimitMessage);
            ExitNow(OutputLimitExitCode);
        });
        await Send(output, new JsonObject { ["type"] = "ready" });
        while (await input.ReadLineAsync() is { } line)
        {
            if (string.IsNullOrWhiteSpace(line)) continue;
            var message = JsonNode.Parse(line) as JsonObject;
            var type = message?["type"]?.GetValue<string>();
            if (type == "end") break;
            if (type != "cell") continue;
            var token = message!["token"]?.GetValue<string>() ?? "";
            var source = message["source"]?.GetValue<string>() ?? "";
            var env = (message["env"] as JsonObject)?.ToDictionary(p => p.Key, p => p.Value?.GetValue<string>()) ?? new();
            Interlocked.Exchange(ref outputLimit, message["output_limit"]?.GetValue<long>() ?? long.MaxValue);
            Interlocked.Exchange(ref cellOutput, 0);
            foreach (var (name, value) in env) Environment.SetEnvironmentVariable(name, value);
            CellResult result;
            try
            {
                result = await session.RunCellAsync(source, TimeSpan.FromDays(1));
            }
            finally
            {
                foreach (var name in env.Keys) Environment.SetEnvironmentVariable(name, null);
            }
            var (text, answers) = Collect(result.Outputs);
            await Send(output, new JsonObject
            {
                ["type"] = "result",
                ["token"] = token,
                ["ok"] = result.Succeeded,
                ["error"] = result.Error is { } error ? Cut(error, MaxTextLength) : null,
                ["text"] = text,
                ["answers"] = new JsonArray(answers.Select(a => (JsonNode)JsonValue.Create(a)!).ToArray()),
                ["elapsed_ms"] = (long)result.Elapsed.TotalMilliseconds,
            });
        }
        return 0;
    }

    /// <summary>
    /// Ends this process as soon as the grader is gone (its end of our standard input closed), even while a cell
    /// runs: a grader that was killed leaves no worker behind. In the namespace sandbox the worker is the first
    /// process of its PID namespace, so its end ends every process the submission started.
    /// </summary>
    static void WatchTheGrader()
    {
        if (!OperatingSystem.IsLinux()) return;
        var watch = new Thread(() =>
        {
            var fd = new PollFd { Fd = 0, Events = 0 };
            while (true)
            {
                // poll always reports POLLHUP (0x10) and POLLERR (0x8), even when not asked for; events 0 asks for nothing else.
                int ready = Poll(ref fd, 1, 1000);
                if (ready > 0 && (fd.Revents & (0x10 | 0x8 | 0x20)) != 0) ExitNow(70);
            }
        }) { IsBackground = true, Name = "courselib-grader-watch" };
        watch.Start();
    }

    [System.Runtime.InteropServices.StructLayout(System.Runtime.InteropServices.LayoutKind.Sequential)]
    struct PollFd { public int Fd; public short Events; public short Revents; }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "poll")]
    static extern int Poll(ref PollFd fd, ulong count, int timeoutMilliseconds);

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "_exit")]
    static extern void ExitNow(int code);

    static Task Send(StreamWriter output, JsonObject message)
    {
        var line = message.ToJsonString(new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        lock (output) output.WriteLine(line);
        return Task.CompletedTask;
    }

    /// <summary>The cell's text output (cut) and its answer lines.</summary>
    static (string Text, List<string> Answers) Collect(IReadOnlyList<JsonObject> outputs)
    {
        var text = new StringBuilder();
        var answers = new List<string>();
        foreach (var output in outputs)
        {
            var kind = output["output_type"]?.GetValue<string>();
            string content = kind switch
            {
                "stream" => IpynbDocument.JoinText(output["text"]),
                "execute_result" or "display_data" => IpynbDocument.JoinText(output["data"]?["text/plain"]),
                _ => "",
            };
            foreach (var line in content.Split('\n'))
            {
                if (kind == "stream" && line.StartsWith(AnswersMarker, StringComparison.Ordinal))
                {
                    if (answers.Count < MaxAnswerLines && line.Length - AnswersMarker.Length <= MaxAnswerLength)
                        answers.Add(line[AnswersMarker.Length..]);
                }
                else if (text.Length < MaxTextLength) text.Append(line).Append('\n');
            }
        }
        return (Cut(text.ToString().TrimEnd('\n'), MaxTextLength), answers);
    }

    static string Cut(string text, int length) => text.Length <= length ? text : text[..length] + " … (cut)";
}
