namespace CourseLib.InverseRl;

/// <summary>
/// GAIL's discriminator in tabular form: logistic regression on one-hot (s, a) features, i.e. one logit w[s,a] per pair,
/// <code>
///   D(s,a) = σ(w[s,a]) = P(expert | s, a)
///   loss(w) = −Σ_{s,a} ρ_E(s,a) log D(s,a) − Σ_{s,a} ρ_π(s,a) log(1 − D(s,a)) + (λ/2) Σ w²       (binary cross-entropy)
///   ∂loss/∂w[s,a] = −ρ_E(s,a) (1 − D(s,a)) + ρ_π(s,a) D(s,a) + λ w[s,a]
/// </code>
/// with ρ_E and ρ_π the (empirical) occupancy measures of the expert's and the policy's pairs. Without the penalty the
/// best D is ρ_E / (ρ_E + ρ_π): 1/2 wherever the policy matches the expert.
/// </summary>
public static class Discriminator
{
    /// <summary>D(s,a) = σ(w[s,a]).</summary>
    public static double[,] Probabilities(double[,] logits)
    {
        ArgumentNullException.ThrowIfNull(logits);
        var d = new double[logits.GetLength(0), logits.GetLength(1)];
        for (int s = 0; s < d.GetLength(0); s++)
        for (int a = 0; a < d.GetLength(1); a++) d[s, a] = Sigmoid(logits[s, a]);
        return d;
    }

    /// <summary>The binary cross-entropy of D on expert pairs (label 1) and policy pairs (label 0), weighted by the occupancies, plus (λ/2)‖w‖².</summary>
    public static double Loss(double[,] logits, double[,] expertOccupancy, double[,] policyOccupancy, double weightDecay = 0)
    {
        Check(logits, expertOccupancy, policyOccupancy, weightDecay);
        double loss = 0;
        for (int s = 0; s < logits.GetLength(0); s++)
        for (int a = 0; a < logits.GetLength(1); a++)
        {
            double w = logits[s, a];
            // −log σ(w) = softplus(−w),  −log(1 − σ(w)) = softplus(w): stable for large |w|
            loss += expertOccupancy[s, a] * Softplus(-w) + policyOccupancy[s, a] * Softplus(w) + weightDecay / 2 * w * w;
        }
        return loss;
    }

    /// <summary>∂loss/∂w[s,a] = −ρ_E(s,a)(1 − D(s,a)) + ρ_π(s,a) D(s,a) + λ w[s,a].</summary>
    public static double[,] LossGradient(double[,] logits, double[,] expertOccupancy, double[,] policyOccupancy, double weightDecay = 0)
    {
        Check(logits, expertOccupancy, policyOccupancy, weightDecay);
        var gradient = new double[logits.GetLength(0), logits.GetLength(1)];
        for (int s = 0; s < logits.GetLength(0); s++)
        for (int a = 0; a < logits.GetLength(1); a++)
        {
            double d = Sigmoid(logits[s, a]);
            gradient[s, a] = -expertOccupancy[s, a] * (1 - d) + policyOccupancy[s, a] * d + weightDecay * logits[s, a];
        }
        return gradient;
    }

    /// <summary>The reward r(s,a) the policy step maximises, from the discriminator's logits (see <see cref="GailRewardForm"/>).</summary>
    public static double[,] Reward(double[,] logits, GailRewardForm form = GailRewardForm.LogD)
    {
        ArgumentNullException.ThrowIfNull(logits);
        var r = new double[logits.GetLength(0), logits.GetLength(1)];
        for (int s = 0; s < r.GetLength(0); s++)
        for (int a = 0; a < r.GetLength(1); a++)
        {
            double w = logits[s, a];
            r[s, a] = form switch
            {
                GailRewardForm.NegativeLogOneMinusD => Softplus(w),   // −log(1 − σ(w))
                GailRewardForm.LogD => -Softplus(-w),                 // log σ(w)
                GailRewardForm.Logit => w,                            // log σ(w) − log(1 − σ(w))
                _ => throw new ArgumentOutOfRangeException(nameof(form), form, "form must be NegativeLogOneMinusD, LogD or Logit."),
            };
        }
        return r;
    }

    /// <summary>σ(x) = 1 / (1 + e^−x).</summary>
    public static double Sigmoid(double x) => x >= 0 ? 1 / (1 + Math.Exp(-x)) : Math.Exp(x) / (1 + Math.Exp(x));

    /// <summary>softplus(x) = log(1 + e^x), computed without overflow.</summary>
    public static double Softplus(double x) => x > 0 ? x + Math.Log(1 + Math.Exp(-x)) : Math.Log(1 + Math.Exp(x));

    static void Check(double[,] logits, double[,] expert, double[,] policy, double weightDecay)
    {
        ArgumentNullException.ThrowIfNull(logits);
        ArgumentNullException.ThrowIfNull(expert, "expertOccupancy");
        ArgumentNullException.ThrowIfNull(policy, "policyOccupancy");
        int s = logits.GetLength(0), a = logits.GetLength(1);
        if (expert.GetLength(0) != s || expert.GetLength(1) != a)
            throw new ArgumentException($"expertOccupancy is [{expert.GetLength(0)}, {expert.GetLength(1)}]; logits is [{s}, {a}].", "expertOccupancy");
        if (policy.GetLength(0) != s || policy.GetLength(1) != a)
            throw new ArgumentException($"policyOccupancy is [{policy.GetLength(0)}, {policy.GetLength(1)}]; logits is [{s}, {a}].", "policyOccupancy");
        if (!(weightDecay >= 0 && double.IsFinite(weightDecay)))
            throw new ArgumentOutOfRangeException(nameof(weightDecay), weightDecay, "weightDecay (λ) must be 0 or a positive number.");
    }
}
