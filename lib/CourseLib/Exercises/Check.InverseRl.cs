using CourseLib.InverseRl;

namespace CourseLib.Exercises;

/// <summary>State features φ (states × features) and visitation counts D (one per state).</summary>
internal sealed record FeatureCase(double[,] Features, double[] Visitations);

public static partial class Check
{
    /// <summary>
    /// Checks <c>double[] SoftValue(double[,] q)</c>: the soft maximum of each row, V(s) = log Σ_a exp Q(s, a), computed
    /// so that it stays finite for values like ±1000 (max-ent IRL's backward pass).
    /// </summary>
    public static CheckReport SoftValue(Func<double[,], double[]> softValue) =>
        SoftValueCheck.Run(q => softValue(CaseDraws.Copy(q)));

    /// <summary>
    /// Checks <c>double[] FeatureExpectations(double[,] features, double[] visitations)</c>: μ_k = Σ_s D(s)·φ(s)_k, the
    /// feature counts of a behaviour that enters state s D(s) times on average. Reference:
    /// <see cref="MaxEntIrl.FeatureExpectations(double[,], double[])"/>.
    /// </summary>
    public static CheckReport FeatureExpectations(Func<double[,], double[], double[]> featureExpectations) =>
        FeatureExpectationsCheck.Run(c => featureExpectations(CaseDraws.Copy(c.Features), CaseDraws.Copy(c.Visitations)));

    // V(s) = m + log Σ_a exp(Q(s,a) − m), m = max_a Q(s,a)
    static double[] ReferenceSoftValue(double[,] q)
    {
        var v = new double[q.GetLength(0)];
        for (int s = 0; s < v.Length; s++)
        {
            v[s] = Networks.Softmax.LogSumExp(Networks.Softmax.Row(q, s));
        }
        return v;
    }

    static double[] ReferenceFeatureExpectations(FeatureCase c) =>
        MaxEntIrl.FeatureExpectations(new StateFeatures(c.Features, Enumerable.Range(0, c.Features.GetLength(1)).Select(k => $"φ{k}").ToArray()), c.Visitations);

    static IEnumerable<CheckCase<double[,]>> SoftValueCases(Rng rng, bool hidden)
    {
        yield return new("equal values: V = Q + log |A|", new double[,] { { 0, 0, 0, 0 } });
        yield return new("one action: V = Q", new double[,] { { 1.5 }, { -2 } });
        yield return new("large values: exp(1000) overflows, subtract the row's maximum first", new double[,] { { 1000, 999, 0 } });
        yield return new("very negative values: exp(−1000) underflows to 0", new double[,] { { -1000, -1001 } });
        yield return new("one action far better: V is close to its value", new double[,] { { 10, 0, -5 }, { -1, 2, 0.5 } });
        for (int i = 0; i < CaseDraws.Count(hidden, 40); i++)
            yield return new($"random Q {i + 1}", CaseDraws.Matrix(rng, rng.NextInt(1, 9), rng.NextInt(1, 6), -10, 10));
    }

    static IEnumerable<CheckCase<FeatureCase>> FeatureCases(Rng rng, bool hidden)
    {
        yield return new("one-hot features: μ = D", new(new double[,] { { 1, 0, 0 }, { 0, 1, 0 }, { 0, 0, 1 } }, [2, 0.5, 1]));
        yield return new("no visits: μ = 0", new(new double[,] { { 1, 2 }, { 3, 4 } }, [0, 0]));
        yield return new("one feature: a weighted sum over states", new(new double[,] { { 1 }, { -1 }, { 0.5 } }, [1, 2, 4]));
        yield return new("visits are counts, not probabilities: no normalisation", new(new double[,] { { 1, 0 }, { 0, 1 } }, [3, 5]));
        for (int i = 0; i < CaseDraws.Count(hidden, 40); i++)
        {
            int states = rng.NextInt(1, 13), features = rng.NextInt(1, 6);
            yield return new($"random case {i + 1}", new(CaseDraws.Matrix(rng, states, features, -1, 1), CaseDraws.Vector(rng, states, 0, 3)));
        }
    }

    internal static readonly CheckDefinition<double[,], double[]> SoftValueCheck = new()
    {
        Name = nameof(SoftValue),
        Title = "the soft value V(s) = log Σ_a exp Q(s,a)",
        Cases = SoftValueCases,
        Describe = q => $"SoftValue({Show.Matrix(q)})",
        ExpectedText = q => Show.Vector(ReferenceSoftValue(q)),
        Verify = (q, got) => Compare.Vector(ReferenceSoftValue(q), got),
        Encode = Answers.Encode,
        Decode = Answers.DecodeVector,
        Mistakes =
        [
            new("exp of a large value overflows to ∞ (and exp of a very negative one underflows to 0, whose log is −∞): write V = m + log Σ_a exp(Q(s,a) − m) with m the row's maximum.",
                (q, got) => got.Any(x => !double.IsFinite(x))),
            new("That is the hard maximum; the soft maximum is log Σ_a exp Q(s,a), a little above it.",
                (q, got) => Compare.VectorsClose(Enumerable.Range(0, q.GetLength(0)).Select(s => Enumerable.Range(0, q.GetLength(1)).Max(a => q[s, a])).ToArray(), got)),
            new("The log is missing: V = log Σ_a exp Q(s,a), not Σ_a exp Q(s,a).",
                (q, got) => Compare.VectorsClose(ReferenceSoftValue(q).Select(Math.Exp).ToArray(), got)),
        ],
    };

    internal static readonly CheckDefinition<FeatureCase, double[]> FeatureExpectationsCheck = new()
    {
        Name = nameof(FeatureExpectations),
        Title = "the feature expectations μ = Σ_s D(s)·φ(s)",
        Cases = FeatureCases,
        Describe = c => $"FeatureExpectations({Show.Matrix(c.Features)}, {Show.Vector(c.Visitations)})",
        ExpectedText = c => Show.Vector(ReferenceFeatureExpectations(c)),
        Verify = (c, got) => Compare.Vector(ReferenceFeatureExpectations(c), got),
        Encode = Answers.Encode,
        Decode = Answers.DecodeVector,
        Mistakes =
        [
            new("The visitations are expected counts, not a distribution: do not divide by their sum.",
                (c, got) => c.Visitations.Sum() > 0 && Compare.VectorsClose(ReferenceFeatureExpectations(c).Select(x => x / c.Visitations.Sum()).ToArray(), got)),
            new("μ has one entry per feature (a column of φ), summed over the states (the rows); the answers have one per state.",
                (c, got) => got.Length == c.Features.GetLength(0) && got.Length != c.Features.GetLength(1)),
        ],
    };
}
