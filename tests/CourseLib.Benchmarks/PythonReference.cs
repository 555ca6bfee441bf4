using System.Diagnostics;

/// <summary>Runs the Python reference scripts in python/ with Debian's interpreter (/usr/bin/python3, which sees
/// python3-torch; the pyenv one first on PATH does not) and every thread pool pinned to one thread.</summary>
static class PythonReference
{
    /// <summary>Runs python/<paramref name="script"/> with <paramref name="arguments"/>; returns its standard output,
    /// or a line saying how it failed.</summary>
    public static string Run(string script, params string[] arguments)
    {
        var path = Path.Combine(RepositoryRoot(), "tests", "CourseLib.Benchmarks", "python", script);
        var start = new ProcessStartInfo("/usr/bin/python3", [path, .. arguments])
        {
            RedirectStandardOutput = true, RedirectStandardError = true,
        };
        // torch.set_num_threads(1) alone leaves OpenBLAS's and OpenMP's pools spinning: pin them too.
        foreach (var name in new[] { "OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS" }) start.Environment[name] = "1";
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return process.ExitCode == 0 ? output.Trim() : $"python failed ({process.ExitCode}): {error.Result.Trim()}";
    }

    /// <summary>The folder holding CourseLib.sln (searched upwards from the program's folder).</summary>
    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "CourseLib.sln"))) return dir.FullName;
        return Directory.GetCurrentDirectory();
    }
}
