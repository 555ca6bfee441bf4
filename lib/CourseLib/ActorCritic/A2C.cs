using System.Diagnostics;
using CourseLib.Environments;
using CourseLib.Exercises;
using CourseLib.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace CourseLib.ActorCritic;

/// <summary>
/// Synchronous advantage actor-critic (A2C), the batched form of Mnih et al. (2016):
/// <code>
///   repeat:
///     step N environments together for n steps with a_t ~ π_θ(·|s_t), recording r_t, V_w(s_t), terminated, truncated
///     Â_t = Σ_l (γλ)^l δ_{t+l},  δ_t = r_t + γ V_w(s_{t+1}) − V_w(s_t)       (GAE per environment: notebook 07's Gae)
///     G_t = Â_t + V_w(s_t)                                                   (the critic's λ-return target)
///     one Adam step on  L = −mean(log π_θ(a_t|s_t) Â_t) + c_V mean((V_w(s_t) − G_t)²) − c_H mean(H[π_θ(·|s_t)])
/// </code>
/// The N environments decorrelate the batch the way A3C's asynchronous workers do, without threads. An environment
/// whose episode ends is reset at once; a truncated episode's final observation is valued for the bootstrap.
/// Same seed, same run.
/// </summary>
public static class A2C
{
    /// <summary>Trains A2C on CartPole-v1 (500-step time limit).</summary>
    /// <param name="options">Settings (defaults: <see cref="A2COptions"/>).</param>
    /// <param name="gae">The advantage estimator, with notebook 07's exercise signature (see <see cref="Train{TObservation}"/>).</param>
    /// <param name="cancellationToken">Stops training between updates.</param>
    public static TrainingResult<ActorCriticNetwork, TrainingUpdate> TrainCartPole(A2COptions? options = null,
        Func<double[], double[], double[], bool[], bool[], double, double, double[]>? gae = null, CancellationToken cancellationToken = default) =>
        Train(_ => new CartPole(), options, gae, "A2C on CartPole-v1", cancellationToken);

    /// <summary>Trains a fresh actor-critic on the environments <paramref name="makeEnvironment"/>(0 .. N−1) makes.</summary>
    /// <param name="makeEnvironment">Makes environment i (each must have a <see cref="Discrete"/> action space); index N makes the evaluation environment.</param>
    /// <param name="options">Settings (defaults: <see cref="A2COptions"/>).</param>
    /// <param name="gae">
    /// Â for one environment's column of the rollout, <c>Gae(rewards, values, nextValues, terminated, truncated, gamma, lambda)</c>:
    /// a student's function from notebook 07 (used as written, right or wrong, once it no longer throws
    /// <see cref="NotImplementedException"/>), or null for the library's <see cref="GeneralizedAdvantage.Estimate(double[], double[], double[], bool[], bool[], double, double)"/>.
    /// </param>
    /// <param name="title">Shown with the progress bar.</param>
    /// <param name="cancellationToken">Stops training between updates (throws <see cref="OperationCanceledException"/>).</param>
    public static TrainingResult<ActorCriticNetwork, TrainingUpdate> Train<TObservation>(Func<int, IEnvironment<TObservation, int>> makeEnvironment,
        A2COptions? options = null, Func<double[], double[], double[], bool[], bool[], double, double, double[]>? gae = null,
        string? title = null, CancellationToken cancellationToken = default)
        where TObservation : IObservationVector<TObservation>
    {
        ArgumentNullException.ThrowIfNull(makeEnvironment);
        options ??= new A2COptions();
        options.Validate();
        var advantageEstimator = Solution.OrReference(gae, GeneralizedAdvantage.Estimate, "Gae");
        // Small networks gain nothing from torch's intra-op threads, and lose a lot on a busy machine.
        using var threads = TorchThreads.One();
        var clock = Stopwatch.StartNew();
        int environmentCount = options.Environments, stepsPerUpdate = options.StepsPerUpdate;
        int observationSize = TObservation.Length, batchSize = environmentCount * stepsPerUpdate;
        var environments = Enumerable.Range(0, environmentCount).Select(makeEnvironment).ToArray();
        if (environments[0].ActionSpace is not Discrete actionSpace)
            throw new ArgumentException($"A2C here needs a Discrete action space, not {environments[0].ActionSpace}.", nameof(makeEnvironment));
        int actionCount = actionSpace.N;

        var network = new ActorCriticNetwork(observationSize, actionCount, options.HiddenSizes, options.SharedTrunk, options.Seed);
        using var optimizer = optim.Adam(network.parameters(), options.LearningRate);
        var rng = new Rng(options.Seed);
        var updatesMade = new List<TrainingUpdate>();
        var episodes = new List<EpisodeRecord>();
        var evaluations = new List<EvaluationRecord>();
        long? solvedAt = null;

        // The rollout of one update, row t·N + i = step t of environment i.
        var observations = new float[batchSize * observationSize];
        var actions = new long[batchSize];
        var rewards = new double[batchSize];
        var values = new double[batchSize];
        var nextValues = new double[batchSize];
        var terminated = new bool[batchSize];
        var truncated = new bool[batchSize];

        var current = new float[environmentCount * observationSize];
        var probabilities = new double[actionCount];
        var episodeReturn = new double[environmentCount];
        var episodeLength = new int[environmentCount];
        for (int i = 0; i < environmentCount; i++)
            environments[i].Reset(options.Seed * 1000 + i).Observation.CopyTo(current.AsSpan(i * observationSize, observationSize));

        var evaluation = options.Evaluation;
        var evaluationEnvironment = evaluation.Enabled ? makeEnvironment(environmentCount) : null;
        long updates = Math.Max(1, options.TotalSteps / batchSize), steps = 0, nextEvaluation = evaluation.EverySteps;
        using var progress = TrainingProgress.Start(title ?? $"A2C on {environments[0].GetType().Name}", updates * batchSize, "steps");
        for (long update = 1; update <= updates; update++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (options.AnnealLearningRate) SetLearningRate(optimizer, options.LearningRate * (1 - (double)(update - 1) / updates));

            // 1. Step the N environments n times with the current policy (a plain-C# snapshot of it: fast to act with).
            var policy = network.Snapshot();
            for (int t = 0; t < stepsPerUpdate; t++)
            {
                for (int i = 0; i < environmentCount; i++)
                {
                    int row = t * environmentCount + i;
                    var observation = current.AsSpan(i * observationSize, observationSize);
                    observation.CopyTo(observations.AsSpan(row * observationSize, observationSize));
                    values[row] = policy.Evaluate(observation, probabilities);
                    int action = rng.Categorical(probabilities);
                    var step = environments[i].Step(action);
                    steps++;
                    (actions[row], rewards[row]) = (action, step.Reward);
                    (terminated[row], truncated[row]) = (step.Terminated, step.Truncated);
                    episodeReturn[i] += step.Reward;
                    episodeLength[i]++;
                    step.Observation.CopyTo(observation);
                    if (step.Done)
                    {
                        episodes.Add(new EpisodeRecord(steps, episodeReturn[i], episodeLength[i]));
                        (episodeReturn[i], episodeLength[i]) = (0, 0);
                        // V(s_{t+1}) of the final observation, as the critic sees it: GAE bootstraps from it after a
                        // truncation and must ignore it after a termination (a terminal state is worth 0).
                        nextValues[row] = policy.Evaluate(observation, probabilities);
                        environments[i].Reset().Observation.CopyTo(observation);
                    }
                }
            }

            // 2. V(s_{t+1}) inside an episode is the next row's V(s_t); after the last step, the value of the state
            //    each environment stopped in.
            for (int row = 0; row < batchSize; row++)
            {
                if (terminated[row] || truncated[row]) continue;   // set above from the final observation
                nextValues[row] = row + environmentCount < batchSize
                    ? values[row + environmentCount]
                    : policy.Evaluate(current.AsSpan((row % environmentCount) * observationSize, observationSize), probabilities);
            }

            // 3. GAE per environment, and the critic's λ-return targets.
            var advantages = new double[batchSize];
            var returns = new double[batchSize];
            EstimatePerEnvironment(advantageEstimator, rewards, values, nextValues, terminated, truncated, environmentCount,
                options.Discount, options.Lambda, advantages, returns);
            if (options.NormalizeAdvantages) Standardize.InPlace(advantages);

            // 4. One gradient step on the actor-critic loss.
            var (policyLoss, valueLoss, entropy) = GradientStep(network, optimizer, observations, actions, advantages, returns,
                options.ValueLossCoefficient, options.EntropyCoefficient, options.MaxGradientNorm, $"A2C update {update}", steps);
            updatesMade.Add(new TrainingUpdate(update, steps, 0, policyLoss, valueLoss, entropy));
            progress.Report(steps, ("return", RecentMeanReturn(episodes)), ("value loss", valueLoss), ("entropy", entropy));

            // 5. Now and then, evaluate the greedy policy (and stop once it is good enough, if asked to).
            if (evaluationEnvironment != null && (steps >= nextEvaluation || update == updates))
            {
                nextEvaluation += evaluation.EverySteps;
                var record = Evaluation.Run(evaluationEnvironment, network.Snapshot().GreedyAction, evaluation, steps);
                evaluations.Add(record);
                if (evaluation.Reached(record))
                {
                    solvedAt = steps;
                    progress.Finish(steps, $"stopped early: goal reached (greedy mean return {record.MeanReturn:0.#} ≥ {evaluation.StopAtMeanReturn}) at step {steps:N0}");
                    break;
                }
            }
        }
        return new TrainingResult<ActorCriticNetwork, TrainingUpdate>
        {
            Agent = network, History = updatesMade, Episodes = episodes, Evaluations = evaluations,
            Steps = steps, Elapsed = clock.Elapsed, SolvedAtStep = solvedAt,
        };
    }

    /// <summary>The mean return of the last <paramref name="count"/> episodes (NaN before the first), for the progress bar.</summary>
    internal static double RecentMeanReturn(IReadOnlyList<EpisodeRecord> episodes, int count = 20)
    {
        if (episodes.Count == 0) return double.NaN;
        int from = Math.Max(0, episodes.Count - count);
        double sum = 0;
        for (int i = from; i < episodes.Count; i++) sum += episodes[i].Return;
        return sum / (episodes.Count - from);
    }

    internal static void SetLearningRate(optim.Optimizer optimizer, double learningRate)
    {
        foreach (var group in optimizer.ParamGroups) group.LearningRate = learningRate;
    }

    /// <summary>
    /// Runs <paramref name="gae"/> down each environment's column of a [T, N] rollout (each column is one environment's
    /// consecutive steps, so the estimator sees the episode ends it must respect), and forms the λ-returns Â + V.
    /// </summary>
    internal static void EstimatePerEnvironment(Func<double[], double[], double[], bool[], bool[], double, double, double[]> gae,
        double[] rewards, double[] values, double[] nextValues, bool[] terminated, bool[] truncated,
        int environmentCount, double gamma, double lambda, double[] advantages, double[] returns)
    {
        int length = rewards.Length / environmentCount;
        for (int i = 0; i < environmentCount; i++)
        {
            // Fresh arrays for every call: a student's function may keep or change what it is given.
            var r = new double[length]; var v = new double[length]; var nv = new double[length];
            var term = new bool[length]; var trunc = new bool[length];
            for (int t = 0; t < length; t++)
            {
                int row = t * environmentCount + i;
                (r[t], v[t], nv[t], term[t], trunc[t]) = (rewards[row], values[row], nextValues[row], terminated[row], truncated[row]);
            }
            var a = gae(r, v, nv, term, trunc, gamma, lambda);
            if (a is null || a.Length != length)
                throw new InvalidOperationException(
                    $"Gae returned {(a is null ? "null" : $"{a.Length} advantages")} for a rollout of {length} steps; it must return one advantage per step.");
            for (int t = 0; t < length; t++)
            {
                int row = t * environmentCount + i;
                advantages[row] = a[t];
                returns[row] = a[t] + values[row];
            }
        }
    }

    /// <summary>
    /// Computes the loss on the batch, back-propagates it into <paramref name="network"/>'s gradients and clips them;
    /// steps <paramref name="optimizer"/> when one is given (A3C applies the gradients elsewhere). Throws naming
    /// <paramref name="updateName"/> when the loss is not finite.
    /// </summary>
    internal static (double PolicyLoss, double ValueLoss, double Entropy) GradientStep(ActorCriticNetwork network, optim.Optimizer? optimizer,
        float[] observations, long[] actions, double[] advantages, double[] returns,
        double valueCoefficient, double entropyCoefficient, double maxGradientNorm, string updateName, long steps)
    {
        using var scope = NewDisposeScope();
        int batch = actions.Length;
        var (logits, value) = network.forward(tensor(observations, [batch, network.ObservationSize]));
        var loss = ActorCriticLoss.Compute(logits, value, tensor(actions), tensor(advantages, ScalarType.Float32),
            tensor(returns, ScalarType.Float32), valueCoefficient, entropyCoefficient);
        double total = loss.Total.item<float>();
        if (!double.IsFinite(total))
            throw new InvalidOperationException(
                $"{updateName}: the loss became {total} (after {steps:N0} steps). Lower the learning rate, or check the rewards for NaN.");
        network.zero_grad();
        loss.Total.backward();
        nn.utils.clip_grad_norm_(network.parameters(), maxGradientNorm);
        optimizer?.step();
        return (loss.PolicyLoss.item<float>(), loss.ValueLoss.item<float>(), loss.Entropy.item<float>());
    }
}
