using System.Reflection;
using System.Text.Json.Nodes;

namespace CourseLib.Notebooks.Grading;

/// <summary>A check's verdict, as the grader computed it (from CourseLib.Exercises.CheckReport's JSON).</summary>
public sealed record CheckVerdict(string Name, ExerciseStatus Status, int PassedCases, int TotalCases, string Summary, string Text, string? Hint, IReadOnlyList<JsonObject> Failures)
{
    /// <summary>True when every case passed.</summary>
    public bool Passed => Status == ExerciseStatus.Passed;

    /// <summary>The fraction of cases passed.</summary>
    public double Fraction => TotalCases == 0 ? 0 : (double)PassedCases / TotalCases;
}

/// <summary>
/// The grader's judge: the course library's checks, loaded into the grader's own process (never the submission's)
/// before any submission runs. It re-draws each check's cases from the seed the grader chose and compares the
/// answers a worker reported with the reference.
/// </summary>
internal sealed class CheckJudge
{
    readonly MethodInfo _evaluate;

    /// <summary>The names of the library's checks.</summary>
    public IReadOnlySet<string> Names { get; }

    CheckJudge(MethodInfo evaluate, IEnumerable<string> names)
    {
        _evaluate = evaluate;
        Names = names.ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>Loads CourseLib.dll from <paramref name="libraryFolder"/> (artifacts/notebook).</summary>
    public static CheckJudge Load(string libraryFolder)
    {
        var path = Path.Combine(libraryFolder, "CourseLib.dll");
        if (!File.Exists(path))
            throw new GraderException($"The course library is not built: {path} is missing. Run `dotnet build -c Release` first.");
        var assembly = Assembly.LoadFrom(path);
        var registry = assembly.GetType("CourseLib.Exercises.CheckRegistry")
            ?? throw new GraderException($"{path} has no CourseLib.Exercises.CheckRegistry: rebuild the library.");
        var evaluate = registry.GetMethod("Evaluate", [typeof(string), typeof(int), typeof(bool), typeof(string)])
            ?? throw new GraderException($"{path}: CheckRegistry.Evaluate(string, int, bool, string) is missing: rebuild the library.");
        var names = (IEnumerable<string>)registry.GetProperty("Names")!.GetValue(null)!;
        return new CheckJudge(evaluate, names);
    }

    /// <summary>Judges the answers of check <paramref name="name"/> drawn with <paramref name="seed"/>.</summary>
    public CheckVerdict Judge(string name, int seed, bool hidden, JsonArray answers)
    {
        string json;
        try
        {
            json = (string)_evaluate.Invoke(null, [name, seed, hidden, answers.ToJsonString()])!;
        }
        catch (TargetInvocationException e) when (e.InnerException != null)
        {
            // The answers are the submission's output: a judge that cannot read them costs this check, not the run.
            return Unjudged(name, $"could not be judged ({e.InnerException.GetType().Name}: {Cut(e.InnerException.Message)}); no points.");
        }
        var report = JsonNode.Parse(json)!.AsObject();
        return new CheckVerdict(
            report["name"]!.GetValue<string>(),
            GradingNames.ParseCheckStatus(report["status"]!.GetValue<string>()),
            report["passed_cases"]!.GetValue<int>(),
            report["total_cases"]!.GetValue<int>(),
            report["summary"]!.GetValue<string>(),
            report["text"]!.GetValue<string>(),
            report["hint"]?.GetValue<string>(),
            report["failures"]!.AsArray().OfType<JsonObject>().Select(f => (JsonObject)f.DeepClone()).ToList());
    }

    /// <summary>An error verdict: the answers of <paramref name="name"/> could not be judged.</summary>
    internal static CheckVerdict Unjudged(string name, string reason) =>
        new(name, ExerciseStatus.Error, 0, 0, "could not be judged", $"✘ Check.{name}: {reason}", null, []);

    static string Cut(string text) => text.Length <= 200 ? text : text[..200] + "…";
}
