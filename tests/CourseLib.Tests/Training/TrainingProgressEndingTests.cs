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

/// <summary>One bar for many inner runs: bars started under <see cref="TrainingProgress.SilenceInner"/> show nothing, in parallel loops too.</summary>
[Trait("Category", "unit")]
public class TrainingProgressSilenceTests
{
    [Fact]
    public void Bars_started_inside_a_silenced_scope_and_its_parallel_loops_show_nothing_and_the_outer_bar_still_shows()
    {
        // Terminal bars (standard error) whatever the global mode other tests set.
        using var outer = TrainingProgress.Start("ablation", 4, "runs", ProgressMode.Terminal);
        Assert.True(outer.Shows);
        var inner = new bool[4];
        Parallel.For(0, 4, r =>
        {
            using (TrainingProgress.SilenceInner())
            using (var run = TrainingProgress.Start($"run {r}", 10, "steps", ProgressMode.Terminal))
                inner[r] = run.Shows;
        });
        Assert.All(inner, shows => Assert.False(shows));
        using (TrainingProgress.SilenceInner())
        using (var nested = TrainingProgress.Start("nested", 10, "steps", ProgressMode.Terminal))
            Assert.False(nested.Shows);
        using var after = TrainingProgress.Start("after", 10, "steps", ProgressMode.Terminal);
        Assert.True(after.Shows);
    }
}
