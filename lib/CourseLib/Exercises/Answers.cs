using System.Globalization;
using System.Text.Json.Nodes;

namespace CourseLib.Exercises;

/// <summary>
/// Encodes a student's answers as JSON for the grader and reads them back. Numbers keep every bit (round-trip
/// formatting); NaN and infinities, which JSON has no numbers for, are written as strings.
/// </summary>
internal static class Answers
{
    public static JsonNode Encode(double x) =>
        double.IsFinite(x) ? JsonValue.Create(x) : JsonValue.Create(x.ToString(CultureInfo.InvariantCulture));

    public static double DecodeDouble(JsonNode? node)
    {
        if (node is JsonValue value)
        {
            if (value.TryGetValue<double>(out var d)) return d;
            if (value.TryGetValue<string>(out var s) && double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed)) return parsed;
        }
        throw new FormatException("not a number");
    }

    public static JsonNode Encode(int x) => JsonValue.Create(x);

    public static int DecodeInt(JsonNode? node) =>
        node is JsonValue value && value.TryGetValue<int>(out var i) ? i : throw new FormatException("not an integer");

    public static JsonNode? Encode(double[]? xs) => xs == null ? null : new JsonArray(xs.Select(Encode).ToArray());

    public static double[] DecodeVector(JsonNode? node) =>
        node is JsonArray array ? array.Select(DecodeDouble).ToArray() : throw new FormatException("not an array of numbers (null?)");

    public static JsonNode? Encode(int[]? xs) => xs == null ? null : new JsonArray(xs.Select(Encode).ToArray());

    public static int[] DecodeIntVector(JsonNode? node) =>
        node is JsonArray array ? array.Select(DecodeInt).ToArray() : throw new FormatException("not an array of integers (null?)");

    public static JsonNode? Encode(double[,]? m)
    {
        if (m == null) return null;
        var rows = new JsonArray();
        for (int i = 0; i < m.GetLength(0); i++)
        {
            var row = new JsonArray();
            for (int j = 0; j < m.GetLength(1); j++) row.Add(Encode(m[i, j]));
            rows.Add(row);
        }
        return new JsonObject { ["rows"] = m.GetLength(0), ["columns"] = m.GetLength(1), ["values"] = rows };
    }

    /// <summary>The most entries of a matrix answer: far above any check's (a few hundred), far below what would strain the grader.</summary>
    public const int MaxMatrixEntries = 1 << 20;

    /// <summary>
    /// Reads a matrix answer. The sizes come from the submission: they are checked against the values actually
    /// present (and bounded) before anything is allocated, so a forged answer is a wrong shape, never a crash or a
    /// huge allocation in the grader.
    /// </summary>
    public static double[,] DecodeMatrix(JsonNode? node)
    {
        if (node is not JsonObject o) throw new FormatException("not a matrix (null?)");
        int rows = DecodeInt(o["rows"]), columns = DecodeInt(o["columns"]);
        var values = o["values"] as JsonArray ?? throw new FormatException("a matrix without values");
        if (rows < 0 || columns < 0) throw new FormatException($"a matrix of {rows}×{columns} (negative size)");
        if ((long)rows * columns > MaxMatrixEntries) throw new FormatException($"a matrix of {rows}×{columns}, more than {MaxMatrixEntries} entries");
        if (values.Count != rows) throw new FormatException($"a matrix of {rows} rows with {values.Count} rows of values");
        var decoded = new double[rows][];
        for (int i = 0; i < rows; i++)
        {
            decoded[i] = DecodeVector(values[i]);
            if (decoded[i].Length != columns) throw new FormatException("ragged matrix");
        }
        var m = new double[rows, columns];
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < columns; j++) m[i, j] = decoded[i][j];
        return m;
    }
}
