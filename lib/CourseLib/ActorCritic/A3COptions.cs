namespace CourseLib.ActorCritic;

/// <summary>Hyperparameters of asynchronous advantage actor-critic (<see cref="A3C"/>).</summary>
public sealed record A3COptions
{
    /// <summary>Environment steps in all, summed over the workers. Default 200 000.</summary>
    public long TotalSteps { get; init; } = 200_000;

    /// <summary>Worker threads, each with its own environment and its own copy of the network. Default 2.</summary>
    public int Workers { get; init; } = 2;

    /// <summary>t_max: a worker's steps between two updates (fewer when its episode ends first). Default 20.</summary>
    public int StepsPerUpdate { get; init; } = 20;

    /// <summary>The discount factor γ. Default 0.99.</summary>
    public double Gamma { get; init; } = 0.99;

    /// <summary>GAE's λ over a worker's segment. Default 1: the paper's n-step returns R_t = r_t + γ R_{t+1}, bootstrapped from V(s_{t_max}).</summary>
    public double Lambda { get; init; } = 1.0;

    /// <summary>
    /// The shared Adam's step size. Default 3e-4: each update learns from only t_max steps, and with 1e-3 the policy
    /// often reached 500 and then collapsed to ~150 on CartPole.
    /// </summary>
    public double LearningRate { get; init; } = 3e-4;

    /// <summary>Decay the step size linearly to 0 over the run. Default true.</summary>
    public bool AnnealLearningRate { get; init; } = true;

    /// <summary>c_V, the weight of the critic's squared error in the loss. Default 0.5.</summary>
    public double ValueLossCoefficient { get; init; } = 0.5;

    /// <summary>c_H, the weight of the entropy bonus. Default 0.01.</summary>
    public double EntropyCoefficient { get; init; } = 0.01;

    /// <summary>Each worker's gradient is clipped to this global L2 norm before it is applied. Default 0.5.</summary>
    public double MaxGradientNorm { get; init; } = 0.5;

    /// <summary>Hidden layer sizes of the actor and of the critic. Default [64, 64].</summary>
    public IReadOnlyList<int> HiddenSizes { get; init; } = [64, 64];

    /// <summary>Actor and critic share their hidden layers. Default false.</summary>
    public bool SharedTrunk { get; init; }

    /// <summary>
    /// Evaluate the greedy policy every this many shared steps (0: never) on <see cref="EvaluationEpisodes"/> fresh
    /// episodes (seeds 10 000, 10 001, ...); the worker that crosses the mark copies the shared network and evaluates the
    /// copy while the others go on. Results go to <see cref="TrainingHistory.Evaluations"/>. Default 0.
    /// </summary>
    public long EvaluateEverySteps { get; init; }

    /// <summary>Episodes per evaluation. Default 20.</summary>
    public int EvaluationEpisodes { get; init; } = 20;

    /// <summary>
    /// Stop all workers as soon as an evaluation's mean return reaches this, and return the network that was evaluated
    /// (null: train for <see cref="TotalSteps"/>); needs <see cref="EvaluateEverySteps"/> &gt; 0. Default null.
    /// </summary>
    public double? StopAtEvaluationReturn { get; init; }

    /// <summary>Seed of the shared network's weights; worker w samples actions and resets its environment from Seed·1000 + w. Default 0.</summary>
    public int Seed { get; init; }

    /// <summary>Throws a clear exception naming the first hyperparameter that is out of range.</summary>
    public void Validate()
    {
        if (TotalSteps < 1) throw new ArgumentOutOfRangeException(nameof(TotalSteps), TotalSteps, "TotalSteps must be at least 1.");
        if (Workers < 1 || Workers > 64) throw new ArgumentOutOfRangeException(nameof(Workers), Workers, "Workers must be in [1, 64].");
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
