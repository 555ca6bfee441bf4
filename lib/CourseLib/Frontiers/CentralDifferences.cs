namespace CourseLib.Frontiers;

/// <summary>
/// The gradient of a function written on doubles (an exercise's loss, which autograd cannot see through) by central
/// differences, ∂f/∂x_k ≈ (f(x + h_k e_k) − f(x − h_k e_k)) / 2h_k. Exact up to rounding where f is quadratic (or
/// linear) along x_k between x_k − h_k and x_k + h_k, as the contrastive loss is in each distance (away from the margin)
/// and the uncertainty-weighted loss in each task loss; within O(h_k²) otherwise. The trainers use it so that the
/// student's function itself, right or wrong, decides the gradient they follow.
/// </summary>
internal static class CentralDifferences
{
    /// <summary>∇f(x), with step h_k = <paramref name="step"/>(x_k). Every call of <paramref name="f"/> gets its own copy of the point.</summary>
    /// <param name="f">The function (it may change the array it gets: it is a copy).</param>
    /// <param name="x">The point.</param>
    /// <param name="step">h_k for coordinate value x_k (&gt; 0).</param>
    /// <param name="name">The function's name, for the message when it returns a number that is not finite.</param>
    public static double[] Gradient(Func<double[], double> f, double[] x, Func<double, double> step, string name)
    {
        var gradient = new double[x.Length];
        for (int k = 0; k < x.Length; k++)
        {
            double h = step(x[k]);
            var plus = (double[])x.Clone(); plus[k] += h;
            var minus = (double[])x.Clone(); minus[k] -= h;
            double up = f(plus), down = f(minus);
            gradient[k] = (up - down) / (2 * h);
            if (!double.IsFinite(gradient[k]))
                throw new InvalidOperationException($"{name} returned {up} and {down} at points {h} apart in coordinate {k}: the training gradient is not a finite number.");
        }
        return gradient;
    }
}
