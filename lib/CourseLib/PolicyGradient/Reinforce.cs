using CourseLib.Environments;
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
/// <param name="Entropy">Mean entropy of π(·|s) over the batch's states, in nats.</param>
public readonly record struct ReinforceUpdate(int Update, long Steps, int Episodes, double MeanReturn, double Loss, double Entropy);

/// <summary>A REINFORCE run: the trained policy and one record per update.</summary>
public sealed record ReinforceResult(CategoricalPolicy Policy, IReadOnlyList<ReinforceUpdate> History)
{
    /// <summary>Environment steps taken in all.</summary>
    public long TotalSteps => History.Count == 0 ? 0 : History[^1].Steps;
}

/// <summary>
/// REINFORCE (Williams 1992) with the seminar's reward-to-go:
/// <code>
///   repeat:
///     sample whole episodes τ_i by running π_θ                              (a batch of ≥ StepsPerUpdate steps)
///     for every step: r_t(τ_i) = Σ_{k≥t} γ^{k−t} r_k                         (reward-to-go)
///     optional: subtract a baseline b(s_t), normalise, add an entropy bonus
///     θ ← θ + α (1/N) Σ_i Σ_t w_{i,t} ∇ log π_θ(a_{i,t}|s_{i,t})            (an Adam step on ReinforceLoss)
/// </code>
/// Actions are sampled by a plain C# copy of the policy network (<see cref="MlpForward"/>); torch does the batched
/// forward and backward pass of each update. Same seed, same run.
/// </summary>
public static class Reinforce
{
    /// <summary>
    /// Trains a fresh policy for exactly <paramref name="totalSteps"/> environment steps (the last episode is cut
    /// if the budget ends inside it).
    /// </summary>
    /// <param name="environment">Any environment with discrete actions and vector observations.</param>
    /// <param name="options">Hyperparameters (see <see cref="ReinforceOptions"/> for the defaults).</param>
    /// <param name="totalSteps">Environment steps in all (≥ 1).</param>
    /// <param name="seed">Seeds the network's initial weights, the action sampling and the environment.</param>
    /// <param name="title">Shown with the progress bar (default "REINFORCE on" and the environment's type).</param>
    /// <param name="cancellationToken">Stops training between updates.</param>
    public static ReinforceResult Train<TObservation>(IEnvironment<TObservation, int> environment, ReinforceOptions options,
        long totalSteps, int seed = 0, string? title = null, CancellationToken cancellationToken = default)
        where TObservation : IObservationVector<TObservation> =>
        Train(environment, TObservation.Length, ObservationWriters.Vector<TObservation>(), options, totalSteps, seed, title, cancellationToken);

    /// <summary>
    /// The same for environments whose observations are float arrays, such as frames of <see cref="Pong"/> (the
    /// observation space must be a <see cref="FloatBox"/>).
    /// </summary>
    public static ReinforceResult Train(IEnvironment<float[], int> environment, ReinforceOptions options,
        long totalSteps, int seed = 0, string? title = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(environment);
        int length = ObservationWriters.Length(environment.ObservationSpace);
        return Train(environment, length, ObservationWriters.Array(length), options, totalSteps, seed, title, cancellationToken);
    }

    static ReinforceResult Train<TObservation>(IEnvironment<TObservation, int> environment, int observationLength, ObservationWriter<TObservation> write,
        ReinforceOptions options, long totalSteps, int seed, string? title, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (totalSteps < 1) throw new ArgumentOutOfRangeException(nameof(totalSteps), totalSteps, "totalSteps must be at least 1.");
        if (environment.ActionSpace is not Discrete actionSpace)
            throw new ArgumentException($"REINFORCE here needs a Discrete action space, not {environment.ActionSpace}.", nameof(environment));

        // The networks are small: one torch thread is fastest (several times faster than two on a busy 2-core machine).
        int previousThreads = get_num_threads();
        set_num_threads(1);
        try
        {
            return Run(environment, observationLength, write, options, totalSteps, seed, title, actionSpace.N, cancellationToken);
        }
        finally
        {
            set_num_threads(previousThreads);
        }
    }

    static ReinforceResult Run<TObservation>(IEnvironment<TObservation, int> environment, int observationLength, ObservationWriter<TObservation> write,
        ReinforceOptions options, long totalSteps, int seed, string? title, int actionCount, CancellationToken cancellationToken)
    {
        var policy = new CategoricalPolicy(observationLength, options.HiddenSizes, actionCount, options.Activation, seed);
        using var optimizer = optim.Adam(policy.Network.parameters(), options.LearningRate);
        using var value = options.Baseline == Baseline.LearnedValue
            ? new Mlp(observationLength, options.HiddenSizes, 1, options.Activation, seed + 1) : null;
        using var valueOptimizer = value != null ? optim.Adam(value.parameters(), options.ValueLearningRate) : null;

        var rng = new Rng(seed);
        environment.Reset(seed);
        var history = new List<ReinforceUpdate>();
        long steps = 0;
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
            steps += batch.StepCount;

            // 2. Weights: reward-to-go (or the whole return), minus a baseline, optionally normalised.
            var weights = batch.Weights(options.RewardToGo, options.Discount);
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

            // 3. θ ← θ + α ∇J: one Adam step on L(θ) = −(1/N) Σ w log π(a|s) − β (1/N) Σ H.
            var actions = tensor(batch.Actions.ToArray(), ScalarType.Int64);
            var logits = policy.Network.forward(observations);
            var loss = ReinforceLoss.FromLogits(logits, actions, tensor(weights, ScalarType.Float32), batch.EpisodeCount, options.EntropyCoefficient);
            double lossValue = loss.item<float>();
            if (!double.IsFinite(lossValue))
                throw new InvalidOperationException(
                    $"REINFORCE update {update}: the loss became {lossValue} (after {steps:N0} steps). " +
                    "Check the rewards for NaN and lower the learning rate.");
            optimizer.zero_grad();
            loss.backward();
            try { optimizer.step(); }
            catch (System.Runtime.InteropServices.ExternalException e)
            {
                throw new InvalidOperationException(
                    $"REINFORCE update {update}: the optimizer step failed ({e.Message}); the learning rate {options.LearningRate} is probably far too large.", e);
            }
            if (!policy.Network.AllParametersFinite())
                throw new InvalidOperationException(
                    $"REINFORCE update {update}: the policy's weights became NaN or infinite (learning rate {options.LearningRate}). Lower the learning rate.");
            policy.Refresh();

            // 4. Learned baseline: regress V_φ(s_t) on the rewards-to-go (MSE), a few Adam steps.
            if (value != null) FitValue(value, valueOptimizer!, observations, batch.Weights(options.RewardToGo, options.Discount), options.ValueStepsPerUpdate, update);

            double entropy;
            using (no_grad())
            {
                var logPolicy = nn.functional.log_softmax(logits, 1);
                entropy = -(logPolicy.exp() * logPolicy).sum(1).mean().item<float>();
            }
            var returns = batch.EpisodeReturns();
            var record = new ReinforceUpdate(update, steps, batch.EpisodeCount, returns.Average(), lossValue, entropy);
            history.Add(record);
            progress.Report(steps, ("update", update), ("return", record.MeanReturn), ("loss", lossValue), ("entropy", entropy));
        }
        return new ReinforceResult(policy, history);
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
