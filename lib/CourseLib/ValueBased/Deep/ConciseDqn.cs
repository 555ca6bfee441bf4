using System.Diagnostics;
using CourseLib.Environments;
using CourseLib.Exercises;
using CourseLib.Training;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;
using Sequential = TorchSharp.Modules.Sequential;

namespace CourseLib.ValueBased.Deep;

/// <summary>
/// DQN in one page of TorchSharp, in the spirit of CleanRL's <c>dqn.py</c>: the same algorithm and the same
/// <see cref="DqnOptions"/> as <see cref="Dqn"/>, written the obvious way (an <c>nn.Sequential</c>, autograd,
/// <c>smooth_l1_loss</c>, <c>optim.Adam</c>, <c>clip_grad_norm_</c>). Read this one first; <see cref="Dqn"/> with
/// <see cref="DqnAgent"/> is the fast path (hand-written passes and Adam, acting in plain C#) and adds Rainbow's components.
/// <code>
/// for t = 1 … T:
///     a_t ← random action with probability ε_t, else argmax_a Q(s_t, a; θ)
///     execute a_t; store (s_t, a_t, r_t, s_{t+1}, terminated) in D
///     every TrainFrequency steps after LearningStarts:
///         sample B from D;  y_j = r_j + γ (1 − terminated_j) max_a' Q(s_{j+1}, a'; θ⁻)
///         gradient step on (1/|B|) Σ_j Huber(Q(s_j, a_j; θ) − y_j), gradient norm clipped
///     every TargetUpdateInterval steps after LearningStarts: θ⁻ ← τθ + (1 − τ)θ⁻
/// </code>
/// Supports <see cref="DqnOptions.DoubleQ"/>, the loss, clipping and soft target updates; not the other Rainbow switches.
/// </summary>
public static class ConciseDqn
{
    /// <summary>
    /// Q(s, ·; θ): Linear → ReLU for each hidden layer, then a Linear to one value per action. Initialised as torch
    /// initialises a Linear (uniform in ±1/√fan-in), from <paramref name="seed"/> when given (the same network whatever
    /// other threads do with torch's global generator), else from torch's global generator.
    /// </summary>
    public static Sequential Network(int observationLength, int actionCount, IReadOnlyList<int> hiddenLayers, long? seed = null)
    {
        var layers = new List<(string, Module<Tensor, Tensor>)>();
        int inputs = observationLength;
        for (int l = 0; l < hiddenLayers.Count; l++)
        {
            layers.Add(($"hidden{l + 1}", Linear(inputs, hiddenLayers[l])));
            layers.Add(($"relu{l + 1}", ReLU()));
            inputs = hiddenLayers[l];
        }
        layers.Add(("output", Linear(inputs, actionCount)));
        var network = nn.Sequential(layers);
        if (seed is long s) Networks.UniformInitialisation.Apply(network, s);
        return network;
    }

    /// <summary>
    /// One DQN update on a minibatch, the seminar's box (and notebook 06's <c>DqnUpdate</c> exercise):
    /// y = r + γ (1 − terminated) max_a' Q(s', a'; θ⁻) from the target network without a gradient,
    /// L = mean Huber(Q(s, a; θ) − y), zero_grad, backward, clip the gradient norm at
    /// <paramref name="maxGradientNorm"/> (+∞: no clipping), one optimizer step. Returns L before the step.
    /// </summary>
    public static double Update(Sequential q, Sequential target, optim.Optimizer optimizer, DqnMinibatch batch, double gamma,
        double maxGradientNorm) =>
        Update(q, target, optimizer, batch, gamma, maxGradientNorm, doubleQ: false, TdLoss.Huber);

    /// <summary>
    /// One update with <paramref name="options"/>' discount, gradient clipping, <see cref="DqnOptions.DoubleQ"/> (the
    /// online network picks a', the target network evaluates it) and <see cref="DqnOptions.Loss"/> (Huber or ½δ²).
    /// </summary>
    public static double Update(Sequential q, Sequential target, optim.Optimizer optimizer, DqnMinibatch batch, DqnOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return Update(q, target, optimizer, batch, options.Discount, options.MaxGradientNorm, options.DoubleQ, options.Loss);
    }

    static double Update(Sequential q, Sequential target, optim.Optimizer optimizer, DqnMinibatch batch, double gamma,
        double maxGradientNorm, bool doubleQ, TdLoss lossKind)
    {
        ArgumentNullException.ThrowIfNull(batch);
        using var scope = NewDisposeScope();
        Tensor y;
        using (no_grad())
        {
            var nextQ = target.forward(batch.NextObservations);                                 // Q(s', ·; θ⁻)
            var best = doubleQ
                ? nextQ.gather(1, q.forward(batch.NextObservations).argmax(1, keepdim: true)).squeeze(1)
                : nextQ.max(1).values;
            y = batch.Rewards + gamma * best * (1 - batch.Terminated);                         // y = r + γ (1 − d) max Q(s', ·; θ⁻)
        }
        var predicted = q.forward(batch.Observations).gather(1, batch.Actions.unsqueeze(1)).squeeze(1);   // Q(s, a; θ)
        var loss = lossKind == TdLoss.Huber
            ? functional.smooth_l1_loss(predicted, y)                                           // mean Huber(δ)
            : functional.mse_loss(predicted, y) / 2;                                            // mean ½δ²
        optimizer.zero_grad();
        loss.backward();
        if (!double.IsPositiveInfinity(maxGradientNorm)) nn.utils.clip_grad_norm_(q.parameters(), maxGradientNorm);
        optimizer.step();
        return loss.item<float>();
    }

    /// <summary>The greedy action argmax_a Q(s, a; θ) of one observation (no gradient, libtorch on the calling thread's setting).</summary>
    public static int GreedyAction(Sequential q, float[] observation)
    {
        ArgumentNullException.ThrowIfNull(q);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        return (int)q.forward(tensor(observation).unsqueeze(0)).argmax(1).item<long>();
    }

    /// <summary>Plays <paramref name="options"/>' episodes with the greedy action of <paramref name="q"/> (libtorch on one thread).</summary>
    public static EvaluationRecord Evaluate<TObservation>(Sequential q, IEnvironment<TObservation, int> environment, EvaluationOptions options, long step = 0)
        where TObservation : IObservationVector<TObservation>
    {
        ArgumentNullException.ThrowIfNull(q);
        using var threads = TorchThreads.One();
        var x = new float[TObservation.Length];
        return Evaluation.Run(environment, o => { o.CopyTo(x); return GreedyAction(q, x); }, options, step);
    }

    /// <summary>
    /// Trains a fresh Q-network (initialised from <see cref="DqnOptions.Seed"/>) for <paramref name="steps"/>
    /// environment steps, or until an evaluation reaches <see cref="EvaluationOptions.StopAtMeanReturn"/>. The result's
    /// Agent is the network Q(·; θ) (dispose it when done).
    /// </summary>
    /// <param name="environment">The environment to learn in (Discrete actions).</param>
    /// <param name="options">The settings; <see cref="DqnOptions.Seed"/> seeds the network, exploration and the memory's samples.</param>
    /// <param name="steps">Environment steps at most.</param>
    /// <param name="evaluationEnvironment">A second environment for <see cref="DqnOptions.Evaluation"/>'s greedy episodes (required when it evaluates).</param>
    /// <param name="title">The progress bar's title.</param>
    /// <param name="cancellationToken">Stops training (checked every 1,024 steps).</param>
    /// <param name="update">
    /// The update on each minibatch, with the signature of notebook 06's exercise, <c>double DqnUpdate(Sequential q,
    /// Sequential target, optim.Optimizer optimizer, DqnMinibatch batch, double gamma, double maxGradientNorm)</c>
    /// (plain DQN with the Huber loss: it needs <see cref="DqnOptions.DoubleQ"/> false and <see cref="TdLoss.Huber"/>).
    /// Until it is written (it throws <see cref="NotImplementedException"/>), the library's <see cref="Update(Sequential, Sequential, optim.Optimizer, DqnMinibatch, double, double)"/>
    /// stands in and one line says so. Null: the library's update with all of <paramref name="options"/>.
    /// </param>
    public static TrainingResult<Sequential, DqnUpdate> Train<TObservation>(IEnvironment<TObservation, int> environment, DqnOptions options,
        long steps, IEnvironment<TObservation, int>? evaluationEnvironment = null, string? title = null,
        Func<Sequential, Sequential, optim.Optimizer, DqnMinibatch, double, double, double>? update = null,
        CancellationToken cancellationToken = default)
        where TObservation : IObservationVector<TObservation>
    {
        ArgumentNullException.ThrowIfNull(options);
        if (update != null && (options.DoubleQ || options.Loss != TdLoss.Huber))
            throw new ArgumentException($"An update with the exercise's signature is plain DQN with the Huber loss, but options has DoubleQ = {options.DoubleQ} and Loss = {options.Loss}: use DoubleQ = false and Loss = TdLoss.Huber.", nameof(update));
        var chosen = update is null ? null : Solution.OrReference(update, Update, Solution.NameOf(update, "DqnUpdate"));
        return TrainWith(environment, options, steps, evaluationEnvironment, title, chosen, cancellationToken, null);
    }

    /// <summary>
    /// Trains with exactly this <paramref name="update"/>, never replaced by the reference (a stub's
    /// <see cref="NotImplementedException"/> propagates): what the outcome check of notebook 06's exercise runs.
    /// <paramref name="evaluated"/> sees the network after each evaluation.
    /// </summary>
    internal static TrainingResult<Sequential, DqnUpdate> TrainWithUpdate<TObservation>(IEnvironment<TObservation, int> environment, DqnOptions options,
        long steps, IEnvironment<TObservation, int>? evaluationEnvironment,
        Func<Sequential, Sequential, optim.Optimizer, DqnMinibatch, double, double, double> update, Action<Sequential, EvaluationRecord>? evaluated = null)
        where TObservation : IObservationVector<TObservation> =>
        TrainWith(environment, options, steps, evaluationEnvironment, null, update, default, evaluated);

    static TrainingResult<Sequential, DqnUpdate> TrainWith<TObservation>(IEnvironment<TObservation, int> environment, DqnOptions options,
        long steps, IEnvironment<TObservation, int>? evaluationEnvironment, string? title,
        Func<Sequential, Sequential, optim.Optimizer, DqnMinibatch, double, double, double>? update, CancellationToken cancellationToken,
        Action<Sequential, EvaluationRecord>? evaluated)
        where TObservation : IObservationVector<TObservation>
    {
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Require.AtLeast(steps, 0, nameof(steps));
        if (options.Dueling || options.PrioritizedReplay || options.NSteps != 1 || options.Distributional || options.NoisyNetworks)
            throw new ArgumentException("ConciseDqn is plain DQN (with DoubleQ): Dueling, PrioritizedReplay, NSteps > 1, Distributional and NoisyNetworks need Dqn.Train.", nameof(options));
        if (environment.ActionSpace is not Discrete { N: var actionCount })
            throw new ArgumentException($"DQN needs a Discrete action space, not {environment.ActionSpace}.", nameof(environment));
        var evaluation = options.Evaluation;
        if (evaluation.Enabled && (evaluationEnvironment is null || ReferenceEquals(evaluationEnvironment, environment)))
            throw new ArgumentException("options.Evaluation schedules evaluations: pass a separate evaluationEnvironment.", nameof(evaluationEnvironment));

        using var threads = TorchThreads.One();
        var clock = Stopwatch.StartNew();
        int n = TObservation.Length;
        var q = Network(n, actionCount, options.HiddenLayers, options.Seed);
        using var target = Network(n, actionCount, options.HiddenLayers);
        target.load_state_dict(q.state_dict());
        using var optimizer = optim.Adam(q.parameters(), options.LearningRate, eps: options.AdamEpsilon);
        var memory = new ReplayBuffer(options.BufferSize, n);
        var batch = new ReplayBatch(options.BatchSize, n);
        var rng = new Rng(options.Seed);
        var epsilon = new LinearSchedule(options.StartEpsilon, options.EndEpsilon, options.ExplorationSteps);

        float[] observation = new float[n], next = new float[n], greedyInput = new float[n];
        int GreedyOn(TObservation o) { o.CopyTo(greedyInput); return GreedyAction(q, greedyInput); }

        var (episodes, evaluations, history) = (new List<EpisodeRecord>(), new List<EvaluationRecord>(), new List<DqnUpdate>());
        long? solvedAt = null;
        double episodeReturn = 0;
        int episodeLength = 0;
        using var progress = TrainingProgress.Start(title ?? $"Concise DQN on {environment.GetType().Name}", steps, "steps");
        environment.Reset(options.Seed).Observation.CopyTo(observation);
        for (long t = 1; t <= steps; t++)
        {
            if ((t & 1023) == 0) cancellationToken.ThrowIfCancellationRequested();
            int action = rng.NextDouble() < epsilon.At(t - 1) ? rng.NextInt(actionCount) : GreedyAction(q, observation);   // ε-greedy
            var step = environment.Step(action);
            step.Observation.CopyTo(next);
            memory.Add(observation, action, (float)step.Reward, next, step.Terminated);                         // into D
            episodeReturn += step.Reward;
            episodeLength++;
            if (step.Done)
            {
                episodes.Add(new EpisodeRecord(t, episodeReturn, episodeLength));
                progress.Report(t, ("return", episodeReturn), ("loss", history.Count > 0 ? history[^1].Loss : double.NaN));
                (episodeReturn, episodeLength) = (0, 0);
                environment.Reset().Observation.CopyTo(observation);
            }
            else (observation, next) = (next, observation);

            if (t > options.LearningStarts && t % options.TrainFrequency == 0)
            {
                memory.Sample(rng, batch);
                using var scope = NewDisposeScope();
                var minibatch = DqnMinibatch.From(batch);
                double loss = update is null
                    ? Update(q, target, optimizer, minibatch, options)
                    : update(q, target, optimizer, minibatch, options.Discount, options.MaxGradientNorm);
                if (!double.IsFinite(loss)) throw new InvalidOperationException($"The loss became {loss} at step {t}: try a smaller LearningRate.");
                history.Add(new DqnUpdate(history.Count + 1, t, loss));
            }
            if (t > options.LearningStarts && t % options.TargetUpdateInterval == 0)                              // θ⁻ ← τθ + (1 − τ)θ⁻
            {
                using var scope = NewDisposeScope();
                using var noGrad = no_grad();
                foreach (var (targetParameter, parameter) in target.parameters().Zip(q.parameters()))
                    targetParameter.copy_(parameter * options.TargetUpdateRate + targetParameter * (1 - options.TargetUpdateRate));
            }

            if (evaluation.IsDue(t))
            {
                var record = Evaluation.Run(evaluationEnvironment!, GreedyOn, evaluation, t);
                evaluations.Add(record);
                evaluated?.Invoke(q, record);
                if (evaluation.Reached(record)) { solvedAt = t; break; }
            }
        }
        long taken = solvedAt ?? steps;
        progress.Finish(taken, solvedAt != null ? $"stopped early: goal reached at step {taken:N0}" : null);
        return new TrainingResult<Sequential, DqnUpdate>
        {
            Agent = q, History = history, Episodes = episodes, Evaluations = evaluations, Steps = taken,
            SolvedAtStep = solvedAt, Elapsed = clock.Elapsed,
        };
    }
}
