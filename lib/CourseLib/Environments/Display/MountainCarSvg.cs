using System.Text;

namespace CourseLib.Environments;

/// <summary>Draws a MountainCar state as SVG: the hill y = sin(3x)/3, the flag at x = 0.5 and the car.</summary>
public static class MountainCarSvg
{
    const double Width = 600, Height = 400;

    /// <summary>The SVG of the car at <paramref name="position"/>.</summary>
    public static string Render(double position, string? caption = null)
    {
        if (!double.IsFinite(position)) throw new ArgumentOutOfRangeException(nameof(position), position, "position must be a finite number.");
        double scale = Width / (MountainCar.MaxPosition - MountainCar.MinPosition);
        double Px(double x) => (x - MountainCar.MinPosition) * scale;
        double Py(double x) => Height - 40 - (Math.Sin(3 * x) * 0.45 + 0.55) * scale * 0.9;
        var svg = Svg.Open(Width, Height);
        svg.Append($"<rect width=\"{Width}\" height=\"{Height}\" fill=\"#ffffff\"/>");
        var path = new StringBuilder();
        for (int i = 0; i <= 120; i++)
        {
            double x = MountainCar.MinPosition + i * (MountainCar.MaxPosition - MountainCar.MinPosition) / 120;
            path.Append(i == 0 ? "M" : " L").Append(Svg.N(Px(x))).Append(',').Append(Svg.N(Py(x)));
        }
        svg.Append($"<path d=\"{path}\" fill=\"none\" stroke=\"#333\" stroke-width=\"2\"/>");
        double fx = Px(MountainCar.GoalPosition), fy = Py(MountainCar.GoalPosition);
        svg.Append($"<line x1=\"{Svg.N(fx)}\" y1=\"{Svg.N(fy)}\" x2=\"{Svg.N(fx)}\" y2=\"{Svg.N(fy - 50)}\" stroke=\"#333\" stroke-width=\"2\"/>");
        svg.Append($"<polygon points=\"{Svg.N(fx)},{Svg.N(fy - 50)} {Svg.N(fx + 25)},{Svg.N(fy - 42)} {Svg.N(fx)},{Svg.N(fy - 34)}\" fill=\"#f4c542\"/>");
        double cx = Px(position), cy = Py(position), slope = Math.Atan(Math.Cos(3 * position) * 0.45 * 3 * 0.9) * 180 / Math.PI;
        svg.Append($"<g transform=\"translate({Svg.N(cx)},{Svg.N(cy)}) rotate({Svg.N(-slope)})\">" +
                   "<rect x=\"-20\" y=\"-22\" width=\"40\" height=\"16\" rx=\"3\" fill=\"#1f77b4\"/>" +
                   "<circle cx=\"-11\" cy=\"-5\" r=\"5\" fill=\"#333\"/><circle cx=\"11\" cy=\"-5\" r=\"5\" fill=\"#333\"/></g>");
        Svg.Text(svg, 10, 22, caption ?? $"x = {position:0.000}", 14, anchor: "start");
        return Svg.Close(svg);
    }
}
