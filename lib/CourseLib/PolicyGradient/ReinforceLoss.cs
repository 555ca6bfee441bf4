using TorchSharp;
using static TorchSharp.torch;

namespace CourseLib.PolicyGradient;

/// <summary>
/// The REINFORCE surrogate loss, whose gradient is the (negated) policy-gradient estimate of the seminar:
/// <code>
///   ∇J(θ) ≈ (1/N) Σ_i Σ_t w_{i,t} ∇ log π_θ(a_{i,t} | s_{i,t})          (N episodes i, steps t)
///   L(θ)  = −(1/N) Σ_i Σ_t w_{i,t} log π_θ(a_{i,t} | s_{i,t})  − β (1/N) Σ_i Σ_t H(π_θ(·|s_{i,t}))
/// </code>
/// The weight w_{i,t} is the reward-to-go r_t(τ_i) (or the whole return, or an advantage such as r_t − b(s_t)).
/// Weights are constants: no gradient flows through them. Minimising L by gradient descent is gradient ascent
/// on J. The sum over steps is divided by the number of episodes N, as in the estimator (not by the number of steps).
/// These are pure functions: graded exercises compare students' losses against them.
/// </summary>
public static class ReinforceLoss
{
    /// <summary>
    /// L = −(1/N) Σ w_k log π(a_k|s_k) over all steps k of a batch of <paramref name="episodeCount"/> episodes.
    /// </summary>
    /// <param name="logProbabilities">log π_θ(a_k|s_k) of the action taken at each step of the batch.</param>
    /// <param name="weights">The weight of each step (reward-to-go, return or advantage), same length.</param>
    /// <param name="episodeCount">N, the number of episodes the steps came from (at least 1).</param>
    public static double Compute(ReadOnlySpan<double> logProbabilities, ReadOnlySpan<double> weights, int episodeCount)
    {
        Check(logProbabilities.Length, weights.Length, episodeCount);
        double sum = 0;
        for (int k = 0; k < weights.Length; k++) sum += weights[k] * logProbabilities[k];
        return -sum / episodeCount;
    }

    /// <summary>
    /// The same loss on tensors: −(1/N) Σ w_k log π(a_k|s_k). <paramref name="weights"/> is detached, so the
    /// gradient is −(1/N) Σ w_k ∇ log π(a_k|s_k).
    /// </summary>
    public static Tensor Compute(Tensor logProbabilities, Tensor weights, int episodeCount)
    {
        ArgumentNullException.ThrowIfNull(logProbabilities);
        ArgumentNullException.ThrowIfNull(weights);
        if (logProbabilities.dim() != 1)
            throw new ArgumentException($"logProbabilities must be one-dimensional (one entry per step), not of shape [{string.Join(", ", logProbabilities.shape)}].", nameof(logProbabilities));
        Check(logProbabilities.shape[0], weights.numel(), episodeCount);
        using var constantWeights = weights.detach().to_type(logProbabilities.dtype).reshape(-1);
        return (logProbabilities * constantWeights).sum().neg() / episodeCount;
    }

    /// <summary>
    /// The loss from the policy network's raw outputs: log π(a|s) = log_softmax(logits)[a], minus an optional
    /// entropy bonus β (1/N) Σ_k H(π(·|s_k)) that keeps the policy from becoming deterministic too early.
    /// </summary>
    /// <param name="logits">Policy outputs, shape [steps, actions].</param>
    /// <param name="actions">The action taken at each step (int64), shape [steps].</param>
    /// <param name="weights">The weight of each step, shape [steps].</param>
    /// <param name="episodeCount">N, the number of episodes in the batch.</param>
    /// <param name="entropyCoefficient">β ≥ 0; 0 turns the bonus off.</param>
    /// <param name="surrogateLoss">
    /// The loss of the taken actions' log-probabilities, (log π, w, N) → −(1/N) Σ w log π (null: <see cref="Compute(Tensor, Tensor, int)"/>;
    /// notebook 02's exercise <c>SurrogateLoss</c> goes here). It must return one number that autograd can differentiate.
    /// </param>
    public static Tensor FromLogits(Tensor logits, Tensor actions, Tensor weights, int episodeCount, double entropyCoefficient = 0,
        Func<Tensor, Tensor, int, Tensor>? surrogateLoss = null)
    {
        ArgumentNullException.ThrowIfNull(logits);
        ArgumentNullException.ThrowIfNull(actions);
        if (logits.dim() != 2)
            throw new ArgumentException($"logits must have shape [steps, actions], not [{string.Join(", ", logits.shape)}].", nameof(logits));
        if (actions.numel() != logits.shape[0])
            throw new ArgumentException($"actions has {actions.numel()} entries but logits has {logits.shape[0]} rows: one action per step.", nameof(actions));
        if (!(entropyCoefficient >= 0))
            throw new ArgumentOutOfRangeException(nameof(entropyCoefficient), entropyCoefficient, "entropyCoefficient must be ≥ 0.");
        using var scope = NewDisposeScope();
        var logPolicy = nn.functional.log_softmax(logits, 1);
        var taken = logPolicy.gather(1, actions.to_type(ScalarType.Int64).reshape(-1, 1)).reshape(-1);
        var loss = surrogateLoss is null ? Compute(taken, weights, episodeCount) : Checked(surrogateLoss(taken, weights, episodeCount), logits.requires_grad);
        if (entropyCoefficient > 0)
        {
            var entropy = (logPolicy.exp() * logPolicy).sum().neg() / episodeCount;
            loss = loss - entropyCoefficient * entropy;
        }
        return loss.MoveToOuterDisposeScope();
    }

    // A loss from someone else's function: one number, and (when the logits have a gradient) differentiable.
    static Tensor Checked(Tensor? loss, bool needsGradient)
    {
        if (loss is null) throw new InvalidOperationException("SurrogateLoss returned null: it must return the loss as a tensor holding one number.");
        if (loss.numel() != 1)
            throw new InvalidOperationException($"SurrogateLoss returned a tensor of shape [{string.Join(", ", loss.shape)}]: the loss is one number (sum over the steps, e.g. with .sum()).");
        if (needsGradient && !loss.requires_grad)
            throw new InvalidOperationException(
                "SurrogateLoss returned a tensor without a gradient: compute it from logProbabilities with tensor operations (no .item<>(), no arrays), so that backward() reaches the policy.");
        return loss.reshape(Array.Empty<long>());
    }

    static void Check(long logProbabilityCount, long weightCount, int episodeCount)
    {
        if (logProbabilityCount != weightCount)
            throw new ArgumentException($"weights has {weightCount} entries but logProbabilities has {logProbabilityCount}: one weight per step.", "weights");
        if (episodeCount < 1)
            throw new ArgumentOutOfRangeException(nameof(episodeCount), episodeCount, "episodeCount must be at least 1.");
    }
}
