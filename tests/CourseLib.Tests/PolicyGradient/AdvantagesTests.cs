using CourseLib.PolicyGradient;

namespace CourseLib.Tests.PolicyGradient;

[Trait("Category", "unit")]
public class AdvantagesTests
{
    [Fact]
    public void Reward_to_go_sums_the_rewards_still_to_come()
    {
        Assert.Equal(new[] { 6.0, 5.0, 3.0 }, Advantages.RewardToGo([1.0, 2.0, 3.0]));
    }

    [Fact]
    public void Discounted_reward_to_go_weights_later_rewards_by_powers_of_gamma()
    {
        var toGo = Advantages.RewardToGo([1.0, 2.0, 3.0], 0.5);
        Assert.Equal(1 + 0.5 * 2 + 0.25 * 3, toGo[0], 12);
        Assert.Equal(2 + 0.5 * 3, toGo[1], 12);
        Assert.Equal(3.0, toGo[2], 12);
    }

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
        Assert.Equal("discount", Assert.Throws<ArgumentOutOfRangeException>(() => Advantages.RewardToGo([1.0], 1.5)).ParamName);
        Assert.Equal("discount", Assert.Throws<ArgumentOutOfRangeException>(() => Advantages.TotalReturn([1.0], -0.1)).ParamName);
    }
}
