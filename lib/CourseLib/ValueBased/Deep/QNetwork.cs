using static TorchSharp.torch;

namespace CourseLib.ValueBased.Deep;

/// <summary>
/// The Q-network Q(s, ·; θ): a multilayer perceptron with ReLU hidden layers and one output per action
/// (per action and atom for a distributional network). Options, each one of Rainbow's components:
/// <list type="bullet">
/// <item><b>dueling</b> heads (Wang et al. 2016): Q(s, a) = V(s) + A(s, a) − mean_a' A(s, a');</item>
/// <item><b>distributional</b> outputs (Bellemare et al. 2017): logits over <c>atoms</c> support points per action;</item>
/// <item><b>noisy</b> layers (Fortunato et al. 2018): learnable parameter noise instead of ε-greedy.</item>
/// </list>
/// The forward and backward passes are written out layer by layer (see <see cref="DenseLayer"/>): libtorch multiplies
/// the matrices, C# does the rest in preallocated memory, so an update makes no tensor allocations and no autograd
/// graph. Acting (one observation at a time) runs entirely in C# on the same weights, never crossing into libtorch.
/// </summary>
public sealed class QNetwork : IDisposable
{
    readonly DenseLayer[] _hidden;
    readonly DenseLayer _head;        // outputs A·atoms values: Q (or logits), or the advantages when dueling
    readonly DenseLayer? _valueHead;  // dueling only: V(s), one value per atom
    readonly Parameter[] _parameters;
    readonly float[][] _scratch;      // activations for ForwardOne
    readonly float[] _valueScratch, _headScratch;

    /// <summary>A freshly initialised network (torch.nn.Linear's initialisation, drawn from <paramref name="rng"/>).</summary>
    /// <param name="observationLength">Inputs.</param>
    /// <param name="actionCount">Actions |A|.</param>
    /// <param name="hiddenLayers">Widths of the ReLU hidden layers, e.g. [120, 84].</param>
    /// <param name="rng">The generator for the initial weights.</param>
    /// <param name="dueling">Separate value and advantage heads.</param>
    /// <param name="atoms">Support points per action (1: the network outputs Q directly).</param>
    /// <param name="noisy">Noisy linear layers.</param>
    /// <param name="noiseScale">σ₀ of the noisy layers: σ starts at σ₀/√inputs.</param>
    public QNetwork(int observationLength, int actionCount, IReadOnlyList<int> hiddenLayers, Rng rng,
        bool dueling = false, int atoms = 1, bool noisy = false, double noiseScale = 0.5)
    {
        if (observationLength <= 0) throw new ArgumentOutOfRangeException(nameof(observationLength), observationLength, "observationLength must be at least 1.");
        if (actionCount <= 0) throw new ArgumentOutOfRangeException(nameof(actionCount), actionCount, "actionCount must be at least 1.");
        ArgumentNullException.ThrowIfNull(hiddenLayers);
        ArgumentNullException.ThrowIfNull(rng);
        if (hiddenLayers.Count == 0) throw new ArgumentException("hiddenLayers needs at least one layer.", nameof(hiddenLayers));
        for (int i = 0; i < hiddenLayers.Count; i++)
            if (hiddenLayers[i] <= 0) throw new ArgumentOutOfRangeException(nameof(hiddenLayers), hiddenLayers[i], $"hiddenLayers[{i}] must be at least 1.");
        if (atoms <= 0) throw new ArgumentOutOfRangeException(nameof(atoms), atoms, "atoms must be at least 1.");
        if (!(noiseScale > 0)) throw new ArgumentOutOfRangeException(nameof(noiseScale), noiseScale, "noiseScale must be > 0.");

        ObservationLength = observationLength; ActionCount = actionCount; Atoms = atoms;
        Dueling = dueling; Noisy = noisy;
        HiddenLayers = hiddenLayers.ToArray();
        _hidden = new DenseLayer[hiddenLayers.Count];
        int inputs = observationLength;
        for (int l = 0; l < _hidden.Length; l++)
        {
            _hidden[l] = new DenseLayer($"hidden{l + 1}", inputs, hiddenLayers[l], noisy, noiseScale, rng);
            inputs = hiddenLayers[l];
        }
        _head = new DenseLayer(dueling ? "advantage" : "output", inputs, actionCount * atoms, noisy, noiseScale, rng);
        if (dueling) _valueHead = new DenseLayer("value", inputs, atoms, noisy, noiseScale, rng);
        _parameters = Layers().SelectMany(l => l.Parameters()).ToArray();
        _scratch = HiddenLayers.Select(h => new float[h]).ToArray();
        _headScratch = new float[actionCount * atoms];
        _valueScratch = new float[atoms];
    }

    /// <summary>Inputs.</summary>
    public int ObservationLength { get; }
    /// <summary>|A|.</summary>
    public int ActionCount { get; }
    /// <summary>Support points per action (1 for an ordinary Q-network).</summary>
    public int Atoms { get; }
    /// <summary>Outputs per input: |A| · atoms.</summary>
    public int OutputLength => ActionCount * Atoms;
    /// <summary>Widths of the hidden layers.</summary>
    public IReadOnlyList<int> HiddenLayers { get; }
    /// <summary>Dueling heads.</summary>
    public bool Dueling { get; }
    /// <summary>Noisy layers.</summary>
    public bool Noisy { get; }
    /// <summary>θ: every learnable tensor, in a fixed order.</summary>
    public IReadOnlyList<Parameter> Parameters => _parameters;
    /// <summary>The number of learnable scalars.</summary>
    public int ParameterCount => _parameters.Sum(p => p.Value.Length);

    internal IEnumerable<DenseLayer> Layers()
    {
        foreach (var layer in _hidden) yield return layer;
        yield return _head;
        if (_valueHead != null) yield return _valueHead;
    }

    /// <summary>Buffers for forward and backward passes on batches of <paramref name="batchSize"/> inputs.</summary>
    public Workspace CreateWorkspace(int batchSize) => new(this, batchSize);

    /// <summary>Output = network(Input) for the whole batch in <paramref name="workspace"/>.</summary>
    public void Forward(Workspace workspace)
    {
        CheckWorkspace(workspace);
        int batch = workspace.BatchSize;
        var input = workspace.Input;
        for (int l = 0; l < _hidden.Length; l++)
        {
            _hidden[l].Forward(input, workspace.Activations[l], batch, relu: true);
            input = workspace.Activations[l];
        }
        _head.Forward(input, workspace.Head, batch, relu: false);
        if (_valueHead != null)
        {
            _valueHead.Forward(input, workspace.Value!, batch, relu: false);
            CombineDueling(workspace.Head.Span, workspace.Value!.Span, workspace.Output.Span, batch);
        }
    }

    /// <summary>
    /// Backpropagates workspace.OutputGradient (∂L/∂output, batch × |A|·atoms) through the batch of the last
    /// <see cref="Forward"/> on this workspace, writing ∂L/∂θ into every parameter's gradient.
    /// </summary>
    public void Backward(Workspace workspace)
    {
        CheckWorkspace(workspace);
        int batch = workspace.BatchSize;
        var last = _hidden.Length - 1;
        var lastActivation = workspace.Activations[last];
        var lastGradient = workspace.ActivationGradients[last];
        if (_valueHead != null)
        {
            SplitDuelingGradient(workspace.OutputGradient.Span, workspace.HeadGradient.Span, workspace.ValueGradient!.Span, batch);
            _head.Backward(lastActivation, workspace.HeadGradient, workspace.HeadGradientTransposed, lastGradient, batch);
            // Both heads read the last hidden layer: its gradient is the sum of theirs.
            var fromValue = workspace.ValueInputGradient!;
            _valueHead.Backward(lastActivation, workspace.ValueGradient!, workspace.ValueGradientTransposed!, fromValue, batch);
            DenseLayer.Add(lastGradient.Span, fromValue.Span);
        }
        else
        {
            _head.Backward(lastActivation, workspace.HeadGradient, workspace.HeadGradientTransposed, lastGradient, batch);
        }
        for (int l = last; l >= 0; l--)
        {
            var input = l == 0 ? workspace.Input : workspace.Activations[l - 1];
            var inputGradient = l == 0 ? null : workspace.ActivationGradients[l - 1];
            _hidden[l].Backward(input, workspace.ActivationGradients[l], workspace.ActivationGradientsTransposed[l], inputGradient, batch);
        }
    }

    /// <summary>
    /// The outputs for one observation (|A| · atoms floats: Q(s, ·), or logits), computed in plain C#.
    /// With <paramref name="meanWeights"/> noisy layers use μ only (for evaluation).
    /// </summary>
    public void ForwardOne(ReadOnlySpan<float> observation, Span<float> output, bool meanWeights = false)
    {
        if (observation.Length != ObservationLength)
            throw new ArgumentException($"observation must have {ObservationLength} floats, not {observation.Length}.", nameof(observation));
        if (output.Length != OutputLength)
            throw new ArgumentException($"output must have room for {OutputLength} floats, not {output.Length}.", nameof(output));
        ReadOnlySpan<float> x = observation;
        for (int l = 0; l < _hidden.Length; l++)
        {
            _hidden[l].ForwardOne(x, _scratch[l], relu: true, meanWeights);
            x = _scratch[l];
        }
        if (_valueHead == null)
        {
            _head.ForwardOne(x, output, relu: false, meanWeights);
            return;
        }
        _head.ForwardOne(x, _headScratch, relu: false, meanWeights);
        _valueHead.ForwardOne(x, _valueScratch, relu: false, meanWeights);
        CombineDueling(_headScratch, _valueScratch, output, 1);
    }

    /// <summary>Draws new noise for every noisy layer (no effect without noisy layers).</summary>
    public void ResampleNoise(Rng rng)
    {
        foreach (var layer in Layers()) layer.ResampleNoise(rng);
    }

    /// <summary>Recomputes the noisy layers' weights μ + σ ⊙ ε after their μ and σ changed.</summary>
    public void ApplyNoise()
    {
        if (!Noisy) return;
        foreach (var layer in Layers()) layer.ApplyNoise();
    }

    /// <summary>θ⁻ ← τ θ + (1 − τ) θ⁻ with θ = <paramref name="source"/>'s parameters (τ = 1: a copy, DQN's target update).</summary>
    public void UpdateFrom(QNetwork source, double rate = 1.0)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (!(rate > 0 && rate <= 1)) throw new ArgumentOutOfRangeException(nameof(rate), rate, "rate τ must be in (0, 1].");
        if (source._parameters.Length != _parameters.Length || source.ParameterCount != ParameterCount)
            throw new ArgumentException("source has a different architecture.", nameof(source));
        float tau = (float)rate;
        for (int k = 0; k < _parameters.Length; k++)
        {
            var target = _parameters[k].Value.Span;
            var from = source._parameters[k].Value.Span;
            if (rate == 1.0) from.CopyTo(target);
            else for (int i = 0; i < target.Length; i++) target[i] += tau * (from[i] - target[i]);
        }
        ApplyNoise();
    }

    /// <summary>Dueling aggregation: Q[b, a, z] = V[b, z] + A[b, a, z] − mean_a' A[b, a', z].</summary>
    void CombineDueling(ReadOnlySpan<float> advantage, ReadOnlySpan<float> value, Span<float> output, int batch)
    {
        int actions = ActionCount, atoms = Atoms;
        for (int b = 0; b < batch; b++)
            for (int z = 0; z < atoms; z++)
            {
                float mean = 0;
                for (int a = 0; a < actions; a++) mean += advantage[(b * actions + a) * atoms + z];
                mean /= actions;
                float v = value[b * atoms + z];
                for (int a = 0; a < actions; a++)
                {
                    int i = (b * actions + a) * atoms + z;
                    output[i] = v + advantage[i] - mean;
                }
            }
    }

    /// <summary>∂L/∂V[b, z] = Σ_a ∂L/∂Q[b, a, z];  ∂L/∂A[b, a, z] = ∂L/∂Q[b, a, z] − mean_a' ∂L/∂Q[b, a', z].</summary>
    void SplitDuelingGradient(ReadOnlySpan<float> outputGradient, Span<float> advantageGradient, Span<float> valueGradient, int batch)
    {
        int actions = ActionCount, atoms = Atoms;
        for (int b = 0; b < batch; b++)
            for (int z = 0; z < atoms; z++)
            {
                float sum = 0;
                for (int a = 0; a < actions; a++) sum += outputGradient[(b * actions + a) * atoms + z];
                valueGradient[b * atoms + z] = sum;
                float mean = sum / actions;
                for (int a = 0; a < actions; a++)
                {
                    int i = (b * actions + a) * atoms + z;
                    advantageGradient[i] = outputGradient[i] - mean;
                }
            }
    }

    void CheckWorkspace(Workspace workspace)
    {
        ArgumentNullException.ThrowIfNull(workspace);
        if (!ReferenceEquals(workspace.Network, this) && !workspace.Network.HasSameShapeAs(this))
            throw new ArgumentException("The workspace was made for a network of another shape.", nameof(workspace));
    }

    internal bool HasSameShapeAs(QNetwork other) =>
        other.ObservationLength == ObservationLength && other.ActionCount == ActionCount && other.Atoms == Atoms
        && other.Dueling == Dueling && other.HiddenLayers.SequenceEqual(HiddenLayers);

    internal void WriteParameters(BinaryWriter writer)
    {
        writer.Write(_parameters.Length);
        foreach (var p in _parameters) { writer.Write(p.Value.Length); ReplayBuffer.WriteFloats(writer, p.Value.Span); }
    }

    internal void ReadParameters(BinaryReader reader)
    {
        int count = reader.ReadInt32();
        if (count != _parameters.Length) throw new InvalidDataException($"The checkpoint has {count} parameter tensors, this network {_parameters.Length}.");
        foreach (var p in _parameters)
        {
            int length = reader.ReadInt32();
            if (length != p.Value.Length) throw new InvalidDataException($"{p.Name} has {p.Value.Length} values, the checkpoint {length}.");
            ReplayBuffer.ReadFloats(reader, p.Value.Span);
        }
        ApplyNoise();
    }

    /// <summary>Frees the tensors.</summary>
    public void Dispose()
    {
        foreach (var layer in Layers()) layer.Dispose();
    }

    /// <summary>
    /// Preallocated tensors for one batch size: the input (filled by the caller), each layer's activations and
    /// gradients, the output, and ∂L/∂output (filled by the caller before <see cref="Backward"/>).
    /// </summary>
    public sealed class Workspace : IDisposable
    {
        internal Workspace(QNetwork network, int batchSize)
        {
            if (batchSize <= 0) throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, "batchSize must be at least 1.");
            Network = network;
            BatchSize = batchSize;
            Input = new NativeFloats(batchSize, network.ObservationLength);
            Activations = network.HiddenLayers.Select(h => new NativeFloats(batchSize, h)).ToArray();
            ActivationGradients = network.HiddenLayers.Select(h => new NativeFloats(batchSize, h)).ToArray();
            ActivationGradientsTransposed = ActivationGradients.Select(g => g.Tensor.t()).ToArray();
            Head = new NativeFloats(batchSize, network.OutputLength);
            if (network.Dueling)
            {
                Value = new NativeFloats(batchSize, network.Atoms);
                ValueGradient = new NativeFloats(batchSize, network.Atoms);
                ValueGradientTransposed = ValueGradient.Tensor.t();
                ValueInputGradient = new NativeFloats(batchSize, network.HiddenLayers[^1]);
                Output = new NativeFloats(batchSize, network.OutputLength);
                OutputGradient = new NativeFloats(batchSize, network.OutputLength);
                HeadGradient = new NativeFloats(batchSize, network.OutputLength);
            }
            else
            {
                Output = Head;
                OutputGradient = HeadGradient = new NativeFloats(batchSize, network.OutputLength);
            }
            HeadGradientTransposed = HeadGradient.Tensor.t();
        }

        internal QNetwork Network { get; }
        /// <summary>Inputs per batch.</summary>
        public int BatchSize { get; }
        /// <summary>The batch of observations, batch × observation length.</summary>
        public NativeFloats Input { get; }
        /// <summary>The outputs, batch × |A| · atoms.</summary>
        public NativeFloats Output { get; }
        /// <summary>∂L/∂output, batch × |A| · atoms.</summary>
        public NativeFloats OutputGradient { get; }
        internal NativeFloats[] Activations { get; }
        internal NativeFloats[] ActivationGradients { get; }
        internal Tensor[] ActivationGradientsTransposed { get; }
        internal NativeFloats Head { get; }
        internal NativeFloats HeadGradient { get; }
        internal Tensor HeadGradientTransposed { get; }
        internal NativeFloats? Value { get; }
        internal NativeFloats? ValueGradient { get; }
        internal Tensor? ValueGradientTransposed { get; }
        internal NativeFloats? ValueInputGradient { get; }

        /// <summary>Input row i.</summary>
        public Span<float> InputRow(int i) => Input.Span.Slice(i * Network.ObservationLength, Network.ObservationLength);
        /// <summary>Output row i: |A| · atoms floats.</summary>
        public Span<float> OutputRow(int i) => Output.Span.Slice(i * Network.OutputLength, Network.OutputLength);

        /// <summary>Frees the tensors.</summary>
        public void Dispose()
        {
            Input.Dispose();
            foreach (var t in ActivationGradientsTransposed) t.Dispose();
            foreach (var a in Activations) a.Dispose();
            foreach (var g in ActivationGradients) g.Dispose();
            HeadGradientTransposed.Dispose();
            Head.Dispose();
            if (Network.Dueling)
            {
                Output.Dispose(); OutputGradient.Dispose(); HeadGradient.Dispose();
                Value!.Dispose(); ValueGradient!.Dispose(); ValueGradientTransposed!.Dispose(); ValueInputGradient!.Dispose();
            }
            else HeadGradient.Dispose();
        }
    }
}
