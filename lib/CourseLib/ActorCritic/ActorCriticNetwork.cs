using CourseLib.Networks;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace CourseLib.ActorCritic;

/// <summary>
/// The two function approximators of an actor-critic method over a discrete action space: the actor
/// π_θ(a|s) = softmax(f_θ(s))_a and the critic V_w(s). With <see cref="SharedTrunk"/> both heads read the same
/// hidden layers (fewer weights, but the value loss shapes the policy's features); otherwise they are two separate
/// multilayer perceptrons with tanh hidden units. Weights are drawn from a <see cref="Rng"/> (uniform in ±1/√fan-in by
/// the shared <see cref="UniformInitialisation"/>,
/// the policy's output layer scaled by 0.01 so the first policy is nearly uniform), never from torch's global
/// generator: the same seed gives the same network, whatever else runs in the process.
/// </summary>
public sealed class ActorCriticNetwork : nn.Module<Tensor, (Tensor Logits, Tensor Value)>
{
    readonly ModuleList<Linear> _actorLayers = new();
    readonly ModuleList<Linear> _criticLayers = new();

    /// <summary>Length of the observation vector.</summary>
    public int ObservationSize { get; }
    /// <summary>Number of discrete actions.</summary>
    public int ActionCount { get; }
    /// <summary>Sizes of the hidden layers.</summary>
    public IReadOnlyList<int> HiddenSizes { get; }
    /// <summary>True when actor and critic share their hidden layers (the critic then is just a linear head).</summary>
    public bool SharedTrunk { get; }

    /// <summary>A network for <paramref name="observationSize"/> inputs and <paramref name="actionCount"/> actions.</summary>
    public ActorCriticNetwork(int observationSize, int actionCount, IReadOnlyList<int> hiddenSizes, bool sharedTrunk = false, long seed = 0)
        : base(nameof(ActorCriticNetwork))
    {
        if (observationSize < 1) throw new ArgumentOutOfRangeException(nameof(observationSize), observationSize, "observationSize must be at least 1.");
        if (actionCount < 2) throw new ArgumentOutOfRangeException(nameof(actionCount), actionCount, "actionCount must be at least 2.");
        ArgumentNullException.ThrowIfNull(hiddenSizes);
        if (hiddenSizes.Count == 0) throw new ArgumentException("hiddenSizes needs at least one hidden layer.", nameof(hiddenSizes));
        foreach (var h in hiddenSizes)
            if (h < 1) throw new ArgumentOutOfRangeException(nameof(hiddenSizes), h, "every hidden layer needs at least 1 unit.");
        (ObservationSize, ActionCount, HiddenSizes, SharedTrunk) = (observationSize, actionCount, hiddenSizes.ToArray(), sharedTrunk);

        var rng = new Rng(seed);
        int[] sizes = [observationSize, .. hiddenSizes];
        // Actor: hidden layers, then logits. Critic: its own hidden layers (unless shared), then a single output.
        for (int l = 0; l + 1 < sizes.Length; l++) _actorLayers.Add(NewLinear(sizes[l], sizes[l + 1], rng));
        _actorLayers.Add(NewLinear(sizes[^1], actionCount, rng, scale: 0.01));
        if (!sharedTrunk)
            for (int l = 0; l + 1 < sizes.Length; l++) _criticLayers.Add(NewLinear(sizes[l], sizes[l + 1], rng));
        _criticLayers.Add(NewLinear(sizes[^1], 1, rng));
        RegisterComponents();
    }

    /// <summary>The logits of π(·|s) ([batch, actions]) and V(s) ([batch]) for a batch of observations [batch, observationSize].</summary>
    public override (Tensor Logits, Tensor Value) forward(Tensor observations)
    {
        var actorHidden = Hidden(_actorLayers, observations);
        var logits = _actorLayers[^1].forward(actorHidden);
        var criticHidden = SharedTrunk ? actorHidden : Hidden(_criticLayers, observations);
        var value = _criticLayers[^1].forward(criticHidden).squeeze(-1);
        return (logits, value);
    }

    static Tensor Hidden(ModuleList<Linear> layers, Tensor x)
    {
        for (int l = 0; l + 1 < layers.Count; l++) x = layers[l].forward(x).tanh();
        return x;
    }

    /// <summary>
    /// π(·|s) and V(s) for one observation, without building a graph (for acting). Writes the probabilities into
    /// <paramref name="probabilities"/> (ActionCount long) and returns V(s).
    /// </summary>
    public double Evaluate(ReadOnlySpan<float> observation, Span<double> probabilities)
    {
        if (observation.Length != ObservationSize)
            throw new ArgumentException($"observation has {observation.Length} numbers; the network reads {ObservationSize}.", nameof(observation));
        var batchProbabilities = new double[ActionCount];
        var values = EvaluateBatch(observation.ToArray(), 1, batchProbabilities);
        batchProbabilities.CopyTo(probabilities);
        return values[0];
    }

    /// <summary>
    /// π(·|s) and V(s) for <paramref name="batch"/> observations laid out row by row in <paramref name="observations"/>,
    /// without building a graph. Fills <paramref name="probabilities"/> (batch × ActionCount, row by row) and returns V.
    /// </summary>
    public double[] EvaluateBatch(float[] observations, int batch, double[] probabilities)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var input = tensor(observations, [batch, ObservationSize]);
        var (logits, value) = forward(input);
        var p = nn.functional.softmax(logits, -1).data<float>();
        for (int i = 0; i < batch * ActionCount; i++) probabilities[i] = p[i];
        var v = value.data<float>();
        var values = new double[batch];
        for (int i = 0; i < batch; i++) values[i] = v[i];
        return values;
    }

    /// <summary>The action with the highest probability (the greedy policy used for evaluation).</summary>
    public int GreedyAction(ReadOnlySpan<float> observation)
    {
        Span<double> p = stackalloc double[ActionCount];
        Evaluate(observation, p);
        int best = 0;
        for (int a = 1; a < p.Length; a++) if (p[a] > p[best]) best = a;
        return best;
    }

    /// <summary>A plain-C# copy of the current weights for fast acting (see <see cref="ActorCriticSnapshot"/>).</summary>
    public ActorCriticSnapshot Snapshot() => new(new ActorCriticWeights(this));

    /// <summary>True when every weight and bias is a finite number.</summary>
    public bool AllParametersFinite()
    {
        using var noGrad = no_grad();
        foreach (var p in parameters())
            using (var finite = p.isfinite().all())
                if (!finite.item<bool>()) return false;
        return true;
    }

    /// <summary>A new network with the same architecture and a copy of these weights.</summary>
    public ActorCriticNetwork Clone()
    {
        var copy = new ActorCriticNetwork(ObservationSize, ActionCount, HiddenSizes, SharedTrunk);
        copy.CopyWeightsFrom(this);
        return copy;
    }

    /// <summary>Overwrites these weights with <paramref name="source"/>'s (same architecture).</summary>
    public void CopyWeightsFrom(ActorCriticNetwork source)
    {
        using var noGrad = no_grad();
        foreach (var (mine, theirs) in parameters().Zip(source.parameters())) mine.copy_(theirs);
    }

    static Linear NewLinear(int inputs, int outputs, Rng rng, double scale = 1)
    {
        var layer = nn.Linear(inputs, outputs);
        UniformInitialisation.Linear(layer, rng, scale);
        return layer;
    }

    const string Magic = "CourseLib.ActorCriticNetwork/1";

    /// <summary>Saves the architecture and the weights to <paramref name="path"/>.</summary>
    public void Save(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var writer = new BinaryWriter(File.Create(path));
        writer.Write(Magic);
        writer.Write(ObservationSize);
        writer.Write(ActionCount);
        writer.Write(HiddenSizes.Count);
        foreach (var h in HiddenSizes) writer.Write(h);
        writer.Write(SharedTrunk);
        save(writer);
    }

    /// <summary>Loads a network saved by <see cref="Save"/>.</summary>
    public static ActorCriticNetwork Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path)) throw new FileNotFoundException($"No saved actor-critic network at '{path}'.", path);
        using var reader = new BinaryReader(File.OpenRead(path));
        string magic;
        try { magic = reader.ReadString(); }
        catch (EndOfStreamException) { magic = ""; }
        if (magic != Magic) throw new InvalidDataException($"'{path}' is not a saved actor-critic network (expected the header '{Magic}').");
        int observationSize = reader.ReadInt32(), actionCount = reader.ReadInt32(), layers = reader.ReadInt32();
        if (layers < 1 || layers > 64) throw new InvalidDataException($"'{path}' is corrupt: {layers} hidden layers.");
        var hidden = new int[layers];
        for (int i = 0; i < layers; i++) hidden[i] = reader.ReadInt32();
        bool shared = reader.ReadBoolean();
        var network = new ActorCriticNetwork(observationSize, actionCount, hidden, shared);
        network.load(reader);
        return network;
    }
}
