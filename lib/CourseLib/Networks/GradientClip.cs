namespace CourseLib.Networks;

/// <summary>
/// Gradient clipping by global norm in plain C#, as torch's <c>clip_grad_norm_</c>: when ‖g‖₂ (over every parameter
/// at once) exceeds the bound c, g ← g · c/(‖g‖₂ + 10⁻⁶). For gradients computed by hand (A3C's workers); trainers that
/// use autograd call torch's. (DQN's from-scratch Adam in ValueBased/Deep fuses the same clip into its update loop.)
/// </summary>
public static class GradientClip
{
    /// <summary>
    /// Scales <paramref name="gradient"/> in place so that its L2 norm is at most <paramref name="maxNorm"/>
    /// (+∞: never); returns the norm before clipping.
    /// </summary>
    public static double ByGlobalNorm(Span<float> gradient, double maxNorm)
    {
        if (!(maxNorm > 0)) throw new ArgumentOutOfRangeException(nameof(maxNorm), maxNorm, "maxNorm must be > 0 (double.PositiveInfinity: no clipping).");
        double norm = Norm(gradient), scale = maxNorm / (norm + 1e-6);
        if (scale < 1)
            for (int i = 0; i < gradient.Length; i++) gradient[i] = (float)(gradient[i] * scale);
        return norm;
    }

    /// <summary>‖g‖₂, summed in double precision.</summary>
    public static double Norm(ReadOnlySpan<float> gradient)
    {
        double squares = 0;
        foreach (var g in gradient) squares += (double)g * g;
        return Math.Sqrt(squares);
    }
}
