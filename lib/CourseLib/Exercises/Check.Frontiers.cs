using CourseLib.Frontiers;
using MathNet.Numerics.LinearAlgebra;

namespace CourseLib.Exercises;

/// <summary>Pair distances, labels (0 similar, 1 dissimilar) and the margin.</summary>
internal sealed record PairBatch(double[] Distances, int[] Labels, double Margin);

/// <summary>Task losses, log σ per task and each task's kind.</summary>
internal sealed record TaskLosses(double[] Losses, double[] LogSigmas, TaskKind[] Kinds);

/// <summary>One task's loss and kind.</summary>
internal sealed record TaskLoss(double Loss, TaskKind Kind);

/// <summary>A query embedding and a support set (one embedding and class per example).</summary>
internal sealed record SupportSet(float[] Query, float[][] Support, int[] Classes);

/// <summary>ESZSL's map V (d × a), images X (d × n) and class signatures S (a × z).</summary>
internal sealed record ZeroShotCase(double[,] Projection, double[,] Features, double[,] Signatures);

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

    static double ReferenceContrastive(double[] d, int[] y, double margin) => Frontiers.ContrastiveLoss.Mean(d, y, margin);

    // A mistaken form: the hinge on d² instead of d.
    static double ContrastiveWithSquaredHinge(double[] d, int[] y, double margin) =>
        d.Select((x, k) => (1 - y[k]) * 0.5 * x * x + y[k] * 0.5 * Math.Pow(Math.Max(0, margin - x * x), 2)).Average();

    static double[,] ReferenceEszsl(EszslCase c) =>
        Frontiers.Eszsl.Fit(Matrix<double>.Build.DenseOfArray(c.Features), Matrix<double>.Build.DenseOfArray(c.Labels),
            Matrix<double>.Build.DenseOfArray(c.Signatures), c.Gamma, c.Lambda).ToArray();

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
                (b, got) => Compare.Close(ContrastiveWithSquaredHinge(b.Distances, b.Labels, b.Margin), got)),
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

    /// <summary>
    /// Checks <c>double UncertaintyWeightedLoss(double[] taskLosses, double[] logSigmas, TaskKind[] kinds)</c>: Kendall et
    /// al.'s multi-task loss Σ_i c_i·e^{−2 s_i}·L_i + s_i with s_i = log σ_i and c_i = ½ for regression, 1 for
    /// classification. Reference: <c>UncertaintyWeightedLoss.Total</c>.
    /// </summary>
    public static CheckReport UncertaintyWeightedLoss(Func<double[], double[], TaskKind[], double> uncertaintyWeightedLoss) =>
        UncertaintyWeightedLossCheck.Run(c => uncertaintyWeightedLoss(CaseDraws.Copy(c.Losses), CaseDraws.Copy(c.LogSigmas), (TaskKind[])c.Kinds.Clone()));

    /// <summary>
    /// Checks <c>double OptimalLogSigma(double taskLoss, TaskKind kind)</c>: the log σ that minimises one task's term
    /// c·e^{−2s}·L + s for a fixed loss L > 0. Reference: <see cref="Frontiers.UncertaintyWeightedLoss.OptimalLogSigma"/>.
    /// </summary>
    public static CheckReport OptimalLogSigma(Func<double, TaskKind, double> optimalLogSigma) =>
        OptimalLogSigmaCheck.Run(c => optimalLogSigma(c.Loss, c.Kind));

    /// <summary>
    /// Checks <c>int NearestClass(float[] query, float[][] support, int[] supportClasses)</c>: one-shot classification, the
    /// class of the support embedding nearest to the query in Euclidean distance (ties: the first). Reference:
    /// <see cref="OneShot.NearestClass"/>.
    /// </summary>
    public static CheckReport NearestClass(Func<float[], float[][], int[], int> nearestClass) =>
        NearestClassCheck.Run(c => nearestClass((float[])c.Query.Clone(), c.Support.Select(v => (float[])v.Clone()).ToArray(), CaseDraws.Copy(c.Classes)));

    /// <summary>
    /// Checks <c>int[] ZeroShotPredict(Matrix&lt;double&gt; projection, Matrix&lt;double&gt; features, Matrix&lt;double&gt; signatures)</c>:
    /// for each image (column of X), the class (column of S) with the highest score xᵀ V s_c (ties: the first).
    /// Reference: <see cref="Frontiers.Eszsl.Predict"/>.
    /// </summary>
    public static CheckReport ZeroShotPredict(Func<Matrix<double>, Matrix<double>, Matrix<double>, int[]> zeroShotPredict) =>
        ZeroShotPredictCheck.Run(c => zeroShotPredict(Matrix<double>.Build.DenseOfArray(c.Projection), Matrix<double>.Build.DenseOfArray(c.Features), Matrix<double>.Build.DenseOfArray(c.Signatures)));

    static double ReferenceMultiTask(TaskLosses c) => Frontiers.UncertaintyWeightedLoss.Total(c.Losses, c.LogSigmas, c.Kinds);

    static double MultiTaskWith(TaskLosses c, Func<double, double, TaskKind, double> term) =>
        c.Losses.Select((l, i) => term(l, c.LogSigmas[i], c.Kinds[i])).Sum();

    static IEnumerable<CheckCase<TaskLosses>> MultiTaskCases(Rng rng, bool hidden)
    {
        yield return new("σ = 1 (s = 0): half the regression loss plus the classification loss", new([2, 3], [0, 0], [TaskKind.Regression, TaskKind.Classification]));
        yield return new("a large σ shrinks the weight, and log σ is paid for it", new([4], [1.5], [TaskKind.Regression]));
        yield return new("a small σ (s < 0) raises the weight", new([0.5], [-1], [TaskKind.Classification]));
        yield return new("a zero loss still pays log σ", new([0, 0], [0.5, -0.5], [TaskKind.Regression, TaskKind.Classification]));
        yield return new("three tasks, as in the notebook", new([2.3, 4.7, 0.69], [0.1, 0.8, -0.2], [TaskKind.Classification, TaskKind.Regression, TaskKind.Classification]));
        for (int i = 0; i < CaseDraws.Count(hidden, 40); i++)
        {
            int tasks = rng.NextInt(1, 6);
            yield return new($"random tasks {i + 1}", new(CaseDraws.Vector(rng, tasks, 0, 5), CaseDraws.Vector(rng, tasks, -2, 2),
                Enumerable.Range(0, tasks).Select(_ => rng.NextDouble() < 0.5 ? TaskKind.Regression : TaskKind.Classification).ToArray()));
        }
    }

    static IEnumerable<CheckCase<TaskLoss>> TaskLossCases(Rng rng, bool hidden)
    {
        yield return new("a regression with L = ½", new(0.5, TaskKind.Regression));
        yield return new("a classification with L = ½", new(0.5, TaskKind.Classification));
        yield return new("a large loss: a large σ", new(100, TaskKind.Regression));
        yield return new("a tiny loss: a very negative log σ", new(1e-6, TaskKind.Classification));
        for (int i = 0; i < CaseDraws.Count(hidden, 40); i++)
            yield return new($"random task {i + 1}", new(CaseDraws.Uniform(rng, 0.01, 10), rng.NextDouble() < 0.5 ? TaskKind.Regression : TaskKind.Classification));
    }

    static IEnumerable<CheckCase<SupportSet>> SupportCases(Rng rng, bool hidden)
    {
        float[] Vector(int n) => Enumerable.Range(0, n).Select(_ => (float)CaseDraws.Uniform(rng, -2, 2, 1)).ToArray();
        yield return new("the query is one of the support examples", new([1, 2], [[0, 0], [1, 2], [3, 3]], [4, 7, 9]));
        yield return new("one support example: its class", new([5, 5, 5], [[0, 0, 0]], [3]));
        yield return new("a tie: the first nearest example wins", new([0, 0], [[1, 0], [0, 1], [-1, 0]], [2, 5, 8]));
        yield return new("Euclidean distance, not the sum of differences", new([0, 0], [[2, -2], [1.5f, 0]], [0, 1]));
        yield return new("several examples per class", new([1, 1], [[5, 5], [1.2f, 0.9f], [4, 0], [1, 1.5f]], [0, 1, 0, 1]));
        for (int i = 0; i < CaseDraws.Count(hidden, 40); i++)
        {
            int dimension = rng.NextInt(1, 9), examples = rng.NextInt(1, 11);
            yield return new($"random support set {i + 1}", new(Vector(dimension), Enumerable.Range(0, examples).Select(_ => Vector(dimension)).ToArray(),
                Enumerable.Range(0, examples).Select(_ => rng.NextInt(10)).ToArray()));
        }
    }

    static IEnumerable<CheckCase<ZeroShotCase>> ZeroShotCases(Rng rng, bool hidden)
    {
        yield return new("identity map: the class whose signature is most like the image", new(new double[,] { { 1, 0 }, { 0, 1 } }, new double[,] { { 1, 0 }, { 0, 1 } }, new double[,] { { 1, 0.2 }, { 0, 1 } }));
        yield return new("one image, three classes", new(new double[,] { { 0.5, -1 }, { 2, 0 } }, new double[,] { { 1 }, { -1 } }, new double[,] { { 1, 0, -1 }, { 0, 1, 1 } }));
        for (int i = 0; i < CaseDraws.Count(hidden, 30); i++)
        {
            int d = rng.NextInt(1, 7), a = rng.NextInt(1, 6), n = rng.NextInt(1, 9), z = rng.NextInt(2, 6);
            yield return new($"random problem {i + 1}", new(CaseDraws.Matrix(rng, d, a, -1, 1), CaseDraws.Matrix(rng, d, n, -1, 1), CaseDraws.Matrix(rng, a, z, 0, 1)));
        }
    }

    static int[] ReferenceZeroShot(ZeroShotCase c) =>
        Frontiers.Eszsl.Predict(Matrix<double>.Build.DenseOfArray(c.Projection), Matrix<double>.Build.DenseOfArray(c.Features), Matrix<double>.Build.DenseOfArray(c.Signatures));

    static string Kinds(TaskKind[] kinds) => "[" + string.Join(", ", kinds.Select(k => $"TaskKind.{k}")) + "]";

    internal static readonly CheckDefinition<TaskLosses, double> UncertaintyWeightedLossCheck = new()
    {
        Name = nameof(UncertaintyWeightedLoss),
        Title = "the uncertainty-weighted loss Σ_i c_i·e^{−2 s_i}·L_i + s_i",
        Cases = MultiTaskCases,
        Describe = c => $"UncertaintyWeightedLoss({Show.Vector(c.Losses)}, logSigmas: {Show.Vector(c.LogSigmas)}, {Kinds(c.Kinds)})",
        ExpectedText = c => Show.Number(ReferenceMultiTask(c)),
        Verify = (c, got) => Compare.Scalar(ReferenceMultiTask(c), got),
        Encode = Answers.Encode,
        Decode = Answers.DecodeDouble,
        Mistakes =
        [
            new("Without the + log σ_i term nothing stops σ from growing: every term is c·L/σ² + log σ.",
                (c, got) => Compare.Close(MultiTaskWith(c, (l, s, k) => Frontiers.UncertaintyWeightedLoss.Factor(k) * Math.Exp(-2 * s) * l), got)),
            new("The weight is c/σ² = c·e^{−2 log σ}, with s = log σ: the answers use e^{−s}.",
                (c, got) => Compare.Close(MultiTaskWith(c, (l, s, k) => Frontiers.UncertaintyWeightedLoss.Factor(k) * Math.Exp(-s) * l + s), got)),
            new("Regression and classification differ by the factor c: ½ for a regression (L/2σ²), 1 for a classification (L/σ²).",
                (c, got) => Compare.Close(MultiTaskWith(c, (l, s, k) => Math.Exp(-2 * s) * l + s), got)
                    || Compare.Close(MultiTaskWith(c, (l, s, k) => 0.5 * Math.Exp(-2 * s) * l + s), got)
                    || Compare.Close(MultiTaskWith(c, (l, s, k) => (k == TaskKind.Regression ? 1 : 0.5) * Math.Exp(-2 * s) * l + s), got)),
        ],
    };

    internal static readonly CheckDefinition<TaskLoss, double> OptimalLogSigmaCheck = new()
    {
        Name = nameof(OptimalLogSigma),
        Title = "the best log σ for a fixed loss",
        Cases = TaskLossCases,
        Describe = c => $"OptimalLogSigma({Show.Number(c.Loss)}, TaskKind.{c.Kind})",
        ExpectedText = c => Show.Number(Frontiers.UncertaintyWeightedLoss.OptimalLogSigma(c.Loss, c.Kind)),
        Verify = (c, got) => Compare.Scalar(Frontiers.UncertaintyWeightedLoss.OptimalLogSigma(c.Loss, c.Kind), got),
        Encode = Answers.Encode,
        Decode = Answers.DecodeDouble,
        Mistakes =
        [
            new("That is log σ², not log σ: the answer is half of it.",
                (c, got) => Compare.Close(2 * Frontiers.UncertaintyWeightedLoss.OptimalLogSigma(c.Loss, c.Kind), got)),
            new("The factor c differs: σ² = 2cL is L for a regression (c = ½) and 2L for a classification (c = 1).",
                (c, got) => Compare.Close(Frontiers.UncertaintyWeightedLoss.OptimalLogSigma(c.Loss, c.Kind == TaskKind.Regression ? TaskKind.Classification : TaskKind.Regression), got)),
        ],
    };

    internal static readonly CheckDefinition<SupportSet, int> NearestClassCheck = new()
    {
        Name = nameof(NearestClass),
        Title = "one-shot classification by the nearest support embedding",
        Cases = SupportCases,
        Describe = c => $"NearestClass({Show.Vector(c.Query.Select(x => (double)x).ToArray())}, {Show.Rows(c.Support.Select(v => v.Select(x => (double)x).ToArray()).ToArray())}, {Show.Vector(c.Classes)})",
        ExpectedText = c => OneShot.NearestClass(c.Query, c.Support, c.Classes).ToString(System.Globalization.CultureInfo.InvariantCulture),
        Verify = (c, got) =>
        {
            int expected = OneShot.NearestClass(c.Query, c.Support, c.Classes);
            return got == expected ? null : new Mismatch($"class {expected}", $"class {got}");
        },
        Encode = Answers.Encode,
        Decode = Answers.DecodeInt,
        Mistakes =
        [
            new("Return the class of the nearest example (supportClasses[i]), not its index i.",
                (c, got) => got == Enumerable.Range(0, c.Support.Length).MinBy(i => Frontiers.ContrastiveLoss.Distance(c.Query, c.Support[i]))),
            new("That is the farthest example: one-shot classification takes the nearest (the smallest distance).",
                (c, got) => got == c.Classes[Enumerable.Range(0, c.Support.Length).MaxBy(i => Frontiers.ContrastiveLoss.Distance(c.Query, c.Support[i]))]),
        ],
    };

    internal static readonly CheckDefinition<ZeroShotCase, int[]> ZeroShotPredictCheck = new()
    {
        Name = nameof(ZeroShotPredict),
        Title = "zero-shot prediction argmax_c xᵀ V s_c",
        Cases = ZeroShotCases,
        Describe = c => $"ZeroShotPredict(projection: {Show.Matrix(c.Projection)}, features: {Show.Matrix(c.Features)}, signatures: {Show.Matrix(c.Signatures)})",
        ExpectedText = c => Show.Vector(ReferenceZeroShot(c)),
        Verify = (c, got) =>
        {
            var expected = ReferenceZeroShot(c);
            return got != null && got.SequenceEqual(expected) ? null : new Mismatch(Show.Vector(expected), got == null ? "null" : Show.Vector(got));
        },
        Encode = Answers.Encode,
        Decode = Answers.DecodeIntVector,
        Mistakes =
        [
            new("One prediction per image, i.e. per column of the features X (d × n), not per row.",
                (c, got) => got.Length != c.Features.GetLength(1)),
            new("The prediction is the class with the highest score xᵀ V s_c (argmax), not the lowest.",
                (c, got) =>
                {
                    var scores = Frontiers.Eszsl.Scores(Matrix<double>.Build.DenseOfArray(c.Projection), Matrix<double>.Build.DenseOfArray(c.Features), Matrix<double>.Build.DenseOfArray(c.Signatures));
                    return Enumerable.Range(0, scores.RowCount).Select(i => Enumerable.Range(0, scores.ColumnCount).MinBy(j => scores[i, j])).SequenceEqual(got);
                }),
        ],
    };
}
