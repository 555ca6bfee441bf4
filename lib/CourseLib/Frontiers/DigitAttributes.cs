using CourseLib.Data;
using MathNet.Numerics.LinearAlgebra;

namespace CourseLib.Frontiers;

/// <summary>
/// A class-attribute table for the ten digits, written down from how people describe the shapes (as one
/// would say "a zebra is horse-shaped and striped"), without looking at the data set's images. Handwriting
/// varies (a 4 may be open or closed, a 7 may have a bar), so the table is a person's typical answer, not a truth
/// about every image. Each entry is 1 (the digit has the attribute) or 0.
/// </summary>
public static class DigitAttributes
{
    /// <summary>The attribute names, in column order of <see cref="Table"/>.</summary>
    public static IReadOnlyList<string> Names { get; } =
    [
        "closed loop in the upper half",
        "closed loop in the lower half",
        "straight vertical stroke",
        "horizontal bar at the top",
        "horizontal bar at the bottom",
        "strokes cross in the middle",
        "diagonal stroke",
        "curve bulging to the right",
        "curve bulging to the left",
    ];

    /// <summary>Short names for charts, in the same order as <see cref="Names"/>.</summary>
    public static IReadOnlyList<string> ShortNames { get; } =
        ["loop up", "loop down", "vertical", "top bar", "bottom bar", "crossing", "diagonal", "bulge right", "bulge left"];

    //                                  loop up, loop down, vertical, top bar, bottom bar, crossing, diagonal, bulge right, bulge left
    static readonly int[][] Rows =
    [
        /* 0 */ [1, 1, 0, 0, 0, 0, 0, 1, 1],   // one oval: loop spans both halves, round on both sides
        /* 1 */ [0, 0, 1, 0, 0, 0, 0, 0, 0],   // a single upright stroke
        /* 2 */ [0, 0, 0, 0, 1, 0, 1, 1, 0],   // a hook bulging right, a diagonal down to the left, a flat base
        /* 3 */ [0, 0, 0, 0, 0, 0, 0, 1, 0],   // two bumps bulging right, open on the left
        /* 4 */ [0, 0, 1, 0, 0, 1, 1, 0, 0],   // a diagonal, a crossbar crossing an upright
        /* 5 */ [0, 0, 0, 1, 0, 0, 0, 1, 0],   // a flag at the top, a belly bulging right
        /* 6 */ [0, 1, 0, 0, 0, 0, 0, 0, 1],   // a curve bulging left down into a loop at the bottom
        /* 7 */ [0, 0, 0, 1, 0, 0, 1, 0, 0],   // a bar at the top, a diagonal down
        /* 8 */ [1, 1, 0, 0, 0, 1, 0, 1, 1],   // two loops stacked, strokes cross at the waist
        /* 9 */ [1, 0, 1, 0, 0, 0, 0, 1, 0],   // a loop at the top, an upright tail
    ];

    /// <summary>The number of attributes.</summary>
    public static int Count => Names.Count;

    /// <summary>The table, one row per digit 0..9 and one column per attribute (a fresh copy).</summary>
    public static int[,] Table
    {
        get
        {
            var table = new int[Digits.ClassCount, Count];
            for (int digit = 0; digit < Digits.ClassCount; digit++)
                for (int j = 0; j < Count; j++) table[digit, j] = Rows[digit][j];
            return table;
        }
    }

    /// <summary>The signature of one digit: its row of the table.</summary>
    public static int[] Of(int digit)
    {
        if (digit < 0 || digit >= Digits.ClassCount) throw new ArgumentOutOfRangeException(nameof(digit), digit, "digit must be in 0..9.");
        return (int[])Rows[digit].Clone();
    }

    /// <summary>The signature matrix S (attributes × classes) of <paramref name="classes"/>, one column per class, as ESZSL takes it.</summary>
    public static Matrix<double> Signatures(IReadOnlyList<int> classes)
    {
        ArgumentNullException.ThrowIfNull(classes);
        var s = Matrix<double>.Build.Dense(Count, classes.Count);
        for (int c = 0; c < classes.Count; c++)
        {
            var row = Of(classes[c]);
            for (int j = 0; j < Count; j++) s[j, c] = row[j];
        }
        return s;
    }
}
