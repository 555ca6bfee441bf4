namespace CourseLib.Environments;

/// <summary>Draws a Pong frame (or a frame difference) as SVG: black background, positive pixels white, negative pixels red.</summary>
public static class PongSvg
{
    /// <summary>The SVG of a row-major <paramref name="height"/> × <paramref name="width"/> frame, <paramref name="pixelSize"/> screen pixels per frame pixel.</summary>
    public static string Render(float[] frame, int width, int height, int pixelSize = 8, string? caption = null)
    {
        ArgumentNullException.ThrowIfNull(frame);
        if (width <= 0 || height <= 0 || frame.Length != width * height)
            throw new ArgumentException($"frame has {frame.Length} floats; a {height}x{width} frame needs {width * height}.", nameof(frame));
        if (pixelSize < 1 || pixelSize > 50) throw new ArgumentOutOfRangeException(nameof(pixelSize), pixelSize, "pixelSize must be in 1..50.");
        double top = caption is null ? 0 : 22;
        var svg = Svg.Open(width * pixelSize, height * pixelSize + top);
        if (caption is not null) Svg.Text(svg, 4, 16, caption, 13, anchor: "start");
        svg.Append($"<rect y=\"{Svg.N(top)}\" width=\"{width * pixelSize}\" height=\"{height * pixelSize}\" fill=\"#000000\"/>");
        for (int r = 0; r < height; r++)
        for (int c = 0; c < width; c++)
        {
            float v = frame[r * width + c];
            if (v == 0 || float.IsNaN(v)) continue;
            double intensity = Math.Min(1, Math.Abs(v));
            string colour = v > 0 ? "#ffffff" : "#ff4040";
            svg.Append($"<rect x=\"{c * pixelSize}\" y=\"{Svg.N(top + r * pixelSize)}\" width=\"{pixelSize}\" height=\"{pixelSize}\" fill=\"{colour}\" fill-opacity=\"{Svg.N(intensity)}\"/>");
        }
        return Svg.Close(svg);
    }
}
