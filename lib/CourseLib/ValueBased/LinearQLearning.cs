using CourseLib.Environments;
using CourseLib.Training;

namespace CourseLib.ValueBased;

/// <summary>
/// A linear action-value function q̂(s, a; w) = wᵀψ(s, a) over tile-coded features: ψ(s, a) has a block of
/// tile features per action, so q̂(s, a) is the sum of action a's weights on the tiles active at s.
/// </summary>
public sealed class LinearQFunction
{
    readonly double[] _weights; // [action, feature]
    readonly double[] _input;
    readonly int[] _active;

    /// <summary>All-zero weights for <paramref name="actionCount"/> actions over the features of <paramref name="tileCoder"/>.</summary>
    public LinearQFunction(TileCoder tileCoder, int actionCount, double initialValue = 0)
    {
        ArgumentNullException.ThrowIfNull(tileCoder);
        if (actionCount < 1) throw new ArgumentOutOfRangeException(nameof(actionCount), actionCount, "actionCount must be at least 1.");
        TileCoder = tileCoder;
        ActionCount = actionCount;
        _weights = new double[actionCount * tileCoder.FeatureCount];
        Array.Fill(_weights, initialValue / tileCoder.Tilings); // q̂ = n · w starts at initialValue
        _input = new double[tileCoder.Dimensions];
        _active = new int[tileCoder.Tilings];
    }

    /// <summary>The features ψ.</summary>
    public TileCoder TileCoder { get; }
    /// <summary>|A|.</summary>
    public int ActionCount { get; }
    /// <summary>w, action by action.</summary>
    public ReadOnlySpan<double> Weights => _weights;

    /// <summary>q̂(s, ·) for every action into <paramref name="qValues"/>.</summary>
    public void Values(ReadOnlySpan<double> state, Span<double> qValues)
    {
        TileCoder.ActiveFeatures(state, _active);
        int features = TileCoder.FeatureCount;
        for (int a = 0; a < ActionCount; a++)
        {
            double sum = 0;
            int offset = a * features;
            foreach (int i in _active) sum += _weights[offset + i];
            qValues[a] = sum;
        }
    }

    /// <summary>q̂(s, a).</summary>
    public double Value(ReadOnlySpan<double> state, int action)
    {
        Span<double> q = stackalloc double[ActionCount];
        Values(state, q);
        return q[action];
    }

    /// <summary>The greedy action argmax_a q̂(s, a), ties to the lowest action (deterministic, for evaluation).</summary>
    public int GreedyAction(ReadOnlySpan<double> state)
    {
        Span<double> q = stackalloc double[ActionCount];
        Values(state, q);
        int best = 0;
        for (int a = 1; a < q.Length; a++) if (q[a] > q[best]) best = a;
        return best;
    }

    /// <summary>The greedy action for an environment's observation (for <see cref="Evaluation.Run{TObservation}(IEnvironment{TObservation, int}, Func{TObservation, int}, EvaluationOptions, long)"/>).</summary>
    public int GreedyAction<TObservation>(TObservation observation) where TObservation : IObservationVector<TObservation>
    {
        Span<float> raw = stackalloc float[TObservation.Length];
        Span<double> state = stackalloc double[TObservation.Length];
        observation.CopyTo(raw);
        for (int i = 0; i < raw.Length; i++) state[i] = raw[i];
        return GreedyAction(state);
    }

    /// <summary>
    /// The semi-gradient step w ← w + α δ ∇_w q̂(s, a; w): ∇ is 1 on action a's active tiles and 0 elsewhere,
    /// and α is shared among the n active tiles (each moves by α δ / n), so q̂(s, a) moves α of the way to the target.
    /// </summary>
    public void Update(ReadOnlySpan<double> state, int action, double tdError, double learningRate)
    {
        TileCoder.ActiveFeatures(state, _active);
        double step = learningRate * tdError / TileCoder.Tilings;
        int offset = action * TileCoder.FeatureCount;
        foreach (int i in _active) _weights[offset + i] += step;
    }

    /// <summary>
    /// The cost-to-go −max_a q̂(s, a) on a grid over two input dimensions (the others held at 0), for a heat map:
    /// result[row, column] at dimension <paramref name="yDimension"/> = y_row and <paramref name="xDimension"/> = x_column.
    /// </summary>
    public double[,] CostToGo(int resolution = 50, int xDimension = 0, int yDimension = 1)
    {
        if (resolution < 2) throw new ArgumentOutOfRangeException(nameof(resolution), resolution, "resolution must be at least 2.");
        var grid = new double[resolution, resolution];
        Span<double> state = stackalloc double[TileCoder.Dimensions];
        Span<double> q = stackalloc double[ActionCount];
        for (int row = 0; row < resolution; row++)
            for (int column = 0; column < resolution; column++)
            {
                state.Clear();
                state[xDimension] = GridPoint(xDimension, column, resolution);
                state[yDimension] = GridPoint(yDimension, row, resolution);
                Values(state, q);
                double max = q[0];
                for (int a = 1; a < q.Length; a++) max = Math.Max(max, q[a]);
                grid[row, column] = -max;
            }
        return grid;
    }

    /// <summary>The value of dimension <paramref name="dimension"/> at grid index <paramref name="index"/> of <see cref="CostToGo"/>.</summary>
    public double GridPoint(int dimension, int index, int resolution) =>
        TileCoder.Low[dimension] + (TileCoder.High[dimension] - TileCoder.Low[dimension]) * index / (resolution - 1);
}

/// <summary>Settings of semi-gradient Q-learning with tile coding (<see cref="LinearQLearning.Train"/>).</summary>
public sealed record LinearQOptions
{
    /// <summary>Seeds the first reset and the exploration's generator. Default 0.</summary>
    public int Seed { get; init; }
    /// <summary>The budget: training episodes (≥ 0). Default 500.</summary>
    public int Episodes { get; init; } = 500;
    /// <summary>γ in [0, 1]. Default 1 (MountainCar is episodic).</summary>
    public double Discount { get; init; } = 1.0;
    /// <summary>α in (0, 1]: the fraction of the TD error q̂(s, a) moves per update (shared by the active tiles). Default 0.5 (Sutton and Barto's 0.5/8 per tile with 8 tilings).</summary>
    public double LearningRate { get; init; } = 0.5;
    /// <summary>ε of ε-greedy, in [0, 1]. Default 0: with rewards of −1 per step, zero initial values are optimistic and drive exploration.</summary>
    public double Epsilon { get; init; }
    /// <summary>Number of tilings (≥ 1). Default 8.</summary>
    public int Tilings { get; init; } = 8;
    /// <summary>Tiles across each input dimension (≥ 1). Default 8.</summary>
    public int TilesPerDimension { get; init; } = 8;
    /// <summary>Evaluations of the greedy policy during training, after the episode in which every <see cref="EvaluationOptions.EverySteps"/>-th step falls (need an evaluation environment). Default: none.</summary>
    public EvaluationOptions Evaluation { get; init; } = EvaluationOptions.None;

    /// <summary>Throws an <see cref="ArgumentOutOfRangeException"/> naming the first setting out of range.</summary>
    public void Validate()
    {
        Require.AtLeast(Episodes, 0, nameof(Episodes));
        Require.InRange(Discount, 0, 1, nameof(Discount));
        Require.InHalfOpenRange(LearningRate, 0, 1, nameof(LearningRate));
        Require.InRange(Epsilon, 0, 1, nameof(Epsilon));
        Require.AtLeast(Tilings, 1, nameof(Tilings));
        Require.AtLeast(TilesPerDimension, 1, nameof(TilesPerDimension));
        if (Evaluation is null) throw new ArgumentNullException(nameof(Evaluation), "Evaluation must be set (EvaluationOptions.None: no evaluations).");
        Evaluation.Validate();
    }
}

/// <summary>
/// Semi-gradient Q-learning with a linear q̂ (Sutton and Barto, §10.1 with the Q-learning target):
/// w ← w + α [R + γ max_a' q̂(S', a'; w) − q̂(S, A; w)] ∇_w q̂(S, A; w). "Semi" because the target also depends on w
/// but is treated as a constant. With tile coding this learns MountainCar in a few hundred episodes.
/// </summary>
public static class LinearQLearning
{
    /// <summary>
    /// Trains a tile-coded q̂ on <paramref name="environment"/> for <see cref="LinearQOptions.Episodes"/> episodes. The
    /// tiles span the environment's observation box (which must be finite). The first reset is seeded from
    /// <see cref="LinearQOptions.Seed"/>. Evaluations (when scheduled) run the greedy policy on
    /// <paramref name="evaluationEnvironment"/>, which needs a time limit.
    /// </summary>
    public static TrainingResult<LinearQFunction, EpisodeRecord> Train<TObservation>(IEnvironment<TObservation, int> environment,
        LinearQOptions? options = null, IEnvironment<TObservation, int>? evaluationEnvironment = null, CancellationToken cancellationToken = default)
        where TObservation : IObservationVector<TObservation>
    {
        ArgumentNullException.ThrowIfNull(environment);
        var o = options ?? new LinearQOptions();
        o.Validate();
        if (environment.ObservationSpace is not Box<TObservation> box || box.Low.Concat(box.High).Any(v => !float.IsFinite(v)))
            throw new ArgumentException("Tile coding needs a Box observation space with finite bounds.", nameof(environment));
        if (environment.ActionSpace is not Discrete actions)
            throw new ArgumentException("Linear Q-learning needs Discrete actions.", nameof(environment));
        if (o.Evaluation.Enabled && evaluationEnvironment is null)
            throw new ArgumentException("Evaluations during training (options.Evaluation) need an evaluationEnvironment of their own, with a time limit.", nameof(evaluationEnvironment));
        if (evaluationEnvironment is not null && ReferenceEquals(evaluationEnvironment, environment))
            throw new ArgumentException("evaluationEnvironment must be another instance than the training environment.", nameof(evaluationEnvironment));

        var tiles = new TileCoder(box.Low.Select(v => (double)v).ToArray(), box.High.Select(v => (double)v).ToArray(), o.Tilings, o.TilesPerDimension);
        var q = new LinearQFunction(tiles, actions.N);
        var rng = new Rng(o.Seed);
        var episodes = new List<EpisodeRecord>(o.Episodes);
        var evaluations = new List<EvaluationRecord>();
        long steps = 0, every = Math.Max(1, o.Evaluation.EverySteps);
        long? solvedAt = null;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        Span<float> raw = stackalloc float[TObservation.Length];
        Span<double> s = stackalloc double[TObservation.Length], next = stackalloc double[TObservation.Length];
        Span<double> qValues = stackalloc double[actions.N], nextQ = stackalloc double[actions.N];
        using var progress = TrainingProgress.Start($"Linear Q-learning on {environment.GetType().Name}", o.Episodes, "episodes");

        for (int episode = 0; episode < o.Episodes; episode++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            ToDoubles(environment.Reset(episode == 0 ? rng.NextInt(int.MaxValue) : null).Observation, raw, s);   // S ← initial state
            double episodeReturn = 0;
            int length = 0;
            while (true)
            {
                q.Values(s, qValues);
                int a = EpsilonGreedy.ChooseChecked(qValues, o.Epsilon, rng);        // A from S, ε-greedy in q̂
                var step = environment.Step(a);                                    // R, S'
                ToDoubles(step.Observation, raw, next);
                double target = step.Reward;
                if (!step.Terminated)
                {
                    q.Values(next, nextQ);
                    target += o.Discount * Max(nextQ);                             // R + γ max_a' q̂(S', a')
                }
                q.Update(s, a, target - qValues[a], o.LearningRate);               // w ← w + α δ ∇q̂(S, A)
                episodeReturn += step.Reward;
                length++;
                if (step.Terminated || step.Truncated) break;
                next.CopyTo(s);                                                    // S ← S'
            }
            long before = steps;
            steps += length;
            episodes.Add(new EpisodeRecord(steps, episodeReturn, length));
            progress.Report(episode + 1, ("return", episodeReturn));
            if (o.Evaluation.Enabled && steps / every > before / every)
            {
                var evaluation = Evaluation.Run(evaluationEnvironment!, q.GreedyAction, o.Evaluation, steps);
                evaluations.Add(evaluation);
                if (o.Evaluation.Reached(evaluation)) { solvedAt = steps; break; }
            }
        }
        return new TrainingResult<LinearQFunction, EpisodeRecord>
        {
            Agent = q, History = episodes, Episodes = episodes, Evaluations = evaluations,
            Steps = steps, Elapsed = clock.Elapsed, SolvedAtStep = solvedAt,
        };
    }

    static void ToDoubles<TObservation>(TObservation observation, Span<float> raw, Span<double> destination)
        where TObservation : IObservationVector<TObservation>
    {
        observation.CopyTo(raw);
        for (int i = 0; i < raw.Length; i++) destination[i] = raw[i];
    }

    static double Max(ReadOnlySpan<double> values)
    {
        double max = values[0];
        for (int i = 1; i < values.Length; i++) max = Math.Max(max, values[i]);
        return max;
    }
}
