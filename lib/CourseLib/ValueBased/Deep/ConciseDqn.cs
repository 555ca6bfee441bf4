using System.Diagnostics;
using CourseLib.Environments;
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
    /// <summary>Q(s, ·; θ): Linear → ReLU for each hidden layer, then a Linear to one value per action (torch's initialisation).</summary>
    public static Sequential Network(int observationLength, int actionCount, IReadOnlyList<int> hiddenLayers)
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
        return nn.Sequential(layers);
    }

    /// <summary>
    /// One DQN update on a minibatch: y = r + γ (1 − terminated) max_a' Q(s', a'; θ⁻) (Double DQN: the online network
    /// picks a'), L = mean Huber(Q(s, a; θ) − y) (or ½δ²), zero_grad, backward, clip the gradient norm, Adam step.
    /// Returns L before the step.
    /// </summary>
    public static double Update(Sequential q, Sequential target, optim.Optimizer optimizer, Tensor observations, Tensor actions,
        Tensor rewards, Tensor nextObservations, Tensor terminated, DqnOptions options)
    {
        using var scope = NewDisposeScope();
        Tensor y;
        using (no_grad())
        {
            var nextQ = target.forward(nextObservations);                                       // Q(s', ·; θ⁻)
            var best = options.DoubleQ
                ? nextQ.gather(1, q.forward(nextObservations).argmax(1, keepdim: true)).squeeze(1)
                : nextQ.max(1).values;
            y = rewards + options.Discount * best * (1 - terminated);                           // y = r + γ (1 − d) max Q(s', ·; θ⁻)
        }
        var predicted = q.forward(observations).gather(1, actions.unsqueeze(1)).squeeze(1);    // Q(s, a; θ)
        var loss = options.Loss == TdLoss.Huber
            ? functional.smooth_l1_loss(predicted, y)                                           // mean Huber(δ)
            : functional.mse_loss(predicted, y) / 2;                                            // mean ½δ²
        optimizer.zero_grad();
        loss.backward();
        if (!double.IsPositiveInfinity(options.MaxGradientNorm)) nn.utils.clip_grad_norm_(q.parameters(), options.MaxGradientNorm);
        optimizer.step();
        return loss.item<float>();
    }

    /// <summary>
    /// Trains a fresh Q-network (initialised by torch from <see cref="DqnOptions.Seed"/>) for <paramref name="steps"/>
    /// environment steps, or until an evaluation reaches <see cref="EvaluationOptions.StopAtMeanReturn"/>. The result's
    /// Agent is the network Q(·; θ) (dispose it when done).
    /// </summary>
    public static TrainingResult<Sequential, DqnUpdate> Train<TObservation>(IEnvironment<TObservation, int> environment, DqnOptions options,
        long steps, IEnvironment<TObservation, int>? evaluationEnvironment = null, string? title = null, CancellationToken cancellationToken = default)
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
        torch.manual_seed(options.Seed);
        var q = Network(n, actionCount, options.HiddenLayers);
        using var target = Network(n, actionCount, options.HiddenLayers);
        target.load_state_dict(q.state_dict());
        using var optimizer = optim.Adam(q.parameters(), options.LearningRate, eps: options.AdamEpsilon);
        var memory = new ReplayBuffer(options.BufferSize, n);
        var batch = new ReplayBatch(options.BatchSize, n);
        var rng = new Rng(options.Seed);
        var epsilon = new LinearSchedule(options.StartEpsilon, options.EndEpsilon, options.ExplorationSteps);

        int Greedy(float[] observation)
        {
            using var _ = NewDisposeScope();
            using var noGrad = no_grad();
            return (int)q.forward(tensor(observation).unsqueeze(0)).argmax(1).item<long>();
        }
        float[] observation = new float[n], next = new float[n];
        int GreedyOn(TObservation o) { var x = new float[n]; o.CopyTo(x); return Greedy(x); }

        var (episodes, evaluations, history) = (new List<EpisodeRecord>(), new List<EvaluationRecord>(), new List<DqnUpdate>());
        long? solvedAt = null;
        double episodeReturn = 0;
        int episodeLength = 0;
        using var progress = TrainingProgress.Start(title ?? $"Concise DQN on {environment.GetType().Name}", steps, "steps");
        environment.Reset(options.Seed).Observation.CopyTo(observation);
        for (long t = 1; t <= steps; t++)
        {
            if ((t & 1023) == 0) cancellationToken.ThrowIfCancellationRequested();
            int action = rng.NextDouble() < epsilon.At(t - 1) ? rng.NextInt(actionCount) : Greedy(observation);   // ε-greedy
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
                double loss = Update(q, target, optimizer,
                    tensor(batch.Observations).reshape(-1, n), tensor(batch.Actions.Select(a => (long)a).ToArray()),
                    tensor(batch.Rewards), tensor(batch.NextObservations).reshape(-1, n),
                    tensor(batch.Terminated.Select(d => d ? 1f : 0f).ToArray()), options);
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
