using CourseLib.Charts;

namespace CourseLib.Tests.Charts;

[Trait("Category", "unit")]
public class LearningCurvesTests
{
    [Fact]
    public void The_moving_average_trails_over_the_window_and_averages_the_first_points_seen()
    {
        Assert.Equal(new[] { 1.0, 1.5, 2.0, 3.0, 4.0 }, LearningCurves.MovingAverage([1, 2, 3, 4, 5], 3));
        Assert.Equal("window", Assert.Throws<ArgumentOutOfRangeException>(() => LearningCurves.MovingAverage([1.0], 0)).ParamName);
    }
}
