using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CourseLib.Display;

namespace CourseLib.Exercises;

/// <summary>How a check came out.</summary>
public enum CheckStatus
{
    /// <summary>Every case gave the reference's answer.</summary>
    Passed,
    /// <summary>At least one case gave a wrong answer or threw.</summary>
    Failed,
    /// <summary>The function still throws <see cref="NotImplementedException"/> (the student's copy as released).</summary>
    NotImplemented,
    /// <summary>The check itself could not be evaluated (its answers are malformed or missing).</summary>
    Error,
}

/// <summary>One case a student's function got wrong: which input, what was expected, what came back.</summary>
/// <param name="Case">The case's name (e.g. "γ = 0: only the first reward counts", "random case 17").</param>
/// <param name="Input">The input, as the student would write it.</param>
/// <param name="Expected">What the reference gives.</param>
/// <param name="Got">What the student's function returned (or the exception it threw).</param>
public sealed record CaseFailure(string Case, string Input, string Expected, string Got);

/// <summary>
/// The outcome of one check (<see cref="Check"/>): how many cases passed, the first failing inputs with the expected
/// and the returned values, and a hint when the answers match a known mistake. Shows as a small report in a notebook.
/// </summary>
public sealed class CheckReport : HtmlDisplayable
{
    /// <summary>The check's name, as called: <c>Check.{Name}(...)</c>.</summary>
    public required string Name { get; init; }

    /// <summary>What the check tests, for people ("the discounted return G₀").</summary>
    public required string Title { get; init; }

    /// <summary>Passed, failed, not implemented yet, or error.</summary>
    public required CheckStatus Status { get; init; }

    /// <summary>Cases that gave the reference's answer.</summary>
    public required int PassedCases { get; init; }

    /// <summary>All cases.</summary>
    public required int TotalCases { get; init; }

    /// <summary>The first failing cases (at most <see cref="MaxFailuresShown"/>).</summary>
    public IReadOnlyList<CaseFailure> Failures { get; init; } = Array.Empty<CaseFailure>();

    /// <summary>A hint when the wrong answers match a known mistake, else null.</summary>
    public string? Hint { get; init; }

    /// <summary>A message for <see cref="CheckStatus.Error"/>, else null.</summary>
    public string? Message { get; init; }

    /// <summary>The seed the cases were drawn with (grading draws fresh cases for every run).</summary>
    public int Seed { get; init; }

    /// <summary>True when the cases were the check's larger, grading-only set.</summary>
    public bool Hidden { get; init; }

    /// <summary>True when every case passed.</summary>
    public bool Passed => Status == CheckStatus.Passed;

    /// <summary>The fraction of cases passed (0 when not implemented).</summary>
    public double Fraction => TotalCases == 0 ? 0 : (double)PassedCases / TotalCases;

    /// <summary>How many failing cases a report lists.</summary>
    public const int MaxFailuresShown = 3;

    /// <summary>One line: the verdict.</summary>
    public string Summary => Status switch
    {
        CheckStatus.Passed => $"passed: all {TotalCases} cases give the reference's answer.",
        CheckStatus.NotImplemented => "not implemented yet: the function still throws NotImplementedException. Write your solution in its cell, run that cell, then run this check again.",
        CheckStatus.Error => $"could not be checked: {Message}",
        _ => $"failed: {TotalCases - PassedCases} of {TotalCases} cases give a wrong answer or throw.",
    };

    /// <summary>The report as plain text (what a terminal and the grader's table show).</summary>
    public override string ToString()
    {
        var text = new StringBuilder();
        text.Append(Symbol).Append(' ').Append($"Check.{Name} ({Title}): ").Append(Summary);
        foreach (var failure in Failures)
        {
            text.Append('\n').Append($"  • {failure.Case}: {failure.Input}");
            text.Append('\n').Append($"    expected {failure.Expected}, got {failure.Got}");
        }
        if (Status == CheckStatus.Failed && TotalCases - PassedCases > Failures.Count)
            text.Append('\n').Append($"  … and {TotalCases - PassedCases - Failures.Count} more.");
        if (Hint != null) text.Append('\n').Append($"  Hint: {Hint}");
        return text.ToString();
    }

    string Symbol => Status switch { CheckStatus.Passed => "✔", CheckStatus.NotImplemented => "…", _ => "✘" };

    /// <inheritdoc />
    public override string ToHtml()
    {
        var (color, background) = Status switch
        {
            CheckStatus.Passed => ("#1b5e20", "#e8f5e9"),
            CheckStatus.NotImplemented => ("#4a4a4a", "#f3f3f3"),
            _ => ("#b71c1c", "#ffebee"),
        };
        var html = new StringBuilder();
        html.Append($"<div class=\"courselib-check\" style=\"border-left:4px solid {color};background:{background};padding:6px 10px;margin:4px 0;font-family:sans-serif;font-size:13px\">");
        html.Append($"<div><b style=\"color:{color}\">{Symbol} Check.{Escape(Name)}</b> <span style=\"color:#555\">({Escape(Title)})</span>: {Escape(Summary)}</div>");
        if (Failures.Count > 0)
        {
            html.Append("<table style=\"border-collapse:collapse;margin-top:4px\"><tr style=\"text-align:left\"><th style=\"padding:2px 8px\">case</th><th style=\"padding:2px 8px\">input</th><th style=\"padding:2px 8px\">expected</th><th style=\"padding:2px 8px\">got</th></tr>");
            foreach (var f in Failures)
                html.Append($"<tr><td style=\"padding:2px 8px\">{Escape(f.Case)}</td><td style=\"padding:2px 8px\"><code>{Escape(f.Input)}</code></td><td style=\"padding:2px 8px\"><code>{Escape(f.Expected)}</code></td><td style=\"padding:2px 8px\"><code>{Escape(f.Got)}</code></td></tr>");
            html.Append("</table>");
            if (TotalCases - PassedCases > Failures.Count)
                html.Append($"<div style=\"color:#555\">… and {TotalCases - PassedCases - Failures.Count} more.</div>");
        }
        if (Hint != null) html.Append($"<div style=\"margin-top:4px\"><b>Hint:</b> {Escape(Hint)}</div>");
        html.Append("</div>");
        return html.ToString();
    }

    /// <summary>The report as JSON (what the grader reads).</summary>
    public string ToJson()
    {
        var json = new JsonObject
        {
            ["name"] = Name,
            ["title"] = Title,
            ["status"] = StatusName(Status),
            ["passed_cases"] = PassedCases,
            ["total_cases"] = TotalCases,
            ["seed"] = Seed,
            ["hidden"] = Hidden,
            ["summary"] = Summary,
            ["failures"] = new JsonArray(Failures.Select(f => (JsonNode)new JsonObject
            {
                ["case"] = f.Case,
                ["input"] = f.Input,
                ["expected"] = f.Expected,
                ["got"] = f.Got,
            }).ToArray()),
            ["hint"] = Hint,
            ["message"] = Message,
            ["text"] = ToString(),
        };
        return json.ToJsonString(new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
    }

    /// <summary>The status as the grader's JSON writes it: passed, failed, not-implemented, error.</summary>
    public static string StatusName(CheckStatus status) => status switch
    {
        CheckStatus.Passed => "passed",
        CheckStatus.Failed => "failed",
        CheckStatus.NotImplemented => "not-implemented",
        _ => "error",
    };

    internal static string Number(double x) => x.ToString("G6", CultureInfo.InvariantCulture);
}
