using System.IO.Compression;
using System.Text;

namespace CourseLib.Data;

/// <summary>One script (alphabet) of <see cref="Characters"/>.</summary>
/// <param name="Name">Its name, e.g. "Armenian".</param>
/// <param name="Evaluation">True for an evaluation script (never used in training), false for a background script.</param>
/// <param name="FirstClass">The index of its first character class.</param>
/// <param name="ClassCount">How many character classes it has.</param>
public sealed record CharacterScript(string Name, bool Evaluation, int FirstClass, int ClassCount);

/// <summary>
/// The course's Omniglot-like character set: hundreds of character classes from dozens of scripts, each drawn many
/// times from several typefaces with random affine warps, stroke width, elastic distortion and noise. Made by the
/// generator in tests/CourseLib.Benchmarks (<c>--generate-characters</c>) and shipped in <c>data/characters.bin.gz</c>
/// (fonts, licences and the command: data/README.md). Following Omniglot (Lake et al. 2015), its scripts are split into
/// background scripts (for training) and evaluation scripts (for one-shot tests only).
/// </summary>
public sealed class Characters
{
    /// <summary>The file's first bytes.</summary>
    public const string Magic = "CLCHARS1";

    Characters(int side, int drawings, CharacterScript[] scripts, int[] codepoints, byte[] pixels)
    {
        Side = side; DrawingsPerClass = drawings; Scripts = scripts; Codepoints = codepoints; _pixels = pixels;
        ScriptOfClass = new int[codepoints.Length];
        for (int s = 0; s < scripts.Length; s++)
            for (int c = 0; c < scripts[s].ClassCount; c++) ScriptOfClass[scripts[s].FirstClass + c] = s;
    }

    readonly byte[] _pixels;

    /// <summary>Images are <see cref="Side"/> × <see cref="Side"/> grayscale pixels (ink = 1).</summary>
    public int Side { get; }
    /// <summary>Drawings of each character class (images per class).</summary>
    public int DrawingsPerClass { get; }
    /// <summary>The scripts, background ones first.</summary>
    public IReadOnlyList<CharacterScript> Scripts { get; }
    /// <summary>The Unicode code point of each class.</summary>
    public IReadOnlyList<int> Codepoints { get; }
    /// <summary>The script index of each class.</summary>
    public int[] ScriptOfClass { get; }
    /// <summary>The number of character classes.</summary>
    public int ClassCount => Codepoints.Count;
    /// <summary>The number of images (classes × drawings).</summary>
    public int Count => ClassCount * DrawingsPerClass;

    /// <summary>The class of image <paramref name="image"/> (images are stored class by class).</summary>
    public int ClassOf(int image) => image / DrawingsPerClass;

    /// <summary>Image <paramref name="image"/> as Side² values in [0, 1], row by row.</summary>
    public float[] Image(int image)
    {
        if (image < 0 || image >= Count) throw new ArgumentOutOfRangeException(nameof(image), image, $"image must be in 0..{Count - 1}.");
        int n = Side * Side;
        var values = new float[n];
        for (int i = 0; i < n; i++) values[i] = _pixels[(long)image * n + i] / 255f;
        return values;
    }

    /// <summary>Image <paramref name="image"/> as a Side × Side array (for <see cref="Charts.Chart.Image"/>).</summary>
    public float[,] Image2D(int image)
    {
        var flat = Image(image);
        var grid = new float[Side, Side];
        for (int r = 0; r < Side; r++) for (int c = 0; c < Side; c++) grid[r, c] = flat[r * Side + c];
        return grid;
    }

    /// <summary>
    /// A sheet of drawings for <see cref="Charts.Chart.Image"/>: one row per class of <paramref name="classes"/>, its first
    /// <paramref name="drawings"/> drawings side by side, a blank pixel between images.
    /// </summary>
    public float[,] Sheet(IReadOnlyList<int> classes, int drawings)
    {
        ArgumentNullException.ThrowIfNull(classes);
        if (drawings < 1 || drawings > DrawingsPerClass)
            throw new ArgumentOutOfRangeException(nameof(drawings), drawings, $"drawings must be in 1..{DrawingsPerClass}.");
        int cell = Side + 1;
        var sheet = new float[classes.Count * cell - 1, drawings * cell - 1];
        for (int row = 0; row < classes.Count; row++)
        {
            if (classes[row] < 0 || classes[row] >= ClassCount)
                throw new ArgumentOutOfRangeException(nameof(classes), classes[row], $"every class must be in 0..{ClassCount - 1}.");
            for (int d = 0; d < drawings; d++)
            {
                var image = Image(classes[row] * DrawingsPerClass + d);
                for (int r = 0; r < Side; r++) for (int c = 0; c < Side; c++) sheet[row * cell + r, d * cell + c] = image[r * Side + c];
            }
        }
        return sheet;
    }

    /// <summary>The character of a class as text, e.g. "Ա", with its script, e.g. "Armenian Ա (U+0531)".</summary>
    public string Describe(int characterClass) =>
        $"{Scripts[ScriptOfClass[characterClass]].Name} {char.ConvertFromUtf32(Codepoints[characterClass])} (U+{Codepoints[characterClass]:X4})";

    /// <summary>Every image of the background scripts (or of the evaluation scripts) with its class.</summary>
    public (float[][] Images, int[] Labels) Part(bool evaluation)
    {
        var images = new List<float[]>();
        var labels = new List<int>();
        foreach (var script in Scripts.Where(s => s.Evaluation == evaluation))
            for (int c = script.FirstClass; c < script.FirstClass + script.ClassCount; c++)
                for (int d = 0; d < DrawingsPerClass; d++) { images.Add(Image(c * DrawingsPerClass + d)); labels.Add(c); }
        return (images.ToArray(), labels.ToArray());
    }

    /// <summary>The uncompressed bytes of the format (what <see cref="Load"/> reads after gunzip).</summary>
    public static byte[] Serialise(int side, int drawings, IReadOnlyList<(string Name, bool Evaluation, int[] Codepoints)> scripts, byte[] pixels)
    {
        using var memory = new MemoryStream();
        using (var writer = new BinaryWriter(memory, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(Encoding.ASCII.GetBytes(Magic));
            writer.Write(side); writer.Write(drawings); writer.Write(scripts.Count);
            foreach (var (name, evaluation, codepoints) in scripts)
            {
                writer.Write(name); writer.Write(evaluation); writer.Write(codepoints.Length);
                foreach (var codepoint in codepoints) writer.Write(codepoint);
            }
            writer.Write(pixels.Length);
            writer.Write(pixels);
        }
        return memory.ToArray();
    }

    /// <summary>Loads <paramref name="path"/>, or data/characters.bin.gz found by <see cref="DataFiles.Find"/>.</summary>
    public static Characters Load(string? path = null)
    {
        path ??= DataFiles.Find("characters.bin.gz");
        using var stream = File.OpenRead(path);
        using var gzip = new GZipStream(stream, CompressionMode.Decompress);
        using var memory = new MemoryStream();
        gzip.CopyTo(memory);
        return Parse(memory.ToArray(), path);
    }

    /// <summary>Reads the uncompressed format.</summary>
    public static Characters Parse(byte[] bytes, string source = "characters")
    {
        ArgumentNullException.ThrowIfNull(bytes);
        using var reader = new BinaryReader(new MemoryStream(bytes), Encoding.UTF8);
        if (bytes.Length < Magic.Length || Encoding.ASCII.GetString(reader.ReadBytes(Magic.Length)) != Magic)
            throw new InvalidDataException($"{source} is not a character set (it does not start with {Magic}).");
        int side = reader.ReadInt32(), drawings = reader.ReadInt32(), scriptCount = reader.ReadInt32();
        if (side < 1 || drawings < 2 || scriptCount < 1) throw new InvalidDataException($"{source}: bad header (side {side}, drawings {drawings}, scripts {scriptCount}).");
        var scripts = new CharacterScript[scriptCount];
        var codepoints = new List<int>();
        for (int s = 0; s < scriptCount; s++)
        {
            string name = reader.ReadString();
            bool evaluation = reader.ReadBoolean();
            int count = reader.ReadInt32();
            scripts[s] = new CharacterScript(name, evaluation, codepoints.Count, count);
            for (int c = 0; c < count; c++) codepoints.Add(reader.ReadInt32());
        }
        int length = reader.ReadInt32();
        if (length != (long)codepoints.Count * drawings * side * side)
            throw new InvalidDataException($"{source}: {length} pixel bytes for {codepoints.Count} classes × {drawings} drawings × {side}².");
        var pixels = reader.ReadBytes(length);
        if (pixels.Length != length) throw new InvalidDataException($"{source} is truncated.");
        return new Characters(side, drawings, scripts, codepoints.ToArray(), pixels);
    }
}
