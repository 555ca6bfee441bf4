using System.IO.Compression;

namespace CourseLib.Data;

/// <summary>
/// The UCI "Optical Recognition of Handwritten Digits" test set (Alpaydin and Kaynak 1998): 1797 images of
/// 8x8 pixels with values 0..16 and their labels 0..9. Shipped in <c>data/digits.csv.gz</c> (see data/README.md).
/// </summary>
public sealed class Digits
{
    /// <summary>Number of pixels per image.</summary>
    public const int PixelCount = 64;
    /// <summary>Number of classes.</summary>
    public const int ClassCount = 10;

    /// <summary>Pixels, row-major, one row of 64 per image, values 0..16.</summary>
    public float[][] Images { get; }

    /// <summary>Labels 0..9, one per image.</summary>
    public int[] Labels { get; }

    /// <summary>Number of images.</summary>
    public int Count => Labels.Length;

    Digits(float[][] images, int[] labels) { Images = images; Labels = labels; }

    /// <summary>Loads the digits from <paramref name="path"/>, or from data/digits.csv.gz (<see cref="DataFiles.Find"/>).</summary>
    public static Digits Load(string? path = null)
    {
        path ??= DataFiles.Find("digits.csv.gz");
        using var stream = File.OpenRead(path);
        using var gzip = new GZipStream(stream, CompressionMode.Decompress);
        using var reader = new StreamReader(gzip);
        var images = new List<float[]>();
        var labels = new List<int>();
        string? line;
        int lineNumber = 0;
        while ((line = reader.ReadLine()) != null)
        {
            lineNumber++;
            if (line.Length == 0) continue;
            var fields = line.Split(',');
            if (fields.Length != PixelCount + 1)
                throw new InvalidDataException($"{path} line {lineNumber}: expected {PixelCount + 1} fields, found {fields.Length}.");
            var pixels = new float[PixelCount];
            for (int i = 0; i < PixelCount; i++) pixels[i] = float.Parse(fields[i], System.Globalization.CultureInfo.InvariantCulture);
            images.Add(pixels);
            labels.Add((int)double.Parse(fields[PixelCount], System.Globalization.CultureInfo.InvariantCulture));
        }
        return new Digits(images.ToArray(), labels.ToArray());
    }

    /// <summary>A seeded split into a training and a held-out part (<paramref name="testFraction"/> of the images).</summary>
    public (Digits Train, Digits Test) Split(double testFraction = 0.25, int seed = 0)
    {
        if (!(testFraction > 0 && testFraction < 1)) throw new ArgumentOutOfRangeException(nameof(testFraction), testFraction, "testFraction must be in (0, 1).");
        var order = Enumerable.Range(0, Count).ToArray();
        new Rng(seed).Shuffle<int>(order);
        int testCount = (int)Math.Round(Count * testFraction);
        Digits Take(IEnumerable<int> idx) { var ids = idx.ToArray(); return new Digits(ids.Select(i => Images[i]).ToArray(), ids.Select(i => Labels[i]).ToArray()); }
        return (Take(order.Skip(testCount)), Take(order.Take(testCount)));
    }
}
