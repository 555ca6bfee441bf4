using System.Text.RegularExpressions;
using CourseLib.Display;
using CourseLib.Environments;
using CourseLib.Mdp;

namespace CourseLib.Tests.Environments;

[Trait("Category", "unit")]
public class DisplayTests
{
    static int Count(string text, string pattern) => Regex.Matches(text, pattern).Count;

    [Fact]
    public void A_grid_world_is_drawn_with_one_cell_per_state_values_and_one_arrow_per_non_terminal_state()
    {
        var lake = FrozenLake.FourByFour();
        var result = ValueIteration.Run(lake.Mdp, 0.99);
        string svg = lake.Draw(result.Values, result.GreedyPolicy, "V*").ToHtml();
        Assert.StartsWith("<svg", svg);
        Assert.Equal(16, Count(svg, "<rect "));
        Assert.Equal(11, Count(svg, "<polygon "));   // 16 cells − 4 holes − 1 goal
        Assert.Contains(">0.54<", svg);               // V*(start) = 0.542
        Assert.Contains(">V*<", svg);
        string uniform = lake.Draw(null, TabularPolicy.Uniform(lake.Mdp)).ToHtml();
        Assert.Equal(44, Count(uniform, "<polygon "));
    }

    [Fact]
    public void Environments_render_themselves_as_html()
    {
        HtmlDisplayable[] shown = [new CartPole(), new MountainCar(), new Pong(), FrozenLake.FourByFour(), new CliffWalking()];
        foreach (var env in shown)
        {
            if (env is IEnvironment<CartPoleObservation, int> c) c.Reset(0);
            if (env is IEnvironment<MountainCarObservation, int> m) m.Reset(0);
            if (env is IEnvironment<float[], int> p) p.Reset(0);
            if (env is IEnvironment<int, int> t) t.Reset(0);
            Assert.StartsWith("<svg", env.ToHtml());
        }
        var pong = new Pong();
        pong.Reset(seed: 0);
        Assert.Equal(2 * 5 + 1, Count(pong.ToHtml(), "fill=\"#ffffff\""));
        var difference = new float[1600];
        difference[0] = -1;
        difference[1] = 1;
        string drawn = pong.Draw(difference).ToHtml();
        Assert.Contains("#ff4040", drawn);
    }

    [Fact]
    public void Episodes_play_back_as_animations_with_a_frame_per_step()
    {
        var lake = FrozenLake.FourByFour();
        var tau = Rollout.Sample(lake, TabularPolicy.Uniform(lake.Mdp), new Rng(0), seed: 0);
        var gridAnimation = EpisodeAnimation.GridWorld(lake, tau.Observations);
        Assert.Equal(tau.Observations.Length, gridAnimation.Frames.Count);

        var cartPole = new CartPole();
        var observations = new List<CartPoleObservation> { cartPole.Reset(0).Observation };
        StepResult<CartPoleObservation> step;
        do { step = cartPole.Step(observations.Count % 2); observations.Add(step.Observation); } while (!step.Done);
        Assert.Equal(observations.Count, EpisodeAnimation.CartPole(observations).Frames.Count);

        var pong = new Pong(new PongOptions { PointsToWin = 21 });
        var frames = new List<float[]> { pong.Reset(0).Observation };
        for (int i = 0; i < 400; i++) frames.Add(pong.Step(i % 3).Observation);
        Assert.Equal(300, EpisodeAnimation.Pong(frames).Frames.Count);   // thinned to 300

        var car = new MountainCar();
        var positions = new List<MountainCarObservation> { car.Reset(0).Observation };
        for (int i = 0; i < 20; i++) positions.Add(car.Step(2).Observation);
        Assert.Equal(21, EpisodeAnimation.MountainCar(positions).Frames.Count);
        Assert.Throws<ArgumentException>(() => EpisodeAnimation.CartPole([]));
    }
}
