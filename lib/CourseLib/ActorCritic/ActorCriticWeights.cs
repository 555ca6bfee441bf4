using System.Runtime.CompilerServices;
using CourseLib.Environments;
using CourseLib.Networks;
using static TorchSharp.torch;

namespace CourseLib.ActorCritic;

/// <summary>
/// An <see cref="ActorCriticNetwork"/>'s weights as one vector of plain C# numbers, with the forward pass and the
/// gradient of the actor-critic loss (<see cref="ActorCriticLoss"/>) written out in C#. A3C's workers act with it, and
/// learn with it when <see cref="A3COptions.Gradient"/> is <see cref="A3CGradient.Handwritten"/> (the default): on this
/// small network that costs a fraction of autograd's CPU time, because libtorch's per-operator overhead, not the
/// arithmetic, dominates there. The tests check the gradient against TorchSharp's autograd.
/// Layout: the actor's layers in order (each weight [outputs × inputs] row by row, then its bias), then the critic's,
/// the order of <see cref="ActorCriticNetwork"/>'s parameters. Not thread-safe: one instance per thread.
/// </summary>
internal sealed class ActorCriticWeights
{
    readonly record struct Layer(int Weight, int Bias, int Inputs, int Outputs);

    readonly Layer[] _actor, _critic;   // hidden layers, then the head (the critic's head only, with a shared trunk)
    readonly bool _sharedTrunk;
    // Per-sample activations of each layer (index 0: the observation), and their gradients.
    readonly float[][] _actorActivations, _criticActivations, _actorDeltas, _criticDeltas;
    readonly float[] _logits, _deltaLogits, _deltaValue = new float[1], _observation;

    /// <summary>All weights and biases, laid out as described above.</summary>
    public float[] Values { get; }
    /// <summary>Length of the observation vector.</summary>
    public int ObservationSize { get; }
    /// <summary>Number of discrete actions.</summary>
    public int ActionCount { get; }

    /// <summary>A copy of <paramref name="network"/>'s current weights (call on the thread that owns the network).</summary>
    public ActorCriticWeights(ActorCriticNetwork network)
        : this(network.ObservationSize, network.ActionCount, network.HiddenSizes, network.SharedTrunk)
    {
        using var noGrad = no_grad();
        int offset = 0;
        foreach (var parameter in network.parameters())
        {
            var values = parameter.data<float>().ToArray();
            values.CopyTo(Values, offset);
            offset += values.Length;
        }
        if (offset != Values.Length) throw new InvalidOperationException($"The network has {offset} weights; the layout expects {Values.Length}.");
    }

    ActorCriticWeights(int observationSize, int actionCount, IReadOnlyList<int> hiddenSizes, bool sharedTrunk)
    {
        (ObservationSize, ActionCount, _sharedTrunk) = (observationSize, actionCount, sharedTrunk);
        int[] sizes = [observationSize, .. hiddenSizes];
        int offset = 0;
        Layer Next(int inputs, int outputs)
        {
            var layer = new Layer(offset, offset + inputs * outputs, inputs, outputs);
            offset += inputs * outputs + outputs;
            return layer;
        }
        var actor = new List<Layer>();
        for (int l = 0; l + 1 < sizes.Length; l++) actor.Add(Next(sizes[l], sizes[l + 1]));
        actor.Add(Next(sizes[^1], actionCount));
        var critic = new List<Layer>();
        if (!sharedTrunk)
            for (int l = 0; l + 1 < sizes.Length; l++) critic.Add(Next(sizes[l], sizes[l + 1]));
        critic.Add(Next(sizes[^1], 1));
        (_actor, _critic) = (actor.ToArray(), critic.ToArray());
        Values = new float[offset];
        _actorActivations = sizes.Select(s => new float[s]).ToArray();
        _actorDeltas = sizes.Select(s => new float[s]).ToArray();
        _criticActivations = sharedTrunk ? [] : sizes.Select(s => new float[s]).ToArray();
        _criticDeltas = sharedTrunk ? [] : sizes.Select(s => new float[s]).ToArray();
        (_logits, _deltaLogits, _observation) = (new float[actionCount], new float[actionCount], new float[observationSize]);
        _hiddenSizes = hiddenSizes.ToArray();
    }

    readonly int[] _hiddenSizes;

    /// <summary>A new instance with the same layout and a copy of these weights (for another thread).</summary>
    public ActorCriticWeights Copy()
    {
        var copy = new ActorCriticWeights(ObservationSize, ActionCount, _hiddenSizes, _sharedTrunk);
        Values.CopyTo(copy.Values, 0);
        return copy;
    }

    /// <summary>Writes these weights into <paramref name="network"/> (same architecture; call on the thread that owns it).</summary>
    public void CopyTo(ActorCriticNetwork network)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        int offset = 0;
        foreach (var parameter in network.parameters())
        {
            int count = (int)parameter.numel();
            parameter.copy_(tensor(Values.AsSpan(offset, count).ToArray()).reshape(parameter.shape));
            offset += count;
        }
    }

    /// <summary>π(·|s) into <paramref name="probabilities"/> and V(s), for one observation (for acting).</summary>
    public double Evaluate(ReadOnlySpan<float> observation, Span<double> probabilities)
    {
        Forward(observation);
        Softmax.Write(_logits, probabilities);
        return CriticOutput();
    }

    /// <summary>argmax_a π(a|s) for one observation (ties to the lowest action): the greedy actor evaluations play.</summary>
    public int GreedyAction<TObservation>(TObservation observation) where TObservation : IObservationVector<TObservation>
    {
        observation.CopyTo(_observation);
        Forward(_observation);
        int best = 0;
        for (int a = 1; a < ActionCount; a++) if (_logits[a] > _logits[best]) best = a;   // softmax is monotonic
        return best;
    }

    /// <summary>
    /// The loss L = L_π + c_V L_V − c_H H of <see cref="ActorCriticLoss"/> on a batch (observations row by row), and its
    /// gradient with respect to <see cref="Values"/>, written into <paramref name="gradient"/> (overwritten):
    /// ∂L/∂logit_k = (1/B)[Â_t (π_k − 1{k = a_t}) + c_H π_k (log π_k + H_t)],  ∂L/∂V_t = (2 c_V / B)(V_t − G_t),
    /// then back through the heads and the tanh layers (tanh' = 1 − tanh²).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]   // a numeric kernel: optimised from its first call, not after tiering
    public (double Total, double PolicyLoss, double ValueLoss, double Entropy) LossGradient(ReadOnlySpan<float> observations, ReadOnlySpan<long> actions,
        ReadOnlySpan<double> advantages, ReadOnlySpan<double> returns, double valueCoefficient, double entropyCoefficient, float[] gradient)
    {
        int batch = actions.Length;
        Array.Clear(gradient);
        Span<double> probabilities = stackalloc double[ActionCount];
        double policyLoss = 0, valueLoss = 0, entropySum = 0;
        for (int t = 0; t < batch; t++)
        {
            Forward(observations.Slice(t * ObservationSize, ObservationSize));
            double logSum = Softmax.Write(_logits, probabilities);
            double entropy = 0;
            for (int a = 0; a < ActionCount; a++) entropy -= probabilities[a] * (_logits[a] - logSum);
            int taken = (int)actions[t];
            double value = CriticOutput();
            policyLoss -= (_logits[taken] - logSum) * advantages[t];
            valueLoss += (value - returns[t]) * (value - returns[t]);
            entropySum += entropy;

            // Actor: gradient at the logits, then back through the head and the hidden layers.
            var deltaLogits = _deltaLogits;
            for (int a = 0; a < ActionCount; a++)
            {
                double logProbability = _logits[a] - logSum;
                deltaLogits[a] = (float)((advantages[t] * (probabilities[a] - (a == taken ? 1 : 0))
                                          + entropyCoefficient * probabilities[a] * (logProbability + entropy)) / batch);
            }
            var actorTop = _actorDeltas[^1];
            Backward(_actor[^1], _actorActivations[^1], deltaLogits, actorTop, gradient);
            float deltaValue = _deltaValue[0] = (float)(2 * valueCoefficient * (value - returns[t]) / batch);
            if (_sharedTrunk)
            {
                // The critic's head reads the actor's last hidden layer: its gradient flows into the shared trunk too.
                var head = _critic[0];
                for (int i = 0; i < head.Inputs; i++)
                {
                    gradient[head.Weight + i] += deltaValue * _actorActivations[^1][i];
                    actorTop[i] += deltaValue * Values[head.Weight + i];
                }
                gradient[head.Bias] += deltaValue;
            }
            BackwardHidden(_actor, _actorActivations, _actorDeltas, gradient);
            if (!_sharedTrunk)
            {
                Backward(_critic[^1], _criticActivations[^1], _deltaValue, _criticDeltas[^1], gradient);
                BackwardHidden(_critic, _criticActivations, _criticDeltas, gradient);
            }
        }
        (policyLoss, valueLoss, entropySum) = (policyLoss / batch, valueLoss / batch, entropySum / batch);
        return (policyLoss + valueCoefficient * valueLoss - entropyCoefficient * entropySum, policyLoss, valueLoss, entropySum);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]   // a numeric kernel: optimised from its first call, not after tiering
    void Forward(ReadOnlySpan<float> observation)
    {
        observation.CopyTo(_actorActivations[0]);
        for (int l = 0; l + 1 < _actor.Length; l++) Affine(_actor[l], _actorActivations[l], _actorActivations[l + 1], tanh: true);
        Affine(_actor[^1], _actorActivations[^1], _logits, tanh: false);
        if (_sharedTrunk) return;
        observation.CopyTo(_criticActivations[0]);
        for (int l = 0; l + 1 < _critic.Length; l++) Affine(_critic[l], _criticActivations[l], _criticActivations[l + 1], tanh: true);
    }

    double CriticOutput()
    {
        Span<float> value = stackalloc float[1];
        Affine(_critic[^1], _sharedTrunk ? _actorActivations[^1] : _criticActivations[^1], value, tanh: false);
        return value[0];
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]   // a numeric kernel: optimised from its first call, not after tiering
    void Affine(Layer layer, ReadOnlySpan<float> input, Span<float> output, bool tanh)
    {
        for (int j = 0; j < layer.Outputs; j++)
        {
            var row = Values.AsSpan(layer.Weight + j * layer.Inputs, layer.Inputs);
            float sum = Values[layer.Bias + j];
            for (int i = 0; i < row.Length; i++) sum += row[i] * input[i];
            output[j] = tanh ? MathF.Tanh(sum) : sum;
        }
    }

    /// <summary>Adds the layer's weight and bias gradients for output gradient <paramref name="delta"/>; writes the input's gradient.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]   // a numeric kernel: optimised from its first call, not after tiering
    void Backward(Layer layer, ReadOnlySpan<float> input, ReadOnlySpan<float> delta, Span<float> inputDelta, float[] gradient)
    {
        inputDelta.Clear();
        for (int j = 0; j < layer.Outputs; j++)
        {
            float d = delta[j];
            if (d == 0) continue;
            gradient[layer.Bias + j] += d;
            var row = Values.AsSpan(layer.Weight + j * layer.Inputs, layer.Inputs);
            var rowGradient = gradient.AsSpan(layer.Weight + j * layer.Inputs, layer.Inputs);
            for (int i = 0; i < row.Length; i++)
            {
                rowGradient[i] += d * input[i];
                inputDelta[i] += d * row[i];
            }
        }
    }

    /// <summary>Back through the tanh hidden layers, from the gradient at the last hidden layer's output (deltas[^1]).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]   // a numeric kernel: optimised from its first call, not after tiering
    void BackwardHidden(Layer[] layers, float[][] activations, float[][] deltas, float[] gradient)
    {
        for (int l = layers.Length - 2; l >= 0; l--)
        {
            var output = activations[l + 1];
            var delta = deltas[l + 1];
            for (int j = 0; j < output.Length; j++) delta[j] *= 1 - output[j] * output[j];
            Backward(layers[l], activations[l], delta, deltas[l], gradient);
        }
    }
}
