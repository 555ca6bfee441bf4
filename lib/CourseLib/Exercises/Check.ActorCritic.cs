using CourseLib.ActorCritic;

namespace CourseLib.Exercises;

/// <summary>A rollout for GAE: rewards, V(s_t), V(s_{t+1}), terminated and truncated flags, γ and λ.</summary>
internal sealed record Rollout(double[] Rewards, double[] Values, double[] NextValues, bool[] Terminated, bool[] Truncated, double Gamma, double Lambda);

public static partial class Check
{
    /// <summary>
    /// Checks <c>double[] GeneralizedAdvantage(double[] rewards, double[] values, double[] nextValues, bool[] terminated, bool[] truncated, double gamma, double lambda)</c>:
    /// GAE, Â_t = δ_t + γλ·Â_{t+1} with δ_t = r_t + γ·V(s_{t+1}) − V(s_t). The TD error does not bootstrap through a
    /// termination (V of a terminal state is 0) but does through a truncation; the sum Â stops at either (the next step
    /// belongs to another episode).
    /// </summary>
    public static CheckReport GeneralizedAdvantage(Func<double[], double[], double[], bool[], bool[], double, double, double[]> generalizedAdvantage) =>
        GeneralizedAdvantageCheck.Run(r => generalizedAdvantage(CaseDraws.Copy(r.Rewards), CaseDraws.Copy(r.Values), CaseDraws.Copy(r.NextValues),
            CaseDraws.Copy(r.Terminated), CaseDraws.Copy(r.Truncated), r.Gamma, r.Lambda));

    /// <summary>
    /// Checks <c>double[] TdErrors(double[] rewards, double[] values, double[] nextValues, bool[] terminated, double gamma)</c>:
    /// δ_t = r_t + γ·V(s_{t+1}) − V(s_t) for every step, with no γ·V(s_{t+1}) where step t reached a terminal state.
    /// Reference: <see cref="TemporalDifference.Errors"/>.
    /// </summary>
    public static CheckReport TdErrors(Func<double[], double[], double[], bool[], double, double[]> tdErrors) =>
        TdErrorsCheck.Run(r => tdErrors(CaseDraws.Copy(r.Rewards), CaseDraws.Copy(r.Values), CaseDraws.Copy(r.NextValues), CaseDraws.Copy(r.Terminated), r.Gamma));

    static double[] ReferenceGae(Rollout r) =>
        ActorCritic.GeneralizedAdvantage.Estimate(r.Rewards, r.Values, r.NextValues, r.Terminated, r.Truncated, r.Gamma, r.Lambda);

    // The known mistakes, computed the way they go wrong: δ_t = r_t + γ (1 − terminated_t) V(s_{t+1}) − V(s_t);
    // Â_t = δ_t + γλ (1 − done_t) Â_{t+1}, done = terminated or truncated.
    static double[] GaeWithMistakes(Rollout r, bool bootstrapTerminal = false, bool crossEpisodes = false)
    {
        var advantages = new double[r.Rewards.Length];
        double next = 0;
        for (int t = r.Rewards.Length - 1; t >= 0; t--)
        {
            double delta = r.Rewards[t] + (r.Terminated[t] && !bootstrapTerminal ? 0 : r.Gamma * r.NextValues[t]) - r.Values[t];
            bool episodeEnds = (r.Terminated[t] || r.Truncated[t]) && !crossEpisodes;
            next = advantages[t] = delta + (episodeEnds ? 0 : r.Gamma * r.Lambda * next);
        }
        return advantages;
    }

    static IEnumerable<CheckCase<Rollout>> RolloutCases(Rng rng, bool hidden)
    {
        yield return new("an empty rollout", new([], [], [], [], [], 0.99, 0.95));
        yield return new("λ = 0: the one-step TD errors δ_t", new([1, 0, 2], [0.5, 1, 0.2], [1, 0.2, 0.7], [false, false, false], [false, false, false], 0.9, 0));
        yield return new("λ = 1: the Monte-Carlo return minus V(s_t)", new([1, 1, 1], [0.3, 0.1, 0.4], [0.1, 0.4, 0], [false, false, true], [false, false, false], 0.9, 1));
        yield return new("termination in the middle: no bootstrap there, and the sum starts afresh", new([1, 2, 0.5, 1], [0.2, 0.4, 0.6, 0.8], [0.4, 5, 0.8, 0.3], [false, true, false, false], [false, false, false, false], 0.9, 0.8));
        yield return new("truncation in the middle: the TD error bootstraps, but the sum starts afresh", new([1, 2, 0.5, 1], [0.2, 0.4, 0.6, 0.8], [0.4, 5, 0.8, 0.3], [false, false, false, false], [false, true, false, false], 0.9, 0.8));
        yield return new("γ = 0: δ_t = r_t − V(s_t)", new([1, -1], [0.5, 0.5], [2, 2], [false, false], [false, false], 0, 0.95));
        for (int i = 0; i < CaseDraws.Count(hidden, 40); i++)
        {
            int steps = rng.NextInt(1, 25);
            var values = CaseDraws.Vector(rng, steps, -2, 2);
            var terminated = CaseDraws.Flags(rng, steps, 0.15);
            var truncated = CaseDraws.Flags(rng, steps, 0.1).Select((f, t) => f && !terminated[t]).ToArray();
            // V(s_{t+1}) is the next step's V(s) within an episode, and a fresh value where an episode ended.
            var nextValues = Enumerable.Range(0, steps).Select(t => t + 1 < steps && !terminated[t] && !truncated[t] ? values[t + 1] : CaseDraws.Uniform(rng, -2, 2)).ToArray();
            yield return new($"random rollout {i + 1}", new(CaseDraws.Vector(rng, steps, -1, 2), values, nextValues, terminated, truncated,
                CaseDraws.Pick(rng, 0.9, 0.95, 0.99, 1.0), CaseDraws.Pick(rng, 0.0, 0.5, 0.9, 0.95, 1.0)));
        }
    }

    internal static readonly CheckDefinition<Rollout, double[]> GeneralizedAdvantageCheck = new()
    {
        Name = nameof(GeneralizedAdvantage),
        Title = "the generalized advantage estimate Â_t = δ_t + γλ·Â_{t+1}",
        Cases = RolloutCases,
        Describe = r => $"GeneralizedAdvantage(rewards: {Show.Vector(r.Rewards)}, values: {Show.Vector(r.Values)}, nextValues: {Show.Vector(r.NextValues)}, terminated: {Show.Vector(r.Terminated)}, truncated: {Show.Vector(r.Truncated)}, gamma: {Show.Number(r.Gamma)}, lambda: {Show.Number(r.Lambda)})",
        ExpectedText = r => Show.Vector(ReferenceGae(r)),
        Verify = (r, got) => Compare.Vector(ReferenceGae(r), got),
        Encode = Answers.Encode,
        Decode = Answers.DecodeVector,
        Mistakes =
        [
            new("The sum must not cross an episode boundary: where step t ended its episode (terminated or truncated), Â_t = δ_t.",
                (r, got) => Compare.VectorsClose(GaeWithMistakes(r, crossEpisodes: true), got)),
            new("A terminal state has value 0: where terminated is true, δ_t = r_t − V(s_t) with no γ·V(s_{t+1}).",
                (r, got) => Compare.VectorsClose(GaeWithMistakes(r, bootstrapTerminal: true), got)),
            new("A truncated episode did not reach a terminal state: its TD error still bootstraps with γ·V(s_{t+1}); only the sum stops.",
                (r, got) => Compare.VectorsClose(ReferenceGae(r with { Terminated = r.Terminated.Select((f, t) => f || r.Truncated[t]).ToArray() }), got)),
            new("These look like λ-returns (Â_t + V(s_t)); the advantage subtracts the value V(s_t).",
                (r, got) => Compare.VectorsClose(ReferenceGae(r).Select((a, t) => a + r.Values[t]).ToArray(), got)),
        ],
    };

    static double[] ReferenceTdErrors(Rollout r, bool bootstrapTerminal = false) => bootstrapTerminal
        ? r.Rewards.Select((x, t) => x + r.Gamma * r.NextValues[t] - r.Values[t]).ToArray()
        : TemporalDifference.Errors(r.Rewards, r.Values, r.NextValues, r.Terminated, r.Gamma);

    internal static readonly CheckDefinition<Rollout, double[]> TdErrorsCheck = new()
    {
        Name = nameof(TdErrors),
        Title = "the TD errors δ_t = r_t + γ·V(s_{t+1}) − V(s_t)",
        Cases = (rng, hidden) => RolloutCases(rng, hidden).Where(c => !c.Name.StartsWith("λ", StringComparison.Ordinal))
            .Select(c => c.Name.StartsWith("truncation", StringComparison.Ordinal) ? c with { Name = "truncation in the middle: not terminal, δ bootstraps" } : c),
        Describe = r => $"TdErrors(rewards: {Show.Vector(r.Rewards)}, values: {Show.Vector(r.Values)}, nextValues: {Show.Vector(r.NextValues)}, terminated: {Show.Vector(r.Terminated)}, gamma: {Show.Number(r.Gamma)})",
        ExpectedText = r => Show.Vector(ReferenceTdErrors(r)),
        Verify = (r, got) => Compare.Vector(ReferenceTdErrors(r), got),
        Encode = Answers.Encode,
        Decode = Answers.DecodeVector,
        Mistakes =
        [
            new("A terminal state has value 0: where terminated is true, δ_t = r_t − V(s_t) with no γ·V(s_{t+1}).",
                (r, got) => Compare.VectorsClose(ReferenceTdErrors(r, bootstrapTerminal: true), got)),
            new("The sign: δ_t = (r_t + γ·V(s_{t+1})) − V(s_t), the target minus the estimate.",
                (r, got) => Compare.VectorsClose(ReferenceTdErrors(r).Select(x => -x).ToArray(), got)),
            new("These look like the targets r_t + γ·V(s_{t+1}); the TD error subtracts V(s_t).",
                (r, got) => Compare.VectorsClose(ReferenceTdErrors(r).Select((x, t) => x + r.Values[t]).ToArray(), got)),
        ],
    };
}
