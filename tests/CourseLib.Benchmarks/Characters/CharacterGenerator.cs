using System.Globalization;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using SkiaSharp;

namespace CourseLib.Benchmarks.CharacterSet;

/// <summary>
/// Makes data/characters.bin.gz, the course's Omniglot-like character set (see data/README.md), from Debian's Noto
/// fonts with SkiaSharp (MIT). Every drawing of a character picks one of its script's typefaces (family × weight) and
/// is warped at random, all from fixed seeds, so a run reproduces the shipped file bit for bit:
///   1. the glyph's outline is centred and scaled into a 20 px box of the 28 × 28 image;
///   2. a random affine warp: rotation ±12°, scale 0.8–1.05 with aspect ±12 %, shear ±0.25, shift ±2 px;
///   3. drawn anti-aliased at 4× resolution, its outline thickened by a random stroke of 0–1 px;
///   4. an elastic distortion (Simard et al. 2003): a smooth random displacement field, 1 px standard deviation;
///   5. averaged down to 28 × 28; noise: ink intensity ×(1 ± 10 %) and rare specks; rounded to bytes.
/// Usage: --generate-characters [output file]   (default data/characters.bin.gz)
///        --check-characters                    (generates in memory; compares with the shipped file)
/// </summary>
static class CharacterGenerator
{
    public const int Side = 28, Scale = 4, DrawingsPerClass = 20, MaxClassesPerScript = 20, Seed = 2015;
    const int Hi = Side * Scale;
    static readonly string[] FontFolders = ["/usr/share/fonts/truetype/noto"];

    public static int Run(string[] args, bool check)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var bytes = Generate(Console.Out);
        string hash = Sha256(bytes);
        Console.WriteLine($"generated {bytes.Length:N0} bytes in {clock.Elapsed.TotalSeconds:F1} s; sha256 (uncompressed) {hash}");
        if (check)
        {
            var shipped = CourseLib.Data.DataFiles.Find("characters.bin.gz");
            using var gzip = new GZipStream(File.OpenRead(shipped), CompressionMode.Decompress);
            using var memory = new MemoryStream();
            gzip.CopyTo(memory);
            string shippedHash = Sha256(memory.ToArray());
            Console.WriteLine($"shipped {shipped}: sha256 (uncompressed) {shippedHash}");
            bool same = shippedHash == hash;
            Console.WriteLine(same ? "OK: the generator reproduces the shipped character set bit for bit."
                                   : "MISMATCH: the shipped character set differs from a fresh generation.");
            return same ? 0 : 1;
        }
        string output = args.Length > 0 ? args[0] : Path.Combine(Path.GetDirectoryName(CourseLib.Data.DataFiles.Find("digits.csv.gz"))!, "characters.bin.gz");
        using (var file = File.Create(output))
        using (var gzip = new GZipStream(file, CompressionLevel.SmallestSize))
            gzip.Write(bytes);
        Console.WriteLine($"wrote {output} ({new FileInfo(output).Length:N0} bytes; sha256 {Sha256(File.ReadAllBytes(output))})");
        return 0;
    }

    static string Sha256(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    /// <summary>The uncompressed character set; <paramref name="log"/> gets the fonts and classes of each script.</summary>
    public static byte[] Generate(TextWriter log)
    {
        var scripts = new List<(string Name, bool Evaluation, int[] Codepoints)>();
        var pixels = new List<byte>();
        var accepted = new List<float[]>();           // clean renderings of every class so far, to drop look-alikes
        int classIndex = 0;
        foreach (var spec in CharacterScripts.All.OrderBy(s => s.Evaluation))   // background first; stable within
        {
            var typefaces = Typefaces(spec);
            try
            {
                var candidates = new List<int>();
                var cleans = new List<float[]>();
                int lookAlikes = 0;
                foreach (var (first, last) in spec.Ranges)
                    for (int codepoint = first; codepoint <= last; codepoint++)
                    {
                        if (!IsLetter(codepoint) || !typefaces.All(t => HasUsableGlyph(t.Typeface, codepoint))) continue;
                        var clean = Render(typefaces[0].Typeface, codepoint, Warp.None);
                        if (accepted.Concat(cleans).Any(other => Difference(clean, other) < 0.2)) { lookAlikes++; continue; }
                        candidates.Add(codepoint); cleans.Add(clean);
                    }
                // Up to MaxClassesPerScript characters, evenly spread over the script's letters.
                var chosen = Enumerable.Range(0, Math.Min(MaxClassesPerScript, candidates.Count))
                    .Select(i => i * candidates.Count / Math.Min(MaxClassesPerScript, candidates.Count)).ToArray();
                if (chosen.Length < 2) throw new InvalidOperationException($"{spec.Name}: only {chosen.Length} usable letters.");
                accepted.AddRange(chosen.Select(i => cleans[i]));
                var codepoints = chosen.Select(i => candidates[i]).ToArray();
                foreach (var codepoint in codepoints)
                {
                    for (int drawing = 0; drawing < DrawingsPerClass; drawing++)
                    {
                        var rng = new Rng(Seed * 1_000_003L + classIndex * 1_000L + drawing);
                        var typeface = typefaces[rng.NextInt(typefaces.Count)].Typeface;
                        var image = Render(typeface, codepoint, Warp.Random(rng));
                        AddNoise(image, rng);
                        foreach (var v in image) pixels.Add((byte)Math.Round(Math.Clamp(v, 0f, 1f) * 255));
                    }
                    classIndex++;
                }
                scripts.Add((spec.Name, spec.Evaluation, codepoints));
                log.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{(spec.Evaluation ? "evaluation" : "background")}\t{spec.Name}\t{codepoints.Length} of {candidates.Count} letters ({lookAlikes} look-alikes dropped)\t" +
                    $"{string.Join(' ', codepoints.Select(char.ConvertFromUtf32))}\t{string.Join(", ", typefaces.Select(t => t.File))}"));
            }
            finally
            {
                foreach (var (typeface, _) in typefaces) typeface.Dispose();
            }
        }
        log.WriteLine($"{scripts.Count} scripts ({scripts.Count(s => !s.Evaluation)} background, {scripts.Count(s => s.Evaluation)} evaluation), " +
                      $"{classIndex} classes ({scripts.Where(s => !s.Evaluation).Sum(s => s.Codepoints.Length)} background), {DrawingsPerClass} drawings each");
        return CourseLib.Data.Characters.Serialise(Side, DrawingsPerClass, scripts, pixels.ToArray());
    }

    /// <summary>Every installed weight of every family of the script.</summary>
    static List<(SKTypeface Typeface, string File)> Typefaces(ScriptSpec spec)
    {
        var list = new List<(SKTypeface, string)>();
        foreach (var family in spec.Families)
            foreach (var weight in CharacterScripts.Weights)
                foreach (var folder in FontFolders)
                {
                    var path = Path.Combine(folder, $"{family}-{weight}.ttf");
                    if (!File.Exists(path)) continue;
                    list.Add((SKTypeface.FromFile(path) ?? throw new InvalidDataException($"SkiaSharp cannot read {path}."), Path.GetFileName(path)));
                }
        if (list.Count == 0)
            throw new FileNotFoundException($"No font for the script {spec.Name} ({string.Join(", ", spec.Families)}) in {string.Join(", ", FontFolders)}: " +
                                            "install Debian's fonts with `apt-get install fonts-noto-core fonts-noto-extra` (see data/README.md).");
        return list;
    }

    static bool IsLetter(int codepoint) => CharUnicodeInfo.GetUnicodeCategory(codepoint) is
        UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter or UnicodeCategory.OtherLetter;

    /// <summary>The typeface has a glyph for the code point whose outline is at least a quarter of the em tall or wide.</summary>
    static bool HasUsableGlyph(SKTypeface typeface, int codepoint)
    {
        using var font = new SKFont(typeface, 100);
        ushort glyph = font.GetGlyph(codepoint);
        if (glyph == 0) return false;
        using var path = font.GetGlyphPath(glyph);
        if (path == null || path.IsEmpty) return false;
        var bounds = path.TightBounds;
        return Math.Max(bounds.Width, bounds.Height) >= 25;
    }

    /// <summary>Σ|a − b| / Σ max(a, b): 0 for the same image, 1 for images with no ink in common.</summary>
    static double Difference(float[] a, float[] b)
    {
        double differ = 0, union = 0;
        for (int i = 0; i < a.Length; i++) { differ += Math.Abs(a[i] - b[i]); union += Math.Max(a[i], b[i]); }
        return union == 0 ? 0 : differ / union;
    }

    /// <summary>The random parts of one drawing.</summary>
    sealed record Warp(double Rotation, double ScaleX, double ScaleY, double Shear, double ShiftX, double ShiftY, double Stroke, double[,]? ElasticX, double[,]? ElasticY)
    {
        public static readonly Warp None = new(0, 1, 1, 0, 0, 0, 0, null, null);
        const int Grid = 5;   // control points of the elastic field per side

        public static Warp Random(Rng rng)
        {
            double scale = rng.Uniform(0.8, 1.05), aspect = rng.Uniform(-0.12, 0.12);
            var rotation = rng.Uniform(-12, 12) * Math.PI / 180;
            var shear = rng.Uniform(-0.25, 0.25);
            double shiftX = rng.Uniform(-2, 2), shiftY = rng.Uniform(-2, 2), stroke = rng.Uniform(0, 1);
            var ex = new double[Grid, Grid]; var ey = new double[Grid, Grid];
            for (int i = 0; i < Grid; i++) for (int j = 0; j < Grid; j++) { ex[i, j] = rng.NextGaussian(); ey[i, j] = rng.NextGaussian(); }
            return new Warp(rotation, scale * (1 + aspect), scale * (1 - aspect), shear, shiftX, shiftY, stroke, ex, ey);
        }

        /// <summary>The field at (x, y) in high-resolution pixels: bilinear between control points, in high-resolution pixels.</summary>
        public (double Dx, double Dy) Displacement(double x, double y)
        {
            if (ElasticX == null || ElasticY == null) return (0, 0);
            double gx = x / (Hi - 1) * (Grid - 1), gy = y / (Hi - 1) * (Grid - 1);
            int i = Math.Min((int)gx, Grid - 2), j = Math.Min((int)gy, Grid - 2);
            double fx = gx - i, fy = gy - j;
            double Lerp(double[,] f) => (1 - fx) * (1 - fy) * f[i, j] + fx * (1 - fy) * f[i + 1, j] + (1 - fx) * fy * f[i, j + 1] + fx * fy * f[i + 1, j + 1];
            return (Lerp(ElasticX) * Scale, Lerp(ElasticY) * Scale);   // 1 output pixel per unit
        }
    }

    /// <summary>Draws the code point with the warp; Side² values in [0, 1].</summary>
    static float[] Render(SKTypeface typeface, int codepoint, Warp warp)
    {
        using var font = new SKFont(typeface, 100);
        using var path = font.GetGlyphPath(font.GetGlyph(codepoint));
        var bounds = path.TightBounds;
        double fit = (Side - 8) * Scale / Math.Max(bounds.Width, bounds.Height);
        double cx = bounds.MidX, cy = bounds.MidY;
        // x' = centre + shift + R·Shear·S·fit·(x − c)
        double cos = Math.Cos(warp.Rotation), sin = Math.Sin(warp.Rotation);
        // A = R · [[1, shear], [0, 1]] · diag(sx, sy) · fit
        double a11 = fit * warp.ScaleX * cos, a12 = fit * warp.ScaleY * (cos * warp.Shear - sin);
        double a21 = fit * warp.ScaleX * sin, a22 = fit * warp.ScaleY * (sin * warp.Shear + cos);
        double tx = Hi / 2.0 + warp.ShiftX * Scale - (a11 * cx + a12 * cy);
        double ty = Hi / 2.0 + warp.ShiftY * Scale - (a21 * cx + a22 * cy);
        var matrix = new SKMatrix((float)a11, (float)a12, (float)tx, (float)a21, (float)a22, (float)ty, 0, 0, 1);
        path.Transform(matrix);

        var info = new SKImageInfo(Hi, Hi, SKColorType.Alpha8, SKAlphaType.Premul);
        using var bitmap = new SKBitmap(info);
        using (var canvas = new SKCanvas(bitmap))
        using (var paint = new SKPaint { IsAntialias = true, Color = SKColors.Black, StrokeJoin = SKStrokeJoin.Round, StrokeCap = SKStrokeCap.Round })
        {
            canvas.Clear(SKColors.Transparent);
            paint.Style = warp.Stroke > 0 ? SKPaintStyle.StrokeAndFill : SKPaintStyle.Fill;
            paint.StrokeWidth = (float)(warp.Stroke * Scale);
            canvas.DrawPath(path, paint);
        }
        var hi = new float[Hi * Hi];
        var span = bitmap.GetPixelSpan();
        int rowBytes = bitmap.RowBytes;
        for (int y = 0; y < Hi; y++) for (int x = 0; x < Hi; x++) hi[y * Hi + x] = span[y * rowBytes + x] / 255f;

        // Elastic distortion: output pixel p shows the drawing at p + d(p) (bilinear).
        if (warp.ElasticX != null)
        {
            var warped = new float[Hi * Hi];
            for (int y = 0; y < Hi; y++)
                for (int x = 0; x < Hi; x++)
                {
                    var (dx, dy) = warp.Displacement(x, y);
                    warped[y * Hi + x] = Bilinear(hi, x + dx, y + dy);
                }
            hi = warped;
        }

        // Box average down to Side × Side.
        var image = new float[Side * Side];
        for (int r = 0; r < Side; r++)
            for (int c = 0; c < Side; c++)
            {
                float sum = 0;
                for (int dy = 0; dy < Scale; dy++) for (int dx = 0; dx < Scale; dx++) sum += hi[(r * Scale + dy) * Hi + c * Scale + dx];
                image[r * Side + c] = sum / (Scale * Scale);
            }
        return image;
    }

    static float Bilinear(float[] image, double x, double y)
    {
        if (x < 0 || y < 0 || x > Hi - 1 || y > Hi - 1) return 0;
        int x0 = Math.Min((int)x, Hi - 2), y0 = Math.Min((int)y, Hi - 2);
        double fx = x - x0, fy = y - y0;
        return (float)((1 - fx) * (1 - fy) * image[y0 * Hi + x0] + fx * (1 - fy) * image[y0 * Hi + x0 + 1]
                     + (1 - fx) * fy * image[(y0 + 1) * Hi + x0] + fx * fy * image[(y0 + 1) * Hi + x0 + 1]);
    }

    /// <summary>Ink intensity varies by ±10 % (a pen's pressure); one pixel in 250 gets a speck of dust.</summary>
    static void AddNoise(float[] image, Rng rng)
    {
        for (int i = 0; i < image.Length; i++)
        {
            if (image[i] > 0) image[i] *= (float)(1 + 0.1 * rng.NextGaussian());
            if (rng.NextDouble() < 0.004) image[i] = Math.Max(image[i], (float)rng.Uniform(0.3, 0.8));
        }
    }
}
