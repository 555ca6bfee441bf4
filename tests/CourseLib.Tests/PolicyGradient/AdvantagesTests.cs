using CourseLib.PolicyGradient;

namespace CourseLib.Tests.PolicyGradient;

[Trait("Category", "unit")]
public class AdvantagesTests
{
    [Fact]
    public void Total_return_puts_the_whole_return_on_every_step()
    {
        Assert.Equal(new[] { 6.0, 6.0, 6.0 }, Advantages.TotalReturn([1.0, 2.0, 3.0]));
        Assert.Equal(new[] { 2.75, 2.75, 2.75 }, Advantages.TotalReturn([1.0, 2.0, 3.0], 0.5));
    }

    [Fact]
    public void Normalised_weights_have_mean_zero_and_unit_deviation()
    {
        double[] w = [1, 5, 2, 8, -3];
        CourseLib.Training.Standardize.InPlace(w);
        Assert.Equal(0, w.Average(), 9);
        Assert.Equal(1, Math.Sqrt(w.Select(x => x * x).Average()), 6);
    }

    [Fact]
    public void A_discount_outside_0_to_1_is_rejected()
    {
        Assert.Equal("discount", Assert.Throws<ArgumentOutOfRangeException>(() => Advantages.TotalReturn([1.0], -0.1)).ParamName);
    }
}
