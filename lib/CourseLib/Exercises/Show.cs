using System.Globalization;
using System.Text;

namespace CourseLib.Exercises;

/// <summary>
/// Writes check inputs and answers the way a student would type them in C# (<c>[1, 0.5, -2]</c>), so a failing
/// case can be pasted into a cell and debugged.
/// </summary>
internal static class Show
{
    /// <summary>The longest vector shown in full.</summary>
    const int MaxShown = 24;

    public static string Number(double x) =>
        double.IsNaN(x) ? "NaN" :
        double.IsPositiveInfinity(x) ? "+∞" :
        double.IsNegativeInfinity(x) ? "-∞" :
        x.ToString("G6", CultureInfo.InvariantCulture);

    /// <summary>Two numbers that differ, each written precisely enough to show the difference.</summary>
    public static (string Expected, string Got) Pair(double expected, double got)
    {
        var (e, g) = (Number(expected), Number(got));
        if (e != g) return (e, g);
        return (expected.ToString("G17", CultureInfo.InvariantCulture), got.ToString("G17", CultureInfo.InvariantCulture));
    }

    public static string Bool(bool b) => b ? "true" : "false";

    public static string Vector(IReadOnlyList<double> xs) => List(xs, Number);

    public static string Vector(IReadOnlyList<int> xs) => List(xs, x => x.ToString(CultureInfo.InvariantCulture));

    public static string Vector(IReadOnlyList<bool> xs) => List(xs, Bool);

    public static string Rows(IReadOnlyList<double[]> rows) => List(rows, r => Vector(r));

    public static string Matrix(double[,] m)
    {
        var rows = new List<double[]>();
        for (int i = 0; i < m.GetLength(0); i++)
        {
            var row = new double[m.GetLength(1)];
            for (int j = 0; j < row.Length; j++) row[j] = m[i, j];
            rows.Add(row);
        }
        return $"{m.GetLength(0)}×{m.GetLength(1)} " + Rows(rows);
    }

    static string List<T>(IReadOnlyList<T> xs, Func<T, string> show)
    {
        if (xs.Count == 0) return "[]";
        var text = new StringBuilder("[");
        int shown = Math.Min(xs.Count, MaxShown);
        for (int i = 0; i < shown; i++)
        {
            if (i > 0) text.Append(", ");
            text.Append(show(xs[i]));
        }
        if (xs.Count > shown) text.Append($", … ({xs.Count} values)");
        return text.Append(']').ToString();
    }
}
