using CourseLib.Environments;

namespace CourseLib.Tests.Environments;

[Trait("Category", "unit")]
public class SpacesTests
{
    [Fact]
    public void Discrete_contains_0_to_n_minus_1_and_samples_all_of_them()
    {
        var space = new Discrete(3);
        Assert.True(space.Contains(0) && space.Contains(2));
        Assert.False(space.Contains(-1) || space.Contains(3));
        var rng = new Rng(0);
        var seen = Enumerable.Range(0, 300).Select(_ => space.Sample(rng)).Distinct().OrderBy(a => a);
        Assert.Equal([0, 1, 2], seen);
        Assert.Equal("3 is outside 0..2.", space.Explain(3));
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => space.Check(5, "action"));
        Assert.Equal("action", e.ParamName);
    }

    [Fact]
    public void Box_checks_each_component_and_says_which_one_is_wrong()
    {
        var space = new MountainCar().ObservationSpace;
        Assert.True(space.Contains(new MountainCarObservation(-0.5f, 0f)));
        Assert.Contains("component 0", space.Explain(new MountainCarObservation(0.7f, 0f)));
        Assert.Contains("NaN", space.Explain(new MountainCarObservation(0f, float.NaN)));
        var rng = new Rng(1);
        for (int i = 0; i < 100; i++) Assert.True(space.Contains(space.Sample(rng)));
        var unbounded = new CartPole().ObservationSpace;   // two infinite bounds
        for (int i = 0; i < 100; i++) Assert.True(unbounded.Contains(unbounded.Sample(rng)));
    }

    [Fact]
    public void FloatBox_checks_size_range_and_NaN()
    {
        var space = new FloatBox([2, 3], 0, 1);
        Assert.Equal(6, space.Size);
        Assert.True(space.Contains(new float[6]));
        Assert.Equal("the array has 5 elements; FloatBox(2x3): values in [0, 1] needs 6.", space.Explain(new float[5]));
        Assert.Contains("element 1 is NaN", space.Explain([0, float.NaN, 0, 0, 0, 0]));
        Assert.Contains("outside [0, 1]", space.Explain([0, 0, 2, 0, 0, 0]));
        Assert.True(space.Contains(space.Sample(new Rng(2))));
        Assert.Throws<ArgumentOutOfRangeException>(() => new FloatBox([0, 3], 0, 1));
    }
}
