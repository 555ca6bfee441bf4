using CourseLib.Environments;
using CourseLib.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace CourseLib.ActorCritic;

/// <summary>A trained actor-critic: the network, what happened during training, and the environment steps taken.</summary>
public sealed record ActorCriticResult(ActorCriticNetwork Network, TrainingHistory History, long Steps);

/// <summary>
/// Synchronous advantage actor-critic (A2C), the batched form of Mnih et al. (2016):
/// <code>
///   repeat:
///     step N environments together for n steps with a_t ~ π_θ(·|s_t), recording r_t, V_w(s_t), terminated, truncated
///     Â_t = Σ_l (γλ)^l δ_{t+l},  δ_t = r_t + γ V_w(s_{t+1}) − V_w(s_t)       (GAE per environment)
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
    public static ActorCriticResult TrainCartPole(A2COptions? options = null, CancellationToken cancellationToken = default) =>
        Train(_ => new CartPole(), options, "A2C on CartPole-v1", cancellationToken);

    /// <summary>Trains a fresh actor-critic on the environments <paramref name="makeEnvironment"/>(0 .. N−1) makes.</summary>
    /// <param name="makeEnvironment">Makes environment i (each must have a <see cref="Discrete"/> action space).</param>
    /// <param name="options">Hyperparameters (defaults: <see cref="A2COptions"/>).</param>
    /// <param name="title">Shown with the progress bar.</param>
    /// <param name="cancellationToken">Stops training between updates (throws <see cref="OperationCanceledException"/>).</param>
    public static ActorCriticResult Train<TObservation>(Func<int, IEnvironment<TObservation, int>> makeEnvironment,
        A2COptions? options = null, string? title = null, CancellationToken cancellationToken = default)
        where TObservation : IObservationVector<TObservation>
    {
        // Small networks gain nothing from torch's intra-op threads, and lose a lot on a busy machine.
        int previousThreads = torch.get_num_threads();
        torch.set_num_threads(1);
        try { return TrainSingleThreaded(makeEnvironment, options, title, cancellationToken); }
        finally { torch.set_num_threads(previousThreads); }
    }

    static ActorCriticResult TrainSingleThreaded<TObservation>(Func<int, IEnvironment<TObservation, int>> makeEnvironment,
        A2COptions? options, string? title, CancellationToken cancellationToken)
        where TObservation : IObservationVector<TObservation>
    {
        ArgumentNullException.ThrowIfNull(makeEnvironment);
        options ??= new A2COptions();
        options.Validate();
        int environmentCount = options.Environments, stepsPerUpdate = options.StepsPerUpdate;
        int observationSize = TObservation.Length, batchSize = environmentCount * stepsPerUpdate;
        var environments = Enumerable.Range(0, environmentCount).Select(makeEnvironment).ToArray();
        if (environments[0].ActionSpace is not Discrete actionSpace)
            throw new ArgumentException($"A2C here needs a Discrete action space, not {environments[0].ActionSpace}.", nameof(makeEnvironment));
        int actionCount = actionSpace.N;

        var network = new ActorCriticNetwork(observationSize, actionCount, options.HiddenSizes, options.SharedTrunk, options.Seed);
        using var optimizer = optim.Adam(network.parameters(), options.LearningRate);
        var rng = new Rng(options.Seed);
        var history = new TrainingHistory();

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

        var evaluationEnvironment = options.EvaluateEverySteps > 0 ? makeEnvironment(environmentCount) : null;
        long updates = Math.Max(1, options.TotalSteps / batchSize), steps = 0, nextEvaluation = options.EvaluateEverySteps;
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
                        history.Add(new TrainingEpisode(steps, episodeReturn[i], episodeLength[i], i));
                        (episodeReturn[i], episodeLength[i]) = (0, 0);
                        // V(s_{t+1}) of the final observation: bootstraps a truncated episode (a terminal state is worth 0).
                        nextValues[row] = step.Truncated ? policy.Evaluate(observation, probabilities) : 0;
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
            EstimatePerEnvironment(rewards, values, nextValues, terminated, truncated, environmentCount, options.Gamma, options.Lambda, advantages, returns);
            if (options.NormalizeAdvantages) Standardize.InPlace(advantages);

            // 4. One gradient step on the actor-critic loss.
            var (policyLoss, valueLoss, entropy) = GradientStep(network, optimizer, observations, actions, advantages, returns,
                options.ValueLossCoefficient, options.EntropyCoefficient, options.MaxGradientNorm, $"A2C update {update}", steps);
            history.Add(new TrainingUpdate(update, steps, policyLoss, valueLoss, entropy));
            progress.Report(steps, ("return", history.RecentMeanReturn()), ("value loss", valueLoss), ("entropy", entropy));

            // 5. Now and then, evaluate the greedy policy (and stop once it is good enough, if asked to).
            if (evaluationEnvironment != null && (steps >= nextEvaluation || update == updates))
            {
                nextEvaluation += options.EvaluateEverySteps;
                var evaluation = ActorEvaluation.Returns(network, evaluationEnvironment, options.EvaluationEpisodes);
                history.Add(new TrainingEvaluation(steps, evaluation.Average(), evaluation.Min()));
                if (evaluation.Average() >= options.StopAtEvaluationReturn)
                {
                    progress.Finish(steps, $"stopped early: goal reached (greedy mean return {evaluation.Average():0.#} ≥ {options.StopAtEvaluationReturn}) at step {steps:N0}");
                    break;
                }
            }
        }
        return new ActorCriticResult(network, history, steps);
    }

    internal static void SetLearningRate(optim.Optimizer optimizer, double learningRate)
    {
        foreach (var group in optimizer.ParamGroups) group.LearningRate = learningRate;
    }

    /// <summary>Runs <see cref="GeneralizedAdvantage"/> down each environment's column of a [T, N] rollout.</summary>
    internal static void EstimatePerEnvironment(double[] rewards, double[] values, double[] nextValues, bool[] terminated, bool[] truncated,
        int environmentCount, double gamma, double lambda, double[] advantages, double[] returns)
    {
        int length = rewards.Length / environmentCount;
        var r = new double[length]; var v = new double[length]; var nv = new double[length];
        var term = new bool[length]; var trunc = new bool[length];
        for (int i = 0; i < environmentCount; i++)
        {
            for (int t = 0; t < length; t++)
            {
                int row = t * environmentCount + i;
                (r[t], v[t], nv[t], term[t], trunc[t]) = (rewards[row], values[row], nextValues[row], terminated[row], truncated[row]);
            }
            var a = GeneralizedAdvantage.Estimate(r, v, nv, term, trunc, gamma, lambda);
            for (int t = 0; t < length; t++)
            {
                int row = t * environmentCount + i;
                advantages[row] = a[t];
                returns[row] = a[t] + v[t];
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
