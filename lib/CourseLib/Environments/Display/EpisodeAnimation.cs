using System.Text.Json.Nodes;
using CourseLib.Charts;

namespace CourseLib.Environments;

/// <summary>
/// Plays an episode back as an animated chart (a <see cref="Figure"/> with a play button): a grid world with the
/// agent moving, a CartPole swinging, a Pong game from its frames, a car on the mountain.
/// Long episodes are thinned to at most <c>maxFrames</c> frames.
/// </summary>
public static class EpisodeAnimation
{
    /// <summary>The agent walking through <paramref name="states"/> (s_0, s_1, ...) on the grid.</summary>
    public static Figure GridWorld(GridWorld world, IReadOnlyList<int> states, int frameDurationMs = 250, int maxFrames = 300)
    {
        ArgumentNullException.ThrowIfNull(world);
        CheckFrames(states, nameof(states));
        var cells = new double[world.Rows, world.Columns];
        for (int s = 0; s < world.Rows * world.Columns; s++)
        {
            var (r, c) = world.PositionOf(s);
            cells[r, c] = world.CellOf(s) switch { 'H' => 0, 'C' => 0.15, '#' => 0.3, 'G' => 1, 'S' => 0.55, _ => 0.6 };
        }
        var frames = Thin(states.Count, maxFrames).Select(t =>
        {
            var (r, c) = world.PositionOf(states[t]);
            var board = Chart.Heatmap(cells, colorscale: "Blues");
            board.Traces[0]["showscale"] = false;
            board.Traces[0]["zmin"] = 0;
            board.Traces[0]["zmax"] = 1;
            var agent = Chart.Scatter([c], [r], $"step {t}");
            agent.Traces[0]["marker"] = new JsonObject { ["size"] = 22, ["color"] = "#e63946" };
            return Figure.Overlay(board, agent);
        }).ToList();
        var figure = Chart.Animation(frames, frameDurationMs);
        figure.WithSize(Math.Min(720, 60 * world.Columns + 120), 60 * world.Rows + 140);
        figure.Layout["yaxis"] = new JsonObject { ["autorange"] = "reversed", ["scaleanchor"] = "x", ["showticklabels"] = false };
        figure.Layout["xaxis"] = new JsonObject { ["showticklabels"] = false };
        return figure.WithTitle($"{world.GetType().Name}: an episode of {states.Count - 1} steps");
    }

    /// <summary>The cart and pole through the observations of an episode.</summary>
    public static Figure CartPole(IReadOnlyList<CartPoleObservation> observations, int frameDurationMs = 40, int maxFrames = 300)
    {
        CheckFrames(observations, nameof(observations));
        double limit = Environments.CartPole.PositionThreshold, pole = 2 * Environments.CartPole.HalfPoleLength;
        var frames = Thin(observations.Count, maxFrames).Select(t =>
        {
            var o = observations[t];
            double x = o.Position, theta = o.Angle;
            var track = Chart.Line([-limit * 1.2, limit * 1.2], [0, 0], "track");
            track.Traces[0]["line"] = new JsonObject { ["color"] = "#555", ["width"] = 1 };
            var cart = Chart.Line([x - 0.25, x + 0.25, x + 0.25, x - 0.25, x - 0.25], [-0.08, -0.08, 0.08, 0.08, -0.08], "cart");
            cart.Traces[0]["fill"] = "toself";
            cart.Traces[0]["line"] = new JsonObject { ["color"] = "#222" };
            var stick = Chart.Line([x, x + pole * Math.Sin(theta)], [0.05, 0.05 + pole * Math.Cos(theta)], $"pole, step {t}");
            stick.Traces[0]["line"] = new JsonObject { ["color"] = "#ca9865", ["width"] = 8 };
            return Figure.Overlay(track, cart, stick);
        }).ToList();
        var figure = Chart.Animation(frames, frameDurationMs);
        figure.Layout["xaxis"] = new JsonObject { ["range"] = new JsonArray(-limit * 1.2, limit * 1.2), ["title"] = new JsonObject { ["text"] = "x (m)" } };
        figure.Layout["yaxis"] = new JsonObject { ["range"] = new JsonArray(-0.3, 1.3), ["scaleanchor"] = "x", ["showticklabels"] = false };
        figure.Layout["showlegend"] = false;
        return figure.WithSize(720, 360).WithTitle($"CartPole: an episode of {observations.Count - 1} steps");
    }

    /// <summary>A Pong game from its frames (row-major <paramref name="height"/> × <paramref name="width"/>).</summary>
    public static Figure Pong(IReadOnlyList<float[]> frames, int width = 40, int height = 40, int frameDurationMs = 50, int maxFrames = 300)
    {
        CheckFrames(frames, nameof(frames));
        var pictures = Thin(frames.Count, maxFrames).Select(t =>
        {
            var f = frames[t];
            if (f.Length != width * height) throw new ArgumentException($"frame {t} has {f.Length} floats; a {height}x{width} frame needs {width * height}.", nameof(frames));
            var pixels = new float[height, width];
            for (int r = 0; r < height; r++) for (int c = 0; c < width; c++) pixels[r, c] = f[r * width + c];
            var image = Chart.Image(pixels);
            image.Traces[0]["zmin"] = -1;
            image.Traces[0]["zmax"] = 1;
            image.Traces[0]["colorscale"] = new JsonArray(new JsonArray(0, "#ff4040"), new JsonArray(0.5, "#000000"), new JsonArray(1, "#ffffff"));
            return image;
        }).ToList();
        var figure = Chart.Animation(pictures, frameDurationMs);
        return figure.WithTitle($"Pong: {frames.Count - 1} steps");
    }

    /// <summary>The car on the hill through the observations of an episode.</summary>
    public static Figure MountainCar(IReadOnlyList<MountainCarObservation> observations, int frameDurationMs = 40, int maxFrames = 300)
    {
        CheckFrames(observations, nameof(observations));
        var hillX = Enumerable.Range(0, 91).Select(i => Environments.MountainCar.MinPosition + i * 0.02).ToArray();
        var hillY = hillX.Select(x => Math.Sin(3 * x) / 3).ToArray();
        var frames = Thin(observations.Count, maxFrames).Select(t =>
        {
            double x = observations[t].Position;
            var hill = Chart.Line(hillX, hillY, "hill");
            hill.Traces[0]["line"] = new JsonObject { ["color"] = "#555" };
            var flag = Chart.Scatter([Environments.MountainCar.GoalPosition], [Math.Sin(3 * Environments.MountainCar.GoalPosition) / 3 + 0.05], "goal");
            flag.Traces[0]["marker"] = new JsonObject { ["size"] = 14, ["symbol"] = "triangle-right", ["color"] = "#f4c542" };
            var car = Chart.Scatter([x], [Math.Sin(3 * x) / 3 + 0.02], $"car, step {t}");
            car.Traces[0]["marker"] = new JsonObject { ["size"] = 16, ["color"] = "#1f77b4" };
            return Figure.Overlay(hill, flag, car);
        }).ToList();
        var figure = Chart.Animation(frames, frameDurationMs);
        figure.Layout["showlegend"] = false;
        figure.Layout["yaxis"] = new JsonObject { ["range"] = new JsonArray(-0.5, 0.5) };
        return figure.WithAxes("position").WithTitle($"MountainCar: an episode of {observations.Count - 1} steps");
    }

    static void CheckFrames<T>(IReadOnlyList<T> frames, string name)
    {
        ArgumentNullException.ThrowIfNull(frames, name);
        if (frames.Count == 0) throw new ArgumentException($"{name} is empty: an animation needs at least one frame.", name);
    }

    /// <summary>Indices 0..count−1 thinned evenly to at most <paramref name="maxFrames"/>, always keeping the last.</summary>
    static IEnumerable<int> Thin(int count, int maxFrames)
    {
        if (maxFrames < 2) throw new ArgumentOutOfRangeException(nameof(maxFrames), maxFrames, "maxFrames must be at least 2.");
        if (count <= maxFrames) return Enumerable.Range(0, count);
        return Enumerable.Range(0, maxFrames).Select(i => (int)Math.Round(i * (count - 1) / (double)(maxFrames - 1))).Distinct();
    }
}
