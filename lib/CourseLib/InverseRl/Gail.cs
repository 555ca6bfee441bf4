using System.Diagnostics;
using CourseLib.Environments;
using CourseLib.Mdp;
using CourseLib.Training;

namespace CourseLib.InverseRl;

/// <summary>
/// Generative adversarial imitation learning (Ho and Ermon 2016) in a small tabular form. GAIL never writes down a
/// reward to hand back: it trains a policy whose occupancy measure ρ_π matches the expert's ρ_E, with a discriminator
/// as the moving reward. Each round:
/// <code>
///   1. play episodes with π; their (s,a) pairs give ρ̂_π; the demonstrations give ρ̂_E
///   2. a few gradient steps on the discriminator's cross-entropy (expert pairs → 1, policy pairs → 0)   (<see cref="Discriminator"/>)
///   3. r(s,a) = log D(s,a)   (or the paper's −log(1 − D(s,a)), or the logit: <see cref="GailRewardForm"/>)
///   4. one entropy-regularised policy step on r                                                           (<see cref="PolicyStep"/>)
/// </code>
/// The seminar's GAIL takes a TRPO step on sampled advantages; on a tabular MDP with known dynamics the same kind of
/// step (natural policy gradient on a softmax policy) can be taken with exact values, so training takes seconds.
/// </summary>
public static class Gail
{
    /// <summary>
    /// One step of entropy-regularised natural policy gradient (mirror descent) on a softmax policy π ∝ exp(preferences):
    /// <code>
    ///   V = soft value of π:  V(s) = Σ_a π(a|s) [ r(s,a) − λ log π(a|s) + γ Σ_s' p(s'|s,a) V(s') ]
    ///   Q(s,a) = r(s,a) + γ Σ_s' p(s'|s,a) V(s')
    ///   preferences ← (1 − ηλ) preferences + η Q          i.e. π_new ∝ π^(1−ηλ) exp(η Q)
    /// </code>
    /// With ηλ = 1 this is soft policy iteration, π_new ∝ exp(Q/λ); smaller η moves only part of the way.
    /// Returns the new preferences.
    /// </summary>
    /// <param name="dynamics">p(s'|s,a) and the terminal states (the MDP's rewards are not used).</param>
    /// <param name="preferences">The policy's logits θ[s,a] (π = softmax over a).</param>
    /// <param name="reward">r(s,a).</param>
    /// <param name="discount">γ in [0, 1).</param>
    /// <param name="stepSize">η &gt; 0.</param>
    /// <param name="entropyCoefficient">λ ≥ 0 with ηλ ≤ 1.</param>
    public static double[,] PolicyStep(TabularMdp dynamics, double[,] preferences, double[,] reward, double discount, double stepSize, double entropyCoefficient)
    {
        ArgumentNullException.ThrowIfNull(dynamics);
        ArgumentNullException.ThrowIfNull(preferences);
        if (!(discount >= 0 && discount < 1)) throw new ArgumentOutOfRangeException(nameof(discount), discount, "discount (γ) must be in [0, 1) for the policy step.");
        if (!(stepSize > 0 && double.IsFinite(stepSize))) throw new ArgumentOutOfRangeException(nameof(stepSize), stepSize, "stepSize (η) must be a finite number > 0.");
        if (!(entropyCoefficient >= 0 && stepSize * entropyCoefficient <= 1))
            throw new ArgumentOutOfRangeException(nameof(entropyCoefficient), entropyCoefficient, $"entropyCoefficient (λ) must be ≥ 0 with η·λ ≤ 1 (η = {stepSize}).");
        ArgumentNullException.ThrowIfNull(reward);
        int n = dynamics.StateCount, actions = dynamics.ActionCount;
        if (preferences.GetLength(0) != n || preferences.GetLength(1) != actions)
            throw new ArgumentException($"preferences must be [{n}, {actions}]; it is [{preferences.GetLength(0)}, {preferences.GetLength(1)}].", nameof(preferences));
        if (reward.GetLength(0) != n || reward.GetLength(1) != actions)
            throw new ArgumentException($"reward must be [{n}, {actions}]; it is [{reward.GetLength(0)}, {reward.GetLength(1)}].", nameof(reward));
        var policy = TabularPolicy.Softmax(preferences);
        var entropyAdjusted = new double[n, actions];
        for (int s = 0; s < n; s++)
        for (int a = 0; a < actions; a++) entropyAdjusted[s, a] = reward[s, a] - entropyCoefficient * Math.Log(policy[s, a]);
        var softValues = PolicyEvaluation.Solve(Relabel.WithStateActionReward(dynamics, entropyAdjusted), policy, discount);
        var q = Bellman.QFromV(Relabel.WithStateActionReward(dynamics, reward), softValues, discount);
        var updated = new double[n, actions];
        for (int s = 0; s < n; s++)
        for (int a = 0; a < actions; a++) updated[s, a] = (1 - stepSize * entropyCoefficient) * preferences[s, a] + stepSize * q[s, a];
        return updated;
    }

    /// <summary>
    /// Trains a policy by GAIL to imitate <paramref name="demonstrations"/> in <paramref name="environment"/>. Training never
    /// uses the environment's rewards; they are recorded in the result's episodes and evaluations, so you can see how the
    /// imitation scores on the task.
    /// </summary>
    /// <param name="environment">The environment the policy plays (its <see cref="TabularEnvironment.Mdp"/> gives the dynamics for the policy step).</param>
    /// <param name="demonstrations">The expert's episodes.</param>
    /// <param name="options">Settings, seed included (null: the defaults).</param>
    /// <param name="cancellationToken">Stops training (throws <see cref="OperationCanceledException"/>).</param>
    /// <returns>The final policy π[s, a] as the agent, one <see cref="GailRecord"/> per round, the episodes played, the evaluations.</returns>
    public static TrainingResult<double[,], GailRecord> Train(TabularEnvironment environment, IReadOnlyList<Trajectory<int, int>> demonstrations,
        GailOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new GailOptions();
        ArgumentNullException.ThrowIfNull(environment);
        options.Validate();
        var dynamics = environment.Mdp;
        int n = dynamics.StateCount, actions = dynamics.ActionCount;
        var expert = Occupancy.FromTrajectories(demonstrations, n, actions, options.Discount);
        var preferences = new double[n, actions];   // π_0 uniform
        var logits = new double[n, actions];        // D_0 = 1/2 everywhere
        var rng = new Rng(options.Seed);
        environment.Reset(options.Seed);
        var evaluationEnvironment = new TabularEnvironment(dynamics, environment.MaxEpisodeSteps);
        var clock = Stopwatch.StartNew();
        var history = new List<GailRecord>();
        var episodes = new List<EpisodeRecord>();
        var evaluations = new List<EvaluationRecord>();
        long steps = 0, nextEvaluation = options.Evaluation.EverySteps;
        long? solvedAt = null;

        using var progress = TrainingProgress.Start("GAIL", options.Rounds, "rounds");
        for (int round = 1; round <= options.Rounds && solvedAt is null; round++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var policy = TabularPolicy.Softmax(preferences);

            // 1. The policy's pairs.
            var rollouts = new Trajectory<int, int>[options.EpisodesPerRound];
            for (int i = 0; i < rollouts.Length; i++)
            {
                rollouts[i] = Rollout.Sample(environment, policy, rng);
                steps += rollouts[i].Length;
                episodes.Add(new EpisodeRecord(steps, rollouts[i].TotalReward, rollouts[i].Length));
            }
            var sampled = Occupancy.FromTrajectories(rollouts, n, actions, options.Discount);

            // 2. The discriminator: gradient descent on the cross-entropy.
            for (int k = 0; k < options.DiscriminatorSteps; k++)
            {
                var gradient = Discriminator.LossGradient(logits, expert, sampled, options.DiscriminatorWeightDecay);
                for (int s = 0; s < n; s++)
                for (int a = 0; a < actions; a++) logits[s, a] -= options.DiscriminatorLearningRate * gradient[s, a];
            }
            double loss = Discriminator.Loss(logits, expert, sampled, options.DiscriminatorWeightDecay);
            if (!double.IsFinite(loss))
                throw new InvalidOperationException($"GAIL: the discriminator's loss became {loss} at round {round}; lower DiscriminatorLearningRate ({options.DiscriminatorLearningRate}).");

            // 3-4. The reward from D, and one policy step on it.
            var reward = Discriminator.Reward(logits, options.RewardForm);
            preferences = PolicyStep(dynamics, preferences, reward, options.Discount, options.PolicyStepSize, options.EntropyCoefficient);

            var improved = TabularPolicy.Softmax(preferences);
            var d = Discriminator.Probabilities(logits);
            history.Add(new GailRecord(round, steps, loss, MeanScore(d, expert), MeanScore(d, sampled),
                Occupancy.TotalVariation(Occupancy.Exact(dynamics, improved, options.Discount, environment.MaxEpisodeSteps), expert),
                improved, (double[,])logits.Clone()));

            // Evaluate the greedy policy each time the step count passes a multiple of Evaluation.EverySteps.
            if (options.Evaluation.Enabled && steps >= nextEvaluation)
            {
                var greedy = TabularPolicy.Greedy(improved);
                var evaluation = Evaluation.Run(evaluationEnvironment, s => greedy[s], options.Evaluation, steps);
                evaluations.Add(evaluation);
                while (nextEvaluation <= steps) nextEvaluation += options.Evaluation.EverySteps;
                if (options.Evaluation.Reached(evaluation)) solvedAt = steps;
            }
            var last = history[^1];
            progress.Report(round, ("D loss", loss), ("D(expert)", last.ExpertScore), ("D(policy)", last.PolicyScore), ("occupancy distance", last.OccupancyDistance));
        }
        return new TrainingResult<double[,], GailRecord>
        {
            Agent = TabularPolicy.Softmax(preferences), History = history, Episodes = episodes, Evaluations = evaluations,
            Steps = steps, Elapsed = clock.Elapsed, SolvedAtStep = solvedAt,
        };
    }

    static double MeanScore(double[,] d, double[,] occupancy)
    {
        double weighted = 0, total = 0;
        for (int s = 0; s < d.GetLength(0); s++)
        for (int a = 0; a < d.GetLength(1); a++) { weighted += occupancy[s, a] * d[s, a]; total += occupancy[s, a]; }
        return total > 0 ? weighted / total : double.NaN;
    }
}
