using System.Diagnostics;
using CourseLib.Tests.Foundation;

/// <summary>
/// <c>--torch-faults [runs] [path...]</c>: runs every TorchSharp code path of the library (or the named ones)
/// <c>runs</c> times (default 200) under forced collections from two other threads, and prints the faults per path.
/// Each path runs in child processes, so that a native crash counts as one fault and the runs go on. Exit code 1 if
/// any path faulted. Whether the loaded TorchSharp.dll carries the keep-alive step is printed first.
/// </summary>
static class TorchFaults
{
    public static int Run(string[] args)
    {
        if (args.Length > 0 && args[0] == "--child") return Child(args[1], int.Parse(args[2]), int.Parse(args[3]));
        int runs = args.Length > 0 && int.TryParse(args[0], out var r) ? r : 200;
        var names = args.Skip(args.Length > 0 && int.TryParse(args[0], out _) ? 1 : 0).ToHashSet();
        var paths = TorchFaultHarness.Paths.Where(p => names.Count == 0 || names.Contains(p.Name)).ToList();
        Console.WriteLine($"TorchSharp keep-alive step: {(CourseLib.Training.TorchSharpSafety.IsApplied ? "applied" : "NOT applied")} " +
                          $"({typeof(TorchSharp.torch).Assembly.Location})");
        Console.WriteLine($"{runs} runs per path, 2 threads forcing collections; paths: {string.Join(", ", paths.Select(p => p.Name))}");
        int total = 0;
        foreach (var path in paths)
        {
            var watch = Stopwatch.StartNew();
            int next = 0, faults = 0, crashes = 0;
            string? first = null;
            while (next < runs)
            {
                var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
                foreach (var a in new[] { typeof(TorchFaults).Assembly.Location, "--torch-faults", "--child", path.Name, next.ToString(), runs.ToString() })
                    info.ArgumentList.Add(a);
                using var child = Process.Start(info)!;
                _ = child.StandardError.ReadToEndAsync();
                string? line;
                int started = next;
                while ((line = child.StandardOutput.ReadLine()) is not null)
                {
                    if (line.StartsWith("start ")) started = int.Parse(line[6..]);
                    else if (line.StartsWith("ok ")) next = int.Parse(line[3..]) + 1;
                    else if (line.StartsWith("fault ")) { faults++; first ??= line; next = int.Parse(line.Split(' ')[1]) + 1; }
                }
                child.WaitForExit();
                if (child.ExitCode != 0 && next < runs)
                {
                    faults++; crashes++;
                    first ??= $"fault {started}: process died (exit code {child.ExitCode})";
                    next = started + 1;
                }
            }
            total += faults;
            Console.WriteLine($"{path.Name,-11} {runs,5} runs  {faults,4} faults ({crashes} crashes)  {watch.Elapsed.TotalSeconds,6:0} s" +
                              (first is null ? "" : $"  first: {first}"));
        }
        Console.WriteLine($"total: {runs * paths.Count} runs, {total} faults");
        return total == 0 ? 0 : 1;
    }

    /// <summary>Runs one path's runs [from, to) in this process, a line per run.</summary>
    static int Child(string name, int from, int to)
    {
        var path = TorchFaultHarness.Paths.Single(p => p.Name == name);
        for (int run = from; run < to; run++)
        {
            Console.WriteLine($"start {run}");
            var result = TorchFaultHarness.Run([path with { Run = _ => path.Run(run) }], 1)[0];
            Console.WriteLine(result.Faults == 0 ? $"ok {run}" : $"fault {run} {result.FirstFault}");
        }
        return 0;
    }
}
