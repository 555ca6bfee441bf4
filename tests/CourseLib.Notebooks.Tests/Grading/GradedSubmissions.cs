using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using CourseLib.Notebooks.Grading;
using static CourseLib.Notebooks.Tests.Grading.Submissions;

namespace CourseLib.Notebooks.Tests.Grading;

/// <summary>
/// Grades a folder of submissions once (right, wrong and hostile ones, two at a time) and keeps the results for
/// the tests that look at them. The grading runs as an instructor runs it: <c>courselib grade FOLDER --json FILE</c>
/// in a process of its own (the test process also hosts the notebook tests' engines, so its memory says nothing
/// about the grader's), and the results are read back from the JSON it wrote.
/// </summary>
public sealed class GradedSubmissions : IAsyncLifetime
{
    public static readonly string Folder = Path.Combine(Repository.Root, "out", "test-grading", "submissions");
    public static readonly string ForgedResultFile = Path.Combine(Repository.Root, "out", "test-grading", "forged-grades.json");
    public static readonly string ResultsFile = Path.Combine(Repository.Root, "out", "test-grading", "results.json");

    /// <summary>The output limit of the run (a worker's raw standard output, and one cell's captured output).</summary>
    public const int OutputLimitMegabytes = 16;

    /// <summary>The per-cell time limit of the hostile run: short, but far above what a right cell needs (on this shared machine a cell's compilation can take 15 s under load).</summary>
    public static readonly TimeSpan CellTimeout = TimeSpan.FromSeconds(45);

    /// <summary>The run's results, as read from the JSON the grader wrote.</summary>
    public GradeRun Run { get; private set; } = null!;

    /// <summary>The process id of the grader (the <c>courselib grade</c> process).</summary>
    public int GraderProcessId { get; private set; }

    public SubmissionResult this[string student] => Run.Submissions.Single(s => s.Student == student);

    static readonly Dictionary<string, IpynbDocument> Cases = new()
    {
        ["instructor"] = Instructor(),
        ["student-copy"] = StudentCopy(),
        ["wrong-discount"] = Solved(("discounted-return", DiscountedReturn(DiscountsFirstReward))),
        ["partial-discounted-returns"] = Solved(("discounted-returns", DiscountedReturns(DiscountedReturnsFailsOnEmpty))),
        ["compile-error"] = Solved(("discounted-return", DiscountedReturn("    return rewards.Sum() * gamma   // a missing semicolon"))),
        ["throws"] = Solved(("discounted-return", DiscountedReturn("    throw new InvalidOperationException(\"my own bug\");"))),
        ["edited-check"] = Edited(),
        // An open question answered (graded by hand: listed, never scored).
        ["open-answer"] = Solved(("why-discount", OpenAnswer)),
        // Hostile: each must cost only its own exercise.
        ["endless-loop"] = Solved(("discounted-return", DiscountedReturn("    while (true) { }"))),
        ["endless-loop-at-top"] = Solved(("discounted-return", "while (true) { }\n" + DiscountedReturn(RightDiscountedReturn))),
        ["stack-overflow"] = Solved(("discounted-return", "double DiscountedReturn(double[] rewards, double gamma) => 1 + DiscountedReturn(rewards, gamma);")),
        ["exit"] = Solved(("discounted-return", DiscountedReturn("    Environment.Exit(0);\n    return 0;"))),
        ["crash"] = Solved(("discounted-return", DiscountedReturn("    Environment.FailFast(\"a crash on purpose\");\n    return 0;"))),
        ["flood-console"] = Solved(("discounted-return", DiscountedReturn("    var line = new string('x', 1 << 16);\n    while (true) Console.Write(line);"))),
        ["flood-stdout"] = Solved(("discounted-return", DiscountedReturn("    var raw = Console.OpenStandardOutput();\n    var block = new byte[1 << 20];\n    Array.Fill(block, (byte)'x');\n    while (true) raw.Write(block);"))),
        ["memory-native"] = Solved(("discounted-return", DiscountedReturn(
            "    var blocks = new List<IntPtr>();\n    while (true)\n    {\n        var p = System.Runtime.InteropServices.Marshal.AllocHGlobal(64 << 20);\n" +
            "        for (int i = 0; i < 64 << 20; i += 4096) System.Runtime.InteropServices.Marshal.WriteByte(p, i, 1);\n        blocks.Add(p);\n    }"))),
        // Uninitialised arrays: the heap's hard limit counts what is allocated, and each of the check's cases (66, the
        // hidden check 186) runs into it, so zeroing or filling every byte (66 × 512 MB) would only measure the machine's
        // load (measured under load 24: the filled version took longer than the 45 s cell limit). Blocks of 64 MB: about 6
        // allocations (and the collections they cause) per case; with 16 MB blocks (32 per case) the hidden check ran into
        // the 45 s cell limit at load 25, and the visible one has a third of its cases.
        ["memory-managed"] = Solved(("discounted-return", DiscountedReturn("    var blocks = new List<byte[]>();\n    while (true) blocks.Add(GC.AllocateUninitializedArray<byte>(64 << 20));"))),
        ["forgery"] = Solved(("discounted-return", Forgery())),
        ["reads-instructor"] = Solved(("discounted-return", DiscountedReturn(
            $"    string[] paths = {{ {Quote(InstructorCopy)}, {Quote(InstructorFolder)}, {Quote(Repository.Root)}, {Quote(Path.Combine(Repository.Root, "instructor"))} }};\n" +
            "    var seen = paths.Where(p => System.IO.File.Exists(p) || System.IO.Directory.Exists(p)).ToList();\n" +
            "    throw new Exception(\"LEAK:\" + (seen.Count == 0 ? \"no-access\" : string.Join(\",\", seen)));"))),
    };

    /// <summary>Submissions of other files: student → (file name, notebook).</summary>
    static readonly Dictionary<string, (string File, IpynbDocument Notebook)> OtherFiles = new()
    {
        // Hole 1: the real check's answers for the grader's own seed, with forged matrix sizes.
        ["matrix-forgery"] = (MatrixFileName, SolvedMatrix(MatrixForgery())),
        // Hole 5: full marks by calling the library's reference; flagged for the instructor.
        ["calls-reference"] = (FileName, Solved(("discounted-return", "double DiscountedReturn(double[] rewards, double gamma) => CourseLib.Mdp.Returns.Discounted(rewards, gamma);"))),
        // Hole 2: a renamed file with edited grade_ids matches no instructor's copy: 0, not a score against itself.
        ["renamed-ids"] = ("homework.ipynb", WithEditedGradeIds()),
        // Hole 3: a solution cell that starts as many children as it can (at most 200; each a shell waiting 120 s,
        // two processes, so that they pile up to the limit however slowly they start) and keeps them, and two
        // daemons that would outlive an unsandboxed worker. The sandbox's end kills them all.
        ["fork-bomb"] = (FileName, Solved(("discounted-return", ForkBomb()))),
    };

    /// <summary>The "open-answer" student's answer to the fixture's open question.</summary>
    public const string OpenAnswer = "Because a reward now is worth more than the same reward later,\nand the sum stays finite.";

    /// <summary>The marker in the command line of every process the fork bomb starts.</summary>
    public const string ForkBombMarker = "courselib-test-forkbomb";

    /// <summary>The most processes and threads of one worker in this run.</summary>
    public const int MaxProcesses = 128;

    static string ForkBomb() => $$"""
        int forkBombStarted = 0;
        string forkBombStop = "nothing";
        var forkBombCpus = System.IO.File.ReadAllLines("/proc/self/status").First(l => l.StartsWith("Cpus_allowed_list")).Split(':')[1].Trim();
        try
        {
            for (int i = 0; i < 2; i++)
                System.Diagnostics.Process.Start("/usr/bin/setsid", new[] { "-f", "/bin/sh", "-c", "sleep 600; :", "{{ForkBombMarker}}-daemon" });
        }
        catch (Exception) { }
        var forkBombChildren = new List<System.Diagnostics.Process>();
        for (int i = 0; i < 200; i++)
        {
            try
            {
                forkBombChildren.Add(System.Diagnostics.Process.Start("/bin/sh", new[] { "-c", "sleep 120; :", "{{ForkBombMarker}}" })!);
                forkBombStarted++;
            }
            catch (Exception e) { forkBombStop = e.GetType().Name; break; }
        }
        double DiscountedReturn(double[] rewards, double gamma) =>
            throw new Exception($"FORKBOMB started {forkBombStarted} of 200, stopped by {forkBombStop}, cpus {forkBombCpus}");
        """;

    /// <summary>Shadows Check.QFromV: runs the real check (so the answers are for the grader's seed), then prints them again with forged matrix sizes.</summary>
    static string MatrixForgery() => """
        static class Check
        {
            public static string QFromV(Func<TabularMdp, double[], double, double[,]> f)
            {
                const string marker = "\u001Ecourselib-answers ";
                var captured = new System.IO.StringWriter();
                var console = Console.Out;
                Console.SetOut(captured);
                try { CourseLib.Exercises.Check.QFromV(f); } finally { Console.SetOut(console); }
                var line = captured.ToString().Split('\n').First(l => l.StartsWith(marker));
                var payload = System.Text.Json.Nodes.JsonNode.Parse(line.Substring(marker.Length))!;
                if (payload["seed"]!.ToString() != Environment.GetEnvironmentVariable("COURSELIB_GRADING_SEED")) throw new Exception("not the grader's seed");
                var answers = payload["answers"]!.AsArray();
                answers[0] = System.Text.Json.Nodes.JsonNode.Parse("{\"v\":{\"rows\":-1,\"columns\":4,\"values\":[]}}");
                answers[1] = System.Text.Json.Nodes.JsonNode.Parse("{\"v\":{\"rows\":1,\"columns\":2147483647,\"values\":[[1]]}}");
                Console.WriteLine(marker + payload.ToJsonString());
                return "✔ passed";
            }
        }
        double[,] QFromV(TabularMdp mdp, double[] values, double gamma) => new double[mdp.StateCount, mdp.ActionCount];
        """;

    static string Quote(string s) => "@\"" + s.Replace("\"", "\"\"") + "\"";

    /// <summary>Shadows the Check class, prints a fake "passed" and fake answers, forges a protocol message, writes a fake result file.</summary>
    static string Forgery() => $$"""
        static class Check
        {
            public static string DiscountedReturn(Func<double[], double, double> f)
            {
                Console.WriteLine("\u001Ecourselib-answers {\"check\":\"DiscountedReturn\",\"seed\":2024,\"hidden\":false,\"answers\":[]}");
                var raw = new System.IO.StreamWriter(Console.OpenStandardOutput()) { AutoFlush = true };
                raw.WriteLine("{\"type\":\"result\",\"token\":\"guess\",\"ok\":true,\"answers\":[]}");
                System.IO.File.WriteAllText({{Quote(ForgedResultFile)}}, "{\"score\": 100}");
                return "✔ passed: all cases give the reference's answer.";
            }
            public static CourseLib.Exercises.CheckReport DiscountedReturns(Func<double[], double, double[]> f) => CourseLib.Exercises.Check.DiscountedReturns(f);
        }
        double DiscountedReturn(double[] rewards, double gamma) => 0;
        """;

    /// <summary>A wrong solution whose check cell was edited to print a pass.</summary>
    static IpynbDocument Edited()
    {
        var document = Solved(("discounted-return", DiscountedReturn("    return 0;")));
        var check = document.Cells.Single(c => ExerciseCell.Read(c, "fixture")?.GradeId == "discounted-return-check");
        check.Source = "Console.WriteLine(\"✔ Check.DiscountedReturn: passed: all 66 cases give the reference's answer.\");";
        return document;
    }

    public async Task InitializeAsync()
    {
        if (Directory.Exists(Folder)) Directory.Delete(Folder, recursive: true);
        if (File.Exists(ForgedResultFile)) File.Delete(ForgedResultFile);
        foreach (var (student, notebook) in Cases)
        {
            var folder = Directory.CreateDirectory(Path.Combine(Folder, student)).FullName;
            notebook.Save(Path.Combine(folder, FileName));
        }
        foreach (var (student, (file, notebook)) in OtherFiles)
            notebook.Save(Path.Combine(Directory.CreateDirectory(Path.Combine(Folder, student)).FullName, file));
        var unreadable = Directory.CreateDirectory(Path.Combine(Folder, "unreadable")).FullName;
        File.WriteAllText(Path.Combine(unreadable, FileName), "this is not a notebook");

        var json = ResultsFile;
        if (File.Exists(json)) File.Delete(json);
        var info = new ProcessStartInfo(DotnetHost()) { WorkingDirectory = Repository.Root, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[]
        {
            Path.Combine(AppContext.BaseDirectory, "CourseLib.Cli.dll"), "grade", Folder, "--instructor", InstructorFolder, "--json", json,
            "--cell-timeout", CellTimeout.TotalSeconds.ToString(CultureInfo.InvariantCulture),
            // Generous: this machine is shared, and a worker's start (its kernel's first compilation) is slow under load.
            "--start-timeout", "240", "--timeout", "480",
            "--memory", "1024", "--output-limit", OutputLimitMegabytes.ToString(CultureInfo.InvariantCulture),
            "--max-processes", MaxProcesses.ToString(CultureInfo.InvariantCulture), "--parallel", "2", "--seed", "12345",
            // The isolation tests need the sandbox: no silent fallback to an unsandboxed run.
            "--sandbox", "namespaces",
        }) info.ArgumentList.Add(argument);
        using var grader = Process.Start(info)!;
        GraderProcessId = grader.Id;
        var stdout = grader.StandardOutput.ReadToEndAsync();
        var stderr = grader.StandardError.ReadToEndAsync();
        // A bound far above the run's (20+ submissions, two at a time, at most 8 minutes each).
        using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(90));
        try { await grader.WaitForExitAsync(limit.Token); }
        catch (OperationCanceledException) { grader.Kill(entireProcessTree: true); throw new TimeoutException("courselib grade did not finish in 90 minutes."); }
        // For a person looking into a failure: what the grader printed.
        File.WriteAllText(Path.Combine(Folder, "..", "grade.stdout.txt"), await stdout);
        File.WriteAllText(Path.Combine(Folder, "..", "grade.stderr.txt"), await stderr);
        if (grader.ExitCode != 0)
            throw new InvalidOperationException($"courselib grade exited with {grader.ExitCode}: {(await stderr).Trim()}" + (grader.ExitCode == 3
                ? " The grading tests need the namespace sandbox (util-linux unshare, setpriv, prlimit, taskset; root or unprivileged user namespaces): " +
                  "run `bash build/install-test-deps.sh`, or grade on a machine that allows namespaces."
                : ""));
        Run = Read(File.ReadAllText(json));
        File.WriteAllText(Path.Combine(Folder, "..", "run.txt"),
            $"{Run.Submissions.Count} submissions in {Run.Seconds:0} s ({Run.Seconds / Run.Submissions.Count:0.0} s each, 2 at a time); grader's peak resident memory {Run.PeakMemoryMegabytes:0} MB\n");
    }

    /// <summary>The dotnet executable this test runs on.</summary>
    static string DotnetHost()
    {
        if (Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { } host && File.Exists(host)) return host;
        // .../dotnet/shared/Microsoft.NETCore.App/<version>/System.Private.CoreLib.dll
        var root = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(typeof(object).Assembly.Location)!, "..", "..", ".."));
        return File.Exists(Path.Combine(root, "dotnet")) ? Path.Combine(root, "dotnet") : "dotnet";
    }

    /// <summary>A grading run read back from its JSON (courselib-grades/1; each check's own printed text is not in it).</summary>
    internal static GradeRun Read(string text)
    {
        var json = JsonNode.Parse(text)!.AsObject();
        var limits = json["limits"]!;
        var options = new GradeOptions
        {
            CourseRoot = Repository.Root,
            Instructor = InstructorFolder,
            Timeout = TimeSpan.FromSeconds(limits["timeout_s"]!.GetValue<double>()),
            CellTimeout = TimeSpan.FromSeconds(limits["cell_timeout_s"]!.GetValue<double>()),
            MemoryMegabytes = limits["memory_mb"]!.GetValue<int>(),
            OutputLimitBytes = limits["output_mb"]!.GetValue<long>() << 20,
        };
        var submissions = json["submissions"]!.AsArray().Select(x => x!.AsObject()).Select(s => new SubmissionResult
        {
            Submission = s["submission"]!.GetValue<string>(),
            Student = s["student"]?.GetValue<string>(),
            Instructor = s["instructor"]?.GetValue<string>(),
            Status = Enum.GetValues<SubmissionStatus>().Single(v => v.Name() == s["status"]!.GetValue<string>()),
            Score = s["score"]!.GetValue<double>(),
            MaxScore = s["max_score"]!.GetValue<double>(),
            PendingPoints = s["pending_points"]!.GetValue<double>(),
            Seconds = s["seconds"]!.GetValue<double>(),
            Restarts = s["restarts"]!.GetValue<int>(),
            PeakMemoryMegabytes = s["peak_memory_mb"]!.GetValue<double>(),
            Messages = s["messages"]!.AsArray().Select(m => m!.GetValue<string>()).ToList(),
            Flags = s["flags"]!.AsArray().Select(f => new ReferenceFlag(f!["exercise"]!.GetValue<string>(), f["check"]!.GetValue<string>(), f["calls"]!.GetValue<string>(), f["line"]!.GetValue<int>())).ToList(),
            Exercises = s["exercises"]!.AsArray().Select(e => new ExerciseResult(
                e!["grade_id"]!.GetValue<string>(), e["exercise"]?.GetValue<string>(), e["hidden"]!.GetValue<bool>(),
                e["points"]!.GetValue<double>(), e["max_points"]!.GetValue<double>(), ExerciseStatusNamed(e["status"]!.GetValue<string>()), e["feedback"]!.GetValue<string>(),
                e["checks"]!.AsArray().Select(c => new CheckVerdict(
                    c!["name"]!.GetValue<string>(), ExerciseStatusNamed(c["status"]!.GetValue<string>()), c["passed_cases"]!.GetValue<int>(), c["total_cases"]!.GetValue<int>(),
                    c["summary"]!.GetValue<string>(), "", c["hint"]?.GetValue<string>(), c["failures"]!.AsArray().Select(f => f!.DeepClone().AsObject()).ToList())).ToList())
            {
                Answer = e["answer"]?.GetValue<string>(),
                ModelAnswer = e["model_answer"]?.GetValue<string>(),
            }).ToList(),
        }).ToList();
        var grader = json["grader"]!;
        return new GradeRun(submissions, json["seed"]!.GetValue<int>(), json["sandbox"]!.GetValue<string>(), options)
        {
            Seconds = grader["seconds"]!.GetValue<double>(),
            PeakMemoryMegabytes = grader["peak_memory_mb"]!.GetValue<double>(),
        };
    }

    static ExerciseStatus ExerciseStatusNamed(string name) => Enum.GetValues<ExerciseStatus>().Single(v => v.Name() == name);

    public Task DisposeAsync() => Task.CompletedTask;
}
