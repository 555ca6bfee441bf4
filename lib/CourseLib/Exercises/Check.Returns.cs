using CourseLib.Mdp;

namespace CourseLib.Exercises;

/// <summary>An episode's rewards r₀ … r_{T−1} and a discount factor γ.</summary>
internal sealed record EpisodeRewards(double[] Rewards, double Gamma);

public static partial class Check
{
    /// <summary>
    /// Checks <c>double DiscountedReturn(double[] rewards, double gamma)</c>: the return of a whole episode,
    /// G₀ = r₀ + γ·r₁ + γ²·r₂ + … (0 for an empty episode). Reference: <see cref="Returns.Discounted"/>.
    /// </summary>
    public static CheckReport DiscountedReturn(Func<double[], double, double> discountedReturn) =>
        DiscountedReturnCheck.Run(e => discountedReturn(CaseDraws.Copy(e.Rewards), e.Gamma));

    /// <summary>
    /// Checks <c>double[] DiscountedReturns(double[] rewards, double gamma)</c>: the return from every step,
    /// G_t = r_t + γ·G_{t+1} (an array as long as the episode; empty for an empty episode). Reference:
    /// <see cref="Returns.DiscountedReturns(ReadOnlySpan{double}, double, double)"/>.
    /// </summary>
    public static CheckReport DiscountedReturns(Func<double[], double, double[]> discountedReturns) =>
        DiscountedReturnsCheck.Run(e => discountedReturns(CaseDraws.Copy(e.Rewards), e.Gamma));

    /// <summary>
    /// Checks <c>double[] RewardToGo(double[] rewards)</c>: the undiscounted reward-to-go of every step,
    /// Σ_{t'≥t} r_{t'} (REINFORCE's weight for step t). Reference: <see cref="Returns.DiscountedReturns(ReadOnlySpan{double}, double, double)"/>
    /// with γ = 1.
    /// </summary>
    public static CheckReport RewardToGo(Func<double[], double[]> rewardToGo) =>
        RewardToGoCheck.Run(e => rewardToGo(CaseDraws.Copy(e.Rewards)));

    static IEnumerable<CheckCase<EpisodeRewards>> EpisodeCases(Rng rng, bool hidden, string what)
    {
        yield return new("empty episode: nothing to add up", new([], 0.9));
        yield return new($"one step: {what} is the reward", new([2.5], 0.9));
        yield return new("γ = 0: only the immediate reward counts", new([0.5, -1.25, 3, 2], 0));
        yield return new("γ = 1: no discounting, a plain sum", new([1, 2, 3, -1], 1));
        yield return new("negative rewards", new([-1, -1, -1, -1, -1], 0.5));
        yield return new("a long episode: 200 rewards of 1 (CartPole), γ = 0.99", new(Enumerable.Repeat(1.0, 200).ToArray(), 0.99));
        for (int i = 0; i < CaseDraws.Count(hidden, 60); i++)
        {
            int length = rng.NextInt(1, 31);
            var rewards = rng.NextDouble() < 0.3
                ? Enumerable.Range(0, length).Select(_ => (double)rng.NextInt(-1, 2)).ToArray()
                : CaseDraws.Vector(rng, length, -2, 2);
            yield return new($"random episode {i + 1}", new(rewards, CaseDraws.Gamma(rng)));
        }
    }

    // G_t = r_t + γ G_{t+1} (γ = 1: the reward-to-go)
    static double[] ReferenceRewardToGo(double[] rewards, double gamma) => Returns.DiscountedReturns(rewards, gamma);

    static double ReferenceDiscountedReturn(double[] rewards, double gamma) => Returns.Discounted(rewards, gamma);

    internal static readonly CheckDefinition<EpisodeRewards, double> DiscountedReturnCheck = new()
    {
        Name = nameof(DiscountedReturn),
        Title = "the discounted return G₀ = Σ_t γ^t·r_t",
        Cases = (rng, hidden) => EpisodeCases(rng, hidden, "the return"),
        Describe = e => $"DiscountedReturn({Show.Vector(e.Rewards)}, gamma: {Show.Number(e.Gamma)})",
        ExpectedText = e => Show.Number(ReferenceDiscountedReturn(e.Rewards, e.Gamma)),
        Verify = (e, got) => Compare.Scalar(ReferenceDiscountedReturn(e.Rewards, e.Gamma), got),
        Encode = Answers.Encode,
        Decode = Answers.DecodeDouble,
        Mistakes =
        [
            new("The first reward is not discounted: G₀ = r₀ + γ·r₁ + γ²·r₂ + …; the answers look like every reward got one γ too many.",
                (e, got) => Compare.Close(e.Gamma * ReferenceDiscountedReturn(e.Rewards, e.Gamma), got)),
            new("γ seems to be ignored: the answers are the plain sum of the rewards. Reward r_t is weighted by γ^t.",
                (e, got) => Compare.Close(e.Rewards.Sum(), got)),
            new("The weights run backwards: r_t must be weighted by γ^t counted from the start of the episode, not from its end.",
                (e, got) => Compare.Close(ReferenceDiscountedReturn(e.Rewards.Reverse().ToArray(), e.Gamma), got)),
        ],
    };

    internal static readonly CheckDefinition<EpisodeRewards, double[]> DiscountedReturnsCheck = new()
    {
        Name = nameof(DiscountedReturns),
        Title = "the return from every step, G_t = r_t + γ·G_{t+1}",
        Cases = (rng, hidden) => EpisodeCases(rng, hidden, "G₀"),
        Describe = e => $"DiscountedReturns({Show.Vector(e.Rewards)}, gamma: {Show.Number(e.Gamma)})",
        ExpectedText = e => Show.Vector(ReferenceRewardToGo(e.Rewards, e.Gamma)),
        Verify = (e, got) => Compare.Vector(ReferenceRewardToGo(e.Rewards, e.Gamma), got),
        Encode = Answers.Encode,
        Decode = Answers.DecodeVector,
        Mistakes =
        [
            new("G_t adds up what is still to come, from step t to the end of the episode; the answers add up the rewards from the start up to t.",
                (e, got) => Compare.VectorsClose(ReferenceRewardToGo(e.Rewards.Reverse().ToArray(), e.Gamma).Reverse().ToArray(), got)
                    || Compare.VectorsClose(Prefix(e.Rewards, e.Gamma), got)),
            new("G_t includes the reward of step t itself: G_t = r_t + γ·G_{t+1}; the answers look shifted by one step.",
                (e, got) => Compare.VectorsClose(ReferenceRewardToGo(e.Rewards, e.Gamma).Skip(1).Append(0).ToArray(), got)
                    || Compare.VectorsClose(ReferenceRewardToGo(e.Rewards, e.Gamma).Select((g, t) => g - e.Rewards[t]).ToArray(), got)),
            new("The array is in reverse order: element t must hold G_t, so element 0 holds the whole episode's return.",
                (e, got) => Compare.VectorsClose(ReferenceRewardToGo(e.Rewards, e.Gamma).Reverse().ToArray(), got)),
            new("γ seems to be ignored: the answers are undiscounted sums.",
                (e, got) => Compare.VectorsClose(ReferenceRewardToGo(e.Rewards, 1), got)),
        ],
    };

    static double[] Prefix(double[] rewards, double gamma)
    {
        var sums = new double[rewards.Length];
        double g = 0, weight = 1;
        for (int t = 0; t < rewards.Length; t++) { g += weight * rewards[t]; weight *= gamma; sums[t] = g; }
        return sums;
    }

    internal static readonly CheckDefinition<EpisodeRewards, double[]> RewardToGoCheck = new()
    {
        Name = nameof(RewardToGo),
        Title = "the reward-to-go Σ_{t'≥t} r_{t'} of every step",
        Cases = (rng, hidden) => EpisodeCases(rng, hidden, "the reward-to-go").Where(c => !c.Name.StartsWith("γ", StringComparison.Ordinal))
            .Select(c => c with { Input = c.Input with { Gamma = 1 } }),
        Describe = e => $"RewardToGo({Show.Vector(e.Rewards)})",
        ExpectedText = e => Show.Vector(ReferenceRewardToGo(e.Rewards, 1)),
        Verify = (e, got) => Compare.Vector(ReferenceRewardToGo(e.Rewards, 1), got),
        Encode = Answers.Encode,
        Decode = Answers.DecodeVector,
        Mistakes =
        [
            new("The reward-to-go of step t adds up what is still to come, r_t + r_{t+1} + … + r_{T−1}; the answers add up the rewards from the start up to t.",
                (e, got) => Compare.VectorsClose(Prefix(e.Rewards, 1), got)),
            new("The reward-to-go of step t includes r_t itself; the answers look shifted by one step.",
                (e, got) => Compare.VectorsClose(ReferenceRewardToGo(e.Rewards, 1).Select((g, t) => g - e.Rewards[t]).ToArray(), got)),
            new("The array is in reverse order: element t must hold the reward-to-go of step t, so element 0 holds the whole episode's sum.",
                (e, got) => Compare.VectorsClose(ReferenceRewardToGo(e.Rewards, 1).Reverse().ToArray(), got)),
            new("Every step got the whole episode's return: the reward-to-go leaves out the rewards before step t (they cannot be caused by a_t).",
                (e, got) => Compare.VectorsClose(Enumerable.Repeat(e.Rewards.Sum(), e.Rewards.Length).ToArray(), got)),
        ],
    };
}
