using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Channels;

namespace CourseLib.Notebooks.Grading;

/// <summary>Why a worker stopped before answering.</summary>
internal enum WorkerStop { None, Timeout, Memory, Output, Exited }

/// <summary>A worker's answer to a cell: the result message, or why there is none.</summary>
internal sealed record WorkerReply(JsonObject? Result, WorkerStop Stop, string? Message)
{
    public bool Answered => Result != null;
}

/// <summary>
/// The grader's side of one worker process: sends cells, waits for answers within a time limit, and stops the
/// process (with everything it started) when it takes too long, uses too much memory (resident memory of its whole
/// process tree, polled every 100 ms), writes too much, or ends on its own. Never throws for what the child does.
/// </summary>
internal sealed class WorkerProcess : IDisposable
{
    readonly Process _process;
    readonly long _memoryLimitBytes, _outputLimitBytes;
    readonly Channel<JsonObject> _messages = Channel.CreateUnbounded<JsonObject>();
    readonly Task _stdoutPump, _stderrPump;
    readonly Timer _memoryWatch;
    readonly object _lock = new();
    readonly StringBuilder _stderrHead = new(), _stderrTail = new();
    WorkerStop _stop;
    string? _stopMessage;
    long _peakBytes;

    const int StderrKept = 4096;

    /// <summary>The most JSON tokens of one protocol message (a result has about 30).</summary>
    const int MaxMessageTokens = 256;

    WorkerProcess(Process process, int memoryMegabytes, long outputLimitBytes)
    {
        _process = process;
        _memoryLimitBytes = (long)memoryMegabytes << 20;
        _outputLimitBytes = outputLimitBytes;
        _stdoutPump = Task.Run(PumpStdoutAsync);
        _stderrPump = Task.Run(PumpStderrAsync);
        _memoryWatch = new Timer(_ => WatchMemory(), null, 100, 100);
    }

    /// <summary>The highest resident memory of the worker's process tree seen so far.</summary>
    public long PeakBytes => Interlocked.Read(ref _peakBytes);

    public static WorkerProcess Start(ProcessStartInfo info, int memoryMegabytes, long outputLimitBytes)
    {
        info.RedirectStandardInput = true;
        info.RedirectStandardOutput = true;
        info.RedirectStandardError = true;
        info.StandardInputEncoding = new UTF8Encoding(false);
        var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {info.FileName}.");
        process.StandardInput.AutoFlush = true;
        return new WorkerProcess(process, memoryMegabytes, outputLimitBytes);
    }

    /// <summary>Waits for the worker's "ready".</summary>
    public Task<WorkerReply> WaitReadyAsync(TimeSpan timeout) => WaitForAsync(m => m["type"]?.GetValue<string>() == "ready", timeout);

    /// <summary>Sends one cell and waits for its result.</summary>
    public async Task<WorkerReply> RunCellAsync(string source, IReadOnlyDictionary<string, string> environment, TimeSpan timeout)
    {
        var token = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(12));
        var message = new JsonObject
        {
            ["type"] = "cell",
            ["token"] = token,
            ["source"] = source,
            ["env"] = new JsonObject(environment.Select(p => KeyValuePair.Create(p.Key, (JsonNode?)p.Value))),
            // The worker counts what the cell writes as the kernel captures it (the kernel keeps it all until the
            // cell ends) and stops at this limit too, long before the captured text fills its heap.
            ["output_limit"] = _outputLimitBytes,
        };
        try
        {
            await _process.StandardInput.WriteLineAsync(message.ToJsonString());
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or InvalidOperationException)
        {
            // The worker is gone; the pumps will say why.
        }
        return await WaitForAsync(m => m["type"]?.GetValue<string>() == "result" && m["token"]?.GetValue<string>() == token, timeout);
    }

    async Task<WorkerReply> WaitForAsync(Func<JsonObject, bool> wanted, TimeSpan timeout)
    {
        using var timer = new CancellationTokenSource(timeout);
        try
        {
            while (await _messages.Reader.WaitToReadAsync(timer.Token))
                while (_messages.Reader.TryRead(out var message))
                    if (wanted(message)) return new WorkerReply(message, WorkerStop.None, null);
        }
        catch (OperationCanceledException)
        {
            Stop(WorkerStop.Timeout, $"timed out after {timeout.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture)} s");
        }
        // The worker is gone (or was just stopped): wait for the pumps, so the reason is known (the stdout pump ends
        // when the exit is described, which can take seconds on a loaded machine; both end when the process is gone).
        await Task.WhenAny(Task.WhenAll(_stdoutPump, _stderrPump), Task.Delay(30_000));
        lock (_lock) return new WorkerReply(null, _stop, _stopMessage);
    }

    /// <summary>Tells the worker to end, gives it a moment, then kills whatever is left.</summary>
    public async Task EndAsync()
    {
        try
        {
            await _process.StandardInput.WriteLineAsync("{\"type\":\"end\"}");
            _process.StandardInput.Close();
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or InvalidOperationException) { }
        using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(3));
        try { await _process.WaitForExitAsync(grace.Token); }
        catch (OperationCanceledException) { }
        Kill();
    }

    string OutputLimitText => $"stopped: it wrote more than {_outputLimitBytes >> 20} MB of output";

    void Stop(WorkerStop reason, string message)
    {
        lock (_lock)
        {
            if (_stop != WorkerStop.None) return;
            _stop = reason;
            _stopMessage = message;
        }
        Kill();
    }

    void Kill()
    {
        try { if (!_process.HasExited) _process.Kill(entireProcessTree: true); }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception or NotSupportedException) { }
    }

    void WatchMemory()
    {
        try
        {
            if (_process.HasExited) return;
            var bytes = ProcessTree.ResidentBytes(_process.Id);
            if (bytes > Interlocked.Read(ref _peakBytes)) Interlocked.Exchange(ref _peakBytes, bytes);
            if (bytes > _memoryLimitBytes)
                Stop(WorkerStop.Memory, $"stopped: it used more than the memory limit of {_memoryLimitBytes >> 20} MB");
        }
        catch (Exception e) when (e is InvalidOperationException or IOException) { }
    }

    async Task PumpStdoutAsync()
    {
        var stream = _process.StandardOutput.BaseStream;
        var buffer = new byte[64 * 1024];
        var line = new MemoryStream();
        long total = 0;
        try
        {
            int read;
            while ((read = await stream.ReadAsync(buffer)) > 0)
            {
                total += read;
                if (total > _outputLimitBytes)
                {
                    Stop(WorkerStop.Output, OutputLimitText);
                    return;
                }
                int start = 0;
                for (int i = 0; i < read; i++)
                {
                    if (buffer[i] != (byte)'\n') continue;
                    line.Write(buffer, start, i - start);
                    Deliver(line);
                    line.SetLength(0);
                    start = i + 1;
                }
                line.Write(buffer, start, read - start);
            }
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException) { }
        finally
        {
            _messages.Writer.TryComplete();
        }
        await ExitedAsync();
    }

    void Deliver(MemoryStream line)
    {
        if (line.Length == 0) return;
        // A protocol message is a handful of values (the answers travel as strings); anything larger is not one.
        if (!JsonBounds.Within(line.GetBuffer().AsSpan(0, (int)line.Length), MaxMessageTokens, 8)) return;
        try
        {
            if (JsonNode.Parse(line.GetBuffer().AsSpan(0, (int)line.Length)) is JsonObject message && message["type"] is JsonValue type)
            {
                // The worker ends right after this message (a cell's captured output passed the limit). A submission
                // that prints it itself only stops its own worker.
                if (type.GetValueKind() == JsonValueKind.String && type.GetValue<string>() == "output-limit") Stop(WorkerStop.Output, OutputLimitText);
                else _messages.Writer.TryWrite(message);
            }
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            // Not a protocol message (something wrote to the worker's standard output directly): ignored.
        }
    }

    async Task PumpStderrAsync()
    {
        var buffer = new char[8192];
        try
        {
            int read;
            while ((read = await _process.StandardError.ReadAsync(buffer)) > 0)
            {
                lock (_lock)
                {
                    int head = Math.Min(read, StderrKept - _stderrHead.Length);
                    if (head > 0) _stderrHead.Append(buffer, 0, head);
                    _stderrTail.Append(buffer, 0, read);
                    if (_stderrTail.Length > 2 * StderrKept) _stderrTail.Remove(0, _stderrTail.Length - StderrKept);
                }
            }
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException) { }
    }

    async Task ExitedAsync()
    {
        using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try { await _process.WaitForExitAsync(grace.Token); }
        catch (OperationCanceledException) { Kill(); }
        // The process is gone, so its standard error ends soon; a loaded machine may take seconds to deliver it.
        await Task.WhenAny(_stderrPump, Task.Delay(10_000));
        if (!_process.HasExited) return;
        string head;
        lock (_lock) head = _stderrHead.ToString();
        Stop(WorkerStop.Exited, DescribeExit(_process.ExitCode, head, PeakBytes, _memoryLimitBytes));
    }

    /// <summary>
    /// What a worker's end says, for people. <paramref name="peakBytes"/> is the most memory the grader saw the
    /// worker use, of <paramref name="limitBytes"/>: a worker killed by a signal with three quarters of its limit in
    /// use (its heap's hard limit is half the limit, the runtime and compiler take some 300 MB besides) most likely
    /// ran out of memory inside the runtime, and the student is told that rather than only "segmentation fault".
    /// </summary>
    internal static string DescribeExit(int code, string stderr, long peakBytes = 0, long limitBytes = 0)
    {
        var firstLine = stderr.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.Length > 0);
        string Detail() => firstLine == null ? "" : $" ({Cut(firstLine)})";
        if (stderr.Contains("Stack overflow", StringComparison.Ordinal))
            return "crashed with a stack overflow (endless recursion?)";
        if (stderr.Contains("Process terminated", StringComparison.Ordinal))
            return "crashed: the process was terminated" + Detail();
        if ((code is 134 or 135 or 139) && limitBytes > 0 && peakBytes >= limitBytes / 4 * 3)
            return $"ran out of memory: it used {peakBytes >> 20} MB of the memory limit of {limitBytes >> 20} MB and then crashed ({(code == 139 ? "a segmentation fault" : $"signal {code - 128}")})" + Detail();
        return code switch
        {
            0 => "ended the grading process early (exit code 0: Environment.Exit?)",
            134 => "crashed (aborted)" + Detail(),
            137 => "was killed (SIGKILL), e.g. by the system's out-of-memory killer",
            139 => "crashed with a segmentation fault (an invalid memory access)",
            > 128 and < 160 => $"crashed (signal {code - 128})" + Detail(),
            _ => $"ended the grading process early (exit code {code}: Environment.Exit?)" + Detail(),
        };
    }

    static string Cut(string text) => text.Length <= 200 ? text : text[..200] + "…";

    public void Dispose()
    {
        _memoryWatch.Dispose();
        Kill();
        _process.Dispose();
    }
}

/// <summary>The resident memory of a process and all its descendants, from /proc (Linux).</summary>
internal static class ProcessTree
{
    /// <summary>The peak resident memory of this process so far (VmHWM in /proc/self/status on Linux; the peak working set elsewhere).</summary>
    public static long PeakResidentBytesOfThisProcess()
    {
        if (OperatingSystem.IsLinux())
        {
            try
            {
                // "VmHWM:    123456 kB"
                var line = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
                var fields = line?.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (fields is { Length: 3 } && long.TryParse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture, out var kilobytes)) return kilobytes << 10;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
        }
        using var self = Process.GetCurrentProcess();
        return self.PeakWorkingSet64;
    }

    public static long ResidentBytes(int rootPid)
    {
        if (!OperatingSystem.IsLinux())
        {
            using var p = Process.GetProcessById(rootPid);
            return p.WorkingSet64;
        }
        var children = new Dictionary<int, List<int>>();
        var rss = new Dictionary<int, long>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            var name = Path.GetFileName(dir);
            if (!int.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out var pid)) continue;
            string stat;
            try { stat = File.ReadAllText(Path.Combine(dir, "stat")); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { continue; }
            // pid (comm) state ppid ... rss is field 24; comm may hold spaces and parentheses.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            if (fields.Length < 22) continue;
            int ppid = int.Parse(fields[1], CultureInfo.InvariantCulture);
            rss[pid] = long.Parse(fields[21], CultureInfo.InvariantCulture) * Environment.SystemPageSize;
            if (!children.TryGetValue(ppid, out var list)) children[ppid] = list = new List<int>();
            list.Add(pid);
        }
        long total = 0;
        var stack = new Stack<int>();
        stack.Push(rootPid);
        while (stack.Count > 0)
        {
            int pid = stack.Pop();
            total += rss.GetValueOrDefault(pid);
            if (children.TryGetValue(pid, out var list)) foreach (var child in list) stack.Push(child);
        }
        return total;
    }
}
