using CourseLib.Frontiers;

namespace CourseLib.Tests.Frontiers;

[Trait("Category", "unit")]
public class ContrastiveLossTests
{
    [Fact]
    public void Similar_pairs_cost_half_d_squared_and_dissimilar_pairs_the_squared_hinge()
    {
        // y = 0 (similar): ½d². y = 1 (dissimilar): ½max(0, m − d)².
        Assert.Equal(0.5 * 0.3 * 0.3, ContrastiveLoss.Pair(0.3, ContrastiveLoss.Similar, margin: 1), 12);
        Assert.Equal(0.5 * 0.7 * 0.7, ContrastiveLoss.Pair(0.3, ContrastiveLoss.Dissimilar, margin: 1), 12);
        Assert.Equal(0.0, ContrastiveLoss.Pair(1.5, ContrastiveLoss.Dissimilar, margin: 1));
        Assert.Equal(0.0, ContrastiveLoss.Pair(0, ContrastiveLoss.Similar, margin: 1));
        Assert.Equal(2.0, ContrastiveLoss.Pair(0, ContrastiveLoss.Dissimilar, margin: 2), 12);
        Assert.Equal((0.5 * 0.04 + 0.5 * 0.64) / 2, ContrastiveLoss.Mean([0.2, 0.2], [0, 1], 1.0), 12);
    }

    [Fact]
    public void Distance_is_euclidean()
    {
        Assert.Equal(5.0, ContrastiveLoss.Distance([0f, 0f], [3f, 4f]), 12);
    }

    [Fact]
    public void Bad_input_is_rejected_with_the_argument_named()
    {
        Assert.Equal("label", Assert.Throws<ArgumentOutOfRangeException>(() => ContrastiveLoss.Pair(1, 2, 1)).ParamName);
        Assert.Equal("distance", Assert.Throws<ArgumentOutOfRangeException>(() => ContrastiveLoss.Pair(-1, 0, 1)).ParamName);
        Assert.Equal("margin", Assert.Throws<ArgumentOutOfRangeException>(() => ContrastiveLoss.Pair(1, 0, 0)).ParamName);
        Assert.Equal("labels", Assert.Throws<ArgumentException>(() => ContrastiveLoss.Mean([1.0], [0, 1], 1)).ParamName);
        Assert.Equal("distances", Assert.Throws<ArgumentException>(() => ContrastiveLoss.Mean([], [], 1)).ParamName);
        Assert.Equal("b", Assert.Throws<ArgumentException>(() => ContrastiveLoss.Distance([1f], [1f, 2f])).ParamName);
    }
}
