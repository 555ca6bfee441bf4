using CourseLib.Training;

namespace CourseLib.Tests.Training;

/// <summary>A progress bar ends honestly: "done" only when all the work ran, else why it stopped.</summary>
[Trait("Category", "unit")]
public class TrainingProgressEndingTests
{
    [Fact]
    public void The_last_line_says_done_stopped_early_with_its_reason_or_stopped_at_the_count()
    {
        var mode = TrainingProgress.Mode;
        TrainingProgress.Mode = ProgressMode.None;
        try
        {
            var complete = TrainingProgress.Start("all", 100);
            complete.Finish(100);
            Assert.EndsWith("· done", complete.Describe(final: true));
            Assert.Contains("100% 100/100 steps", complete.Describe(final: true));

            var early = TrainingProgress.Start("early", 100);
            early.Report(43);
            early.Finish(43, "stopped early: goal reached");
            Assert.EndsWith("· stopped early: goal reached", early.Describe(final: true));

            var cut = TrainingProgress.Start("cut", 1000);
            cut.Report(980);
            cut.Dispose();
            Assert.EndsWith("· stopped at 980 of 1,000 steps", cut.Describe(final: true));
            Assert.Contains("98% ", cut.Describe(final: true));
            Assert.DoesNotContain("[", cut.Describe(final: true, textBar: false));
        }
        finally { TrainingProgress.Mode = mode; }
    }
}
