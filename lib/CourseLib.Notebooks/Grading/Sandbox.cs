using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;

namespace CourseLib.Notebooks.Grading;

/// <summary>How the grader isolates a submission's process.</summary>
public enum SandboxMode
{
    /// <summary>Linux namespaces when they work on this machine, else none (with a warning in the results).</summary>
    Auto,
    /// <summary>Linux namespaces (util-linux <c>unshare</c>): fail when they are not available.</summary>
    Namespaces,
    /// <summary>A plain child process in a temporary folder: limits and crash containment, but no file-system isolation.</summary>
    None,
}

/// <summary>
/// Starts the grading worker as a child process, sandboxed with Linux namespaces when possible.
/// <para>
/// With <see cref="SandboxMode.Namespaces"/> the child gets new mount, PID and network namespaces (and a user
/// namespace when the grader does not run as root): its root file system is an empty tmpfs (256 MB) with read-only
/// bind mounts of what the worker needs and nothing else: the system folders (/usr, /etc, /lib…), the .NET
/// installation, the worker's binaries, the course library (artifacts/notebook) and data. The instructors' copies,
/// the other submissions, the repository and the home folder are not in it. The old root is unmounted
/// (pivot_root), there is no network, the process ends as user nobody (when the grader is root) or with no
/// capabilities (otherwise) and no-new-privileges, and killing it kills everything it started (the PID namespace
/// ends with its first process).
/// </para>
/// <para>
/// With <see cref="SandboxMode.None"/> the child is an ordinary process of the grader's user, in a temporary
/// folder, with a minimal environment: limits, timeouts and crash containment still hold, but code that goes
/// looking can read and write any file the grader's user can.
/// </para>
/// </summary>
internal static class Sandbox
{
    static readonly object ProbeLock = new();
    static bool? _namespacesWork;
    static string? _probeError;

    /// <summary>The folders and files a worker needs.</summary>
    internal sealed record Layout(string DotnetRoot, string WorkerDll, string LibraryFolder, string? DataFolder);

    /// <summary>True when namespaces can be used here (probed once: a sandbox that runs /bin/true).</summary>
    public static bool NamespacesAvailable(Layout layout, out string? error)
    {
        lock (ProbeLock)
        {
            if (_namespacesWork == null)
            {
                try
                {
                    var scratch = Directory.CreateTempSubdirectory("courselib-sandbox-probe-");
                    var info = WithEnvironment(NamespaceStart(layout, scratch.FullName, new Limits(0, 256, 64), "/bin/true", []), "/tmp", "/dotnet", null, 256);
                    info.RedirectStandardError = true;
                    info.RedirectStandardOutput = true;
                    using var probe = Process.Start(info)!;
                    var stderr = probe.StandardError.ReadToEndAsync();
                    if (!probe.WaitForExit(20_000)) { probe.Kill(true); _probeError = "the probe did not finish in 20 s"; _namespacesWork = false; }
                    else
                    {
                        _namespacesWork = probe.ExitCode == 0;
                        if (probe.ExitCode != 0) _probeError = $"exit code {probe.ExitCode}: {stderr.Result.Trim()}";
                    }
                    try { scratch.Delete(true); } catch (IOException) { }
                }
                catch (Exception e) when (e is System.ComponentModel.Win32Exception or IOException or InvalidOperationException or UnauthorizedAccessException)
                {
                    _namespacesWork = false;
                    _probeError = e.Message;
                }
            }
            error = _probeError;
            return _namespacesWork.Value;
        }
    }

    /// <summary>
    /// The limits of one worker's processes. <paramref name="Slot"/> numbers the workers running at the same time
    /// (0, 1, …): it picks the worker's core and, when the grader is root, its own user id.
    /// </summary>
    internal sealed record Limits(int Slot, int MemoryMegabytes, int MaxProcesses);

    /// <summary>
    /// The user id a sandboxed worker runs as when the grader is root: one of its own per running worker (derived
    /// from the grader's process id and the slot, so two graders on one machine do not share ids), so that the
    /// process limit (RLIMIT_NPROC, counted per user) counts that worker's processes only.
    /// </summary>
    internal static int WorkerUserId(int slot) => 200_000 + (Environment.ProcessId % 100_000) * 64 + slot % 64;

    /// <summary>The core a worker is pinned to: the slot's, round the machine's processors.</summary>
    internal static int WorkerCore(int slot) => slot % Environment.ProcessorCount;

    /// <summary>The start of a worker in <paramref name="mode"/> (Auto resolved by the caller); <paramref name="scratch"/> is an empty temporary folder it may use.</summary>
    public static ProcessStartInfo WorkerStart(SandboxMode mode, Layout layout, string scratch, Limits limits) => mode switch
    {
        SandboxMode.Namespaces => WithEnvironment(NamespaceStart(layout, scratch, limits, "/dotnet/dotnet", ["/grader/" + Path.GetFileName(layout.WorkerDll), GradeWorker.Command]),
            home: "/tmp", dotnetRoot: "/dotnet", data: layout.DataFolder != null ? "/course/data" : null, limits.MemoryMegabytes),
        _ => PlainStart(layout, scratch, limits),
    };

    static ProcessStartInfo PlainStart(Layout layout, string scratch, Limits limits)
    {
        int memoryMegabytes = limits.MemoryMegabytes;
        // The same layout as in the sandbox: the notebook's "../artifacts/notebook/CourseLib.dll" resolves.
        var course = Directory.CreateDirectory(Path.Combine(scratch, "course"));
        var notebooks = course.CreateSubdirectory("notebooks");
        var artifacts = course.CreateSubdirectory("artifacts");
        File.CreateSymbolicLink(Path.Combine(artifacts.FullName, "notebook"), layout.LibraryFolder);
        if (layout.DataFolder != null) File.CreateSymbolicLink(Path.Combine(course.FullName, "data"), layout.DataFolder);
        var home = Directory.CreateDirectory(Path.Combine(scratch, "home"));
        // Without namespaces only the core can be limited (a per-user process limit would count all of the user's
        // processes); the worker is pinned to its core when util-linux taskset is there.
        var dotnet = Path.Combine(layout.DotnetRoot, "dotnet");
        bool pin = OperatingSystem.IsLinux() && File.Exists("/usr/bin/taskset");
        var info = new ProcessStartInfo(pin ? "/usr/bin/taskset" : dotnet) { WorkingDirectory = notebooks.FullName };
        if (pin) { info.ArgumentList.Add("-c"); info.ArgumentList.Add(WorkerCore(limits.Slot).ToString(CultureInfo.InvariantCulture)); info.ArgumentList.Add(dotnet); }
        info.ArgumentList.Add(layout.WorkerDll);
        info.ArgumentList.Add(GradeWorker.Command);
        return WithEnvironment(info, home.FullName, layout.DotnetRoot, layout.DataFolder != null ? Path.Combine(course.FullName, "data") : null, memoryMegabytes);
    }

    static ProcessStartInfo WithEnvironment(ProcessStartInfo info, string home, string dotnetRoot, string? data, int memoryMegabytes)
    {
        // A minimal environment: nothing of the grader's (tokens, paths) reaches the submission.
        info.Environment.TryGetValue(RealRootVariable, out var realRoot);
        info.Environment.Clear();
        if (realRoot != null) info.Environment[RealRootVariable] = realRoot;
        info.Environment["PATH"] = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
        info.Environment["HOME"] = home;
        info.Environment["TMPDIR"] = home;
        info.Environment["LANG"] = "C.UTF-8";
        info.Environment["DOTNET_ROOT"] = dotnetRoot;
        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        info.Environment["DOTNET_INTERACTIVE_CLI_TELEMETRY_OPTOUT"] = "1";
        info.Environment["DOTNET_NOLOGO"] = "1";
        info.Environment["DOTNET_EnableDiagnostics"] = "0";
        info.Environment["DOTNET_gcServer"] = "0";
        // The managed heap's hard limit, half the process limit: managed allocations beyond it throw
        // OutOfMemoryException in the submission's code, always before the grader has to stop the process (the
        // worker's kernel and compiler take some 300 MB besides the heap, so at 3/4 either could come first).
        info.Environment["DOTNET_GCHeapHardLimit"] = "0x" + (((long)memoryMegabytes << 20) / 2).ToString("X", CultureInfo.InvariantCulture);
        info.Environment["COURSELIB_PROGRESS"] = "none";
        info.Environment["COURSELIB_GRADING"] = "1";
        if (data != null) info.Environment["COURSELIB_DATA"] = data;
        info.UseShellExecute = false;
        return info;
    }

    // The sandbox, as a shell script run by unshare in the new namespaces. $1: the new root's mount point; then the
    // host folders to mount; then the command to run inside.
    // After the root is replaced the worker is started under its limits: util-linux prlimit caps its processes
    // (RLIMIT_NPROC, which counts threads too; per user id, and per user namespace where there is one) and forbids
    // core dumps, taskset pins it to one core, setpriv drops privileges (as root: to the worker's own user id).
    const string Script = """
        set -eu
        R="$1"; DOTNET="$2"; GRADER="$3"; LIBRARY="$4"; DATA="$5"; WUID="$6"; NPROC="$7"; CORE="$8"; shift 8
        mount -t tmpfs -o mode=0755,size=256m,nosuid,nodev courselib-sandbox "$R"
        ro() { mkdir -p "$R$2"; mount --rbind "$1" "$R$2"; mount -o remount,bind,ro,nosuid,nodev "$R$2"; }
        for d in /usr /etc /lib /lib64 /lib32 /libx32 /bin /sbin; do
          if [ -L "$d" ]; then ln -s "$(readlink "$d")" "$R$d"; elif [ -d "$d" ]; then ro "$d" "$d"; fi
        done
        ro "$DOTNET" /dotnet
        ro "$GRADER" /grader
        ro "$LIBRARY" /course/artifacts/notebook
        if [ -n "$DATA" ]; then ro "$DATA" /course/data; fi
        mkdir -p "$R/course/notebooks" "$R/tmp" "$R/dev" "$R/proc"
        chmod 1777 "$R/tmp"; chmod 0777 "$R/course/notebooks"
        for n in null zero random urandom full; do touch "$R/dev/$n"; mount --bind "/dev/$n" "$R/dev/$n"; done
        mount -t proc -o nosuid,nodev,noexec proc "$R/proc"
        mkdir "$R/.old"; cd "$R"; pivot_root . .old; umount -l /.old; rmdir /.old
        cd /course/notebooks
        LIMIT="prlimit --nproc=$NPROC:$NPROC --core=0:0 --"
        if [ "$(id -u)" = 0 ] && [ "$COURSELIB_SANDBOX_REAL_ROOT" = 1 ]; then
          exec env -u COURSELIB_SANDBOX_REAL_ROOT taskset -c "$CORE" $LIMIT setpriv --no-new-privs --reuid="$WUID" --regid="$WUID" --clear-groups --inh-caps=-all --bounding-set=-all -- "$@"
        fi
        exec env -u COURSELIB_SANDBOX_REAL_ROOT taskset -c "$CORE" $LIMIT setpriv --no-new-privs --inh-caps=-all --bounding-set=-all -- "$@"
        """;

    const string RealRootVariable = "COURSELIB_SANDBOX_REAL_ROOT";

    [DllImport("libc", EntryPoint = "geteuid")]
    static extern uint GetEffectiveUserId();

    static bool RunningAsRoot()
    {
        try { return OperatingSystem.IsLinux() && GetEffectiveUserId() == 0; }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException) { return false; }
    }

    static ProcessStartInfo NamespaceStart(Layout layout, string scratch, Limits limits, string command, IReadOnlyList<string> arguments)
    {
        var mountPoint = Directory.CreateDirectory(Path.Combine(scratch, "root")).FullName;
        bool root = RunningAsRoot();
        var info = new ProcessStartInfo("unshare") { WorkingDirectory = scratch, UseShellExecute = false };
        if (!root) { info.ArgumentList.Add("--user"); info.ArgumentList.Add("--map-root-user"); }
        foreach (var option in new[] { "--mount", "--pid", "--fork", "--net", "--ipc", "--uts", "--kill-child", "--propagation", "private", "--", "/bin/sh", "-c", Script, "courselib-sandbox" })
            info.ArgumentList.Add(option);
        info.ArgumentList.Add(mountPoint);
        info.ArgumentList.Add(layout.DotnetRoot);
        info.ArgumentList.Add(Path.GetDirectoryName(layout.WorkerDll)!);
        info.ArgumentList.Add(layout.LibraryFolder);
        info.ArgumentList.Add(layout.DataFolder ?? "");
        info.ArgumentList.Add(WorkerUserId(limits.Slot).ToString(CultureInfo.InvariantCulture));
        info.ArgumentList.Add(limits.MaxProcesses.ToString(CultureInfo.InvariantCulture));
        info.ArgumentList.Add(WorkerCore(limits.Slot).ToString(CultureInfo.InvariantCulture));
        info.ArgumentList.Add(command);
        foreach (var argument in arguments) info.ArgumentList.Add(argument);
        info.Environment[RealRootVariable] = root ? "1" : "0";
        return info;
    }
}
