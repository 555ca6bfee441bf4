using MathNet.Numerics.LinearAlgebra;

namespace CourseLib.Frontiers;

/// <summary>Principal component analysis (PCA) for looking at embeddings: points projected onto their top principal directions.</summary>
public static class Pca
{
    /// <summary>
    /// Each point's coordinates along the <paramref name="components"/> directions of largest variance (centred data,
    /// singular value decomposition): an n × components array.
    /// </summary>
    public static double[][] Project(IReadOnlyList<float[]> points, int components = 2)
    {
        ArgumentNullException.ThrowIfNull(points);
        if (points.Count < 2) throw new ArgumentException("points needs at least two points.", nameof(points));
        int width = points[0].Length;
        if (components < 1 || components > width) throw new ArgumentOutOfRangeException(nameof(components), components, $"components must be in 1..{width}.");
        var x = Matrix<double>.Build.Dense(points.Count, width, (i, j) =>
        {
            if (points[i].Length != width) throw new ArgumentException($"point {i} has {points[i].Length} coordinates; point 0 has {width}.", nameof(points));
            return points[i][j];
        });
        var mean = x.ColumnSums() / points.Count;
        for (int i = 0; i < x.RowCount; i++) x.SetRow(i, x.Row(i) - mean);
        var directions = x.Svd(computeVectors: true).VT.SubMatrix(0, components, 0, width);   // components × width
        var projected = x * directions.Transpose();                                         // n × components
        return projected.ToRowArrays();
    }
}
