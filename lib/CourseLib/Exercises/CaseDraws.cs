namespace CourseLib.Exercises;

/// <summary>
/// Random inputs for checks, rounded to short decimals so that a failing case can be typed back in exactly.
/// </summary>
internal static class CaseDraws
{
    /// <summary>Uniform in [low, high], rounded to <paramref name="decimals"/> places.</summary>
    public static double Uniform(Rng rng, double low, double high, int decimals = 2) =>
        Math.Round(rng.Uniform(low, high), decimals);

    public static double[] Vector(Rng rng, int length, double low, double high, int decimals = 2) =>
        Enumerable.Range(0, length).Select(_ => Uniform(rng, low, high, decimals)).ToArray();

    public static double[][] Rows(Rng rng, int rows, int columns, double low, double high, int decimals = 2) =>
        Enumerable.Range(0, rows).Select(_ => Vector(rng, columns, low, high, decimals)).ToArray();

    public static double[,] Matrix(Rng rng, int rows, int columns, double low, double high, int decimals = 2)
    {
        var m = new double[rows, columns];
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < columns; j++)
                m[i, j] = Uniform(rng, low, high, decimals);
        return m;
    }

    public static bool[] Flags(Rng rng, int length, double probability) =>
        Enumerable.Range(0, length).Select(_ => rng.NextDouble() < probability).ToArray();

    public static T Pick<T>(Rng rng, params T[] choices) => choices[rng.NextInt(choices.Length)];

    /// <summary>A discount factor: often a typical value or an edge (0, 1), sometimes any two-decimal value.</summary>
    public static double Gamma(Rng rng) =>
        rng.NextDouble() < 0.7 ? Pick(rng, 0.0, 0.5, 0.9, 0.95, 0.99, 1.0) : Uniform(rng, 0, 1);

    /// <summary>How many random cases a check draws: more for the grader's hidden run.</summary>
    public static int Count(bool hidden, int visible) => hidden ? visible * 3 : visible;

    public static double[] Copy(double[] xs) => (double[])xs.Clone();

    public static bool[] Copy(bool[] xs) => (bool[])xs.Clone();

    public static int[] Copy(int[] xs) => (int[])xs.Clone();

    public static double[][] Copy(double[][] rows) => rows.Select(r => (double[])r.Clone()).ToArray();

    public static double[,] Copy(double[,] m) => (double[,])m.Clone();
}
