using CourseLib.Data;
using CourseLib.Frontiers;

namespace CourseLib.Tests.Frontiers;

[Trait("Category", "unit")]
public class DigitMeasuresTests
{
    [Fact]
    public void Ink_mass_centre_row_and_parity_are_what_they_say()
    {
        var image = new float[64];
        image[0] = 16; image[63] = 16; image[8 * 6 + 3] = 8;   // rows 0, 7 and 6
        Assert.Equal(2.5f, DigitMeasures.InkMass(image));
        Assert.Equal((0 * 16 + 7 * 16 + 6 * 8) / 40f, DigitMeasures.CentreRow(image), 5);
        Assert.Equal(3.5f, DigitMeasures.CentreRow(new float[64]));
        Assert.Equal(new[] { 0, 1, 0, 1, 0, 1, 0, 1, 0, 1 }, Enumerable.Range(0, 10).Select(DigitMeasures.Parity));
        Assert.Equal(1f, DigitMeasures.Scaled(image)[0]);
    }

    [Fact]
    public void The_three_tasks_cover_every_image()
    {
        var digits = Digits.Load();
        var tasks = DigitMeasures.Tasks(digits);
        Assert.Equal(new[] { "digit", "ink", "parity" }, tasks.Select(t => t.Name));
        Assert.All(tasks, t => Assert.Equal(digits.Count, t.Count));
        Assert.Equal(new[] { 10, 1, 2 }, tasks.Select(t => t.OutputCount));
        var ink = tasks[1].Values!;
        Assert.InRange(ink.Average(), 15, 25);
    }

    [Fact]
    public void Bad_input_is_rejected_with_the_argument_named()
    {
        Assert.Equal("image", Assert.Throws<ArgumentException>(() => DigitMeasures.InkMass(new float[63])).ParamName);
        Assert.Equal("digit", Assert.Throws<ArgumentOutOfRangeException>(() => DigitMeasures.Parity(10)).ParamName);
    }
}
