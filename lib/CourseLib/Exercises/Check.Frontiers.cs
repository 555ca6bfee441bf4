using MathNet.Numerics.LinearAlgebra;

namespace CourseLib.Exercises;

/// <summary>Pair distances, labels (0 similar, 1 dissimilar) and the margin.</summary>
internal sealed record PairBatch(double[] Distances, int[] Labels, double Margin);

/// <summary>ESZSL's inputs: features X (d × m), labels Y (m × z), signatures S (a × z), γ and λ.</summary>
internal sealed record EszslCase(double[,] Features, double[,] Labels, double[,] Signatures, double Gamma, double Lambda);

public static partial class Check
{
    /// <summary>
    /// Checks <c>double ContrastiveLoss(double[] distances, int[] labels, double margin)</c>: the mean over pairs of
    /// (1 − y)·½·d² + y·½·max(0, m − d)², with y = 0 for a similar pair and y = 1 for a dissimilar one (SigNet's
    /// convention).
    /// </summary>
    public static CheckReport ContrastiveLoss(Func<double[], int[], double, double> contrastiveLoss) =>
        ContrastiveLossCheck.Run(b => contrastiveLoss(CaseDraws.Copy(b.Distances), CaseDraws.Copy(b.Labels), b.Margin));

    /// <summary>
    /// Checks <c>Matrix&lt;double&gt; Eszsl(Matrix&lt;double&gt; features, Matrix&lt;double&gt; labels, Matrix&lt;double&gt; signatures, double gamma, double lambda)</c>:
    /// ESZSL's closed form V = (X Xᵀ + γI)⁻¹ X Y Sᵀ (S Sᵀ + λI)⁻¹ (Romera-Paredes and Torr 2015), with X d × m (one column per
    /// image), Y m × z, S a × z (one column per class); V is d × a.
    /// </summary>
    public static CheckReport Eszsl(Func<Matrix<double>, Matrix<double>, Matrix<double>, double, double, Matrix<double>> eszsl) =>
        EszslCheck.Run(c =>
        {
            var v = eszsl(Matrix<double>.Build.DenseOfArray(c.Features), Matrix<double>.Build.DenseOfArray(c.Labels), Matrix<double>.Build.DenseOfArray(c.Signatures), c.Gamma, c.Lambda);
            return v?.ToArray()!;
        });

    // mean_k (1 − y_k)·½·d_k² + y_k·½·max(0, m − d_k)²
    static double ReferenceContrastive(double[] d, int[] y, double margin, bool squaredHinge = false) =>
        d.Select((x, k) => (1 - y[k]) * 0.5 * x * x + y[k] * 0.5 * Math.Pow(Math.Max(0, squaredHinge ? margin - x * x : margin - x), 2)).Average();

    // V = (X Xᵀ + γI)⁻¹ X Y Sᵀ (S Sᵀ + λI)⁻¹
    static double[,] ReferenceEszsl(EszslCase c)
    {
        var x = Matrix<double>.Build.DenseOfArray(c.Features);
        var y = Matrix<double>.Build.DenseOfArray(c.Labels);
        var s = Matrix<double>.Build.DenseOfArray(c.Signatures);
        var left = (x * x.Transpose() + c.Gamma * Matrix<double>.Build.DenseIdentity(x.RowCount)).Inverse();
        var right = (s * s.Transpose() + c.Lambda * Matrix<double>.Build.DenseIdentity(s.RowCount)).Inverse();
        return (left * x * y * s.Transpose() * right).ToArray();
    }

    static IEnumerable<CheckCase<PairBatch>> PairCases(Rng rng, bool hidden)
    {
        yield return new("a similar pair at distance 0 costs nothing", new([0], [0], 1));
        yield return new("a similar pair is pulled together: ½·d²", new([2], [0], 1));
        yield return new("a dissimilar pair beyond the margin costs nothing", new([1.5], [1], 1));
        yield return new("a dissimilar pair at distance 0: ½·m²", new([0], [1], 2));
        yield return new("a dissimilar pair inside the margin: ½·(m − d)²", new([0.5], [1], 2));
        yield return new("the mean over pairs, not the sum", new([1, 0.5, 3, 0.2], [0, 1, 1, 0], 1));
        for (int i = 0; i < CaseDraws.Count(hidden, 40); i++)
        {
            int pairs = rng.NextInt(1, 17);
            yield return new($"random pairs {i + 1}", new(CaseDraws.Vector(rng, pairs, 0, 3),
                Enumerable.Range(0, pairs).Select(_ => rng.NextInt(2)).ToArray(), CaseDraws.Pick(rng, 0.5, 1.0, 2.0)));
        }
    }

    static IEnumerable<CheckCase<EszslCase>> EszslCases(Rng rng, bool hidden)
    {
        EszslCase Random(int d, int m, int z, int a, double gamma, double lambda)
        {
            var labels = new double[m, z];
            for (int i = 0; i < m; i++)
            {
                int c = i < z ? i : rng.NextInt(z); // every class has an image
                for (int j = 0; j < z; j++) labels[i, j] = j == c ? 1 : -1;
            }
            return new(CaseDraws.Matrix(rng, d, m, -1, 1), labels, CaseDraws.Matrix(rng, a, z, 0, 1), gamma, lambda);
        }
        yield return new("two features, three images, two classes, two attributes", Random(2, 3, 2, 2, 1, 1));
        yield return new("strong regularisation (γ = λ = 10)", Random(3, 6, 3, 2, 10, 10));
        yield return new("weak regularisation (γ = λ = 0.1)", Random(3, 8, 3, 3, 0.1, 0.1));
        yield return new("γ ≠ λ: each on its own side", Random(4, 6, 2, 3, 0.5, 5));
        for (int i = 0; i < CaseDraws.Count(hidden, 16); i++)
            yield return new($"random problem {i + 1}", Random(rng.NextInt(2, 6), rng.NextInt(3, 13), rng.NextInt(2, 5), rng.NextInt(2, 5),
                CaseDraws.Pick(rng, 0.1, 1.0, 10.0), CaseDraws.Pick(rng, 0.1, 1.0, 10.0)));
    }

    internal static readonly CheckDefinition<PairBatch, double> ContrastiveLossCheck = new()
    {
        Name = nameof(ContrastiveLoss),
        Title = "the contrastive loss (1 − y)·½·d² + y·½·max(0, m − d)², averaged over pairs",
        Cases = PairCases,
        Describe = b => $"ContrastiveLoss(distances: {Show.Vector(b.Distances)}, labels: {Show.Vector(b.Labels)}, margin: {Show.Number(b.Margin)})",
        ExpectedText = b => Show.Number(ReferenceContrastive(b.Distances, b.Labels, b.Margin)),
        Verify = (b, got) => Compare.Scalar(ReferenceContrastive(b.Distances, b.Labels, b.Margin), got),
        Encode = Answers.Encode,
        Decode = Answers.DecodeDouble,
        Mistakes =
        [
            new("The labels are the other way round: y = 0 marks a similar pair (pulled together), y = 1 a dissimilar one (pushed apart).",
                (b, got) => Compare.Close(ReferenceContrastive(b.Distances, b.Labels.Select(y => 1 - y).ToArray(), b.Margin), got)),
            new("Take the mean over pairs, not the sum.",
                (b, got) => b.Distances.Length > 1 && Compare.Close(ReferenceContrastive(b.Distances, b.Labels, b.Margin) * b.Distances.Length, got)),
            new("Each term carries a factor ½: (1 − y)·½·d² + y·½·max(0, m − d)².",
                (b, got) => Compare.Close(2 * ReferenceContrastive(b.Distances, b.Labels, b.Margin), got)),
            new("The hinge compares the distance d with the margin, max(0, m − d), and is then squared; the answers compare d².",
                (b, got) => Compare.Close(ReferenceContrastive(b.Distances, b.Labels, b.Margin, squaredHinge: true), got)),
        ],
    };

    internal static readonly CheckDefinition<EszslCase, double[,]> EszslCheck = new()
    {
        Name = nameof(Eszsl),
        Title = "ESZSL's closed form V = (X Xᵀ + γI)⁻¹ X Y Sᵀ (S Sᵀ + λI)⁻¹",
        Cases = EszslCases,
        Describe = c => $"Eszsl(features: {Show.Matrix(c.Features)}, labels: {Show.Matrix(c.Labels)}, signatures: {Show.Matrix(c.Signatures)}, gamma: {Show.Number(c.Gamma)}, lambda: {Show.Number(c.Lambda)})",
        ExpectedText = c => Show.Matrix(ReferenceEszsl(c)),
        Verify = (c, got) => Compare.Matrix(ReferenceEszsl(c), got),
        Encode = Answers.Encode,
        Decode = Answers.DecodeMatrix,
        Mistakes =
        [
            new("γ regularises the feature side (X Xᵀ + γI) and λ the attribute side (S Sᵀ + λI); the answers have them swapped.",
                (c, got) => c.Gamma != c.Lambda && Compare.Matrix(ReferenceEszsl(c with { Gamma = c.Lambda, Lambda = c.Gamma }), got) == null),
        ],
    };
}
