using CourseLib.Frontiers;
using MathNet.Numerics.LinearAlgebra;

namespace CourseLib.Tests.Frontiers;

/// <summary>
/// The exercises of notebooks 09, 10 and 11 that drive training, as students write them: right (the instructor's
/// solutions, verbatim) and with mistakes. The learning tests train with them; the benchmark sweeps
/// (<c>--multitask-seeds</c>, <c>--siamese-digits-seeds</c>, <c>--eszsl-triples</c>, which link this file) measure them.
/// </summary>
public static class FrontiersSolutions
{
    /// <summary>Notebook 09's <c>WeightedLoss</c>: Σ_i c_i e^{−2 s_i} L_i + s_i.</summary>
    public static double WeightedLoss(double[] taskLosses, double[] logSigmas, TaskKind[] kinds)
    {
        double total = 0;
        for (int i = 0; i < taskLosses.Length; i++)
        {
            double c = kinds[i] == TaskKind.Regression ? 0.5 : 1.0;
            total += c * Math.Exp(-2 * logSigmas[i]) * taskLosses[i] + logSigmas[i];
        }
        return total;
    }

    /// <summary>The mistake notebook 09's teaching cell shows (there built from the library's weights): the + log σ_i term forgotten, so every σ grows for free.</summary>
    public static double WeightedLossWithoutLogSigma(double[] taskLosses, double[] logSigmas, TaskKind[] kinds) =>
        taskLosses.Select((loss, i) => (kinds[i] == TaskKind.Regression ? 0.5 : 1.0) * Math.Exp(-2 * logSigmas[i]) * loss).Sum();

    /// <summary>Mistakes in <c>WeightedLoss</c> measured by the sweep, by name.</summary>
    public static (string Name, Func<double[], double[], TaskKind[], double> Function)[] WeightedLossMistakes { get; } =
    [
        ("no + log σ", WeightedLossWithoutLogSigma),
        ("e^{−s}", (losses, s, kinds) => losses.Select((l, i) => (kinds[i] == TaskKind.Regression ? 0.5 : 1.0) * Math.Exp(-s[i]) * l + s[i]).Sum()),
        ("c = 1", (losses, s, kinds) => losses.Select((l, i) => Math.Exp(-2 * s[i]) * l + s[i]).Sum()),
    ];

    /// <summary>Notebook 10's <c>MeanContrastiveLoss</c>: the mean of (1 − y)·½·d² + y·½·max(0, m − d)².</summary>
    public static double MeanContrastiveLoss(double[] distances, int[] labels, double margin)
    {
        double sum = 0;
        for (int k = 0; k < distances.Length; k++)
        {
            double d = distances[k], hinge = Math.Max(0, margin - d);
            sum += (1 - labels[k]) * 0.5 * d * d + labels[k] * 0.5 * hinge * hinge;
        }
        return sum / distances.Length;
    }

    /// <summary>The mistake notebook 10's teaching cell shows (there the library's loss with flipped labels): the labels read the other way round (y = 1 taken as "similar").</summary>
    public static double MeanContrastiveLossSwapped(double[] distances, int[] labels, double margin) =>
        distances.Select((d, k) => labels[k] == 1 ? 0.5 * d * d : 0.5 * Math.Pow(Math.Max(0, margin - d), 2)).Average();

    /// <summary>Mistakes in <c>MeanContrastiveLoss</c> measured by the sweep, by name.</summary>
    public static (string Name, Func<double[], int[], double, double> Function)[] ContrastiveMistakes { get; } =
    [
        ("swapped labels", MeanContrastiveLossSwapped),
        ("hinge on d²", (distances, labels, margin) =>
            distances.Select((d, k) => (1 - labels[k]) * 0.5 * d * d + labels[k] * 0.5 * Math.Pow(Math.Max(0, margin - d * d), 2)).Average()),
        ("no hinge", (distances, labels, margin) =>
            distances.Select((d, k) => (1 - labels[k]) * 0.5 * d * d + labels[k] * 0.5 * (margin - d) * (margin - d)).Average()),
    ];

    /// <summary>Notebook 11's <c>FitEszsl</c>: V = (X Xᵀ + γI)⁻¹ X Y Sᵀ (S Sᵀ + λI)⁻¹.</summary>
    public static Matrix<double> FitEszsl(Matrix<double> features, Matrix<double> labels, Matrix<double> signatures, double gamma, double lambda)
    {
        var x = features;
        var s = signatures;
        var left = x * x.Transpose() + gamma * Matrix<double>.Build.DenseIdentity(x.RowCount);
        var right = s * s.Transpose() + lambda * Matrix<double>.Build.DenseIdentity(s.RowCount);
        return left.Solve(x * labels * s.Transpose()) * right.Inverse();
    }

    /// <summary>The mistake notebook 11 describes: the regularisers γI and λI left out (its teaching cell shrinks γ and λ towards 0 with the library's fit instead of writing this).</summary>
    public static Matrix<double> FitEszslWithoutRegularisers(Matrix<double> features, Matrix<double> labels, Matrix<double> signatures, double gamma, double lambda)
    {
        var x = features;
        var s = signatures;
        return (x * x.Transpose()).Solve(x * labels * s.Transpose()) * (s * s.Transpose()).Inverse();
    }

    /// <summary>Mistakes in <c>FitEszsl</c> measured by the sweep, by name.</summary>
    public static (string Name, Func<Matrix<double>, Matrix<double>, Matrix<double>, double, double, Matrix<double>> Function)[] EszslMistakes { get; } =
    [
        ("no regularisers", FitEszslWithoutRegularisers),
        ("right factor not inverted", (x, y, s, gamma, lambda) =>
            (x * x.Transpose() + gamma * Matrix<double>.Build.DenseIdentity(x.RowCount)).Solve(x * y * s.Transpose()) * (s * s.Transpose() + lambda * Matrix<double>.Build.DenseIdentity(s.RowCount))),
        ("no left inverse", (x, y, s, gamma, lambda) => x * y * s.Transpose() * (s * s.Transpose() + lambda * Matrix<double>.Build.DenseIdentity(s.RowCount)).Inverse()),
    ];
}
