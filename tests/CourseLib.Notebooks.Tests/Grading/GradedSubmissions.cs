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

    /// <summary>The per-cell time limit of the hostile run: short, but far above what a right cell needs.</summary>
    public static readonly TimeSpan CellTimeout = TimeSpan.FromSeconds(15);

    public GradeRun Run { get; private set; } = null!;
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
        ["memory-managed"] = Solved(("discounted-return", DiscountedReturn("    var blocks = new List<byte[]>();\n    while (true) { var b = new byte[16 << 20]; Array.Fill(b, (byte)1); blocks.Add(b); }"))),
        ["forgery"] = Solved(("discounted-return", Forgery())),
        ["reads-instructor"] = Solved(("discounted-return", DiscountedReturn(
            $"    string[] paths = {{ {Quote(InstructorCopy)}, {Quote(InstructorFolder)}, {Quote(Repository.Root)}, {Quote(Path.Combine(Repository.Root, "instructor"))} }};\n" +
            "    var seen = paths.Where(p => System.IO.File.Exists(p) || System.IO.Directory.Exists(p)).ToList();\n" +
            "    throw new Exception(\"LEAK:\" + (seen.Count == 0 ? \"no-access\" : string.Join(\",\", seen)));"))),
    };

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
        var unreadable = Directory.CreateDirectory(Path.Combine(Folder, "unreadable")).FullName;
        File.WriteAllText(Path.Combine(unreadable, FileName), "this is not a notebook");

        Grader = new Grader(new GradeOptions
        {
            CourseRoot = Repository.Root,
            Instructor = InstructorFolder,
            CellTimeout = CellTimeout,
            Timeout = TimeSpan.FromMinutes(4),
            MemoryMegabytes = 1024,
            OutputLimitBytes = 16 << 20,
            Parallelism = 2,
            Seed = 12345,
        });
        Run = await Grader.GradeAsync(Folder);
        // For a person looking into a failure: what the grader printed and wrote.
        File.WriteAllText(Path.Combine(Folder, "..", "results.txt"), Run.ToTable());
        File.WriteAllText(Path.Combine(Folder, "..", "results.json"), Run.ToJson());
    }

    public Task DisposeAsync() => Task.CompletedTask;
}
