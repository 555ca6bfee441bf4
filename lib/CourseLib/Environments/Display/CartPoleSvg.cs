namespace CourseLib.Environments;

/// <summary>Draws a CartPole state as SVG: the track with its ±2.4 m limits, the cart and the pole (Gymnasium's proportions).</summary>
public static class CartPoleSvg
{
    const double Width = 600, Height = 260, Scale = Width / (2 * CartPole.PositionThreshold * 1.25);   // pixels per metre

    /// <summary>The SVG of a cart at position <paramref name="x"/> (m) with the pole at angle <paramref name="theta"/> (rad, 0 = upright).</summary>
    public static string Render(double x, double theta, string? caption = null)
    {
        if (!double.IsFinite(x)) throw new ArgumentOutOfRangeException(nameof(x), x, "x must be a finite number.");
        if (!double.IsFinite(theta)) throw new ArgumentOutOfRangeException(nameof(theta), theta, "theta must be a finite number.");
        var svg = Svg.Open(Width, Height);
        svg.Append($"<rect width=\"{Width}\" height=\"{Height}\" fill=\"#ffffff\"/>");
        double trackY = 200, cx = Width / 2 + x * Scale;
        double limit = CartPole.PositionThreshold * Scale;
        svg.Append($"<line x1=\"0\" y1=\"{trackY}\" x2=\"{Width}\" y2=\"{trackY}\" stroke=\"#333\" stroke-width=\"1.5\"/>");
        foreach (double lx in new[] { Width / 2 - limit, Width / 2 + limit })
            svg.Append($"<line x1=\"{Svg.N(lx)}\" y1=\"{trackY - 30}\" x2=\"{Svg.N(lx)}\" y2=\"{trackY + 10}\" stroke=\"#d62728\" stroke-width=\"2\" stroke-dasharray=\"4 3\"/>");
        double cartW = 50, cartH = 30;
        svg.Append($"<rect x=\"{Svg.N(cx - cartW / 2)}\" y=\"{Svg.N(trackY - cartH / 2)}\" width=\"{cartW}\" height=\"{cartH}\" fill=\"#222\" rx=\"3\"/>");
        double pivotY = trackY - cartH / 2 + 4, poleLength = 2 * CartPole.HalfPoleLength * Scale;
        double tipX = cx + poleLength * Math.Sin(theta), tipY = pivotY - poleLength * Math.Cos(theta);
        svg.Append($"<line x1=\"{Svg.N(cx)}\" y1=\"{Svg.N(pivotY)}\" x2=\"{Svg.N(tipX)}\" y2=\"{Svg.N(tipY)}\" stroke=\"#ca9865\" stroke-width=\"10\" stroke-linecap=\"round\"/>");
        svg.Append($"<circle cx=\"{Svg.N(cx)}\" cy=\"{Svg.N(pivotY)}\" r=\"5\" fill=\"#8184cb\"/>");
        Svg.Text(svg, 10, 22, caption ?? $"x = {x:0.00} m, θ = {theta * 180 / Math.PI:0.0}°", 14, anchor: "start");
        return Svg.Close(svg);
    }
}
