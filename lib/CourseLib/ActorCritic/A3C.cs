using CourseLib.Environments;
using CourseLib.Training;

namespace CourseLib.ActorCritic;

/// <summary>
/// Asynchronous advantage actor-critic (A3C, Mnih et al. 2016). Several worker threads share one network θ, w;
/// each has its own environment and its own copy θ', w' of the network:
/// <code>
///   worker (in parallel with the others), until T ≥ T_max:
///     θ' ← θ, w' ← w                                            (sync the local copy)
///     run π_θ' for up to t_max steps or to the episode's end
///     R = 0 if the episode terminated, else V_w'(s_last)          (bootstrap: also after a truncation)
///     for t from the last step down: R ← r_t + γ R;  Â_t = R − V_w'(s_t)   (GAE with λ = 1; λ &lt; 1 also works)
///     dθ', dw' ← ∇ of  −Σ log π_θ'(a_t|s_t) Â_t + c_V (R − V_w'(s_t))² − c_H H   (on the local copy)
///     apply dθ', dw' to the shared θ, w with the shared optimizer      (asynchronously)
/// </code>
/// The paper applies updates lock-free (Hogwild); here the short apply step (one Adam step on the shared weights)
/// holds a lock so that the shared Adam's moments stay consistent, while the expensive part — acting and
/// back-propagating on the local copy — runs in parallel. The workers interleave as the operating system schedules
/// them, so two runs with the same seed are alike but not bit-identical (with one worker they are identical).
/// <para>
/// Two ways to compute the worker's gradient (<see cref="A3COptions.Gradient"/>), which agree to float precision:
/// <see cref="A3CGradient.Handwritten"/> (the default) writes the loss's gradient out in C# on plain arrays
/// (<see cref="ActorCriticWeights"/>, with the shared Adam in <see cref="VectorAdam"/>), and
/// <see cref="A3CGradient.Autograd"/> runs TorchSharp's autograd on the worker's own network, as A2C does. Autograd on
/// worker threads is safe because every build keeps TorchSharp's scalars and tensors alive across native calls
/// (build/TorchSharpKeepAlive.cs); before that step, collections from other threads freed them mid-call ("Unknown
/// scalar type"). Acting always uses the plain-C# forward pass of the local weights. The network is made, and the
/// result written into it, on the calling thread.
/// </para>
/// </summary>
public static class A3C
{
    /// <summary>Trains A3C on CartPole-v1 (500-step time limit), one CartPole per worker.</summary>
    public static ActorCriticResult TrainCartPole(A3COptions? options = null, CancellationToken cancellationToken = default) =>
        Train(_ => new CartPole(), options, "A3C on CartPole-v1", cancellationToken);

    /// <summary>Trains a fresh shared actor-critic with <see cref="A3COptions.Workers"/> asynchronous workers.</summary>
    /// <param name="makeEnvironment">Makes worker w's environment (each must have a <see cref="Discrete"/> action space).</param>
    /// <param name="options">Hyperparameters (defaults: <see cref="A3COptions"/>).</param>
    /// <param name="title">Shown with the progress bar.</param>
    /// <param name="cancellationToken">Stops all workers (throws <see cref="OperationCanceledException"/>).</param>
    public static ActorCriticResult Train<TObservation>(Func<int, IEnvironment<TObservation, int>> makeEnvironment,
        A3COptions? options = null, string? title = null, CancellationToken cancellationToken = default)
        where TObservation : IObservationVector<TObservation>
    {
        ArgumentNullException.ThrowIfNull(makeEnvironment);
        options ??= new A3COptions();
        options.Validate();
        var environments = Enumerable.Range(0, options.Workers).Select(makeEnvironment).ToArray();
        // Worker w evaluates on its own extra environment (made with index Workers + w), so evaluations never share one.
        var evaluationEnvironments = options.EvaluateEverySteps > 0
            ? Enumerable.Range(0, options.Workers).Select(w => makeEnvironment(options.Workers + w)).ToArray() : null;
        if (environments[0].ActionSpace is not Discrete actionSpace)
            throw new ArgumentException($"A3C here needs a Discrete action space, not {environments[0].ActionSpace}.", nameof(makeEnvironment));

        // The initial weights come from the same seeded network as A2C's; the workers learn on a plain-C# copy of them.
        var network = new ActorCriticNetwork(TObservation.Length, actionSpace.N, options.HiddenSizes, options.SharedTrunk, options.Seed);
        var weights = new ActorCriticWeights(network);
        var shared = new SharedState(weights, new VectorAdam(weights.Values.Length, options.LearningRate), options, new TrainingHistory())
            { NextEvaluation = options.EvaluateEverySteps };
        using var progress = TrainingProgress.Start(title ?? $"A3C on {environments[0].GetType().Name} ({options.Workers} workers)", options.TotalSteps, "steps");
        shared.Progress = progress;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);

        var workers = environments.Select((environment, w) => Task.Factory.StartNew(() =>
        {
            try { RunWorker(w, environment, evaluationEnvironments?[w], shared, stop); }
            catch { stop.Cancel(); throw; }   // one worker's failure stops the others
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default)).ToArray();
        try { Task.WaitAll(workers); }
        catch (AggregateException e)
        {
            // A worker's own failure wins; if the others were only cancelled, a worker reached the target and stopped them.
            var failure = e.Flatten().InnerExceptions.FirstOrDefault(x => x is not OperationCanceledException);
            if (failure != null || cancellationToken.IsCancellationRequested) network.Dispose();
            cancellationToken.ThrowIfCancellationRequested();
            if (failure != null) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(failure).Throw();
        }
        // A worker that started a segment just before the budget ran out finishes it: up to Workers × t_max steps more.
        (shared.Evaluated ?? shared.Weights).CopyTo(network);
        progress.Finish(Math.Min(shared.Steps, options.TotalSteps), shared.Evaluated != null
            ? $"stopped early: goal reached (greedy mean return ≥ {options.StopAtEvaluationReturn}) after {shared.Steps:N0} steps"
            : null);
        return new ActorCriticResult(network, shared.History, shared.Steps);
    }

    sealed class SharedState(ActorCriticWeights weights, VectorAdam optimizer, A3COptions options, TrainingHistory history)
    {
        public readonly ActorCriticWeights Weights = weights;   // θ, w (read and written under Gate)
        public readonly VectorAdam Optimizer = optimizer;        // the shared Adam (under Gate)
        public readonly A3COptions Options = options;
        public readonly TrainingHistory History = history;
        public readonly object Gate = new();
        public TrainingProgress? Progress;
        public long Steps;     // environment steps over all workers (Interlocked)
        public long Updates;   // applied updates (under Gate)
        public long NextEvaluation;              // the shared step count of the next evaluation (under Gate)
        public ActorCriticWeights? Evaluated;    // the copy that reached StopAtEvaluationReturn
    }

    static void RunWorker<TObservation>(int worker, IEnvironment<TObservation, int> environment, IEnvironment<TObservation, int>? evaluationEnvironment,
        SharedState shared, CancellationTokenSource stop)
        where TObservation : IObservationVector<TObservation>
    {
        var cancellationToken = stop.Token;
        var options = shared.Options;
        int observationSize = TObservation.Length, tMax = options.StepsPerUpdate;
        ActorCriticWeights local;
        lock (shared.Gate) local = shared.Weights.Copy();
        int actionCount = local.ActionCount;
        var rng = new Rng(options.Seed * 1000L + worker);

        var observations = new float[tMax * observationSize];
        var actions = new long[tMax];
        var rewards = new double[tMax]; var values = new double[tMax]; var nextValues = new double[tMax];
        var terminated = new bool[tMax]; var truncated = new bool[tMax];
        var returns = new double[tMax];
        var gradient = new float[local.Values.Length];
        using var localNetwork = options.Gradient == A3CGradient.Autograd
            ? new ActorCriticNetwork(observationSize, actionCount, options.HiddenSizes, options.SharedTrunk, options.Seed) : null;
        var probabilities = new double[actionCount];
        var current = new float[observationSize];
        environment.Reset(options.Seed * 1000 + worker).Observation.CopyTo(current);
        double episodeReturn = 0; int episodeLength = 0;

        while (Interlocked.Read(ref shared.Steps) < options.TotalSteps)
        {
            cancellationToken.ThrowIfCancellationRequested();
            // θ' ← θ, w' ← w
            lock (shared.Gate) shared.Weights.Values.CopyTo(local.Values, 0);

            // Run π_θ' for up to t_max steps, or until the episode ends.
            int length = 0;
            bool episodeEnded = false;
            while (length < tMax && !episodeEnded)
            {
                int t = length++;
                current.CopyTo(observations.AsSpan(t * observationSize, observationSize));
                values[t] = local.Evaluate(current, probabilities);
                int action = rng.Categorical(probabilities);
                var step = environment.Step(action);
                long steps = Interlocked.Increment(ref shared.Steps);
                (actions[t], rewards[t], terminated[t], truncated[t]) = (action, step.Reward, step.Terminated, step.Truncated);
                episodeReturn += step.Reward;
                episodeLength++;
                step.Observation.CopyTo(current);
                if (step.Done)
                {
                    episodeEnded = true;
                    shared.History.Add(new TrainingEpisode(steps, episodeReturn, episodeLength, worker));
                    (episodeReturn, episodeLength) = (0, 0);
                }
            }

            // V(s_{t+1}): next row inside the segment; at its end the last observation's value (0 if terminal).
            for (int t = 0; t + 1 < length; t++) nextValues[t] = values[t + 1];
            nextValues[length - 1] = terminated[length - 1] ? 0 : local.Evaluate(current, probabilities);
            if (episodeEnded) environment.Reset().Observation.CopyTo(current);

            var advantages = GeneralizedAdvantage.Estimate(rewards.AsSpan(0, length), values.AsSpan(0, length), nextValues.AsSpan(0, length),
                terminated.AsSpan(0, length), truncated.AsSpan(0, length), options.Gamma, options.Lambda);
            for (int t = 0; t < length; t++) returns[t] = advantages[t] + values[t];

            // dθ', dw' on the local copy, clipped to the maximum norm.
            var (total, policyLoss, valueLoss, entropy) = localNetwork is null
                ? local.LossGradient(observations.AsSpan(0, length * observationSize), actions.AsSpan(0, length),
                    advantages, returns.AsSpan(0, length), options.ValueLossCoefficient, options.EntropyCoefficient, gradient)
                : A3CAutogradGradient.Compute(localNetwork, local, observations.AsSpan(0, length * observationSize), actions.AsSpan(0, length),
                    advantages, returns.AsSpan(0, length), options.ValueLossCoefficient, options.EntropyCoefficient, gradient);
            if (!double.IsFinite(total))
                throw new InvalidOperationException(
                    $"A3C update {Interlocked.Read(ref shared.Updates) + 1} (worker {worker}): the loss became {total} (after {Interlocked.Read(ref shared.Steps):N0} steps). " +
                    "Lower the learning rate, or check the rewards for NaN.");
            ActorCriticWeights.ClipNorm(gradient, options.MaxGradientNorm);

            // Apply them to the shared θ, w.
            ActorCriticWeights? evaluated = null;
            long evaluatedAt = 0;
            lock (shared.Gate)
            {
                long stepsNow = Interlocked.Read(ref shared.Steps);
                if (options.AnnealLearningRate)
                    shared.Optimizer.LearningRate = options.LearningRate * Math.Max(0, 1 - (double)stepsNow / options.TotalSteps);
                shared.Optimizer.Step(shared.Weights.Values, gradient);
                long update = ++shared.Updates;
                shared.History.Add(new TrainingUpdate(update, stepsNow, policyLoss, valueLoss, entropy));
                shared.Progress?.Report(Math.Min(stepsNow, options.TotalSteps), ("return", shared.History.RecentMeanReturn()), ("value loss", valueLoss), ("updates", update));
                if (evaluationEnvironment != null && stepsNow >= shared.NextEvaluation)
                {
                    shared.NextEvaluation += options.EvaluateEverySteps;
                    evaluated = shared.Weights.Copy();
                    evaluatedAt = stepsNow;
                }
            }

            // Now and then, evaluate a copy of the shared weights' greedy policy (the other workers go on meanwhile).
            if (evaluated != null)
            {
                var evaluationReturns = ActorEvaluation.Returns(evaluated.Evaluate, actionCount, evaluationEnvironment!, options.EvaluationEpisodes);
                shared.History.Add(new TrainingEvaluation(evaluatedAt, evaluationReturns.Average(), evaluationReturns.Min()));
                if (evaluationReturns.Average() >= options.StopAtEvaluationReturn)
                {
                    lock (shared.Gate) shared.Evaluated ??= evaluated;
                    if (ReferenceEquals(shared.Evaluated, evaluated)) { stop.Cancel(); return; }
                }
            }
        }
    }
}
