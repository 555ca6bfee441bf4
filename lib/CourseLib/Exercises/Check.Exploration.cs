namespace CourseLib.Exercises;

/// <summary>Q(s, ·), ε, and the seed of the generator the choices draw from.</summary>
internal sealed record EpsilonGreedyCase(double[] QValues, double Epsilon, long Seed, int Draws);

public static partial class Check
{
    /// <summary>
    /// Checks <c>int EpsilonGreedy(double[] qValues, double epsilon, Rng rng)</c>: with probability ε a uniformly random
    /// action (any of them, the greedy one included), otherwise a greedy one, ties broken uniformly at random, so that
    /// π(a|s) = ε/|A| + (1 − ε)·[a ∈ argmax Q]/|argmax Q|. The check draws thousands of choices per case (with the
    /// <see cref="Rng"/> it passes in) and compares their frequencies with these probabilities.
    /// </summary>
    public static CheckReport EpsilonGreedy(Func<double[], double, Rng, int> epsilonGreedy) =>
        EpsilonGreedyCheck.Run(c =>
        {
            var rng = new Rng(c.Seed);
            var counts = new int[c.QValues.Length + 1]; // the last entry counts invalid actions
            for (int i = 0; i < c.Draws; i++)
            {
                int action = epsilonGreedy(CaseDraws.Copy(c.QValues), c.Epsilon, rng);
                counts[action >= 0 && action < c.QValues.Length ? action : c.QValues.Length]++;
            }
            return counts;
        });

    // π(a|s) = ε/|A| + (1 − ε)·[a ∈ argmax Q]/|argmax Q|  (the library's EpsilonGreedy.Probabilities)
    static double[] ReferenceEpsilonGreedy(double[] q, double epsilon) => ValueBased.EpsilonGreedy.Probabilities(q, epsilon);

    /// <summary>True when the counts are what the probabilities give, within 6 standard deviations per action.</summary>
    static bool Fits(double[] probabilities, int[] counts)
    {
        if (counts.Length != probabilities.Length + 1 || counts[^1] != 0) return false;
        double n = counts.Sum();
        for (int a = 0; a < probabilities.Length; a++)
        {
            double p = probabilities[a], frequency = counts[a] / n;
            if (p == 0 ? counts[a] != 0 : Math.Abs(frequency - p) > 6 * Math.Sqrt(p * (1 - p) / n) + 1e-9) return false;
        }
        return true;
    }

    static IEnumerable<CheckCase<EpsilonGreedyCase>> EpsilonGreedyCases(Rng rng, bool hidden)
    {
        const int draws = 2000;
        long Seed() => (long)(rng.NextUInt64() >> 1);
        yield return new("ε = 0, one best action: always the greedy one", new([0.1, 0.7, 0.3], 0, Seed(), draws));
        yield return new("ε = 0, two tied best actions: each half of the time", new([0.5, 0.2, 0.5], 0, Seed(), draws));
        yield return new("ε = 1: every action equally likely", new([1, 2, 3, 4], 1, Seed(), draws));
        yield return new("ε = 0.2, four actions: P(greedy) = 0.8 + 0.2/4", new([0, 0.3, 1, 0.5], 0.2, Seed(), draws));
        yield return new("one action only: always action 0", new([3], 0.3, Seed(), draws));
        yield return new("all values equal: every action equally likely, whatever ε", new([0, 0, 0], 0.2, Seed(), draws));
        yield return new("negative values: the greedy action is the least negative", new([-5, -1, -3], 0.1, Seed(), draws));
        yield return new("ε = 0.5, three of five actions tied for best", new([1, 0, 1, 1, -1], 0.5, Seed(), draws));
        for (int i = 0; i < CaseDraws.Count(hidden, 12); i++)
        {
            int actions = rng.NextInt(2, 7);
            var q = Enumerable.Range(0, actions).Select(_ => rng.NextInt(-2, 3) * 0.5).ToArray(); // half-steps: ties happen
            yield return new($"random case {i + 1}", new(q, CaseDraws.Pick(rng, 0.0, 0.05, 0.1, 0.2, 0.5, 1.0), Seed(), draws));
        }
    }

    static string Frequencies(int[] counts, int draws) =>
        counts[^1] > 0
            ? $"{counts[^1]} of {draws} choices were not an action index 0..{counts.Length - 2}"
            : "frequencies " + Show.Vector(counts[..^1].Select(c => Math.Round((double)c / draws, 3)).ToArray()) + $" over {draws} choices";

    internal static readonly CheckDefinition<EpsilonGreedyCase, int[]> EpsilonGreedyCheck = new()
    {
        Name = nameof(EpsilonGreedy),
        Title = "the ε-greedy choice, ties broken at random",
        Cases = EpsilonGreedyCases,
        Describe = c => $"EpsilonGreedy({Show.Vector(c.QValues)}, epsilon: {Show.Number(c.Epsilon)}, rng) drawn {c.Draws} times",
        ExpectedText = c => "probabilities " + Show.Vector(ReferenceEpsilonGreedy(c.QValues, c.Epsilon).Select(p => Math.Round(p, 3)).ToArray()),
        Verify = (c, counts) =>
        {
            var p = ReferenceEpsilonGreedy(c.QValues, c.Epsilon);
            if (counts.Length != p.Length + 1) return new Mismatch($"{p.Length} action counts", $"{counts.Length - 1}");
            return Fits(p, counts) ? null
                : new Mismatch("probabilities " + Show.Vector(p.Select(x => Math.Round(x, 3)).ToArray()), Frequencies(counts, c.Draws));
        },
        Encode = Answers.Encode,
        Decode = Answers.DecodeIntVector,
        Mistakes =
        [
            new("Ties: when several actions share the highest value, choose among them uniformly at random (a plain argmax always takes the first one).",
                (c, counts) => c.QValues.Count(v => v == c.QValues.Max()) > 1 && Fits(c.QValues.Select((v, a) => c.Epsilon / c.QValues.Length + (a == Array.IndexOf(c.QValues, c.QValues.Max()) ? 1 - c.Epsilon : 0)).ToArray(), counts)),
            new("When exploring, choose uniformly among all actions, the greedy one included: P(greedy) = 1 − ε + ε/|A|, not 1 − ε.",
                (c, counts) =>
                {
                    double max = c.QValues.Max();
                    int best = c.QValues.Count(v => v == max), others = c.QValues.Length - best;
                    return others > 0 && c.Epsilon > 0 && Fits(c.QValues.Select(v => v == max ? (1 - c.Epsilon) / best : c.Epsilon / others).ToArray(), counts);
                }),
            new("ε is the probability of exploring (a random action), 1 − ε that of exploiting; the answers look the other way round.",
                (c, counts) => Fits(ReferenceEpsilonGreedy(c.QValues, 1 - c.Epsilon), counts)),
            new("The choices never explore: with probability ε the action must be uniformly random.",
                (c, counts) => c.Epsilon > 0 && Fits(ReferenceEpsilonGreedy(c.QValues, 0), counts)),
        ],
    };
}
