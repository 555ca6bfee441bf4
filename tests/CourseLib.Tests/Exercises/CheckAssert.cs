using CourseLib.Exercises;

namespace CourseLib.Tests.Exercises;

/// <summary>What the exercise-check tests assert of a report: every case passed, or failed with the expected hint.</summary>
static class CheckAssert
{
    public static void Passes(CheckReport report, int minimumCases = 10)
    {
        Assert.True(report.Passed, report.ToString());
        Assert.Equal(report.TotalCases, report.PassedCases);
        Assert.True(report.TotalCases >= minimumCases, $"only {report.TotalCases} cases");
    }

    public static void FailsWithHint(CheckReport report, string hint)
    {
        Assert.Equal(CheckStatus.Failed, report.Status);
        Assert.NotEmpty(report.Failures);
        Assert.True(report.Hint?.Contains(hint) == true, $"hint \"{report.Hint}\", expected one with \"{hint}\": {report}");
    }
}
