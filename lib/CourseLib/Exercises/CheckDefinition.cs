using System.Text.Json;
using System.Text.Json.Nodes;

namespace CourseLib.Exercises;

/// <summary>One input of a check, with a name that says what it tests ("empty episode: the return is 0").</summary>
internal sealed record CheckCase<TInput>(string Name, TInput Input);

/// <summary>A wrong answer: the expected and the returned value, as text.</summary>
internal sealed record Mismatch(string Expected, string Got);

/// <summary>A known mistake: its hint is shown when most wrong answers are what the mistake would give.</summary>
internal sealed record Mistake<TInput, TAnswer>(string Hint, Func<TInput, TAnswer, bool> Matches);

/// <summary>A named check, as the grader sees it: it can re-draw its cases from a seed and judge a list of answers.</summary>
internal abstract class CheckDefinition
{
    public required string Name { get; init; }
    public required string Title { get; init; }

    /// <summary>Judges <paramref name="answers"/> (one per case, in order) against the cases drawn from <paramref name="seed"/>.</summary>
    public abstract CheckReport Evaluate(int seed, bool hidden, JsonArray answers);
}

/// <summary>
/// A check of a student's function: seeded cases (edge cases first, then random ones), how to show an input, how to
/// carry an answer through JSON, and how to judge an answer against the reference. The same code judges answers in
/// the notebook (the student's own check) and in the grader (which re-draws the cases itself and never takes the
/// notebook's verdict).
/// </summary>
internal sealed class CheckDefinition<TInput, TAnswer> : CheckDefinition
{
    /// <summary>Draws the cases: edge cases first, then random ones; more random ones when hidden (grading only).</summary>
    public required Func<Rng, bool, IEnumerable<CheckCase<TInput>>> Cases { get; init; }

    /// <summary>The call, as the student would write it: <c>DiscountedReturn([1, 0.5], gamma: 0.9)</c>.</summary>
    public required Func<TInput, string> Describe { get; init; }

    /// <summary>The reference's answer as text (shown when the student's function throws).</summary>
    public required Func<TInput, string> ExpectedText { get; init; }

    /// <summary>Null when <c>got</c> is right for the input, else what was expected and what came back.</summary>
    public required Func<TInput, TAnswer, Mismatch?> Verify { get; init; }

    public required Func<TAnswer, JsonNode?> Encode { get; init; }
    public required Func<JsonNode?, TAnswer> Decode { get; init; }

    /// <summary>Known mistakes, each with a hint.</summary>
    public IReadOnlyList<Mistake<TInput, TAnswer>> Mistakes { get; init; } = Array.Empty<Mistake<TInput, TAnswer>>();

    /// <summary>Runs the student's function on every case and judges the answers (the check a notebook cell runs).</summary>
    public CheckReport Run(Func<TInput, TAnswer> student)
    {
        ArgumentNullException.ThrowIfNull(student);
        var (seed, hidden, grading) = Grading.Current();
        var cases = Cases(new Rng(seed), hidden).ToList();
        var answers = new JsonArray();
        foreach (var c in cases)
        {
            // A function that is not written yet throws on every case: after the first few, stop asking.
            bool notWritten = answers.Count >= 3 && answers.All(a => a?["ni"] != null);
            answers.Add(notWritten ? new JsonObject { ["ni"] = true } : Answer(student, c.Input));
        }
        var payload = new JsonObject { ["check"] = Name, ["seed"] = seed, ["hidden"] = hidden, ["answers"] = answers }.ToJsonString();
        if (grading) Console.WriteLine(Grading.AnswersMarker + payload);
        // Judge the answers as the grader will: after the trip through JSON.
        var report = Evaluate(seed, hidden, (JsonArray)JsonNode.Parse(payload)!["answers"]!);
        Check.Record(report);
        return report;
    }

    JsonObject Answer(Func<TInput, TAnswer> student, TInput input)
    {
        try
        {
            return new JsonObject { ["v"] = Encode(student(input)) };
        }
        catch (NotImplementedException)
        {
            return new JsonObject { ["ni"] = true };
        }
        catch (Exception e)
        {
            return new JsonObject { ["e"] = Grading.Describe(e) };
        }
    }

    public override CheckReport Evaluate(int seed, bool hidden, JsonArray answers)
    {
        var cases = Cases(new Rng(seed), hidden).ToList();
        if (answers.Count != cases.Count)
            return Report(seed, hidden, CheckStatus.Error, 0, cases.Count, [], null,
                $"the check's output holds {answers.Count} answers for {cases.Count} cases (was it changed?).");

        int passed = 0, notImplemented = 0, wrong = 0;
        var failures = new List<CaseFailure>();
        var mistakeMatches = new int[Mistakes.Count];
        for (int i = 0; i < cases.Count; i++)
        {
            var (name, input) = (cases[i].Name, cases[i].Input);
            var answer = answers[i] as JsonObject;
            if (answer?["ni"] != null) { notImplemented++; Add(name, input, ExpectedText(input), "NotImplementedException (not written yet)"); continue; }
            if (answer?["e"] is JsonValue error) { Add(name, input, ExpectedText(input), "threw " + Grading.Shorten(error.ToString(), 300)); continue; }
            if (answer == null || !answer.ContainsKey("v")) { Add(name, input, ExpectedText(input), "no answer"); continue; }
            TAnswer got;
            // The answer comes from the submission (the grader reads it from the worker's output): any answer that
            // does not decode, whatever the exception, is a wrong case of this submission, never the grader's failure.
            try { got = Decode(answer["v"]); }
            catch (Exception e)
            {
                Add(name, input, ExpectedText(input), $"a value of the wrong shape ({Grading.Shorten(e.Message, 200)})");
                continue;
            }
            Mismatch? mismatch;
            try { mismatch = Verify(input, got); }
            catch (Exception e)
            {
                mismatch = new Mismatch(ExpectedText(input), $"a value the check cannot compare ({e.GetType().Name}: {Grading.Shorten(e.Message, 200)})");
            }
            if (mismatch == null) { passed++; continue; }
            wrong++;
            Add(name, input, mismatch.Expected, mismatch.Got);
            for (int m = 0; m < Mistakes.Count; m++)
                if (SafeMatches(Mistakes[m], input, got)) mistakeMatches[m]++;
        }

        var status = passed == cases.Count ? CheckStatus.Passed
            : notImplemented == cases.Count ? CheckStatus.NotImplemented
            : CheckStatus.Failed;
        string? hint = null;
        if (wrong > 0 && Mistakes.Count > 0)
        {
            int best = Array.IndexOf(mistakeMatches, mistakeMatches.Max());
            if (mistakeMatches[best] * 2 >= wrong) hint = Mistakes[best].Hint;
        }
        return Report(seed, hidden, status, passed, cases.Count, status == CheckStatus.NotImplemented ? [] : failures, hint, null);

        void Add(string name, TInput input, string expected, string got)
        {
            if (failures.Count < CheckReport.MaxFailuresShown) failures.Add(new CaseFailure(name, Describe(input), expected, got));
        }
    }

    static bool SafeMatches(Mistake<TInput, TAnswer> mistake, TInput input, TAnswer got)
    {
        try { return mistake.Matches(input, got); }
        catch (Exception e) when (e is ArithmeticException or IndexOutOfRangeException or ArgumentException or InvalidOperationException or NullReferenceException) { return false; }
    }

    CheckReport Report(int seed, bool hidden, CheckStatus status, int passed, int total, List<CaseFailure> failures, string? hint, string? message) => new()
    {
        Name = Name,
        Title = Title,
        Status = status,
        PassedCases = passed,
        TotalCases = total,
        Failures = failures,
        Hint = hint,
        Message = message,
        Seed = seed,
        Hidden = hidden,
    };
}

/// <summary>Comparisons and mismatch texts shared by the checks.</summary>
internal static class Compare
{
    /// <summary>Absolute and relative tolerance of numeric answers.</summary>
    public const double Tolerance = 1e-6;

    public static bool Close(double expected, double got) =>
        (double.IsNaN(expected) && double.IsNaN(got)) || expected == got ||
        Math.Abs(expected - got) <= Tolerance * (1 + Math.Abs(expected));

    public static Mismatch? Scalar(double expected, double got)
    {
        if (Close(expected, got)) return null;
        var (e, g) = Show.Pair(expected, got);
        return new Mismatch(e, g);
    }

    public static Mismatch? Vector(IReadOnlyList<double> expected, IReadOnlyList<double>? got)
    {
        if (got == null) return new Mismatch(Show.Vector(expected), "null");
        if (got.Count != expected.Count)
            return new Mismatch(Show.Vector(expected), $"{Show.Vector(got)} (length {got.Count}, expected length {expected.Count})");
        for (int i = 0; i < expected.Count; i++)
            if (!Close(expected[i], got[i]))
            {
                var (e, g) = Show.Pair(expected[i], got[i]);
                return new Mismatch(Show.Vector(expected), $"{Show.Vector(got)} (first difference at index {i}: expected {e}, got {g})");
            }
        return null;
    }

    public static Mismatch? Matrix(double[,] expected, double[,]? got)
    {
        if (got == null) return new Mismatch(Show.Matrix(expected), "null");
        if (got.GetLength(0) != expected.GetLength(0) || got.GetLength(1) != expected.GetLength(1))
            return new Mismatch($"a {expected.GetLength(0)}×{expected.GetLength(1)} matrix", $"a {got.GetLength(0)}×{got.GetLength(1)} matrix");
        for (int i = 0; i < expected.GetLength(0); i++)
            for (int j = 0; j < expected.GetLength(1); j++)
                if (!Close(expected[i, j], got[i, j]))
                {
                    var (e, g) = Show.Pair(expected[i, j], got[i, j]);
                    return new Mismatch(Show.Matrix(expected), $"{Show.Matrix(got)} (first difference at [{i}, {j}]: expected {e}, got {g})");
                }
        return null;
    }

    public static bool VectorsClose(IReadOnlyList<double> a, IReadOnlyList<double>? b) =>
        b != null && a.Count == b.Count && Enumerable.Range(0, a.Count).All(i => Close(a[i], b[i]));
}
