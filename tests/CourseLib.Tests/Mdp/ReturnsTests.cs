using CourseLib.Mdp;

namespace CourseLib.Tests.Mdp;

[Trait("Category", "unit")]
public class ReturnsTests
{
    static readonly double[] Rewards = [1, 0, -2, 3];

    [Fact]
    public void Total_is_the_plain_sum()
    {
        Assert.Equal(2.0, Returns.Total(Rewards));
        Assert.Equal(0.0, Returns.Total([]));
    }

    [Fact]
    public void Discounted_is_the_sum_of_gamma_to_the_t_times_r_t()
    {
        // G_0 = 1 + 0.5·0 + 0.25·(−2) + 0.125·3 = 0.875
        Assert.Equal(0.875, Returns.Discounted(Rewards, 0.5), 15);
        Assert.Equal(1.0, Returns.Discounted(Rewards, 0.0));
        Assert.Equal(2.0, Returns.Discounted(Rewards, 1.0));
    }

    [Fact]
    public void Discounted_returns_satisfy_G_t_equals_r_t_plus_gamma_G_t_plus_1()
    {
        var g = Returns.DiscountedReturns(Rewards, 0.5);
        Assert.Equal([0.875, -0.25, -0.5, 3.0], g);
        var rng = new Rng(1);
        var rewards = Enumerable.Range(0, 50).Select(_ => rng.NextGaussian()).ToArray();
        var returns = Returns.DiscountedReturns(rewards, 0.9);
        for (int t = 0; t < rewards.Length; t++)
        {
            double direct = 0;
            for (int k = t; k < rewards.Length; k++) direct += Math.Pow(0.9, k - t) * rewards[k];
            Assert.Equal(direct, returns[t], 12);
        }
        Assert.Equal(returns[0], Returns.Discounted(rewards, 0.9));
    }

    [Fact]
    public void A_bootstrap_value_stands_in_for_the_rest_of_a_truncated_episode()
    {
        var g = Returns.DiscountedReturns([1.0, 1.0], 0.5, bootstrapValue: 4);
        Assert.Equal([1 + 0.5 * (1 + 0.5 * 4), 1 + 0.5 * 4], g);
    }

    [Fact]
    public void Reward_to_go_sums_the_rewards_from_t_on()
    {
        Assert.Equal([2.0, 1.0, 1.0, 3.0], Returns.DiscountedReturns(Rewards, 1));
        Assert.Empty(Returns.DiscountedReturns([], 1));
    }

    [Fact]
    public void Bad_gamma_and_sizes_are_named()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => Returns.Discounted(Rewards, 1.5));
        Assert.Equal("discount", e.ParamName);
        Assert.Contains("[0, 1]", e.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => Returns.DiscountedReturns(Rewards, double.NaN));
        var d = Assert.Throws<ArgumentException>(() => Returns.DiscountedReturns(Rewards, 0.9, new double[3]));
        Assert.Equal("destination", d.ParamName);
    }
}
