using CourseLib.Training;

namespace CourseLib.ActorCritic;

/// <summary>
/// The settings that synchronous (<see cref="A2COptions"/>) and asynchronous (<see cref="A3COptions"/>)
/// advantage actor-critic share. The ones whose good values differ between the two are abstract here, and each
/// algorithm's record documents its own default.
/// </summary>
public abstract record ActorCriticOptions
{
    /// <summary>Environment steps in all, summed over the parallel environments or workers (at least 1).</summary>
    public abstract long TotalSteps { get; init; }

    /// <summary>Steps taken in each environment between updates (n, or the paper's t_max; at least 1).</summary>
    public abstract int StepsPerUpdate { get; init; }

    /// <summary>The discount factor γ, in [0, 1]. Default 0.99.</summary>
    public double Discount { get; init; } = 0.99;

    /// <summary>GAE's λ, in [0, 1]: 0 = one-step TD error, 1 = n-step return minus V.</summary>
    public abstract double Lambda { get; init; }

    /// <summary>Adam's step size for actor and critic (a finite number &gt; 0).</summary>
    public abstract double LearningRate { get; init; }

    /// <summary>Decay the step size linearly from <see cref="LearningRate"/> to 0 over the run (steadies the final policy). Default true.</summary>
    public bool AnnealLearningRate { get; init; } = true;

    /// <summary>c_V ≥ 0, the weight of the critic's squared error in the loss. Default 0.5.</summary>
    public double ValueLossCoefficient { get; init; } = 0.5;

    /// <summary>c_H ≥ 0, the weight of the entropy bonus.</summary>
    public abstract double EntropyCoefficient { get; init; }

    /// <summary>The gradient's global L2 norm is clipped to this before each step (&gt; 0; +∞: no clipping).</summary>
    public abstract double MaxGradientNorm { get; init; }

    /// <summary>Hidden layer sizes of the actor and of the critic (at least one layer of at least 1 unit). Default [64, 64].</summary>
    public IReadOnlyList<int> HiddenSizes { get; init; } = [64, 64];

    /// <summary>Actor and critic share their hidden layers. Default false (two separate networks).</summary>
    public bool SharedTrunk { get; init; }

    /// <summary>
    /// When to evaluate the greedy policy during training (with <see cref="Training.Evaluation.Run{TObservation}(Environments.IEnvironment{TObservation, int}, Func{TObservation, int}, EvaluationOptions, long)"/>
    /// on a separate environment) and whether to stop once it is good enough. Default <see cref="EvaluationOptions.None"/>.
    /// </summary>
    public EvaluationOptions Evaluation { get; init; } = EvaluationOptions.None;

    /// <summary>Seed of the network's weights, the action sampling and the environments (environment or worker i resets from Seed·1000 + i). Default 0.</summary>
    public int Seed { get; init; }

    /// <summary>Throws an <see cref="ArgumentOutOfRangeException"/> naming the first setting that is out of range, and the valid range.</summary>
    public virtual void Validate()
    {
        Require.AtLeast(TotalSteps, 1, nameof(TotalSteps));
        Require.AtLeast(StepsPerUpdate, 1, nameof(StepsPerUpdate));
        Require.InRange(Discount, 0, 1, nameof(Discount));
        Require.InRange(Lambda, 0, 1, nameof(Lambda));
        Require.Positive(LearningRate, nameof(LearningRate));
        Require.NonNegative(ValueLossCoefficient, nameof(ValueLossCoefficient));
        Require.NonNegative(EntropyCoefficient, nameof(EntropyCoefficient));
        Require.ClipNorm(MaxGradientNorm, nameof(MaxGradientNorm));
        Require.LayerSizes(HiddenSizes, nameof(HiddenSizes));
        if (Evaluation is null) throw new ArgumentNullException(nameof(Evaluation), "Evaluation must be an EvaluationOptions (EvaluationOptions.None: no evaluations).");
        Evaluation.Validate();
    }
}
