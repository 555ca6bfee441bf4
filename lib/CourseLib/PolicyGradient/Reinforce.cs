using System.Diagnostics;
using CourseLib.Environments;
using CourseLib.Exercises;
using CourseLib.Mdp;
using CourseLib.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace CourseLib.PolicyGradient;

/// <summary>What one REINFORCE update saw and did.</summary>
/// <param name="Update">1-based update number.</param>
/// <param name="Steps">Environment steps taken so far, this update's batch included.</param>
/// <param name="Episodes">Episodes in this update's batch.</param>
/// <param name="MeanReturn">Mean undiscounted return of the batch's episodes (cut episodes included).</param>
/// <param name="Loss">The REINFORCE loss of the batch before the update (entropy bonus included).</param>
/// <param name="Entropy">Mean entropy of π(·|s) over the batch's states before the update, in nats.</param>
public readonly record struct ReinforceUpdate(int Update, long Steps, int Episodes, double MeanReturn, double Loss, double Entropy);

/// <summary>
/// REINFORCE (Williams 1992) with the seminar's reward-to-go:
/// <code>
///   repeat:
///     sample whole episodes τ_i by running π_θ                              (a batch of ≥ StepsPerUpdate steps)
///     for every step: r_t(τ_i) = Σ_{k≥t} γ^{k−t} r_k                         (reward-to-go)
///     optional: subtract a baseline b(s_t), normalise, add an entropy bonus
///     θ ← θ + α (1/N) Σ_i Σ_t w_{i,t} ∇ log π_θ(a_{i,t}|s_{i,t})            (an Adam step on L = −(1/N) Σ w log π)
/// </code>
/// Actions are sampled by a plain C# copy of the policy network (<see cref="MlpForward"/>); torch does the batched
/// forward and backward pass of each update. Same seed, same run.
/// <para>
/// Notebook 02's exercises drive training: <see cref="Train{TObservation}"/> takes the student's <c>RewardToGo</c>,
/// <c>SurrogateLoss</c> and <c>ReinforceStep</c> (each optional). While one is still the exercise's stub (it throws
/// <see cref="NotImplementedException"/>), the library's reference is used and one line says so
/// (<see cref="Solution"/>.OrReference); once written, the student's function is used, right or wrong.
/// </para>
/// </summary>
public static class Reinforce
{
    /// <summary>
    /// Trains a fresh policy for <see cref="ReinforceOptions.TotalSteps"/> environment steps (the last episode is cut if
    /// the budget ends inside it), or until an evaluation reaches <see cref="EvaluationOptions.StopAtMeanReturn"/>.
    /// </summary>
    /// <param name="environment">Any environment with discrete actions and vector observations.</param>
    /// <param name="options">Settings (null: <see cref="ReinforceOptions"/>' defaults).</param>
    /// <param name="rewardToGo">
    /// The reward-to-go of one episode, <c>double[] RewardToGo(double[] rewards)</c>: r_t(τ) = Σ_{k≥t} r_k (notebook 02's
    /// exercise; undiscounted, so only with <see cref="ReinforceOptions.Discount"/> = 1). Null: the reference,
    /// <see cref="Returns.DiscountedReturns(ReadOnlySpan{double}, double, double)"/> with γ = Discount. It also gives the
    /// whole return R(τ) = r_0(τ) when <see cref="ReinforceOptions.RewardToGo"/> is false.
    /// </param>
    /// <param name="surrogateLoss">
    /// The loss <c>Tensor SurrogateLoss(Tensor logProbabilities, Tensor weights, int episodeCount)</c> = −(1/N) Σ w log π,
    /// whose gradient autograd turns into the update (notebook 02's exercise). Null: <see cref="ReinforceLoss.Compute(Tensor, Tensor, int)"/>.
    /// </param>
    /// <param name="step">
    /// One whole update, <c>double ReinforceStep(Mlp network, optim.Optimizer optimizer, Tensor observations, Tensor actions,
    /// Tensor weights, int episodeCount)</c>, returning the loss before the step (notebook 02's "write the loop" exercise).
    /// Null: <see cref="Step"/>. It replaces the loss too, so it cannot be combined with <paramref name="surrogateLoss"/>
    /// or an entropy bonus.
    /// </param>
    /// <param name="evaluationEnvironment">
    /// A second environment of the same kind for <see cref="ReinforceOptions.Evaluation"/> (so that evaluating does not
    /// disturb training's episodes); needed only when evaluations are scheduled.
    /// </param>
    /// <param name="title">Shown with the progress bar (default "REINFORCE on" and the environment's type).</param>
    /// <param name="cancellationToken">Stops training between updates.</param>
    public static TrainingResult<CategoricalPolicy, ReinforceUpdate> Train<TObservation>(IEnvironment<TObservation, int> environment,
        ReinforceOptions? options = null, Func<double[], double[]>? rewardToGo = null, Func<Tensor, Tensor, int, Tensor>? surrogateLoss = null,
        Func<Mlp, optim.Optimizer, Tensor, Tensor, Tensor, int, double>? step = null, IEnvironment<TObservation, int>? evaluationEnvironment = null,
        string? title = null, CancellationToken cancellationToken = default)
        where TObservation : IObservationVector<TObservation>
    {
        ArgumentNullException.ThrowIfNull(environment);
        return Run(environment, TObservation.Length, ObservationWriters.Vector<TObservation>(), options ?? new ReinforceOptions(),
            Pieces(options, rewardToGo, surrogateLoss, step), evaluationEnvironment, title, cancellationToken);
    }

    /// <summary>
    /// The same for environments whose observations are float arrays, such as frames of <see cref="PongFromPixels"/> (the
    /// observation space must be a <see cref="FloatBox"/>).
    /// </summary>
    public static TrainingResult<CategoricalPolicy, ReinforceUpdate> Train(IEnvironment<float[], int> environment,
        ReinforceOptions? options = null, Func<double[], double[]>? rewardToGo = null, Func<Tensor, Tensor, int, Tensor>? surrogateLoss = null,
        Func<Mlp, optim.Optimizer, Tensor, Tensor, Tensor, int, double>? step = null, IEnvironment<float[], int>? evaluationEnvironment = null,
        string? title = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(environment);
        int length = ObservationWriters.Length(environment.ObservationSpace);
        return Run(environment, length, ObservationWriters.Array(length), options ?? new ReinforceOptions(),
            Pieces(options, rewardToGo, surrogateLoss, step), evaluationEnvironment, title, cancellationToken);
    }

    /// <summary>
    /// One REINFORCE update, the reference of notebook 02's "write the loop" exercise:
    /// <code>
    ///   log π(a_k|s_k) = log_softmax(f_θ(s_k))[a_k]                  (forward pass, gather the taken actions)
    ///   L = −(1/N) Σ_k w_k log π(a_k|s_k)  [− β (1/N) Σ_k H(π(·|s_k))]
    ///   zero the gradients, backpropagate L, take one optimizer step
    /// </code>
    /// </summary>
    /// <param name="network">The policy network f_θ (logits).</param>
    /// <param name="optimizer">The optimizer over <paramref name="network"/>'s parameters.</param>
    /// <param name="observations">The batch's observations, [steps, observation length].</param>
    /// <param name="actions">The action taken at each step (int64), [steps].</param>
    /// <param name="weights">The weight w_k of each step (reward-to-go or advantage), [steps].</param>
    /// <param name="episodeCount">N, the number of episodes in the batch.</param>
    /// <param name="entropyCoefficient">β ≥ 0 of the entropy bonus (0: none).</param>
    /// <param name="surrogateLoss">The loss of the taken actions' log-probabilities (null: <see cref="ReinforceLoss.Compute(Tensor, Tensor, int)"/>).</param>
    /// <returns>The loss L before the step.</returns>
    public static double Step(Mlp network, optim.Optimizer optimizer, Tensor observations, Tensor actions, Tensor weights, int episodeCount,
        double entropyCoefficient = 0, Func<Tensor, Tensor, int, Tensor>? surrogateLoss = null)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(optimizer);
        using var scope = NewDisposeScope();
        var logits = network.forward(observations);
        var loss = ReinforceLoss.FromLogits(logits, actions, weights, episodeCount, entropyCoefficient, surrogateLoss);
        double value = loss.ToDouble();
        optimizer.zero_grad();
        loss.backward();
        optimizer.step();
        return value;
    }

    /// <summary>The pieces an update is made of: the student's where given (see <see cref="Solution"/>.OrReference), else the references.</summary>
    sealed record UpdatePieces(Func<double[], double[]> RewardToGo, Func<Mlp, optim.Optimizer, Tensor, Tensor, Tensor, int, double> Step);

    static UpdatePieces Pieces(ReinforceOptions? options, Func<double[], double[]>? rewardToGo,
        Func<Tensor, Tensor, int, Tensor>? surrogateLoss, Func<Mlp, optim.Optimizer, Tensor, Tensor, Tensor, int, double>? step)
    {
        options ??= new ReinforceOptions();
        options.Validate();
        if (rewardToGo != null && options.Discount != 1)
            throw new ArgumentException(
                $"rewardToGo (the exercise's RewardToGo) is undiscounted, but options.Discount is {options.Discount}: pass it only with Discount = 1.", nameof(rewardToGo));
        if (step != null && surrogateLoss != null)
            throw new ArgumentException("Pass surrogateLoss or step, not both: a step computes its own loss.", nameof(step));
        if (step != null && options.EntropyCoefficient > 0)
            throw new ArgumentException($"A step (the exercise's ReinforceStep) has no entropy bonus, but options.EntropyCoefficient is {options.EntropyCoefficient}: use 0.", nameof(step));

        double discount = options.Discount, beta = options.EntropyCoefficient;
        Func<double[], double[]> referenceRewardToGo = rewards => Returns.DiscountedReturns(rewards, discount);
        var loss = surrogateLoss is null ? null : Solution.OrReference(surrogateLoss, ReinforceLoss.Compute, Solution.NameOf(surrogateLoss, "SurrogateLoss"));
        Func<Mlp, optim.Optimizer, Tensor, Tensor, Tensor, int, double> referenceStep =
            (network, optimizer, observations, actions, weights, episodes) => Step(network, optimizer, observations, actions, weights, episodes, beta, loss);
        return new UpdatePieces(
            rewardToGo is null ? referenceRewardToGo : Solution.OrReference(rewardToGo, referenceRewardToGo, Solution.NameOf(rewardToGo, "RewardToGo")),
            step is null ? referenceStep : Solution.OrReference(step, referenceStep, Solution.NameOf(step, "ReinforceStep")));
    }

    /// <summary>
    /// Trains on CartPole with exactly this <paramref name="step"/>, never replaced by the reference: a stub's
    /// <see cref="NotImplementedException"/> propagates. The graded check of notebook 02's "write the loop" exercise
    /// trains this way (evaluating, when <paramref name="options"/> schedules it, on a second CartPole).
    /// </summary>
    internal static TrainingResult<CategoricalPolicy, ReinforceUpdate> TrainWithStep(ReinforceOptions options,
        Func<Mlp, optim.Optimizer, Tensor, Tensor, Tensor, int, double> step, CancellationToken cancellationToken = default)
    {
        options.Validate();
        double discount = options.Discount;
        var pieces = new UpdatePieces(rewards => Returns.DiscountedReturns(rewards, discount), step);
        return Run(new CartPole(), CartPoleObservation.Length, ObservationWriters.Vector<CartPoleObservation>(), options, pieces,
            options.Evaluation.Enabled ? new CartPole() : null, "REINFORCE on CartPole with your ReinforceStep", cancellationToken);
    }

    static TrainingResult<CategoricalPolicy, ReinforceUpdate> Run<TObservation>(IEnvironment<TObservation, int> environment, int observationLength,
        ObservationWriter<TObservation> write, ReinforceOptions options, UpdatePieces pieces, IEnvironment<TObservation, int>? evaluationEnvironment,
        string? title, CancellationToken cancellationToken)
    {
        options.Validate();
        if (environment.ActionSpace is not Discrete actionSpace)
            throw new ArgumentException($"REINFORCE here needs a Discrete action space, not {environment.ActionSpace}.", nameof(environment));
        if (options.Evaluation.Enabled && evaluationEnvironment is null)
            throw new ArgumentException("options.Evaluation schedules evaluations: pass an evaluationEnvironment (a second environment of the same kind).", nameof(evaluationEnvironment));
        if (evaluationEnvironment != null && ReferenceEquals(evaluationEnvironment, environment))
            throw new ArgumentException("evaluationEnvironment must be a separate environment, not the training environment.", nameof(evaluationEnvironment));

        using var threads = TorchThreads.One();
        var clock = Stopwatch.StartNew();
        var policy = new CategoricalPolicy(observationLength, options.HiddenSizes, actionSpace.N, options.Activation, options.Seed);
        using var optimizer = optim.Adam(policy.Network.parameters(), options.LearningRate);
        using var value = options.Baseline == Baseline.LearnedValue
            ? new Mlp(observationLength, options.HiddenSizes, 1, options.Activation, options.Seed + 1) : null;
        using var valueOptimizer = value != null ? optim.Adam(value.parameters(), options.ValueLearningRate) : null;

        var rng = new Rng(options.Seed);
        environment.Reset(options.Seed);
        var history = new List<ReinforceUpdate>();
        var episodes = new List<EpisodeRecord>();
        var evaluations = new List<EvaluationRecord>();
        long? solvedAt = null;
        long steps = 0, totalSteps = options.TotalSteps;
        var greedyInput = new float[observationLength];
        using var progress = TrainingProgress.Start(title ?? $"REINFORCE on {environment.GetType().Name}", totalSteps, "steps");

        for (int update = 1; steps < totalSteps; update++)
        {
            cancellationToken.ThrowIfCancellationRequested();

            // 1. Sample rollouts with the current policy.
            EpisodeBatch batch;
            try
            {
                batch = EpisodeBatch.Collect(environment, write, policy, rng, options.StepsPerUpdate, options.EpisodesPerUpdate, totalSteps - steps);
            }
            catch (InvalidOperationException e) when (e.Message.Contains("NaN"))
            {
                throw new InvalidOperationException($"REINFORCE update {update}: {e.Message}", e);
            }
            long stepsBefore = steps;
            steps += batch.StepCount;
            var returns = batch.EpisodeReturns();
            for (int i = 0; i < batch.EpisodeCount; i++)
                if (batch.Finished(i))
                {
                    var (start, end) = batch.EpisodeRange(i);
                    episodes.Add(new EpisodeRecord(stepsBefore + end, returns[i], end - start));
                }

            // 2. Weights: reward-to-go r_t(τ) (or the whole return R(τ)), minus a baseline, optionally normalised.
            var targets = batch.Weights(pieces.RewardToGo, wholeReturn: !options.RewardToGo);
            var weights = (double[])targets.Clone();
            using var scope = NewDisposeScope();
            var observations = tensor(batch.Observations.ToArray()).reshape(batch.StepCount, batch.ObservationLength);
            if (options.Baseline == Baseline.MeanReturn)
            {
                double mean = weights.Average();
                for (int k = 0; k < weights.Length; k++) weights[k] -= mean;
            }
            else if (value != null)
            {
                using var _ = no_grad();
                var predicted = value.forward(observations).reshape(-1).to_type(ScalarType.Float64).data<double>().ToArray();
                for (int k = 0; k < weights.Length; k++) weights[k] -= predicted[k];
            }
            if (options.NormalizeAdvantages) Standardize.InPlace(weights);

            // 3. θ ← θ + α ∇J: one optimizer step on L(θ) = −(1/N) Σ w log π(a|s) (− β (1/N) Σ H).
            var actions = tensor(batch.Actions.ToArray(), ScalarType.Int64);
            double entropy = Entropy(policy.Network, observations);
            double lossValue;
            try
            {
                lossValue = pieces.Step(policy.Network, optimizer, observations, actions, tensor(weights, ScalarType.Float32), batch.EpisodeCount);
            }
            catch (System.Runtime.InteropServices.ExternalException e)
            {
                throw new InvalidOperationException(
                    $"REINFORCE update {update}: the optimizer step failed ({e.Message}); the learning rate {options.LearningRate} is probably far too large.", e);
            }
            if (!double.IsFinite(lossValue))
                throw new InvalidOperationException(
                    $"REINFORCE update {update}: the loss became {lossValue} (after {steps:N0} steps). Check the rewards for NaN and lower the learning rate.");
            if (!policy.Network.AllParametersFinite())
                throw new InvalidOperationException(
                    $"REINFORCE update {update}: the policy's weights became NaN or infinite (learning rate {options.LearningRate}). Lower the learning rate.");
            policy.Refresh();

            // 4. Learned baseline: regress V_φ(s_t) on the rewards-to-go (MSE), a few Adam steps.
            if (value != null) FitValue(value, valueOptimizer!, observations, targets, options.ValueStepsPerUpdate, update);

            var record = new ReinforceUpdate(update, steps, batch.EpisodeCount, returns.Average(), lossValue, entropy);
            history.Add(record);
            progress.Report(steps, ("update", update), ("return", record.MeanReturn), ("loss", lossValue), ("entropy", entropy));

            // 5. Evaluate the greedy policy when an evaluation fell due inside this batch; stop once it is good enough.
            var schedule = options.Evaluation;
            if (schedule.Enabled && steps / schedule.EverySteps > stepsBefore / schedule.EverySteps)
            {
                var evaluation = Evaluation.Run(evaluationEnvironment!, observation =>
                {
                    write(observation, greedyInput);
                    return policy.Greedy(greedyInput);
                }, schedule, steps);
                evaluations.Add(evaluation);
                if (schedule.Reached(evaluation)) { solvedAt = steps; break; }
            }
        }
        return new TrainingResult<CategoricalPolicy, ReinforceUpdate>
        {
            Agent = policy, History = history, Episodes = episodes, Evaluations = evaluations,
            Steps = steps, Elapsed = clock.Elapsed, SolvedAtStep = solvedAt,
        };
    }

    // H(π(·|s)) = −Σ_a π(a|s) log π(a|s), averaged over the batch's states.
    static double Entropy(Mlp network, Tensor observations)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var logPolicy = nn.functional.log_softmax(network.forward(observations), 1);
        return -(logPolicy.exp() * logPolicy).sum(1).mean().item<float>();
    }

    static void FitValue(Mlp value, optim.Optimizer optimizer, Tensor observations, double[] targets, int gradientSteps, int update)
    {
        using var scope = NewDisposeScope();
        var target = tensor(targets, ScalarType.Float32);
        for (int i = 0; i < gradientSteps; i++)
        {
            var loss = nn.functional.mse_loss(value.forward(observations).reshape(-1), target);
            if (!float.IsFinite(loss.item<float>()))
                throw new InvalidOperationException($"REINFORCE update {update}: the value network's loss became NaN. Lower ValueLearningRate.");
            optimizer.zero_grad();
            loss.backward();
            optimizer.step();
        }
    }
}
