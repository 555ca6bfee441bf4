using static TorchSharp.torch;

namespace CourseLib.ActorCritic;

/// <summary>The parts of the actor-critic loss for one batch, as scalar tensors (Total is the one to differentiate).</summary>
public sealed record ActorCriticLossParts(Tensor Total, Tensor PolicyLoss, Tensor ValueLoss, Tensor Entropy);

/// <summary>
/// The loss whose gradient is the advantage actor-critic update (Mnih et al. 2016), over a batch of B steps:
/// <code>
///   L_π = −(1/B) Σ_t log π_θ(a_t|s_t) Â_t             (Â_t held fixed: no gradient flows into the advantage)
///   L_V =  (1/B) Σ_t (V_w(s_t) − G_t)²                (G_t: the critic's target, e.g. a λ-return)
///   H   =  (1/B) Σ_t −Σ_a π_θ(a|s_t) log π_θ(a|s_t)  (entropy bonus: keeps the policy exploring)
///   L   =  L_π + c_V L_V − c_H H
/// </code>
/// </summary>
public static class ActorCriticLoss
{
    /// <summary>The loss parts for <paramref name="logits"/> [B, actions] and <paramref name="values"/> [B] from the network.</summary>
    /// <param name="logits">The actor's logits for the batch's states.</param>
    /// <param name="values">The critic's V(s_t) for the batch's states.</param>
    /// <param name="actions">The actions taken, int64 [B].</param>
    /// <param name="advantages">Â_t [B] (constants).</param>
    /// <param name="returns">The critic's targets G_t [B] (constants).</param>
    /// <param name="valueCoefficient">c_V ≥ 0.</param>
    /// <param name="entropyCoefficient">c_H ≥ 0.</param>
    public static ActorCriticLossParts Compute(Tensor logits, Tensor values, Tensor actions, Tensor advantages, Tensor returns,
        double valueCoefficient, double entropyCoefficient)
    {
        if (!(valueCoefficient >= 0)) throw new ArgumentOutOfRangeException(nameof(valueCoefficient), valueCoefficient, "valueCoefficient must be 0 or more.");
        if (!(entropyCoefficient >= 0)) throw new ArgumentOutOfRangeException(nameof(entropyCoefficient), entropyCoefficient, "entropyCoefficient must be 0 or more.");
        var logProbabilities = nn.functional.log_softmax(logits, -1);
        var logProbabilityTaken = logProbabilities.gather(1, actions.unsqueeze(1)).squeeze(1);
        var policyLoss = -(logProbabilityTaken * advantages.detach()).mean();
        var valueLoss = (values - returns.detach()).pow(2).mean();
        var entropy = -(logProbabilities.exp() * logProbabilities).sum(1).mean();
        var total = policyLoss + valueCoefficient * valueLoss - entropyCoefficient * entropy;
        return new ActorCriticLossParts(total, policyLoss, valueLoss, entropy);
    }
}
