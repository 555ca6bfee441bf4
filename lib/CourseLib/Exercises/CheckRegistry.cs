using System.Text.Json.Nodes;

namespace CourseLib.Exercises;

/// <summary>
/// Every check by name, for the grader: it re-draws a check's cases from the seed it chose and judges the answers
/// the grading run printed (see <see cref="Grading"/>). Called through reflection, so it takes and returns strings.
/// </summary>
public static class CheckRegistry
{
    static readonly Lazy<IReadOnlyDictionary<string, CheckDefinition>> ByName = new(() =>
        All().ToDictionary(d => d.Name, StringComparer.Ordinal));

    static IEnumerable<CheckDefinition> All() =>
    [
        Check.DiscountedReturnCheck,
        Check.DiscountedReturnsCheck,
        Check.RewardToGoCheck,
        Check.LogProbabilitiesCheck,
        Check.LogSoftmaxGradientCheck,
        Check.ReinforceLossCheck,
        Check.ReinforceStepCheck,
        Check.ReinforceCartPoleCheck,
        Check.QFromVCheck,
        Check.ExpectationBackupCheck,
        Check.OptimalityBackupCheck,
        Check.EpsilonGreedyCheck,
        Check.TdTargetCheck,
        Check.QLearningUpdateCheck,
        Check.QLearningEpisodeCheck,
        Check.QLearningCliffWalkingCheck,
        Check.HuberLossCheck,
        Check.DqnTargetsCheck,
        Check.DoubleDqnTargetsCheck,
        Check.DqnUpdateCheck,
        Check.DqnCartPoleCheck,
        Check.TdErrorsCheck,
        Check.GeneralizedAdvantageCheck,
        Check.SoftValueCheck,
        Check.FeatureExpectationsCheck,
        Check.UncertaintyWeightedLossCheck,
        Check.OptimalLogSigmaCheck,
        Check.ContrastiveLossCheck,
        Check.NearestClassCheck,
        Check.EszslCheck,
        Check.ZeroShotPredictCheck,
    ];

    /// <summary>Every check's name, in seminar order.</summary>
    public static IReadOnlyList<string> Names => All().Select(d => d.Name).ToList();

    /// <summary>
    /// Judges the answers of check <paramref name="name"/> (a JSON array, one answer per case, as the check printed
    /// them) against the cases drawn from <paramref name="seed"/>; returns the report as JSON
    /// (<see cref="CheckReport.ToJson"/>).
    /// </summary>
    public static string Evaluate(string name, int seed, bool hidden, string answersJson)
    {
        if (!ByName.Value.TryGetValue(name, out var definition))
            throw new ArgumentException($"There is no check named \"{name}\"; the checks are: {string.Join(", ", ByName.Value.Keys)}.", nameof(name));
        JsonArray answers;
        try
        {
            answers = JsonNode.Parse(answersJson) as JsonArray ?? throw new FormatException("not a JSON array");
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or FormatException or InvalidOperationException)
        {
            return Unjudged(definition, seed, hidden, $"the check's answers are not readable ({Grading.Shorten(e.Message, 200)}).");
        }
        // The answers are the submission's output: whatever they hold, judging them gives a report (an error at
        // worst), never an exception that would stop the grading of the other submissions.
        try
        {
            return definition.Evaluate(seed, hidden, answers).ToJson();
        }
        catch (Exception e)
        {
            return Unjudged(definition, seed, hidden, $"the check's answers could not be judged ({e.GetType().Name}: {Grading.Shorten(e.Message, 200)}).");
        }
    }

    static string Unjudged(CheckDefinition definition, int seed, bool hidden, string message) => new CheckReport
    {
        Name = definition.Name, Title = definition.Title, Status = CheckStatus.Error, PassedCases = 0, TotalCases = 0,
        Seed = seed, Hidden = hidden, Message = message,
    }.ToJson();
}
