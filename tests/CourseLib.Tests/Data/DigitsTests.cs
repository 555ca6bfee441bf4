using System.Security.Cryptography;
using CourseLib.Data;

namespace CourseLib.Tests.Data;

[Trait("Category", "unit")]
public class DigitsTests
{
    [Fact]
    public void The_shipped_file_is_the_documented_one()
    {
        var path = DataFiles.Find("digits.csv.gz");
        Assert.Equal("46abec6b12486ad9e51943373abcf22bbea1b5a51a1619b361570d8893f1464a",
            Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(path))).ToLowerInvariant());
    }

    [Fact]
    public void Loads_1797_images_of_64_pixels_with_the_documented_class_counts()
    {
        var digits = Digits.Load();
        Assert.Equal(1797, digits.Count);
        Assert.All(digits.Images, image => Assert.Equal(64, image.Length));
        Assert.All(digits.Images, image => Assert.All(image, p => Assert.InRange(p, 0f, 16f)));
        var counts = Enumerable.Range(0, 10).Select(d => digits.Labels.Count(l => l == d));
        Assert.Equal(new[] { 178, 182, 177, 183, 181, 182, 181, 179, 174, 180 }, counts);
    }

    [Fact]
    public void A_seeded_split_is_reproducible_and_disjoint()
    {
        var digits = Digits.Load();
        var (train, test) = digits.Split(0.25, seed: 3);
        var (train2, test2) = digits.Split(0.25, seed: 3);
        Assert.Equal(449, test.Count);
        Assert.Equal(1797 - 449, train.Count);
        Assert.Equal(test.Labels, test2.Labels);
        Assert.Equal(train.Images[0], train2.Images[0]);
        Assert.Empty(train.Images.Intersect(test.Images));
        Assert.Throws<ArgumentOutOfRangeException>(() => digits.Split(1.5));
    }
}
