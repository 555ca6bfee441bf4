using System.Text;
using CourseLib.Display;

namespace CourseLib.Exercises;

/// <summary>
/// The checks of the seminar's exercises. A check cell is one line, e.g. <c>Check.DiscountedReturn(DiscountedReturn)</c>:
/// it calls the student's function on seeded cases (edge cases such as an empty episode, γ = 0, γ = 1, terminal
/// states, then many random inputs), compares each answer with the course's reference and shows a report that names
/// a failing input with the expected and the returned value. A function that still throws
/// <see cref="NotImplementedException"/> gives "not implemented yet", not an error, so a student's copy runs top to
/// bottom. <see cref="Summary"/> lists every check run so far. The grader runs the same checks on fresh random cases
/// and judges the answers itself (see <see cref="Grading"/>).
/// </summary>
public static partial class Check
{
    static readonly object RecordLock = new();
    static readonly List<CheckReport> Latest = [];

    internal static void Record(CheckReport report)
    {
        lock (RecordLock)
        {
            int i = Latest.FindIndex(r => r.Name == report.Name);
            if (i >= 0) Latest[i] = report; else Latest.Add(report);
        }
    }

    /// <summary>The latest result of every check run in this session: your progress through the notebook's exercises.</summary>
    public static CheckSummary Summary()
    {
        lock (RecordLock) return new CheckSummary(Latest.ToList());
    }

    /// <summary>Every check's name (what <c>Check.{name}(...)</c> calls), in seminar order.</summary>
    public static IReadOnlyList<string> Names => CheckRegistry.Names;
}

/// <summary>A table of check results (what <see cref="Check.Summary"/> shows).</summary>
public sealed class CheckSummary(IReadOnlyList<CheckReport> reports) : HtmlDisplayable
{
    /// <summary>The latest report of each check, in the order they first ran.</summary>
    public IReadOnlyList<CheckReport> Reports { get; } = reports;

    /// <summary>How many checks passed.</summary>
    public int Passed => Reports.Count(r => r.Passed);

    string Headline => Reports.Count == 0
        ? "No checks have run yet in this session: run the notebook's cells from the top."
        : $"{Passed} of {Reports.Count} checks pass.";

    /// <inheritdoc />
    public override string ToString()
    {
        var text = new StringBuilder(Headline);
        foreach (var r in Reports) text.Append('\n').Append($"  {(r.Passed ? "✔" : r.Status == CheckStatus.NotImplemented ? "…" : "✘")} Check.{r.Name}: {r.Summary}");
        return text.ToString();
    }

    /// <inheritdoc />
    public override string ToHtml()
    {
        var html = new StringBuilder($"<div style=\"font-family:sans-serif;font-size:13px\"><b>{Escape(Headline)}</b>");
        if (Reports.Count > 0)
        {
            html.Append("<table style=\"border-collapse:collapse;margin-top:4px\">");
            foreach (var r in Reports)
            {
                var color = r.Passed ? "#1b5e20" : r.Status == CheckStatus.NotImplemented ? "#4a4a4a" : "#b71c1c";
                html.Append($"<tr><td style=\"padding:2px 8px;color:{color}\">{(r.Passed ? "✔" : r.Status == CheckStatus.NotImplemented ? "…" : "✘")}</td><td style=\"padding:2px 8px\"><code>Check.{Escape(r.Name)}</code></td><td style=\"padding:2px 8px\">{Escape(r.Title)}</td><td style=\"padding:2px 8px\">{Escape(r.Summary)}</td></tr>");
            }
            html.Append("</table>");
        }
        return html.Append("</div>").ToString();
    }
}
