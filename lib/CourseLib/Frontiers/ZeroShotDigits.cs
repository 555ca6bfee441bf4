using CourseLib.Data;
using CourseLib.Exercises;
using MathNet.Numerics.LinearAlgebra;

namespace CourseLib.Frontiers;

/// <summary>The outcome of a zero-shot experiment on the digits: the fitted map and its predictions on the unseen classes.</summary>
/// <param name="SeenClasses">The digits whose images were used for fitting.</param>
/// <param name="UnseenClasses">The digits predicted from their attribute signatures alone.</param>
/// <param name="Projection">V, features × attributes.</param>
/// <param name="TrueLabels">The digit of every image of an unseen class.</param>
/// <param name="Predictions">The digit ESZSL chose for each of those images (among the unseen classes).</param>
/// <param name="MeanAttributeScores">[unseen class, attribute]: the mean over that class's images of the predicted attribute
/// scores xᵀV. An image's score for a class is the sum of its attribute scores over the class's attributes.</param>
public sealed record ZeroShotResult(int[] SeenClasses, int[] UnseenClasses, Matrix<double> Projection, int[] TrueLabels, int[] Predictions,
    double[,] MeanAttributeScores)
{
    /// <summary>The fraction of unseen-class images classified correctly.</summary>
    public double Accuracy => TrueLabels.Zip(Predictions, (t, p) => t == p ? 1.0 : 0.0).Average();

    /// <summary>Chance level: one over the number of unseen classes.</summary>
    public double Chance => 1.0 / UnseenClasses.Length;

    /// <summary>Confusion[i, j]: the fraction of images of unseen class i predicted as unseen class j (rows sum to 1).</summary>
    public double[,] Confusion
    {
        get
        {
            int k = UnseenClasses.Length;
            var counts = new double[k, k];
            var rowTotals = new double[k];
            for (int n = 0; n < TrueLabels.Length; n++)
            {
                int i = Array.IndexOf(UnseenClasses, TrueLabels[n]), j = Array.IndexOf(UnseenClasses, Predictions[n]);
                counts[i, j]++; rowTotals[i]++;
            }
            for (int i = 0; i < k; i++) for (int j = 0; j < k; j++) counts[i, j] /= Math.Max(1, rowTotals[i]);
            return counts;
        }
    }

    /// <summary>
    /// How each pixel votes for attribute <paramref name="attribute"/>: the first 64 rows of V's column for it, as an 8 × 8
    /// image (positive: ink there suggests the attribute).
    /// </summary>
    public double[,] PixelWeights(int attribute)
    {
        if (attribute < 0 || attribute >= Projection.ColumnCount) throw new ArgumentOutOfRangeException(nameof(attribute), attribute, $"attribute must be in 0..{Projection.ColumnCount - 1}.");
        var weights = new double[8, 8];
        for (int i = 0; i < Digits.PixelCount; i++) weights[i / 8, i % 8] = Projection[i, attribute];
        return weights;
    }

    /// <summary>The accuracy on the images of each unseen class, in the order of <see cref="UnseenClasses"/>.</summary>
    public double[] PerClassAccuracy => UnseenClasses.Select(c =>
        Enumerable.Range(0, TrueLabels.Length).Where(n => TrueLabels[n] == c).Select(n => Predictions[n] == c ? 1.0 : 0.0).DefaultIfEmpty(0).Average()).ToArray();
}

/// <summary>
/// Zero-shot learning on the UCI digits with <see cref="Eszsl"/> and the attribute table <see cref="DigitAttributes"/>:
/// fit on every image of the seen digits, then classify every image of the unseen digits among the unseen digits,
/// knowing only their attributes. Deterministic (no sampling).
/// </summary>
public static class ZeroShotDigits
{
    /// <summary>The features of one image: its 64 pixels scaled to [0, 1] and a constant 1 (a bias feature): 65 numbers.</summary>
    public static double[] Features(float[] image)
    {
        ArgumentNullException.ThrowIfNull(image);
        if (image.Length != Digits.PixelCount) throw new ArgumentException($"image has {image.Length} pixels; expected {Digits.PixelCount}.", nameof(image));
        var features = new double[Digits.PixelCount + 1];
        for (int j = 0; j < Digits.PixelCount; j++) features[j] = image[j] / 16.0;
        features[Digits.PixelCount] = 1.0;
        return features;
    }

    /// <summary>X, features × images: one column of <see cref="Features"/> per image.</summary>
    public static Matrix<double> FeatureMatrix(IEnumerable<float[]> images) =>
        Matrix<double>.Build.DenseOfColumnArrays(images.Select(Features));

    /// <summary>Y, images × classes: 1 in the column of the image's class, −1 elsewhere (the paper's coding).</summary>
    public static Matrix<double> LabelMatrix(IReadOnlyList<int> labels, IReadOnlyList<int> classes)
    {
        var y = Matrix<double>.Build.Dense(labels.Count, classes.Count, -1.0);
        for (int i = 0; i < labels.Count; i++)
        {
            int column = IndexOf(classes, labels[i]);
            if (column < 0) throw new ArgumentException($"label {labels[i]} (image {i}) is not one of the classes [{string.Join(", ", classes)}].", nameof(labels));
            y[i, column] = 1.0;
        }
        return y;
    }

    /// <summary>
    /// Fits ESZSL on all images of the digits not in <paramref name="unseenClasses"/> and predicts the images of
    /// <paramref name="unseenClasses"/> from their signatures. Defaults γ = λ = 1 (not tuned on the unseen classes).
    /// </summary>
    /// <param name="digits">The data set.</param>
    /// <param name="unseenClasses">The digits held out (at least two; at least two stay seen).</param>
    /// <param name="gamma">ESZSL's γ &gt; 0, the regulariser on the feature side.</param>
    /// <param name="lambda">ESZSL's λ &gt; 0, the regulariser on the attribute side.</param>
    /// <param name="fit">
    /// V = FitEszsl(features, labels, signatures, gamma, lambda), the exercise's function (notebook 11); null: the library's
    /// <see cref="Eszsl.Fit"/>. A function that still throws <see cref="NotImplementedException"/> is replaced by the
    /// library's, with a one-line note (<see cref="Solution"/>.OrReference).
    /// </param>
    public static ZeroShotResult Run(Digits digits, IReadOnlyList<int> unseenClasses, double gamma = 1.0, double lambda = 1.0,
        Func<Matrix<double>, Matrix<double>, Matrix<double>, double, double, Matrix<double>>? fit = null)
    {
        ArgumentNullException.ThrowIfNull(digits);
        ArgumentNullException.ThrowIfNull(unseenClasses);
        var unseen = unseenClasses.ToArray();
        if (unseen.Length < 2) throw new ArgumentException("unseenClasses needs at least two digits (with one there is nothing to choose).", nameof(unseenClasses));
        if (unseen.Any(c => c < 0 || c >= Digits.ClassCount)) throw new ArgumentOutOfRangeException(nameof(unseenClasses), "unseen classes must be digits 0..9.");
        if (unseen.Distinct().Count() != unseen.Length) throw new ArgumentException("unseenClasses has a repeated digit.", nameof(unseenClasses));
        var seen = Enumerable.Range(0, Digits.ClassCount).Except(unseen).ToArray();
        if (seen.Length < 2) throw new ArgumentException("at least two digits must stay seen for fitting.", nameof(unseenClasses));

        var seenImages = Enumerable.Range(0, digits.Count).Where(i => seen.Contains(digits.Labels[i])).ToArray();
        var unseenImages = Enumerable.Range(0, digits.Count).Where(i => unseen.Contains(digits.Labels[i])).ToArray();

        var x = FeatureMatrix(seenImages.Select(i => digits.Images[i]));                               // d × m
        var y = LabelMatrix(seenImages.Select(i => digits.Labels[i]).ToArray(), seen);                 // m × z
        var signatures = DigitAttributes.Signatures(seen);                                              // a × z
        var v = Solution.OrReference(fit, Eszsl.Fit, "FitEszsl")(x.Clone(), y.Clone(), signatures.Clone(), gamma, lambda);   // d × a
        if (v is null || v.RowCount != x.RowCount || v.ColumnCount != signatures.RowCount)
            throw new InvalidOperationException($"FitEszsl returned {(v is null ? "null" : $"a {v.RowCount} × {v.ColumnCount} matrix")}; V must be features × attributes = {x.RowCount} × {signatures.RowCount}.");

        var xUnseen = FeatureMatrix(unseenImages.Select(i => digits.Images[i]));                       // d × n
        var chosen = Eszsl.Predict(v, xUnseen, DigitAttributes.Signatures(unseen));                    // index into unseen
        var trueLabels = unseenImages.Select(i => digits.Labels[i]).ToArray();

        var attributeScores = xUnseen.TransposeThisAndMultiply(v);                                      // Xᵀ V : n × a
        var means = new double[unseen.Length, v.ColumnCount];
        for (int c = 0; c < unseen.Length; c++)
        {
            var rows = Enumerable.Range(0, trueLabels.Length).Where(n => trueLabels[n] == unseen[c]).ToArray();
            for (int j = 0; j < v.ColumnCount; j++) means[c, j] = rows.Average(n => attributeScores[n, j]);
        }
        return new ZeroShotResult(seen, unseen, v, trueLabels, chosen.Select(c => unseen[c]).ToArray(), means);
    }

    static int IndexOf(IReadOnlyList<int> list, int value)
    {
        for (int i = 0; i < list.Count; i++) if (list[i] == value) return i;
        return -1;
    }
}
