using CourseLib.Notebooks.Grading;
using static CourseLib.Notebooks.Tests.Grading.Submissions;

namespace CourseLib.Notebooks.Tests.Grading;

/// <summary>
/// Grades a folder of submissions once (right, wrong and hostile ones, two at a time) and keeps the results for
/// the tests that look at them.
/// </summary>
public sealed class GradedSubmissions : IAsyncLifetime
{
    public static readonly string Folder = Path.Combine(Repository.Root, "out", "test-grading", "submissions");
    public static readonly string ForgedResultFile = Path.Combine(Repository.Root, "out", "test-grading", "forged-grades.json");

    /// <summary>The per-cell time limit of the hostile run: short, but far above what a right cell needs (on this shared machine a cell's compilation can take 15 s under load).</summary>
    public static readonly TimeSpan CellTimeout = TimeSpan.FromSeconds(45);

    public GradeRun Run { get; private set; } = null!;

    /// <summary>The wall time of the whole run.</summary>
    public double Seconds { get; private set; }

    /// <summary>The test process's peak working set after the run (the grader runs in it).</summary>
    public long PeakWorkingSetBytes { get; private set; }
    public Grader Grader { get; private set; } = null!;

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
        // load (measured under load 24: the filled version took longer than the 45 s cell limit, this one 55 s in all).
        ["memory-managed"] = Solved(("discounted-return", DiscountedReturn("    var blocks = new List<byte[]>();\n    while (true) blocks.Add(GC.AllocateUninitializedArray<byte>(16 << 20));"))),
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

        try
        {
            Grader = new Grader(new GradeOptions
            {
                CourseRoot = Repository.Root,
                Instructor = InstructorFolder,
                CellTimeout = CellTimeout,
                // Generous: this machine is shared, and a worker's start (its kernel's first compilation) is slow under load.
                StartTimeout = TimeSpan.FromMinutes(4),
                Timeout = TimeSpan.FromMinutes(8),
                MemoryMegabytes = 1024,
                OutputLimitBytes = 16 << 20,
                MaxProcesses = MaxProcesses,
                Parallelism = 2,
                Seed = 12345,
                // The isolation tests need the sandbox: no silent fallback to an unsandboxed run.
                Sandbox = SandboxMode.Namespaces,
            });
        }
        catch (GraderException e)
        {
            throw new InvalidOperationException($"The grading tests need the namespace sandbox (util-linux unshare, setpriv, prlimit, taskset; " +
                $"root or unprivileged user namespaces): {e.Message} Run `bash build/install-test-deps.sh`, or grade on a machine that allows namespaces.", e);
        }
        var peakBefore = System.Diagnostics.Process.GetCurrentProcess().PeakWorkingSet64;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        Run = await Grader.GradeAsync(Folder);
        Seconds = clock.Elapsed.TotalSeconds;
        PeakWorkingSetBytes = System.Diagnostics.Process.GetCurrentProcess().PeakWorkingSet64;
        // For a person looking into a failure: what the grader printed and wrote.
        File.WriteAllText(Path.Combine(Folder, "..", "results.txt"), Run.ToTable());
        File.WriteAllText(Path.Combine(Folder, "..", "results.json"), Run.ToJson());
        File.WriteAllText(Path.Combine(Folder, "..", "run.txt"), $"{Run.Submissions.Count} submissions in {Seconds:0} s ({Seconds / Run.Submissions.Count:0.0} s each, 2 at a time); peak working set {PeakWorkingSetBytes >> 20} MB\n");
    }

    public Task DisposeAsync() => Task.CompletedTask;
}
