namespace CourseLib.ActorCritic;

/// <summary>
/// Hyperparameters of synchronous advantage actor-critic (<see cref="A2C"/>). With the defaults, the final greedy policy
/// after the whole budget of 300k steps (no early stop) scored a mean ≥ 475 over 20 CartPole-v1 episodes in 6 of seeds
/// 0–7 and in 6 of seeds 8–15; the earlier settings (n = 32, λ = 0.95, c_H = 0.01, clip 0.5) did so in 5 of seeds 0–7
/// (3 of 8 with 100k steps). A2C on CartPole stays fickle: the other seeds end on a policy that fails after 230–470 steps.
/// Measure with: dotnet run -c Release --project tests/CourseLib.Benchmarks -- --a2c-seeds 300000 8 [first=8]
/// </summary>
public sealed record A2COptions
{
    /// <summary>Environment steps in all, summed over the parallel environments. Default 300 000.</summary>
    public long TotalSteps { get; init; } = 300_000;

    /// <summary>How many environments are stepped together (N). Default 8.</summary>
    public int Environments { get; init; } = 8;

    /// <summary>
    /// Steps taken in each environment between updates (n); one update learns from N·n transitions. Default 16: twice
    /// as many updates as with 32 for the same budget.
    /// </summary>
    public int StepsPerUpdate { get; init; } = 16;

    /// <summary>The discount factor γ. Default 0.99.</summary>
    public double Gamma { get; init; } = 0.99;

    /// <summary>GAE's λ: 0 = one-step TD error, 1 = Monte-Carlo return minus V. Default 0.98 (with 0.95, 9 of seeds 0–15 ended at 475+ instead of 12).</summary>
    public double Lambda { get; init; } = 0.98;

    /// <summary>Adam's step size for actor and critic. Default 1e-3.</summary>
    public double LearningRate { get; init; } = 1e-3;

    /// <summary>Decay the step size linearly from <see cref="LearningRate"/> to 0 over the run (steadies the final policy). Default true.</summary>
    public bool AnnealLearningRate { get; init; } = true;

    /// <summary>c_V, the weight of the critic's squared error in the loss. Default 0.5.</summary>
    public double ValueLossCoefficient { get; init; } = 0.5;

    /// <summary>c_H, the weight of the entropy bonus. Default 0.02 (with 0.01 or 0, more seeds ended on a near-deterministic policy that fails after 100–250 steps).</summary>
    public double EntropyCoefficient { get; init; } = 0.02;

    /// <summary>The gradient's global L2 norm is clipped to this before each step. Default 1.</summary>
    public double MaxGradientNorm { get; init; } = 1.0;

    /// <summary>Rescale each batch's advantages to mean 0, standard deviation 1 (a common variance reduction). Default true.</summary>
    public bool NormalizeAdvantages { get; init; } = true;

    /// <summary>Hidden layer sizes of the actor and of the critic. Default [64, 64].</summary>
    public IReadOnlyList<int> HiddenSizes { get; init; } = [64, 64];

    /// <summary>Actor and critic share their hidden layers. Default false (two separate networks).</summary>
    public bool SharedTrunk { get; init; }

    /// <summary>
    /// Evaluate the greedy policy every this many steps (0: never) on <see cref="EvaluationEpisodes"/> fresh episodes
    /// (seeds 10 000, 10 001, ...); the results go to <see cref="TrainingHistory.Evaluations"/>. Default 0.
    /// </summary>
    public long EvaluateEverySteps { get; init; }

    /// <summary>Episodes per evaluation. Default 20.</summary>
    public int EvaluationEpisodes { get; init; } = 20;

    /// <summary>
    /// Stop training as soon as an evaluation's mean return reaches this (null: train for <see cref="TotalSteps"/>),
    /// like SB3's StopTrainingOnRewardThreshold; needs <see cref="EvaluateEverySteps"/> &gt; 0. Default null.
    /// </summary>
    public double? StopAtEvaluationReturn { get; init; }

    /// <summary>Seed of the network's weights, the action sampling and the environments (environment i resets from Seed·1000 + i). Default 0.</summary>
    public int Seed { get; init; }

    /// <summary>Throws a clear exception naming the first hyperparameter that is out of range.</summary>
    public void Validate()
    {
        if (TotalSteps < 1) throw new ArgumentOutOfRangeException(nameof(TotalSteps), TotalSteps, "TotalSteps must be at least 1.");
        if (Environments < 1) throw new ArgumentOutOfRangeException(nameof(Environments), Environments, "Environments must be at least 1.");
        if (StepsPerUpdate < 1) throw new ArgumentOutOfRangeException(nameof(StepsPerUpdate), StepsPerUpdate, "StepsPerUpdate must be at least 1.");
        if (!(Gamma >= 0 && Gamma <= 1)) throw new ArgumentOutOfRangeException(nameof(Gamma), Gamma, "Gamma must be in [0, 1].");
        if (!(Lambda >= 0 && Lambda <= 1)) throw new ArgumentOutOfRangeException(nameof(Lambda), Lambda, "Lambda must be in [0, 1].");
        if (!(LearningRate > 0)) throw new ArgumentOutOfRangeException(nameof(LearningRate), LearningRate, "LearningRate must be positive.");
        if (!(ValueLossCoefficient >= 0)) throw new ArgumentOutOfRangeException(nameof(ValueLossCoefficient), ValueLossCoefficient, "ValueLossCoefficient must be 0 or more.");
        if (!(EntropyCoefficient >= 0)) throw new ArgumentOutOfRangeException(nameof(EntropyCoefficient), EntropyCoefficient, "EntropyCoefficient must be 0 or more.");
        if (!(MaxGradientNorm > 0)) throw new ArgumentOutOfRangeException(nameof(MaxGradientNorm), MaxGradientNorm, "MaxGradientNorm must be positive (use double.PositiveInfinity for no clipping).");
        if (EvaluateEverySteps < 0) throw new ArgumentOutOfRangeException(nameof(EvaluateEverySteps), EvaluateEverySteps, "EvaluateEverySteps must be 0 (never) or more.");
        if (EvaluationEpisodes < 1) throw new ArgumentOutOfRangeException(nameof(EvaluationEpisodes), EvaluationEpisodes, "EvaluationEpisodes must be at least 1.");
        if (StopAtEvaluationReturn is not null && EvaluateEverySteps == 0)
            throw new ArgumentOutOfRangeException(nameof(StopAtEvaluationReturn), StopAtEvaluationReturn, "StopAtEvaluationReturn needs EvaluateEverySteps > 0.");
        if (HiddenSizes is null || HiddenSizes.Count == 0 || HiddenSizes.Any(h => h < 1))
            throw new ArgumentOutOfRangeException(nameof(HiddenSizes), HiddenSizes is null ? "null" : $"[{string.Join(", ", HiddenSizes)}]", "HiddenSizes needs at least one layer, each with at least 1 unit.");
    }
}
