using System.IO.Compression;
using System.Security.Cryptography;
using CourseLib.Data;

namespace CourseLib.Tests.Data;

[Trait("Category", "unit")]
public class CharactersTests
{
    /// <summary>The sha256 of the uncompressed character set, as data/README.md documents it.</summary>
    const string ContentSha256 = "51cb5b4c47e0c6b7ad3c96d0aefe608910813b2a354e57cba125967c91c974ec";

    [Fact]
    public void The_shipped_file_is_the_documented_one()
    {
        // A fresh generation must match this too: dotnet run --project tests/CourseLib.Benchmarks -c Release -- --check-characters
        using var gzip = new GZipStream(File.OpenRead(DataFiles.Find("characters.bin.gz")), CompressionMode.Decompress);
        using var memory = new MemoryStream();
        gzip.CopyTo(memory);
        Assert.Equal(ContentSha256, Convert.ToHexStringLower(SHA256.HashData(memory.ToArray())));
        var readme = File.ReadAllText(Path.Combine(Path.GetDirectoryName(DataFiles.Find("characters.bin.gz"))!, "README.md"));
        Assert.Contains(ContentSha256, readme);
    }

    [Fact]
    public void Has_hundreds_of_classes_from_dozens_of_scripts_split_into_background_and_evaluation()
    {
        var characters = Characters.Load();
        Assert.Equal(28, characters.Side);
        Assert.Equal(20, characters.DrawingsPerClass);
        Assert.Equal(47, characters.Scripts.Count);
        Assert.Equal(29, characters.Scripts.Count(s => !s.Evaluation));
        Assert.Equal(932, characters.ClassCount);
        Assert.Equal(932 * 20, characters.Count);
        Assert.Equal(572, characters.Scripts.Where(s => !s.Evaluation).Sum(s => s.ClassCount));
        Assert.Equal(characters.Codepoints.Count, characters.Codepoints.Distinct().Count());
        Assert.All(characters.Scripts.Where(s => s.Evaluation), s => Assert.Equal(20, s.ClassCount));   // 20-way within a script

        var (background, backgroundLabels) = characters.Part(evaluation: false);
        var (evaluation, evaluationLabels) = characters.Part(evaluation: true);
        Assert.Equal(572 * 20, background.Length);
        Assert.Equal(360 * 20, evaluation.Length);
        Assert.Empty(backgroundLabels.Intersect(evaluationLabels));
        Assert.All(evaluationLabels, c => Assert.True(characters.Scripts[characters.ScriptOfClass[c]].Evaluation));
        Assert.All(evaluation.Take(200), image => Assert.All(image, p => Assert.InRange(p, 0f, 1f)));
        Assert.All(evaluation.Take(200), image => Assert.InRange(image.Average(), 0.03, 0.5));   // ink, not blank
        Assert.Equal("Latin A (U+0041)", characters.Describe(0));
        Assert.Equal(characters.Image(25)[300], characters.Image2D(25)[10, 20]);
        Assert.Equal("image", Assert.Throws<ArgumentOutOfRangeException>(() => characters.Image(characters.Count)).ParamName);
    }

    [Fact]
    public void Drawings_of_one_character_vary()
    {
        var characters = Characters.Load();
        var first = characters.Image(0);
        for (int d = 1; d < characters.DrawingsPerClass; d++)
        {
            var other = characters.Image(d);
            double difference = first.Zip(other, (a, b) => Math.Abs(a - b)).Sum();
            Assert.True(difference > 10, $"drawing {d} of class 0 differs from drawing 0 by only {difference:0.0} (of {first.Sum():0.0} ink)");
        }
    }

    [Fact]
    public void A_file_that_is_not_a_character_set_is_rejected_with_its_name()
    {
        var error = Assert.Throws<InvalidDataException>(() => Characters.Parse([1, 2, 3, 4, 5, 6, 7, 8, 9], "bogus.bin"));
        Assert.Contains("bogus.bin", error.Message);
    }
}
