namespace CourseLib.Charts;

/// <summary>Helpers for drawing learning curves from noisy per-episode numbers.</summary>
public static class LearningCurves
{
    /// <summary>
    /// The trailing moving average: result[i] is the mean of values[max(0, i − window + 1) .. i], so the curve has
    /// one point per episode and its start averages the episodes seen so far.
    /// </summary>
    public static double[] MovingAverage(IReadOnlyList<double> values, int window)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (window < 1) throw new ArgumentOutOfRangeException(nameof(window), window, "window must be at least 1.");
        var result = new double[values.Count];
        double sum = 0;
        for (int i = 0; i < values.Count; i++)
        {
            sum += values[i];
            if (i >= window) sum -= values[i - window];
            result[i] = sum / Math.Min(i + 1, window);
        }
        return result;
    }
}
