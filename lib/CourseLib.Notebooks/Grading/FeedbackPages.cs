using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace CourseLib.Notebooks.Grading;

/// <summary>
/// Feedback for students (<c>courselib grade --feedback DIR</c>): one HTML page per submission, in the course's page
/// style, with each exercise's points, the failing inputs (expected against got) and the hints. It shows what the
/// grader computed, nothing of the instructor's copy (no hidden check's source, no solution, no model answer), and
/// not the flags (those are for the instructor). Answers graded by hand say "graded by your instructor".
/// </summary>
public static class FeedbackPages
{
    static readonly Lazy<string> CourseStyle = new(() =>
    {
        // The course's page style, taken from the notebook pages' renderer (its public output), so the feedback
        // looks like the course's pages and follows their changes.
        var page = HtmlPage.Render(IpynbDocument.Parse("""{"cells":[],"metadata":{},"nbformat":4,"nbformat_minor":5}""", "style.ipynb"), "");
        int start = page.IndexOf("<style>", StringComparison.Ordinal), end = page.IndexOf("</style>", StringComparison.Ordinal);
        return start >= 0 && end > start ? page[(start + "<style>".Length)..end] : "";
    });

    const string FeedbackStyle = """
        .score { font-size: 1.3em; } .passed { color: #2ca02c; } .failed, .error { color: #d62728; } .not-implemented, .not-run { color: #8c6d00; } .manual { color: #1f77b4; }
        table.exercises td.points { text-align: right; white-space: nowrap; }
        pre.feedback { background: #f6f8fa; border: 1px solid #e1e4e8; border-radius: 4px; padding: 0.6em 0.8em; white-space: pre-wrap; font-size: 13px; }
        table.failures td { vertical-align: top; font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: 13px; }
        p.hint { border-left: 3px solid #1f77b4; padding-left: 0.6em; }
        """;

    /// <summary>Writes one page per submission into <paramref name="folder"/>; returns the pages' paths.</summary>
    public static IReadOnlyList<string> Write(GradeRun run, string folder)
    {
        Directory.CreateDirectory(folder);
        var written = new List<string>();
        var used = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var s in run.Submissions)
        {
            var name = FileName(s);
            for (int n = 2; !used.Add(name); n++) name = FileName(s) + "-" + n.ToString(CultureInfo.InvariantCulture);
            var path = Path.Combine(folder, name + ".html");
            File.WriteAllText(path, Render(s));
            written.Add(path);
        }
        return written;
    }

    /// <summary>The page's file name (without .html): student and notebook, in safe characters.</summary>
    public static string FileName(SubmissionResult s)
    {
        var raw = (s.Student != null ? s.Student + "-" : "") + Path.GetFileNameWithoutExtension(s.Submission);
        var safe = new string(raw.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_').ToArray()).Trim('.');
        return safe.Length == 0 ? "submission" : safe;
    }

    /// <summary>The page of one submission.</summary>
    public static string Render(SubmissionResult s)
    {
        static string H(string? text) => WebUtility.HtmlEncode(text ?? "");
        static string P(double points) => GradeRun.Points(points);
        var title = $"Feedback: {Path.GetFileName(s.Submission)}" + (s.Student != null ? $" ({s.Student})" : "");
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">");
        html.Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">");
        html.Append("<title>").Append(H(title)).Append("</title>\n<style>").Append(CourseStyle.Value).Append(FeedbackStyle).Append("</style>\n");
        html.Append("</head><body><main>\n");
        html.Append("<h1>").Append(H(title)).Append("</h1>\n");
        html.Append($"<p class=\"score\">{P(s.Score)} / {P(s.MaxScore)} points");
        if (s.PendingPoints > 0) html.Append($" <span class=\"manual\">(and up to {P(s.PendingPoints)} points graded by your instructor)</span>");
        html.Append("</p>\n");
        if (s.Status != SubmissionStatus.Graded) html.Append($"<p class=\"{H(s.Status.Name())}\">Status: {H(s.Status.Name())}</p>\n");
        foreach (var m in s.Messages) html.Append("<p class=\"note\">").Append(H(m)).Append("</p>\n");
        if (s.Exercises.Count > 0)
        {
            html.Append("<table class=\"exercises\"><tr><th>exercise</th><th>check</th><th>points</th><th>status</th></tr>\n");
            foreach (var e in s.Exercises)
            {
                var status = e.Status.Name();
                html.Append(e.Status == ExerciseStatus.Manual
                    ? $"<tr><td>{H(e.Exercise)}</td><td>(your answer)</td><td class=\"points\">– / {P(e.MaxPoints)}</td><td class=\"{status}\">{H(e.Feedback)}</td></tr>\n"
                    : $"<tr><td>{H(e.Exercise)}</td><td>{H(e.GradeId)}{(e.Hidden ? " (hidden)" : "")}</td><td class=\"points\">{P(e.Points)} / {P(e.MaxPoints)}</td><td class=\"{status}\">{status}</td></tr>\n");
            }
            html.Append("</table>\n");
        }
        foreach (var e in s.Exercises.Where(e => e.Status is not (ExerciseStatus.Passed or ExerciseStatus.Manual)))
        {
            var status = e.Status.Name();
            html.Append($"<section class=\"exercise\"><h2>{H(e.GradeId)}{(e.Hidden ? " (hidden check)" : "")}: <span class=\"{status}\">{status}</span>, {P(e.Points)} / {P(e.MaxPoints)}</h2>\n");
            foreach (var c in e.Checks.Where(c => !c.Passed))
            {
                html.Append($"<p>Check.{H(c.Name)}: {H(c.Summary)}</p>\n");
                if (c.Failures.Count > 0)
                {
                    html.Append("<table class=\"failures\"><tr><th>case</th><th>call</th><th>expected</th><th>got</th></tr>\n");
                    foreach (var f in c.Failures)
                        html.Append($"<tr><td>{H(Text(f, "case"))}</td><td>{H(Text(f, "input"))}</td><td>{H(Text(f, "expected"))}</td><td>{H(Text(f, "got"))}</td></tr>\n");
                    html.Append("</table>\n");
                }
                if (c.Hint != null) html.Append("<p class=\"hint\">Hint: ").Append(H(c.Hint)).Append("</p>\n");
            }
            if (e.Checks.Count == 0 || e.Status == ExerciseStatus.Error) html.Append("<pre class=\"feedback\">").Append(H(e.Feedback)).Append("</pre>\n");
            html.Append("</section>\n");
        }
        html.Append("</main></body></html>\n");
        return html.ToString();
    }

    static string Text(JsonObject failure, string key) => failure[key] is JsonValue v && v.TryGetValue<string>(out var s) ? s : failure[key]?.ToJsonString() ?? "";
}
