using CourseLib.Environments;
using CourseLib.Mdp;
using CourseLib.Training;

namespace CourseLib.InverseRl;

/// <summary>Hyperparameters of <see cref="Gail.Train"/>.</summary>
public sealed record GailOptions
{
    /// <summary>γ of the occupancy measures and of the policy step. Default 0.95.</summary>
    public double Gamma { get; init; } = 0.95;

    /// <summary>Number of rounds (discriminator update, then policy step). Default 150.</summary>
    public int Iterations { get; init; } = 150;

    /// <summary>Episodes the current policy plays each round to give the discriminator its "policy" pairs. Default 16.</summary>
    public int RolloutsPerIteration { get; init; } = 16;

    /// <summary>Gradient steps on the discriminator's loss per round. Default 10.</summary>
    public int DiscriminatorSteps { get; init; } = 10;

    /// <summary>Step size of the discriminator's gradient descent on its logits. Default 0.3.</summary>
    public double DiscriminatorLearningRate { get; init; } = 0.3;

    /// <summary>λ_D of the discriminator's L2 penalty (keeps its logits finite on pairs seen by one side only). Default 0.01.</summary>
    public double DiscriminatorWeightDecay { get; init; } = 0.01;

    /// <summary>η, the size of the policy's mirror-descent step (η × <see cref="EntropyWeight"/> = 1 is a full soft policy-iteration step). Default 0.5.</summary>
    public double PolicyStepSize { get; init; } = 0.5;

    /// <summary>λ_H, the weight of the policy's causal entropy bonus. Default 0.1.</summary>
    public double EntropyWeight { get; init; } = 0.1;

    /// <summary>
    /// Which reward the policy gets from D. Default log D: always ≤ 0, so it never pays to prolong an episode, which suits
    /// tasks that end in success (reach the goal). The paper's −log(1 − D) is always ≥ 0 and pays the policy to avoid
    /// ending episodes: right for tasks that end in failure (falling over), wrong for <see cref="LavaWorld"/>.
    /// </summary>
    public GailRewardForm RewardForm { get; init; } = GailRewardForm.LogD;
}

/// <summary>The outcome of <see cref="Gail.Train"/>; the arrays hold one entry per round.</summary>
/// <param name="Policy">The final policy π[s, a].</param>
/// <param name="DiscriminatorLogits">The final discriminator w[s,a] (D = σ(w)).</param>
/// <param name="DiscriminatorLosses">The discriminator's loss after its update.</param>
/// <param name="ExpertScores">Mean D(s,a) over the expert's pairs (weighted by occupancy) after the update.</param>
/// <param name="PolicyScores">Mean D(s,a) over the policy's sampled pairs after the update.</param>
/// <param name="OccupancyDistances">Total-variation distance between the policy's exact occupancy measure and the demonstrations', after the policy step.</param>
/// <param name="Policies">The policy after each round.</param>
public sealed record GailResult(
    double[,] Policy, double[,] DiscriminatorLogits, double[] DiscriminatorLosses, double[] ExpertScores, double[] PolicyScores,
    double[] OccupancyDistances, IReadOnlyList<double[,]> Policies);

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
    /// <param name="gamma">γ &lt; 1.</param>
    /// <param name="stepSize">η &gt; 0.</param>
    /// <param name="entropyWeight">λ ≥ 0 with ηλ ≤ 1.</param>
    public static double[,] PolicyStep(TabularMdp dynamics, double[,] preferences, double[,] reward, double gamma, double stepSize, double entropyWeight)
    {
        ArgumentNullException.ThrowIfNull(dynamics);
        ArgumentNullException.ThrowIfNull(preferences);
        if (!(gamma >= 0 && gamma < 1)) throw new ArgumentOutOfRangeException(nameof(gamma), gamma, "gamma must be in [0, 1) for the policy step.");
        if (!(stepSize > 0 && double.IsFinite(stepSize))) throw new ArgumentOutOfRangeException(nameof(stepSize), stepSize, "stepSize (η) must be a positive number.");
        if (!(entropyWeight >= 0 && stepSize * entropyWeight <= 1))
            throw new ArgumentOutOfRangeException(nameof(entropyWeight), entropyWeight, $"entropyWeight (λ) must be ≥ 0 with η·λ ≤ 1 (η = {stepSize}).");
        ArgumentNullException.ThrowIfNull(reward);
        int n = dynamics.StateCount, actions = dynamics.ActionCount;
        if (preferences.GetLength(0) != n || preferences.GetLength(1) != actions)
            throw new ArgumentException($"preferences must be [{n}, {actions}]; it is [{preferences.GetLength(0)}, {preferences.GetLength(1)}].", nameof(preferences));
        if (reward.GetLength(0) != n || reward.GetLength(1) != actions)
            throw new ArgumentException($"reward must be [{n}, {actions}]; it is [{reward.GetLength(0)}, {reward.GetLength(1)}].", nameof(reward));
        var policy = TabularPolicy.Softmax(preferences);
        var entropyAdjusted = new double[n, actions];
        for (int s = 0; s < n; s++)
        for (int a = 0; a < actions; a++) entropyAdjusted[s, a] = reward[s, a] - entropyWeight * Math.Log(policy[s, a]);
        var softValues = PolicyEvaluation.Solve(Relabel.WithStateActionReward(dynamics, entropyAdjusted), policy, gamma);
        var q = Bellman.QFromV(Relabel.WithStateActionReward(dynamics, reward), softValues, gamma);
        var updated = new double[n, actions];
        for (int s = 0; s < n; s++)
        for (int a = 0; a < actions; a++) updated[s, a] = (1 - stepSize * entropyWeight) * preferences[s, a] + stepSize * q[s, a];
        return updated;
    }

    /// <summary>Trains a policy by GAIL to imitate <paramref name="demonstrations"/> in <paramref name="environment"/> (whose rewards are never used).</summary>
    /// <param name="environment">The environment the policy plays (its <see cref="TabularEnvironment.Mdp"/> gives the dynamics for the policy step).</param>
    /// <param name="demonstrations">The expert's episodes.</param>
    /// <param name="options">Hyperparameters (null: the defaults).</param>
    /// <param name="seed">Seeds the rollouts (environment and actions).</param>
    /// <param name="cancellationToken">Stops training (throws <see cref="OperationCanceledException"/>).</param>
    public static GailResult Train(TabularEnvironment environment, IReadOnlyList<Trajectory<int, int>> demonstrations, GailOptions? options = null,
        int seed = 0, CancellationToken cancellationToken = default)
    {
        options ??= new GailOptions();
        ArgumentNullException.ThrowIfNull(environment);
        CheckOptions(options);
        var dynamics = environment.Mdp;
        int n = dynamics.StateCount, actions = dynamics.ActionCount;
        var expert = Occupancy.FromTrajectories(demonstrations, n, actions, options.Gamma);
        var preferences = new double[n, actions];   // π_0 uniform
        var logits = new double[n, actions];        // D_0 = 1/2 everywhere
        var rng = new Rng(seed);
        environment.Reset(seed);
        var losses = new List<double>();
        var expertScores = new List<double>();
        var policyScores = new List<double>();
        var distances = new List<double>();
        var policies = new List<double[,]>();

        using var progress = TrainingProgress.Start("GAIL", options.Iterations, "rounds");
        for (int round = 1; round <= options.Iterations; round++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var policy = TabularPolicy.Softmax(preferences);

            // 1. The policy's pairs.
            var rollouts = new Trajectory<int, int>[options.RolloutsPerIteration];
            for (int i = 0; i < rollouts.Length; i++) rollouts[i] = Rollout.Sample(environment, policy, rng);
            var sampled = Occupancy.FromTrajectories(rollouts, n, actions, options.Gamma);

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
            preferences = PolicyStep(dynamics, preferences, reward, options.Gamma, options.PolicyStepSize, options.EntropyWeight);

            var improved = TabularPolicy.Softmax(preferences);
            var d = Discriminator.Probabilities(logits);
            losses.Add(loss);
            expertScores.Add(MeanScore(d, expert));
            policyScores.Add(MeanScore(d, sampled));
            distances.Add(Occupancy.TotalVariation(Occupancy.Exact(dynamics, improved, options.Gamma, environment.MaxEpisodeSteps), expert));
            policies.Add(improved);
            progress.Report(round, ("D loss", loss), ("D(expert)", expertScores[^1]), ("D(policy)", policyScores[^1]), ("occupancy distance", distances[^1]));
        }
        return new GailResult(TabularPolicy.Softmax(preferences), logits, losses.ToArray(), expertScores.ToArray(), policyScores.ToArray(), distances.ToArray(), policies);
    }

    static double MeanScore(double[,] d, double[,] occupancy)
    {
        double weighted = 0, total = 0;
        for (int s = 0; s < d.GetLength(0); s++)
        for (int a = 0; a < d.GetLength(1); a++) { weighted += occupancy[s, a] * d[s, a]; total += occupancy[s, a]; }
        return total > 0 ? weighted / total : double.NaN;
    }

    static void CheckOptions(GailOptions o)
    {
        if (!(o.Gamma >= 0 && o.Gamma < 1)) throw new ArgumentOutOfRangeException(nameof(o.Gamma), o.Gamma, "Gamma must be in [0, 1).");
        if (o.Iterations < 0) throw new ArgumentOutOfRangeException(nameof(o.Iterations), o.Iterations, "Iterations must be 0 or more.");
        if (o.RolloutsPerIteration <= 0) throw new ArgumentOutOfRangeException(nameof(o.RolloutsPerIteration), o.RolloutsPerIteration, "RolloutsPerIteration must be at least 1.");
        if (o.DiscriminatorSteps <= 0) throw new ArgumentOutOfRangeException(nameof(o.DiscriminatorSteps), o.DiscriminatorSteps, "DiscriminatorSteps must be at least 1.");
        if (!(o.DiscriminatorLearningRate > 0 && double.IsFinite(o.DiscriminatorLearningRate)))
            throw new ArgumentOutOfRangeException(nameof(o.DiscriminatorLearningRate), o.DiscriminatorLearningRate, "DiscriminatorLearningRate must be a positive number.");
        if (!(o.DiscriminatorWeightDecay >= 0 && double.IsFinite(o.DiscriminatorWeightDecay)))
            throw new ArgumentOutOfRangeException(nameof(o.DiscriminatorWeightDecay), o.DiscriminatorWeightDecay, "DiscriminatorWeightDecay must be 0 or a positive number.");
        if (!(o.PolicyStepSize > 0 && double.IsFinite(o.PolicyStepSize)))
            throw new ArgumentOutOfRangeException(nameof(o.PolicyStepSize), o.PolicyStepSize, "PolicyStepSize (η) must be a positive number.");
        if (!(o.EntropyWeight >= 0 && o.PolicyStepSize * o.EntropyWeight <= 1))
            throw new ArgumentOutOfRangeException(nameof(o.EntropyWeight), o.EntropyWeight, $"EntropyWeight (λ) must be ≥ 0 with PolicyStepSize × EntropyWeight ≤ 1 (PolicyStepSize = {o.PolicyStepSize}).");
    }
}
