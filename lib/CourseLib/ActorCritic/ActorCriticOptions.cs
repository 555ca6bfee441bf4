namespace CourseLib.ActorCritic;

/// <summary>
/// The hyperparameters that synchronous (<see cref="A2COptions"/>) and asynchronous (<see cref="A3COptions"/>)
/// advantage actor-critic share. The ones whose good values differ between the two are abstract here, and each
/// algorithm's record documents its own default.
/// </summary>
public abstract record ActorCriticOptions
{
    /// <summary>Environment steps in all, summed over the parallel environments or workers.</summary>
    public abstract long TotalSteps { get; init; }

    /// <summary>Steps taken in each environment between updates (n, or the paper's t_max).</summary>
    public abstract int StepsPerUpdate { get; init; }

    /// <summary>The discount factor γ. Default 0.99.</summary>
    public double Gamma { get; init; } = 0.99;

    /// <summary>GAE's λ: 0 = one-step TD error, 1 = n-step return minus V.</summary>
    public abstract double Lambda { get; init; }

    /// <summary>Adam's step size for actor and critic.</summary>
    public abstract double LearningRate { get; init; }

    /// <summary>Decay the step size linearly from <see cref="LearningRate"/> to 0 over the run (steadies the final policy). Default true.</summary>
    public bool AnnealLearningRate { get; init; } = true;

    /// <summary>c_V, the weight of the critic's squared error in the loss. Default 0.5.</summary>
    public double ValueLossCoefficient { get; init; } = 0.5;

    /// <summary>c_H, the weight of the entropy bonus.</summary>
    public abstract double EntropyCoefficient { get; init; }

    /// <summary>The gradient's global L2 norm is clipped to this before each step.</summary>
    public abstract double MaxGradientNorm { get; init; }

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
    /// Stop training as soon as an evaluation's mean return reaches this, and return the network that was evaluated
    /// (null: train for <see cref="TotalSteps"/>), like SB3's StopTrainingOnRewardThreshold; needs
    /// <see cref="EvaluateEverySteps"/> &gt; 0. Default null.
    /// </summary>
    public double? StopAtEvaluationReturn { get; init; }

    /// <summary>Seed of the network's weights, the action sampling and the environments (environment or worker i resets from Seed·1000 + i). Default 0.</summary>
    public int Seed { get; init; }

    /// <summary>Throws a clear exception naming the first hyperparameter that is out of range.</summary>
    public virtual void Validate()
    {
        if (TotalSteps < 1) throw new ArgumentOutOfRangeException(nameof(TotalSteps), TotalSteps, "TotalSteps must be at least 1.");
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
