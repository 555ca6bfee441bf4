namespace CourseLib.ActorCritic;

/// <summary>
/// A frozen plain-C# copy of an <see cref="ActorCriticNetwork"/>'s weights that computes π(·|s) and V(s) for one
/// observation in microseconds, without torch's per-call overhead. Acting (one observation at a time, thousands of
/// times per update) uses it; learning (one batched forward and backward pass per update) uses the torch network.
/// Take a new snapshot after every update.
/// </summary>
public sealed class ActorCriticSnapshot
{
    readonly Layer[] _actor, _critic;
    readonly bool _sharedTrunk;
    readonly float[] _bufferA, _bufferB, _criticA, _criticB;

    /// <summary>Length of the observation vector.</summary>
    public int ObservationSize { get; }
    /// <summary>Number of discrete actions.</summary>
    public int ActionCount { get; }

    readonly record struct Layer(float[] Weight, float[] Bias, int Inputs, int Outputs);

    internal ActorCriticSnapshot(ActorCriticNetwork network, IReadOnlyList<(float[] Weight, float[] Bias, int Inputs, int Outputs)> actor,
        IReadOnlyList<(float[] Weight, float[] Bias, int Inputs, int Outputs)> critic)
    {
        ObservationSize = network.ObservationSize;
        ActionCount = network.ActionCount;
        _sharedTrunk = network.SharedTrunk;
        _actor = actor.Select(l => new Layer(l.Weight, l.Bias, l.Inputs, l.Outputs)).ToArray();
        _critic = critic.Select(l => new Layer(l.Weight, l.Bias, l.Inputs, l.Outputs)).ToArray();
        int widest = Math.Max(ObservationSize, network.HiddenSizes.Max());
        widest = Math.Max(widest, ActionCount);
        (_bufferA, _bufferB, _criticA, _criticB) = (new float[widest], new float[widest], new float[widest], new float[widest]);
    }

    /// <summary>Writes π(·|s) into <paramref name="probabilities"/> (ActionCount long) and returns V(s). Not thread-safe: one snapshot per thread.</summary>
    public double Evaluate(ReadOnlySpan<float> observation, Span<double> probabilities)
    {
        if (observation.Length != ObservationSize)
            throw new ArgumentException($"observation has {observation.Length} numbers; the network reads {ObservationSize}.", nameof(observation));
        if (probabilities.Length < ActionCount)
            throw new ArgumentException($"probabilities has room for {probabilities.Length} numbers; it needs {ActionCount}.", nameof(probabilities));

        // Actor: tanh hidden layers, then logits → softmax.
        var hidden = Forward(_actor, _actor.Length - 1, observation, _bufferA, _bufferB);
        var head = _actor[^1];
        Span<float> logits = stackalloc float[ActionCount];
        Affine(head, hidden, logits);
        float max = logits[0];
        for (int a = 1; a < ActionCount; a++) max = Math.Max(max, logits[a]);
        double sum = 0;
        for (int a = 0; a < ActionCount; a++) sum += probabilities[a] = Math.Exp(logits[a] - max);
        for (int a = 0; a < ActionCount; a++) probabilities[a] /= sum;

        // Critic: its own hidden layers (or the actor's), then one linear output.
        var criticHidden = _sharedTrunk ? hidden : Forward(_critic, _critic.Length - 1, observation, _criticA, _criticB);
        Span<float> value = stackalloc float[1];
        Affine(_critic[^1], criticHidden, value);
        return value[0];
    }

    static ReadOnlySpan<float> Forward(Layer[] layers, int count, ReadOnlySpan<float> input, float[] a, float[] b)
    {
        var x = input;
        for (int l = 0; l < count; l++)
        {
            var output = (l % 2 == 0 ? a : b).AsSpan(0, layers[l].Outputs);
            Affine(layers[l], x, output);
            for (int j = 0; j < output.Length; j++) output[j] = MathF.Tanh(output[j]);
            x = output;
        }
        return x;
    }

    static void Affine(Layer layer, ReadOnlySpan<float> x, Span<float> output)
    {
        for (int j = 0; j < layer.Outputs; j++)
        {
            var row = layer.Weight.AsSpan(j * layer.Inputs, layer.Inputs);
            float s = layer.Bias[j];
            for (int i = 0; i < row.Length; i++) s += row[i] * x[i];
            output[j] = s;
        }
    }
}
