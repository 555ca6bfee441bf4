using CourseLib.Training;

namespace CourseLib.Tests.Training;

[Trait("Category", "unit")]
public class TrainingProgressTests
{
    [Fact]
    public void Describes_the_bar_counts_and_latest_figures()
    {
        var previous = TrainingProgress.Mode;
        TrainingProgress.Mode = ProgressMode.None;
        try
        {
            using var progress = TrainingProgress.Start("REINFORCE", total: 200, unit: "steps");
            progress.Report(50, ("return", 21.5), ("loss", 0.125));
            var line = progress.Describe();
            Assert.StartsWith("REINFORCE [######..................] 25% 50/200 steps", line);
            Assert.Contains("return 21.5", line);
            Assert.Contains("loss 0.125", line);
            Assert.EndsWith("stopped at 50 of 200 steps", progress.Describe(final: true)); // not "done": 150 steps never ran
        }
        finally { TrainingProgress.Mode = previous; }
    }

    [Fact]
    public void Rejects_a_negative_total()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => TrainingProgress.Start("x", -1));
    }
}
