using static TorchSharp.torch;

namespace CourseLib.ValueBased.Deep;

/// <summary>
/// The Huber loss on the TD error δ, exactly as the seminar defines it:
/// L(δ) = ½δ² for |δ| ≤ 1 and |δ| − ½ otherwise. Quadratic near zero, linear in the tails, so a single large
/// error cannot produce a huge gradient (its derivative is δ clipped to [−1, 1]; Mnih et al. 2015 "error clipping").
/// </summary>
public static class HuberLoss
{
    /// <summary>L(δ) = ½δ² if |δ| ≤ 1, else |δ| − ½.</summary>
    public static double Value(double delta)
    {
        double magnitude = Math.Abs(delta);
        return magnitude <= 1 ? 0.5 * delta * delta : magnitude - 0.5;
    }

    /// <summary>dL/dδ = δ clipped to [−1, 1].</summary>
    public static double Derivative(double delta) => Math.Clamp(delta, -1.0, 1.0);

    /// <summary>The mean Huber loss over a batch of TD errors.</summary>
    public static double Mean(ReadOnlySpan<double> deltas)
    {
        if (deltas.IsEmpty) throw new ArgumentException("deltas must not be empty.", nameof(deltas));
        double sum = 0;
        foreach (double d in deltas) sum += Value(d);
        return sum / deltas.Length;
    }

    /// <summary>The torch version: L(δ) elementwise, differentiable (autograd flows through it).</summary>
    public static Tensor Value(Tensor delta)
    {
        using var scope = NewDisposeScope();
        var magnitude = delta.abs();
        var loss = where(magnitude <= 1.0, 0.5 * delta * delta, magnitude - 0.5);
        return loss.MoveToOuterDisposeScope();
    }
}
