using MathNet.Numerics.LinearAlgebra;

namespace CourseLib.Frontiers;

/// <summary>
/// Embarrassingly simple zero-shot learning (ESZSL; Romera-Paredes and Torr 2015). A linear map V (features ×
/// attributes) is fitted on the seen classes so that the compatibility xᵀ V s is high for an image x and the
/// attribute signature s of its own class. A new class needs no images, only its signature: predict
/// argmax_c xᵀ V s_c over the unseen classes. Pure functions (reference implementations for the exercises).
/// </summary>
public static class Eszsl
{
    /// <summary>
    /// The closed form V = (X Xᵀ + γI)⁻¹ X Y Sᵀ (S Sᵀ + λI)⁻¹, the minimiser of
    /// ‖Xᵀ V S − Y‖²_F + γ‖V S‖²_F + λ‖Xᵀ V‖²_F + γλ‖V‖²_F (the paper's eq. 5 with β = γλ).
    /// </summary>
    /// <param name="features">X, d × m: one column of d features per training image.</param>
    /// <param name="labels">Y, m × z: row i is image i's label over the z seen classes (1 for its class, −1 or 0 elsewhere).</param>
    /// <param name="signatures">S, a × z: column c is seen class c's signature of a attributes.</param>
    /// <param name="gamma">γ &gt; 0, the regulariser on the feature side.</param>
    /// <param name="lambda">λ &gt; 0, the regulariser on the attribute side.</param>
    /// <returns>V, d × a.</returns>
    public static Matrix<double> Fit(Matrix<double> features, Matrix<double> labels, Matrix<double> signatures, double gamma, double lambda)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(signatures);
        if (labels.RowCount != features.ColumnCount)
            throw new ArgumentException($"labels (Y) has {labels.RowCount} rows; it needs one per image, i.e. per column of features (X, {features.ColumnCount}).", nameof(labels));
        if (signatures.ColumnCount != labels.ColumnCount)
            throw new ArgumentException($"signatures (S) has {signatures.ColumnCount} columns; it needs one per seen class, i.e. per column of labels (Y, {labels.ColumnCount}).", nameof(signatures));
        if (!(gamma > 0) || !double.IsFinite(gamma)) throw new ArgumentOutOfRangeException(nameof(gamma), gamma, "gamma must be a finite number > 0.");
        if (!(lambda > 0) || !double.IsFinite(lambda)) throw new ArgumentOutOfRangeException(nameof(lambda), lambda, "lambda must be a finite number > 0.");

        int d = features.RowCount, a = signatures.RowCount;
        var featureGram = features * features.Transpose() + gamma * Matrix<double>.Build.DenseIdentity(d);        // X Xᵀ + γI : d × d
        var attributeGram = signatures * signatures.Transpose() + lambda * Matrix<double>.Build.DenseIdentity(a); // S Sᵀ + λI : a × a
        var middle = features * labels * signatures.Transpose();                                                 // X Y Sᵀ    : d × a
        var left = featureGram.Cholesky().Solve(middle);                                                         // (X Xᵀ + γI)⁻¹ X Y Sᵀ : d × a
        // right-multiply by the symmetric (S Sᵀ + λI)⁻¹: solve (S Sᵀ + λI) Vᵀ = leftᵀ
        return attributeGram.Cholesky().Solve(left.Transpose()).Transpose();                                     // V : d × a
    }

    /// <summary>The compatibility scores Xᵀ V S, n × z: image i's score for class c (features X: d × n, V: d × a, S: a × z).</summary>
    public static Matrix<double> Scores(Matrix<double> projection, Matrix<double> features, Matrix<double> signatures)
    {
        ArgumentNullException.ThrowIfNull(projection);
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(signatures);
        if (projection.RowCount != features.RowCount)
            throw new ArgumentException($"projection (V) has {projection.RowCount} rows; it needs one per feature ({features.RowCount}).", nameof(projection));
        if (projection.ColumnCount != signatures.RowCount)
            throw new ArgumentException($"projection (V) has {projection.ColumnCount} columns; it needs one per attribute ({signatures.RowCount}).", nameof(projection));
        return features.TransposeThisAndMultiply(projection) * signatures;                                       // (n × d)(d × a)(a × z) = n × z
    }

    /// <summary>For each image (column of <paramref name="features"/>), the index of the class (column of <paramref name="signatures"/>) with the highest score xᵀ V s.</summary>
    public static int[] Predict(Matrix<double> projection, Matrix<double> features, Matrix<double> signatures)
    {
        var scores = Scores(projection, features, signatures);
        var predictions = new int[scores.RowCount];
        for (int i = 0; i < scores.RowCount; i++)
        {
            int best = 0;
            for (int c = 1; c < scores.ColumnCount; c++) if (scores[i, c] > scores[i, best]) best = c;
            predictions[i] = best;
        }
        return predictions;
    }
}
