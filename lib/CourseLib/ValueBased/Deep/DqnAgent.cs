using CourseLib.Training;

namespace CourseLib.ValueBased.Deep;

/// <summary>
/// The state of a DQN learner (Mnih et al. 2015) with Rainbow's optional components: the online network Q(·; θ),
/// the target network Q(·; θ⁻), the replay memory D, the optimiser, the counters and the random generator.
/// <see cref="Dqn.Train"/> drives it through the environment; its pieces are public so a notebook can take one
/// step at a time. A checkpoint (<see cref="Save(string)"/>, <see cref="Load(string)"/>) holds all of it, so a run
/// can stop and resume. Each update runs libtorch on one thread (<see cref="TorchThreads.One"/>): these networks are
/// small, one thread is fastest, and oversubscribed threads stall badly on a busy machine.
/// </summary>
public sealed class DqnAgent : IDisposable
{
    readonly Rng _rng;
    readonly QNetwork.Workspace _online, _onlineNext, _targetNext;
    readonly ReplayBatch _batch;
    readonly NStepTransitions _nStep;
    readonly float[] _tdErrors, _discountPowers, _output, _support;
    readonly float[] _probabilities, _targetDistribution; // C51 scratch
    readonly LinearSchedule _epsilon;
    readonly LinearSchedule _importance;

    /// <summary>
    /// A new learner for observations of <paramref name="observationLength"/> floats and <paramref name="actionCount"/>
    /// actions, seeded with <see cref="DqnOptions.Seed"/>.
    /// </summary>
    public DqnAgent(int observationLength, int actionCount, DqnOptions options)
        : this(observationLength, actionCount, options, memory: null) { }

    DqnAgent(int observationLength, int actionCount, DqnOptions options, IReplayMemory? memory)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (observationLength <= 0) throw new ArgumentOutOfRangeException(nameof(observationLength), observationLength, "observationLength must be at least 1.");
        if (actionCount <= 1) throw new ArgumentOutOfRangeException(nameof(actionCount), actionCount, "actionCount must be at least 2.");
        if (memory != null && (memory.ObservationLength != observationLength || memory.Capacity != options.BufferSize))
            throw new InvalidDataException($"The stored replay memory (capacity {memory.Capacity}, observations of {memory.ObservationLength}) does not match the options.");
        var hp = Options = options;
        ObservationLength = observationLength;
        ActionCount = actionCount;
        _rng = new Rng(hp.Seed);
        int atoms = hp.Distributional ? hp.Atoms : 1;
        Online = new QNetwork(observationLength, actionCount, hp.HiddenLayers, _rng, hp.Dueling, atoms, hp.NoisyNetworks, hp.NoiseScale);
        Target = new QNetwork(observationLength, actionCount, hp.HiddenLayers, _rng, hp.Dueling, atoms, hp.NoisyNetworks, hp.NoiseScale);
        Target.UpdateFrom(Online);
        Optimizer = new Adam(Online.Parameters, hp.LearningRate, epsilon: hp.AdamEpsilon);
        Memory = memory ?? (hp.PrioritizedReplay
            ? new PrioritizedReplayBuffer(hp.BufferSize, observationLength, hp.PriorityExponent)
            : new ReplayBuffer(hp.BufferSize, observationLength));
        _nStep = new NStepTransitions(Memory, hp.NSteps, hp.Discount);
        _online = Online.CreateWorkspace(hp.BatchSize);
        _onlineNext = Online.CreateWorkspace(hp.BatchSize);
        _targetNext = Target.CreateWorkspace(hp.BatchSize);
        _batch = new ReplayBatch(hp.BatchSize, observationLength);
        _tdErrors = new float[hp.BatchSize];
        _discountPowers = Enumerable.Range(0, hp.NSteps + 1).Select(k => (float)Math.Pow(hp.Discount, k)).ToArray();
        _output = new float[Online.OutputLength];
        _support = hp.Distributional
            ? Enumerable.Range(0, atoms).Select(j => (float)(hp.MinReturn + j * (hp.MaxReturn - hp.MinReturn) / (atoms - 1))).ToArray()
            : [];
        _probabilities = new float[atoms];
        _targetDistribution = new float[atoms];
        _epsilon = new LinearSchedule(hp.StartEpsilon, hp.EndEpsilon, hp.ExplorationSteps);
        _importance = new LinearSchedule(hp.ImportanceExponentStart, 1.0, hp.ImportanceAnnealingSteps);
    }

    /// <summary>The settings.</summary>
    public DqnOptions Options { get; }
    /// <summary>Floats per observation.</summary>
    public int ObservationLength { get; }
    /// <summary>|A|.</summary>
    public int ActionCount { get; }
    /// <summary>Q(·; θ), the network being trained.</summary>
    public QNetwork Online { get; }
    /// <summary>Q(·; θ⁻), the target network: a copy of θ refreshed every <see cref="DqnOptions.TargetUpdateInterval"/> steps.</summary>
    public QNetwork Target { get; }
    /// <summary>The replay memory D.</summary>
    public IReplayMemory Memory { get; }
    /// <summary>The optimiser (Adam with gradient clipping).</summary>
    public Adam Optimizer { get; }
    /// <summary>Environment steps taken in training so far.</summary>
    public long StepCount { get; internal set; }
    /// <summary>Gradient updates so far.</summary>
    public long UpdateCount { get; private set; }
    /// <summary>Training episodes finished so far.</summary>
    public long EpisodeCount { get; internal set; }
    /// <summary>The generator for exploration and sampling.</summary>
    internal Rng Random => _rng;
    /// <summary>The minibatch of the latest update (the equivalence test replays it through <see cref="ConciseDqn.Update(TorchSharp.Modules.Sequential, TorchSharp.Modules.Sequential, TorchSharp.torch.optim.Optimizer, DqnMinibatch, DqnOptions)"/>).</summary>
    internal ReplayBatch LastBatch => _batch;

    /// <summary>
    /// ε for the next action: the linear schedule at <see cref="StepCount"/>. With noisy networks there is no ε-greedy
    /// exploration: ε is 1 before learning starts (uniform random warm-up) and 0 after.
    /// </summary>
    public double Epsilon => Options.NoisyNetworks
        ? (StepCount < Options.LearningStarts ? 1.0 : 0.0)
        : _epsilon.At(StepCount);

    /// <summary>β of prioritised replay at the current step.</summary>
    public double ImportanceExponent => _importance.At(StepCount);

    /// <summary>Q(s, ·; θ) for one observation (for C51, the mean of each action's return distribution).</summary>
    public void QValues(ReadOnlySpan<float> observation, Span<float> qValues, bool meanWeights = true)
    {
        if (qValues.Length != ActionCount) throw new ArgumentException($"qValues must have room for {ActionCount} values.", nameof(qValues));
        Online.ForwardOne(observation, _output, meanWeights && Online.Noisy);
        ActionValues(_output, qValues);
    }

    /// <summary>argmax_a Q(s, a; θ) (lowest index on ties). Noisy networks use their mean weights unless <paramref name="meanWeights"/> is false.</summary>
    public int GreedyAction(ReadOnlySpan<float> observation, bool meanWeights = true)
    {
        Span<float> q = stackalloc float[ActionCount];
        QValues(observation, q, meanWeights);
        return ArgMax(q);
    }

    /// <summary>ε-greedy action with ε = <see cref="Epsilon"/>: a uniformly random action with probability ε, else the greedy one.</summary>
    public int Act(ReadOnlySpan<float> observation)
    {
        double epsilon = Epsilon;
        if (epsilon > 0 && _rng.NextDouble() < epsilon) return _rng.NextInt(ActionCount);
        return GreedyAction(observation, meanWeights: false);
    }

    /// <summary>Stores one environment step in the replay memory (through the n-step collector).</summary>
    public void Remember(ReadOnlySpan<float> observation, int action, double reward, ReadOnlySpan<float> nextObservation, bool terminated, bool truncated) =>
        _nStep.Add(observation, action, reward, nextObservation, terminated, truncated);

    /// <summary>Ends an unfinished episode (the run stops mid-episode): pending n-step transitions bootstrap from <paramref name="lastObservation"/>.</summary>
    public void InterruptEpisode(ReadOnlySpan<float> lastObservation) => _nStep.Flush(lastObservation);

    /// <summary>θ⁻ ← τθ + (1−τ)θ⁻.</summary>
    public void UpdateTarget() => Target.UpdateFrom(Online, Options.TargetUpdateRate);

    /// <summary>
    /// One gradient step on a minibatch B from D:
    /// δ_i = Q(s_i, a_i; θ) − (r_i + γ^k max_a' Q(s'_i, a'; θ⁻)) (no bootstrap when s'_i is terminal),
    /// L(θ) = (1/|B|) Σ_i w_i · Huber(δ_i) (or ½δ_i²), θ ← Adam(θ, ∇L clipped to norm <see cref="DqnOptions.MaxGradientNorm"/>).
    /// For C51 the loss is the cross-entropy between the projected target distribution and the predicted one.
    /// Returns L(θ) before the step.
    /// </summary>
    public double Update() => Update(null, null);

    /// <summary>
    /// The same update with the batch's targets y from <paramref name="dqnTargets"/> (or, with
    /// <see cref="DqnOptions.DoubleQ"/>, <paramref name="doubleDqnTargets"/>), the functions notebook 06's exercises
    /// write: <c>double[] DqnTargets(double[] rewards, double gamma, double[][] nextQTarget, bool[] terminated)</c> and
    /// <c>double[] DoubleDqnTargets(double[] rewards, double gamma, double[][] nextQTarget, double[][] nextQOnline, bool[] terminated)</c>.
    /// A null function: the built-in targets. Not for C51 (whose targets are distributions).
    /// </summary>
    public double Update(Func<double[], double, double[][], bool[], double[]>? dqnTargets,
        Func<double[], double, double[][], double[][], bool[], double[]>? doubleDqnTargets)
    {
        var hp = Options;
        var targetFunction = hp.DoubleQ ? (Delegate?)doubleDqnTargets : dqnTargets;
        if (targetFunction != null && hp.Distributional)
            throw new InvalidOperationException("Target functions compute one value per transition: they cannot train a distributional (C51) agent.");
        if (Memory.Count == 0) throw new InvalidOperationException("The replay memory is empty: remember some transitions before updating.");
        using var threads = TorchThreads.One();
        if (Memory is PrioritizedReplayBuffer prioritized) prioritized.ImportanceExponent = ImportanceExponent;
        Memory.Sample(_rng, _batch);
        _batch.Observations.CopyTo(_online.Input.Span);
        _batch.NextObservations.CopyTo(_targetNext.Input.Span);
        if (hp.NoisyNetworks) { Online.ResampleNoise(_rng); Target.ResampleNoise(_rng); }
        Target.Forward(_targetNext);
        if (hp.DoubleQ)
        {
            _batch.NextObservations.CopyTo(_onlineNext.Input.Span);
            Online.Forward(_onlineNext);
        }
        Online.Forward(_online);

        var targets = targetFunction is null ? null : BatchTargets(dqnTargets, doubleDqnTargets);
        double loss = hp.Distributional ? DistributionalLoss() : TdErrorLoss(targets);
        if (!double.IsFinite(loss))
            throw new InvalidOperationException($"The loss became {loss} at update {UpdateCount + 1} (step {StepCount}): training stopped. Try a smaller LearningRate or MaxGradientNorm.");

        Online.Backward(_online);
        Optimizer.Step(hp.MaxGradientNorm);
        Online.ApplyNoise();
        Memory.UpdatePriorities(_batch.Indices, _tdErrors);
        UpdateCount++;
        return loss;
    }

    /// <summary>
    /// The batch's targets y_i from a target function (the exercise's), called on copies of the batch. With n-step
    /// returns, r_i is the discounted sum of the k_i rewards and s'_i the state k_i steps later, so
    /// y_i = r_i + γ^{k_i} (1 − terminated_i) max_a' Q(s'_i, a'; θ⁻) is the exercise's formula with γ^{k_i} for γ: the
    /// function is called once for each k in the batch (usually one call: k = n for all but episode ends).
    /// </summary>
    double[] BatchTargets(Func<double[], double, double[][], bool[], double[]>? dqnTargets,
        Func<double[], double, double[][], double[][], bool[], double[]>? doubleDqnTargets)
    {
        int batch = Options.BatchSize;
        var y = new double[batch];
        foreach (var group in Enumerable.Range(0, batch).GroupBy(i => _batch.StepCounts[i]))
        {
            var rows = group.ToArray();
            double gamma = Math.Pow(Options.Discount, group.Key);
            var rewards = rows.Select(i => (double)_batch.Rewards[i]).ToArray();
            var terminated = rows.Select(i => _batch.Terminated[i]).ToArray();
            var nextQTarget = rows.Select(i => ToDoubles(_targetNext.OutputRow(i))).ToArray();
            var groupTargets = Options.DoubleQ
                ? doubleDqnTargets!(rewards, gamma, nextQTarget, rows.Select(i => ToDoubles(_onlineNext.OutputRow(i))).ToArray(), terminated)
                : dqnTargets!(rewards, gamma, nextQTarget, terminated);
            if (groupTargets is null || groupTargets.Length != rows.Length)
                throw new InvalidOperationException($"The target function returned {(groupTargets is null ? "null" : $"{groupTargets.Length} targets")} for {rows.Length} transitions.");
            for (int j = 0; j < rows.Length; j++) y[rows[j]] = groupTargets[j];
        }
        return y;
    }

    static double[] ToDoubles(ReadOnlySpan<float> values)
    {
        var result = new double[values.Length];
        for (int j = 0; j < values.Length; j++) result[j] = values[j];
        return result;
    }

    /// <summary>
    /// Fills ∂L/∂Q with the loss's derivative at each δ_i (Huber: clip(δ, −1, 1); squared: δ); returns L. The targets
    /// y_i are <paramref name="targets"/> when given, else computed here.
    /// </summary>
    double TdErrorLoss(double[]? targets)
    {
        var hp = Options;
        bool squared = hp.Loss == TdLoss.Squared;
        int batch = hp.BatchSize, actions = ActionCount;
        var gradient = _online.OutputGradient.Span;
        gradient.Clear();
        double loss = 0;
        for (int i = 0; i < batch; i++)
        {
            float target;
            if (targets != null) target = (float)targets[i];
            else
            {
                var nextTarget = _targetNext.OutputRow(i);
                int nextAction = ArgMax(hp.DoubleQ ? _onlineNext.OutputRow(i) : nextTarget);
                target = _batch.Terminated[i]
                    ? _batch.Rewards[i]                                                               // y = r
                    : _batch.Rewards[i] + _discountPowers[_batch.StepCounts[i]] * nextTarget[nextAction]; // y = r + γ^k Q(s', a'; θ⁻)
            }
            int action = _batch.Actions[i];
            float delta = _online.OutputRow(i)[action] - target;                                  // δ = Q(s, a; θ) − y
            float weight = _batch.Weights[i];
            if (squared)
            {
                loss += weight * 0.5 * delta * delta;                                             // ½δ²
                gradient[i * actions + action] = weight * delta / batch;
            }
            else
            {
                loss += weight * HuberLoss.Value(delta);                                          // Huber(δ)
                gradient[i * actions + action] = weight * Math.Clamp(delta, -1f, 1f) / batch;     // ∂L/∂Q(s, a) = clip(δ)
            }
            _tdErrors[i] = delta;
        }
        return loss / batch;
    }

    /// <summary>
    /// C51: project r + γ^k z onto the support (target distribution m from the target network at the greedy a'),
    /// L = −(1/|B|) Σ_i w_i Σ_j m_ij log p_ij(s_i, a_i); ∂L/∂logits = w_i (p − m)/|B|. The priority is the cross-entropy.
    /// </summary>
    double DistributionalLoss()
    {
        var hp = Options;
        int batch = hp.BatchSize, actions = ActionCount, atoms = _support.Length;
        Span<float> q = stackalloc float[actions];
        var gradient = _online.OutputGradient.Span;
        gradient.Clear();
        double loss = 0;
        for (int i = 0; i < batch; i++)
        {
            // Greedy next action: by the online network's means (double Q) or the target network's.
            ActionValues(hp.DoubleQ ? _onlineNext.OutputRow(i) : _targetNext.OutputRow(i), q);
            int nextAction = ArgMax(q);
            Softmax(_targetNext.OutputRow(i).Slice(nextAction * atoms, atoms), _probabilities);
            var m = _targetDistribution.AsSpan();
            bool terminated = _batch.Terminated[i];
            float discount = _discountPowers[_batch.StepCounts[i]];
            CategoricalProjection.Project(_support, _probabilities, _batch.Rewards[i], discount, terminated, m);
            int action = _batch.Actions[i];
            var logits = _online.OutputRow(i).Slice(action * atoms, atoms);
            float logSumExp = Softmax(logits, _probabilities);                    // p(s, a) and log Σ exp
            float crossEntropy = 0, weight = _batch.Weights[i];
            var g = gradient.Slice(i * actions * atoms + action * atoms, atoms);
            for (int j = 0; j < atoms; j++)
            {
                if (m[j] > 0) crossEntropy -= m[j] * (logits[j] - logSumExp);   // −Σ m log p
                g[j] = weight * (_probabilities[j] - m[j]) / batch;
            }
            loss += weight * crossEntropy;
            _tdErrors[i] = crossEntropy;
        }
        return loss / batch;
    }

    /// <summary>Q(s, a) from the network's outputs: the outputs themselves, or Σ_j z_j p_j(s, a) for C51.</summary>
    void ActionValues(ReadOnlySpan<float> output, Span<float> qValues)
    {
        if (_support.Length == 0) { output.CopyTo(qValues); return; }
        int atoms = _support.Length;
        Span<float> p = stackalloc float[atoms];
        for (int a = 0; a < ActionCount; a++)
        {
            Softmax(output.Slice(a * atoms, atoms), p);
            float mean = 0;
            for (int j = 0; j < atoms; j++) mean += _support[j] * p[j];
            qValues[a] = mean;
        }
    }

    /// <summary>The return distribution p(s, a) over the support (C51 only), with the support points.</summary>
    public (float[] Support, float[] Probabilities) ReturnDistribution(ReadOnlySpan<float> observation, int action)
    {
        if (!Options.Distributional) throw new InvalidOperationException("ReturnDistribution needs Distributional = true.");
        if ((uint)action >= (uint)ActionCount) throw new ArgumentOutOfRangeException(nameof(action), action, $"action must be in [0, {ActionCount}).");
        Online.ForwardOne(observation, _output, meanWeights: Online.Noisy);
        var p = new float[_support.Length];
        Softmax(_output.AsSpan(action * _support.Length, _support.Length), p);
        return ((float[])_support.Clone(), p);
    }

    /// <summary>p = softmax(logits), computed once per logit; returns log Σ_j exp(logits_j).</summary>
    static float Softmax(ReadOnlySpan<float> logits, Span<float> probabilities)
    {
        float max = logits[0];
        for (int j = 1; j < logits.Length; j++) if (logits[j] > max) max = logits[j];
        float sum = 0;
        for (int j = 0; j < logits.Length; j++) sum += probabilities[j] = MathF.Exp(logits[j] - max);
        float inverse = 1 / sum;
        for (int j = 0; j < logits.Length; j++) probabilities[j] *= inverse;
        return max + MathF.Log(sum);
    }

    internal static int ArgMax(ReadOnlySpan<float> values)
    {
        int best = 0;
        for (int a = 1; a < values.Length; a++) if (values[a] > values[best]) best = a;
        return best;
    }

    // ---------------------------------------------------------------- checkpoints

    const string CheckpointMagic = "CourseLib.DqnAgent";
    const int CheckpointVersion = 2;

    /// <summary>
    /// Writes a checkpoint: options, counters, both networks, the optimiser's moments and the replay memory.
    /// Saving re-seeds the agent's generator from itself (and redraws the noisy layers' noise), so this agent and a
    /// copy loaded from the checkpoint continue with identical random numbers.
    /// </summary>
    public void Save(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory != null) Directory.CreateDirectory(directory);
        using var stream = File.Create(path);
        Save(stream);
    }

    /// <summary>Writes a checkpoint to <paramref name="stream"/> (see <see cref="Save(string)"/>).</summary>
    public void Save(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        long continuation = (long)(_rng.NextUInt64() >> 1);
        Reseed(continuation);
        using var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true);
        writer.Write(CheckpointMagic);
        writer.Write(CheckpointVersion);
        writer.Write(Options.ToString());
        writer.Write(ObservationLength); writer.Write(ActionCount);
        writer.Write(StepCount); writer.Write(UpdateCount); writer.Write(EpisodeCount);
        writer.Write(continuation);
        if (Memory is PrioritizedReplayBuffer prioritized) { writer.Write(true); prioritized.Write(writer); }
        else { writer.Write(false); ((ReplayBuffer)Memory).Write(writer); }
        Online.WriteParameters(writer);
        Target.WriteParameters(writer);
        Optimizer.Write(writer);
    }

    /// <summary>Reads a checkpoint written by <see cref="Save(string)"/>.</summary>
    public static DqnAgent Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path)) throw new FileNotFoundException($"No checkpoint at {path}.", path);
        using var stream = File.OpenRead(path);
        return Load(stream);
    }

    /// <summary>Reads a checkpoint from <paramref name="stream"/>.</summary>
    public static DqnAgent Load(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var reader = new BinaryReader(stream, System.Text.Encoding.UTF8, leaveOpen: true);
        string magic;
        try { magic = reader.ReadString(); } catch (Exception e) when (e is EndOfStreamException or IOException) { magic = ""; }
        if (magic != CheckpointMagic) throw new InvalidDataException("This is not a DqnAgent checkpoint.");
        int version = reader.ReadInt32();
        if (version != CheckpointVersion) throw new InvalidDataException($"Checkpoint version {version} is not supported (expected {CheckpointVersion}).");
        var hp = DqnOptions.FromJson(reader.ReadString());
        int observationLength = reader.ReadInt32(), actionCount = reader.ReadInt32();
        long steps = reader.ReadInt64(), updates = reader.ReadInt64(), episodes = reader.ReadInt64(), continuation = reader.ReadInt64();
        bool prioritized = reader.ReadBoolean();
        IReplayMemory memory = prioritized
            ? PrioritizedReplayBuffer.Read(reader, hp.PriorityExponent, PrioritizedReplayBuffer.DefaultPriorityOffset)
            : ReplayBuffer.Read(reader);
        var loaded = new DqnAgent(observationLength, actionCount, hp, memory);
        loaded.Online.ReadParameters(reader);
        loaded.Target.ReadParameters(reader);
        loaded.Optimizer.Read(reader);
        loaded.StepCount = steps; loaded.UpdateCount = updates; loaded.EpisodeCount = episodes;
        loaded.Reseed(continuation);
        return loaded;
    }

    void Reseed(long seed)
    {
        _rng.Reseed(seed);
        Online.ResampleNoise(_rng);
        Target.ResampleNoise(_rng);
    }

    /// <summary>Frees the networks and workspaces.</summary>
    public void Dispose()
    {
        _online.Dispose(); _onlineNext.Dispose(); _targetNext.Dispose();
        Online.Dispose(); Target.Dispose();
    }
}
