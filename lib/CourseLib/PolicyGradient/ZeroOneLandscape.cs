using CourseLib.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace CourseLib.PolicyGradient;

/// <summary>
/// The objectives of a classifier along a line θ(α) = θ₀ + α·d in parameter space.
/// </summary>
/// <param name="Alphas">The positions α along the line.</param>
/// <param name="Accuracy">The 0/1 objective: fraction of images classified right by argmax π_θ. Piecewise constant in α.</param>
/// <param name="AccuracySlope">Finite-difference slope of the accuracy at each α (step 1e-4): zero almost everywhere.</param>
/// <param name="ExpectedReward">E[1[a = y]] with a ~ π_θ: the smooth objective REINFORCE follows.</param>
/// <param name="CrossEntropy">Mean −log π_θ(y|x): the smooth surrogate supervised learning follows.</param>
public sealed record LineScan(double[] Alphas, double[] Accuracy, double[] AccuracySlope, double[] ExpectedReward, double[] CrossEntropy)
{
    /// <summary>Fraction of the scanned points where the accuracy's slope is exactly zero.</summary>
    public double FlatFraction => AccuracySlope.Count(s => s == 0) / (double)AccuracySlope.Length;
}

/// <summary>
/// Why gradient descent cannot train on the 0/1 reward itself: the accuracy depends on θ only through which class
/// has the largest logit, so it changes in jumps when an image's argmax flips and is constant in between — its
/// gradient is zero almost everywhere and undefined at the jumps. Its expectation under the softmax policy is smooth.
/// </summary>
public static class ZeroOneLandscape
{
    /// <summary>
    /// Scans <paramref name="points"/> values of α in [−<paramref name="range"/>, <paramref name="range"/>] along a
    /// random direction d (Gaussian, each parameter tensor scaled to the norm of the corresponding weights, so α = 1
    /// moves every layer by its own size). The policy's weights are restored afterwards.
    /// </summary>
    public static LineScan AlongRandomLine(CategoricalPolicy policy, Digits digits, int points = 201, double range = 0.5, int seed = 0)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(digits);
        if (points < 2) throw new ArgumentOutOfRangeException(nameof(points), points, "points must be at least 2.");
        if (!(range > 0)) throw new ArgumentOutOfRangeException(nameof(range), range, "range must be > 0.");
        var parameters = policy.Network.parameters().ToArray();
        using var _ = no_grad();
        var origin = parameters.Select(p => p.detach().clone()).ToArray();
        var rng = new Rng(seed);
        var direction = origin.Select(p =>
        {
            var values = new float[p.numel()];
            for (int i = 0; i < values.Length; i++) values[i] = (float)rng.NextGaussian();
            var d = tensor(values).reshape(p.shape);
            double scale = p.norm().item<float>() / Math.Max(d.norm().item<float>(), 1e-12);
            return d.mul_(scale);
        }).ToArray();
        using var images = ClassificationAsBandit.Images(digits);
        using var labels = tensor(digits.Labels.Select(l => (long)l).ToArray());

        var alphas = new double[points];
        var accuracy = new double[points];
        var slope = new double[points];
        var expected = new double[points];
        var crossEntropy = new double[points];
        const double h = 1e-4;
        try
        {
            for (int k = 0; k < points; k++)
            {
                double alpha = alphas[k] = -range + 2 * range * k / (points - 1);
                (accuracy[k], expected[k], crossEntropy[k]) = Evaluate(alpha);
                slope[k] = (Evaluate(alpha + h).Accuracy - Evaluate(alpha - h).Accuracy) / (2 * h);
            }
        }
        finally
        {
            for (int i = 0; i < parameters.Length; i++) parameters[i].copy_(origin[i]);
            policy.Refresh();
            foreach (var t in origin.Concat(direction)) t.Dispose();
        }
        return new LineScan(alphas, accuracy, slope, expected, crossEntropy);

        (double Accuracy, double Expected, double CrossEntropy) Evaluate(double alpha)
        {
            using var scope = NewDisposeScope();
            for (int i = 0; i < parameters.Length; i++) parameters[i].copy_(origin[i] + alpha * direction[i]);
            var logits = policy.Network.forward(images);
            var logPolicy = nn.functional.log_softmax(logits, 1);
            var logOfLabel = logPolicy.gather(1, labels.reshape(-1, 1));
            double acc = logits.argmax(1).eq(labels).to_type(ScalarType.Float64).mean().item<double>();
            return (acc, logOfLabel.exp().mean().item<float>(), -logOfLabel.mean().item<float>());
        }
    }
}
