using CourseLib.Environments;

namespace CourseLib.Tests.Environments;

[Trait("Category", "unit")]
public class GridWorldViewTests
{
    [Fact]
    public void Draws_every_cell_an_arrow_per_non_terminal_cell_and_each_path()
    {
        var cliff = new CliffWalking();
        var policy = new int[48];
        var path = new[] { cliff.StateAt(3, 0), cliff.StateAt(2, 0), cliff.StateAt(2, 1) };
        var html = new GridWorldView(cliff).WithPolicy(policy).WithValues(new double[48]).WithPath(path, "Q-learning").WithTitle("cliff").ToHtml();
        Assert.Equal(48, Count(html, "<rect"));
        Assert.Equal(48 - 11, Count(html, "<line")); // the cliff cells and the goal are terminal
        Assert.Equal(1, Count(html, "<polyline"));
        Assert.Contains("Q-learning (2 steps)", html);
        Assert.Throws<ArgumentException>(() => new GridWorldView(cliff).WithPolicy(new int[3]));
    }

    static int Count(string text, string what) => (text.Length - text.Replace(what, "").Length) / what.Length;
}
