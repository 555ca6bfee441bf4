using static TorchSharp.torch;

namespace CourseLib.ActorCritic;

/// <summary>How an <see cref="A3C"/> worker computes dθ', dw' on its local copy.</summary>
public enum A3CGradient
{
    /// <summary>
    /// The actor-critic loss's gradient written out layer by layer in C# (<see cref="ActorCriticWeights.LossGradient"/>):
    /// the from-scratch version, and the fast one (measured in the closing note of the TorchSharp-faults issue).
    /// </summary>
    Handwritten,
    /// <summary>
    /// TorchSharp's autograd on the worker's own <see cref="ActorCriticNetwork"/>: forward, <see cref="ActorCriticLoss"/>,
    /// <c>backward()</c>, read the gradients: the concise version, as A2C computes it.
    /// </summary>
    Autograd,
}

/// <summary>
/// The autograd worker's gradient: θ' ← the local weights, L = L_π + c_V L_V − c_H H over the segment, ∇L by
/// <c>backward()</c>, written into <c>gradient</c> in <see cref="ActorCriticWeights"/>' layout (the network's
/// parameter order). Safe on worker threads because every build keeps TorchSharp's scalars and tensors alive across
/// native calls (build/TorchSharpKeepAlive.cs).
/// </summary>
static class A3CAutogradGradient
{
    public static (double Total, double PolicyLoss, double ValueLoss, double Entropy) Compute(ActorCriticNetwork network, ActorCriticWeights weights,
        ReadOnlySpan<float> observations, ReadOnlySpan<long> actions, ReadOnlySpan<double> advantages, ReadOnlySpan<double> returns,
        double valueCoefficient, double entropyCoefficient, float[] gradient)
    {
        weights.CopyTo(network);   // θ', w' on this worker's network
        using var scope = NewDisposeScope();
        int batch = actions.Length;
        var (logits, values) = network.forward(tensor(observations.ToArray(), [batch, weights.ObservationSize]));
        var loss = ActorCriticLoss.Compute(logits, values, tensor(actions.ToArray()),
            tensor(advantages.ToArray(), ScalarType.Float32), tensor(returns.ToArray(), ScalarType.Float32), valueCoefficient, entropyCoefficient);
        network.zero_grad();
        loss.Total.backward();
        int offset = 0;
        foreach (var parameter in network.parameters())
        {
            var g = parameter.grad!.data<float>().ToArray();
            g.CopyTo(gradient, offset);
            offset += g.Length;
        }
        return (loss.Total.item<float>(), loss.PolicyLoss.item<float>(), loss.ValueLoss.item<float>(), loss.Entropy.item<float>());
    }
}
