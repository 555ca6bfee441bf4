namespace CourseLib.Tests.InverseRl;

/// <summary>
/// Notebook 08's exercise <c>FeatureExpectations</c> as students write it: right (the instructor's solution, verbatim) and
/// with mistakes. The learning tests train with them; the benchmark sweep <c>--maxent-irl-seeds</c> (which links this
/// file) measures them.
/// </summary>
public static class InverseRlSolutions
{
    /// <summary>μ_k = Σ_s D(s)·φ_k(s), as in the instructor's copy of notebook 08.</summary>
    public static double[] FeatureExpectations(double[,] features, double[] visitations)
    {
        var mu = new double[features.GetLength(1)];
        for (int s = 0; s < features.GetLength(0); s++)
            for (int k = 0; k < mu.Length; k++) mu[k] += visitations[s] * features[s, k];
        return mu;
    }

    /// <summary>The mistake notebook 08's teaching cell shows (there built from the library's function, every count 1): the visit counts forgotten, μ_k = Σ_s φ_k(s), the same for expert and model.</summary>
    public static double[] FeatureExpectationsUnweighted(double[,] features, double[] visitations) =>
        Enumerable.Range(0, features.GetLength(1)).Select(k => Enumerable.Range(0, features.GetLength(0)).Sum(s => features[s, k])).ToArray();

    /// <summary>Mistakes measured by the sweep, by name.</summary>
    public static (string Name, Func<double[,], double[], double[]> Function)[] FeatureExpectationsMistakes { get; } =
    [
        ("unweighted", FeatureExpectationsUnweighted),
        ("normalised", (features, visitations) => FeatureExpectations(features, visitations).Select(m => m / visitations.Sum()).ToArray()),
        ("visited-only", (features, visitations) => FeatureExpectations(features, visitations.Select(v => v > 0 ? 1.0 : 0).ToArray())),
    ];
}
