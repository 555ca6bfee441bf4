using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace CourseLib.Notebooks.Grading;

/// <summary>The grader itself failed (not a submission): a missing library, a malformed instructor's copy, a worker that cannot start.</summary>
public sealed class GraderException(string message) : Exception(message);

/// <summary>How one check cell (one graded exercise part), or one answer graded by hand, came out.</summary>
/// <param name="GradeId">The check cell's grade_id (or the answer cell's).</param>
/// <param name="Exercise">The grade_id of the solution cell it tests (the nearest one above it), or null; an answer graded by hand is its own exercise.</param>
/// <param name="Hidden">True for a hidden check (not in the student's copy).</param>
/// <param name="Points">Points awarded (0 for an answer graded by hand: the instructor gives them).</param>
/// <param name="MaxPoints">Points available.</param>
/// <param name="Status">Passed, failed, not implemented, error (the check could not run or was stopped), not run; manual for an answer graded by hand.</param>
/// <param name="Feedback">What to tell the student: the failing input with expected and returned values, a hint, or why the check could not run.</param>
/// <param name="Checks">The verdict of each library check the cell called.</param>
public sealed record ExerciseResult(string GradeId, string? Exercise, bool Hidden, double Points, double MaxPoints, ExerciseStatus Status, string Feedback, IReadOnlyList<CheckVerdict> Checks)
{
    /// <summary>For an answer graded by hand: the student's answer (the cell's text, cut at <see cref="ManualAnswers.MaxAnswerLength"/>), or null when the submission has no such cell.</summary>
    public string? Answer { get; init; }

    /// <summary>For an answer graded by hand: the instructor's model answer, for the instructor only (never on a feedback page), or null in a self-check.</summary>
    public string? ModelAnswer { get; init; }
}

/// <summary>How one submitted notebook came out.</summary>
public sealed record SubmissionResult
{
    /// <summary>The submitted file.</summary>
    public required string Submission { get; init; }

    /// <summary>The student (the submission's folder, or the file's name in a folder of files), or null for a single file.</summary>
    public string? Student { get; init; }

    /// <summary>The instructor's copy it was graded against, or null (a self-check against its own visible checks).</summary>
    public string? Instructor { get; init; }

    /// <summary>
    /// Graded; unmatched (instructors' copies are here but none matches: 0 points); self-checked (no instructors'
    /// copies at all, a student's machine: visible checks only); unreadable (not a notebook: 0 points); error (the
    /// grader failed on this submission: 0 points, the reason in <see cref="Messages"/>).
    /// </summary>
    public required SubmissionStatus Status { get; init; }

    /// <summary>The points the grader awarded (answers graded by hand not included).</summary>
    public required double Score { get; init; }

    /// <summary>The points the grader could award (answers graded by hand not included: see <see cref="PendingPoints"/>).</summary>
    public required double MaxScore { get; init; }

    /// <summary>The points of the answers graded by hand (status manual), which the instructor still has to give.</summary>
    public double PendingPoints { get; init; }

    public required IReadOnlyList<ExerciseResult> Exercises { get; init; }

    /// <summary>Notes about the run as a whole (a stopped worker, a missing solution cell, no sandbox, ...).</summary>
    public IReadOnlyList<string> Messages { get; init; } = [];

    /// <summary>Solutions that call the library's reference (or another public function computing the same thing): for the instructor to review; the points stand.</summary>
    public IReadOnlyList<ReferenceFlag> Flags { get; init; } = [];

    public double Seconds { get; init; }

    /// <summary>How often the worker was restarted after a cell stopped it.</summary>
    public int Restarts { get; init; }

    /// <summary>The highest resident memory of the worker's processes, in MB.</summary>
    public double PeakMemoryMegabytes { get; init; }
}

/// <summary>A grading run: every submission's result, and the settings that produced them.</summary>
public sealed record GradeRun(IReadOnlyList<SubmissionResult> Submissions, int Seed, string Sandbox, GradeOptions Options)
{
    /// <summary>The wall time of the whole run.</summary>
    public double Seconds { get; init; }

    /// <summary>
    /// The peak resident memory (VmHWM) of the process the grader ran in, in MB, read at the end of the run. For
    /// <c>courselib grade</c> that is the grader's own memory (its workers are other processes, each held to the
    /// memory limit); a program that grades in its own process measures itself as well.
    /// </summary>
    public double PeakMemoryMegabytes { get; init; }

    /// <summary>The results as JSON (the format is described in docs/exercises.md).</summary>
    public string ToJson()
    {
        var json = new JsonObject
        {
            ["format"] = "courselib-grades/1",
            ["seed"] = Seed,
            ["sandbox"] = Sandbox,
            ["limits"] = new JsonObject
            {
                ["timeout_s"] = Options.Timeout.TotalSeconds,
                ["cell_timeout_s"] = Options.CellTimeout.TotalSeconds,
                ["memory_mb"] = Options.MemoryMegabytes,
                ["output_mb"] = Options.OutputLimitBytes / (1 << 20),
            },
            ["grader"] = new JsonObject
            {
                ["seconds"] = Math.Round(Seconds, 1),
                ["peak_memory_mb"] = Math.Round(PeakMemoryMegabytes),
            },
            ["submissions"] = new JsonArray(Submissions.Select(s => (JsonNode)new JsonObject
            {
                ["submission"] = s.Submission,
                ["student"] = s.Student,
                ["instructor"] = s.Instructor,
                ["status"] = s.Status.Name(),
                ["score"] = s.Score,
                ["max_score"] = s.MaxScore,
                ["pending_points"] = s.PendingPoints,
                ["seconds"] = Math.Round(s.Seconds, 1),
                ["restarts"] = s.Restarts,
                ["peak_memory_mb"] = Math.Round(s.PeakMemoryMegabytes),
                ["messages"] = new JsonArray(s.Messages.Select(m => (JsonNode)JsonValue.Create(m)!).ToArray()),
                ["flags"] = new JsonArray(s.Flags.Select(f => (JsonNode)new JsonObject
                {
                    ["kind"] = f.Kind.Name(), ["exercise"] = f.Exercise, ["check"] = f.Check, ["calls"] = f.Calls, ["line"] = f.Line,
                }).ToArray()),
                ["exercises"] = new JsonArray(s.Exercises.Select(Exercise).ToArray()),
            }).ToArray()),
        };
        return json.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }) + "\n";
    }

    static JsonNode Exercise(ExerciseResult e)
    {
        var json = new JsonObject
        {
            ["grade_id"] = e.GradeId,
            ["exercise"] = e.Exercise,
            ["hidden"] = e.Hidden,
            ["points"] = e.Points,
            ["max_points"] = e.MaxPoints,
            ["status"] = e.Status.Name(),
            ["feedback"] = e.Feedback,
            ["checks"] = new JsonArray(e.Checks.Select(c => (JsonNode)new JsonObject
            {
                ["name"] = c.Name,
                ["status"] = c.Status.Name(),
                ["passed_cases"] = c.PassedCases,
                ["total_cases"] = c.TotalCases,
                ["summary"] = c.Summary,
                ["hint"] = c.Hint,
                ["failures"] = new JsonArray(c.Failures.Select(f => f.DeepClone()).ToArray()),
            }).ToArray()),
        };
        if (e.Status == ExerciseStatus.Manual)
        {
            json["answer"] = e.Answer;
            json["model_answer"] = e.ModelAnswer;
        }
        return json;
    }

    /// <summary>A table per submission (exercise, points, status, short feedback), then the full feedback of what did not pass.</summary>
    public string ToTable()
    {
        var text = new StringBuilder();
        foreach (var s in Submissions)
        {
            text.Append($"{(s.Student != null ? s.Student + ": " : "")}{Path.GetFileName(s.Submission)}  {Points(s.Score)} / {Points(s.MaxScore)}");
            if (s.PendingPoints > 0) text.Append($"  (+ {Points(s.PendingPoints)} to grade by hand)");
            text.Append(s.Status == SubmissionStatus.Graded ? "" : $"  [{s.Status.Name()}]").Append('\n');
            if (s.Exercises.Count > 0)
            {
                int width = Math.Max(8, s.Exercises.Max(e => e.GradeId.Length + (e.Hidden ? 9 : 0)));
                text.Append($"  {"exercise".PadRight(width)}  {"points",9}  {"status",-15}  feedback\n");
                foreach (var e in s.Exercises)
                {
                    var id = e.GradeId + (e.Hidden ? " (hidden)" : "");
                    var brief = e.Status == ExerciseStatus.Manual ? "to grade by hand: the answer and the model answer are below"
                        : e.Checks.Count > 0 && e.Status != ExerciseStatus.Error ? string.Join("; ", e.Checks.Select(c => c.Summary)) : e.Feedback;
                    var points = e.Status == ExerciseStatus.Manual ? $"? / {Points(e.MaxPoints)}" : $"{Points(e.Points)} / {Points(e.MaxPoints)}";
                    text.Append($"  {id.PadRight(width)}  {points,9}  {e.Status.Name(),-15}  {FirstLine(brief)}\n");
                }
            }
            foreach (var m in s.Messages) text.Append($"  note: {m}\n");
            foreach (var f in s.Flags) text.Append($"  FLAG: {f}\n");
            foreach (var e in s.Exercises.Where(e => e.Status is not (ExerciseStatus.Passed or ExerciseStatus.Manual) && e.Feedback.Contains('\n')))
            {
                text.Append($"  {e.GradeId}:\n");
                foreach (var line in e.Feedback.Split('\n')) text.Append("    ").Append(line).Append('\n');
            }
            foreach (var e in s.Exercises.Where(e => e.Status == ExerciseStatus.Manual))
            {
                text.Append($"  {e.GradeId} (to grade by hand, {Points(e.MaxPoints)} points):\n");
                Quote(text, "answer", e.Answer ?? "(no answer cell in the submission)");
                Quote(text, "model answer", e.ModelAnswer ?? "(none: no instructor's copy)");
            }
            text.Append('\n');
        }
        if (Submissions.Count > 1)
            text.Append($"{Submissions.Count} submissions graded; seed {Seed}; sandbox: {Sandbox}.\n");
        else
            text.Append($"seed {Seed}; sandbox: {Sandbox}.\n");
        return text.ToString();
    }

    /// <summary>A block of text under a label, each line behind "| " (so an answer cannot pass for the table's own lines).</summary>
    static void Quote(StringBuilder text, string label, string block)
    {
        text.Append($"    {label}:\n");
        foreach (var line in block.Split('\n')) text.Append("      | ").Append(line.TrimEnd('\r')).Append('\n');
    }

    static string FirstLine(string feedback)
    {
        var line = feedback.Split('\n')[0];
        return line.Length > 110 ? line[..107] + "..." : line;
    }

    internal static string Points(double points) => points.ToString("0.##", CultureInfo.InvariantCulture);
}
