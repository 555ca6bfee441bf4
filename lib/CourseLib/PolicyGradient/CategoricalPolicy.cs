using CourseLib.Environments;
using static TorchSharp.torch;

namespace CourseLib.PolicyGradient;

/// <summary>
/// A stochastic policy over a finite set of actions: π_θ(a|s) = softmax(f_θ(s))_a, where f_θ is an <see cref="Mlp"/>
/// that maps the observation's floats to one logit per action. Saves to and loads from a single file.
/// </summary>
public sealed class CategoricalPolicy : IDisposable
{
    readonly MlpForward _forward;
    readonly double[] _probabilities;

    /// <summary>A policy around an existing network (its last layer's size is the number of actions).</summary>
    public CategoricalPolicy(Mlp network)
    {
        Network = network ?? throw new ArgumentNullException(nameof(network));
        if (network.LayerSizes[^1] < 2)
            throw new ArgumentException($"A categorical policy needs at least 2 actions; the network has {network.LayerSizes[^1]} output.", nameof(network));
        _forward = new MlpForward(network);
        _probabilities = new double[ActionCount];
    }

    /// <summary>A freshly initialised policy: observation → hidden layers → one logit per action.</summary>
    public CategoricalPolicy(int observationLength, IReadOnlyList<int> hidden, int actionCount, MlpActivation activation = MlpActivation.Tanh, long seed = 0)
        : this(new Mlp(observationLength, hidden, actionCount, activation, seed)) { }

    /// <summary>The network f_θ producing logits.</summary>
    public Mlp Network { get; }

    /// <summary>Length of the observation vector.</summary>
    public int ObservationLength => Network.LayerSizes[0];

    /// <summary>Number of actions.</summary>
    public int ActionCount => Network.LayerSizes[^1];

    /// <summary>
    /// Re-reads the network's weights into the fast per-step forward pass; call after changing the network
    /// (the trainers do this after every update).
    /// </summary>
    public void Refresh() => _forward.Refresh();

    /// <summary>π(·|s) for one observation (a new array).</summary>
    public double[] Probabilities(ReadOnlySpan<float> observation)
    {
        var p = new double[ActionCount];
        _forward.Probabilities(observation, p);
        return p;
    }

    /// <summary>π(·|s) for an environment observation.</summary>
    public double[] Probabilities<TObservation>(TObservation observation) where TObservation : IObservationVector<TObservation>
    {
        Span<float> x = stackalloc float[TObservation.Length];
        observation.CopyTo(x);
        return Probabilities(x);
    }

    /// <summary>Draws a ~ π(·|s). Throws when the policy's output is not a number (diverged weights).</summary>
    public int Sample(ReadOnlySpan<float> observation, Rng rng)
    {
        _forward.Probabilities(observation, _probabilities);
        foreach (var p in _probabilities)
            if (!double.IsFinite(p))
                throw new InvalidOperationException("The policy's action probabilities are NaN: its weights have diverged.");
        return rng.Categorical(_probabilities);
    }

    /// <summary>The most probable action, argmax_a π(a|s) (the lowest index on ties).</summary>
    public int Greedy(ReadOnlySpan<float> observation)
    {
        var logits = _forward.Forward(observation);
        int best = 0;
        for (int a = 1; a < logits.Length; a++) if (logits[a] > logits[best]) best = a;
        return best;
    }

    /// <summary>The most probable action for an environment observation (what <see cref="Training.Evaluation.Run{TObservation}(IEnvironment{TObservation, int}, Func{TObservation, int}, Training.EvaluationOptions, long)"/> plays).</summary>
    public int Greedy<TObservation>(TObservation observation) where TObservation : IObservationVector<TObservation>
    {
        Span<float> x = stackalloc float[TObservation.Length];
        observation.CopyTo(x);
        return Greedy(x);
    }

    /// <summary>π(·|s) for a batch of observations [batch, observationLength] through torch (no gradient).</summary>
    public Tensor Probabilities(Tensor observations)
    {
        using var _ = no_grad();
        using var logits = Network.forward(observations);
        return nn.functional.softmax(logits, 1);
    }

    /// <summary>Saves the architecture and weights to <paramref name="path"/>.</summary>
    public void Save(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var stream = File.Create(path);
        using var writer = new BinaryWriter(stream);
        Network.Write(writer);
    }

    /// <summary>Loads a policy saved by <see cref="Save"/>.</summary>
    public static CategoricalPolicy Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path)) throw new FileNotFoundException($"No saved policy at {path}.", path);
        using var stream = File.OpenRead(path);
        using var reader = new BinaryReader(stream);
        return new CategoricalPolicy(Mlp.Read(reader));
    }

    /// <inheritdoc />
    public void Dispose() => Network.Dispose();
}
