using System.Diagnostics;
using CourseLib.Environments;
using CourseLib.Networks;
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
    public static TrainingResult<ActorCriticNetwork, TrainingUpdate> TrainCartPole(A3COptions? options = null, CancellationToken cancellationToken = default) =>
        Train(_ => new CartPole(), options, "A3C on CartPole-v1", cancellationToken);

    /// <summary>Trains a fresh shared actor-critic with <see cref="A3COptions.Workers"/> asynchronous workers.</summary>
    /// <param name="makeEnvironment">Makes worker w's environment (each must have a <see cref="Discrete"/> action space);
    /// index Workers + w makes worker w's evaluation environment.</param>
    /// <param name="options">Settings (defaults: <see cref="A3COptions"/>).</param>
    /// <param name="title">Shown with the progress bar.</param>
    /// <param name="cancellationToken">Stops all workers (throws <see cref="OperationCanceledException"/>).</param>
    /// <returns>
    /// The trained network (with <see cref="EvaluationOptions.StopAtMeanReturn"/>: the copy that reached it), one
    /// <see cref="TrainingUpdate"/> per applied update in the order they were applied (each names its worker), and the
    /// training episodes and the evaluations in the order of the shared step at which they ended or were taken.
    /// </returns>
    public static TrainingResult<ActorCriticNetwork, TrainingUpdate> Train<TObservation>(Func<int, IEnvironment<TObservation, int>> makeEnvironment,
        A3COptions? options = null, string? title = null, CancellationToken cancellationToken = default)
        where TObservation : IObservationVector<TObservation>
    {
        ArgumentNullException.ThrowIfNull(makeEnvironment);
        options ??= new A3COptions();
        options.Validate();
        // One libtorch intra-op thread for the whole run (the workers themselves are the parallelism).
        using var threads = TorchThreads.One();
        var clock = Stopwatch.StartNew();
        var environments = Enumerable.Range(0, options.Workers).Select(makeEnvironment).ToArray();
        // Worker w evaluates on its own extra environment (made with index Workers + w), so evaluations never share one.
        var evaluationEnvironments = options.Evaluation.Enabled
            ? Enumerable.Range(0, options.Workers).Select(w => makeEnvironment(options.Workers + w)).ToArray() : null;
        if (environments[0].ActionSpace is not Discrete actionSpace)
            throw new ArgumentException($"A3C here needs a Discrete action space, not {environments[0].ActionSpace}.", nameof(makeEnvironment));

        // The initial weights come from the same seeded network as A2C's; the workers learn on a plain-C# copy of them.
        var network = new ActorCriticNetwork(TObservation.Length, actionSpace.N, options.HiddenSizes, options.SharedTrunk, options.Seed);
        var weights = new ActorCriticWeights(network);
        var shared = new SharedState(weights, new VectorAdam(weights.Values.Length, options.LearningRate), options)
            { NextEvaluation = options.Evaluation.EverySteps };
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
        progress.Finish(Math.Min(shared.Steps, options.TotalSteps), shared.SolvedAtStep is { } solved
            ? $"stopped early: goal reached (greedy mean return ≥ {options.Evaluation.StopAtMeanReturn}) at step {solved:N0}, after {shared.Steps:N0} steps"
            : null);
        lock (shared.Gate)
            return new TrainingResult<ActorCriticNetwork, TrainingUpdate>
            {
                // A worker counts its step before it records the episode, so two workers may record out of step order:
                // sorted by step (stable), the episodes and evaluations are in the order of the shared step counter.
                Agent = network, History = shared.Updates.ToArray(), Episodes = shared.Episodes.OrderBy(e => e.Step).ToArray(),
                Evaluations = shared.Evaluations.OrderBy(e => e.Step).ToArray(), Steps = shared.Steps, Elapsed = clock.Elapsed, SolvedAtStep = shared.SolvedAtStep,
            };
    }

    /// <summary>What the workers share. Everything but <see cref="Steps"/> is read and written under <see cref="Gate"/>.</summary>
    sealed class SharedState(ActorCriticWeights weights, VectorAdam optimizer, A3COptions options)
    {
        public readonly ActorCriticWeights Weights = weights;   // θ, w
        public readonly VectorAdam Optimizer = optimizer;        // the shared Adam
        public readonly A3COptions Options = options;
        public readonly object Gate = new();
        public readonly List<TrainingUpdate> Updates = [];      // in the order they were applied
        public readonly List<EpisodeRecord> Episodes = [];      // in the order they ended
        public readonly List<EvaluationRecord> Evaluations = []; // in the order they finished
        public TrainingProgress? Progress;
        public long Steps;                       // environment steps over all workers (Interlocked)
        public long NextEvaluation;              // the shared step count of the next evaluation
        public ActorCriticWeights? Evaluated;    // the copy that reached StopAtMeanReturn
        public long? SolvedAtStep;               // the step at which that copy was taken
    }

    static void RunWorker<TObservation>(int worker, IEnvironment<TObservation, int> environment, IEnvironment<TObservation, int>? evaluationEnvironment,
        SharedState shared, CancellationTokenSource stop)
        where TObservation : IObservationVector<TObservation>
    {
        var cancellationToken = stop.Token;
        var options = shared.Options;
        var evaluation = options.Evaluation;
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
                    lock (shared.Gate) shared.Episodes.Add(new EpisodeRecord(steps, episodeReturn, episodeLength));
                    (episodeReturn, episodeLength) = (0, 0);
                }
            }

            // V(s_{t+1}): next row inside the segment; at its end the last observation's value (0 if terminal).
            for (int t = 0; t + 1 < length; t++) nextValues[t] = values[t + 1];
            nextValues[length - 1] = terminated[length - 1] ? 0 : local.Evaluate(current, probabilities);
            if (episodeEnded) environment.Reset().Observation.CopyTo(current);

            var advantages = GeneralizedAdvantage.Estimate(rewards[..length], values[..length], nextValues[..length],
                terminated[..length], truncated[..length], options.Discount, options.Lambda);
            for (int t = 0; t < length; t++) returns[t] = advantages[t] + values[t];

            // dθ', dw' on the local copy, clipped to the maximum norm.
            var (total, policyLoss, valueLoss, entropy) = WorkerGradient(options.Gradient, local, localNetwork,
                observations.AsSpan(0, length * observationSize), actions.AsSpan(0, length), advantages, returns.AsSpan(0, length),
                options.ValueLossCoefficient, options.EntropyCoefficient, options.MaxGradientNorm, gradient);
            if (!double.IsFinite(total))
            {
                long next;
                lock (shared.Gate) next = shared.Updates.Count + 1;
                throw new InvalidOperationException(
                    $"A3C update {next} (worker {worker}): the loss became {total} (after {Interlocked.Read(ref shared.Steps):N0} steps). " +
                    "Lower the learning rate, or check the rewards for NaN.");
            }

            // Apply them to the shared θ, w.
            ActorCriticWeights? evaluated = null;
            long evaluatedAt = 0;
            lock (shared.Gate)
            {
                long stepsNow = Interlocked.Read(ref shared.Steps);
                if (options.AnnealLearningRate)
                    shared.Optimizer.LearningRate = options.LearningRate * Math.Max(0, 1 - (double)stepsNow / options.TotalSteps);
                shared.Optimizer.Step(shared.Weights.Values, gradient);
                long update = shared.Updates.Count + 1;
                shared.Updates.Add(new TrainingUpdate(update, stepsNow, worker, policyLoss, valueLoss, entropy));
                shared.Progress?.Report(Math.Min(stepsNow, options.TotalSteps), ("return", A2C.RecentMeanReturn(shared.Episodes)), ("value loss", valueLoss), ("updates", update));
                if (evaluationEnvironment != null && stepsNow >= shared.NextEvaluation)
                {
                    shared.NextEvaluation += evaluation.EverySteps;
                    evaluated = shared.Weights.Copy();
                    evaluatedAt = stepsNow;
                }
            }

            // Now and then, evaluate a copy of the shared weights' greedy policy (the other workers go on meanwhile).
            if (evaluated != null)
            {
                var record = Evaluation.Run(evaluationEnvironment!, evaluated.GreedyAction, evaluation, evaluatedAt);
                bool first = false;
                lock (shared.Gate)
                {
                    shared.Evaluations.Add(record);
                    if (evaluation.Reached(record) && shared.Evaluated is null)
                        (shared.Evaluated, shared.SolvedAtStep, first) = (evaluated, evaluatedAt, true);
                }
                if (first) { stop.Cancel(); return; }
            }
        }
    }

    /// <summary>
    /// One worker's dθ', dw' for a segment: the gradient of L = L_π + c_V L_V − c_H H (<see cref="ActorCriticLoss"/>) at
    /// the local weights <paramref name="local"/>, by <paramref name="kind"/>, written into <paramref name="gradient"/> and
    /// clipped to <paramref name="maxGradientNorm"/>. <paramref name="localNetwork"/> is the worker's own network (autograd only).
    /// </summary>
    internal static (double Total, double PolicyLoss, double ValueLoss, double Entropy) WorkerGradient(A3CGradient kind,
        ActorCriticWeights local, ActorCriticNetwork? localNetwork, ReadOnlySpan<float> observations, ReadOnlySpan<long> actions,
        ReadOnlySpan<double> advantages, ReadOnlySpan<double> returns, double valueCoefficient, double entropyCoefficient,
        double maxGradientNorm, float[] gradient)
    {
        var loss = kind == A3CGradient.Autograd
            ? A3CAutogradGradient.Compute(localNetwork ?? throw new ArgumentNullException(nameof(localNetwork), "The autograd gradient needs the worker's network."),
                local, observations, actions, advantages, returns, valueCoefficient, entropyCoefficient, gradient)
            : local.LossGradient(observations, actions, advantages, returns, valueCoefficient, entropyCoefficient, gradient);
        if (double.IsFinite(loss.Total)) Networks.GradientClip.ByGlobalNorm(gradient, maxGradientNorm);
        return loss;
    }
}
