using System.Globalization;

namespace CourseLib.Exercises;

/// <summary>
/// How a check knows it runs under the grader. The grader's worker sets <see cref="SeedVariable"/> (and
/// <see cref="HiddenVariable"/> for hidden checks) while it runs a check cell; the check then draws its cases from
/// that seed and also prints its raw answers on one line starting with <see cref="AnswersMarker"/>. The grader
/// judges those answers itself, against cases it re-draws from the seed it chose: nothing else the check (or the
/// student's code) prints counts. Outside the grader the check draws from <see cref="DefaultSeed"/>.
/// </summary>
public static class Grading
{
    /// <summary>The environment variable with the seed of the running check cell (set by the grader only).</summary>
    public const string SeedVariable = "COURSELIB_GRADING_SEED";

    /// <summary>The environment variable that is "1" while a hidden check cell runs.</summary>
    public const string HiddenVariable = "COURSELIB_GRADING_HIDDEN";

    /// <summary>The start of the line that carries a check's raw answers to the grader.</summary>
    public const string AnswersMarker = "\u001Ecourselib-answers ";

    /// <summary>The seed of the checks a student runs in the notebook (the same cases every time).</summary>
    public const int DefaultSeed = 2024;

    /// <summary>The seed and kind of the running check, and whether the grader runs it.</summary>
    internal static (int Seed, bool Hidden, bool Grading) Current()
    {
        var seedText = Environment.GetEnvironmentVariable(SeedVariable);
        if (seedText != null && int.TryParse(seedText, NumberStyles.Integer, CultureInfo.InvariantCulture, out var seed))
            return (seed, Environment.GetEnvironmentVariable(HiddenVariable) == "1", true);
        return (DefaultSeed, false, false);
    }

    internal static string Describe(Exception e)
    {
        while (e is System.Reflection.TargetInvocationException or AggregateException && e.InnerException != null) e = e.InnerException;
        return Shorten($"{e.GetType().Name}: {e.Message}", 300);
    }

    internal static string Shorten(string text, int length) => text.Length <= length ? text : text[..(length - 1)] + "…";
}
