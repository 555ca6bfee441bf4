namespace CourseLib.Training;

/// <summary>Advantage normalisation, shared by REINFORCE and actor-critic.</summary>
public static class Standardize
{
    /// <summary>Rescales <paramref name="values"/> in place to mean 0 and standard deviation 1: (x − mean) / (std + 1e-8).</summary>
    public static void InPlace(Span<double> values)
    {
        if (values.Length == 0) return;
        double mean = 0;
        foreach (var w in values) mean += w;
        mean /= values.Length;
        double variance = 0;
        foreach (var w in values) variance += (w - mean) * (w - mean);
        double std = Math.Sqrt(variance / values.Length);
        for (int i = 0; i < values.Length; i++) values[i] = (values[i] - mean) / (std + 1e-8);
    }
}
