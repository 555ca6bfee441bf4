using CourseLib.Training;

namespace CourseLib.InverseRl;

/// <summary>Settings of <see cref="Gail.Train"/>.</summary>
public sealed record GailOptions
{
    /// <summary>γ in [0, 1) of the occupancy measures and of the policy step. Default 0.95.</summary>
    public double Discount { get; init; } = 0.95;

    /// <summary>Rounds (play episodes, update the discriminator, one policy step), at least 0. Default 150.</summary>
    public int Rounds { get; init; } = 150;

    /// <summary>Episodes the current policy plays each round to give the discriminator its "policy" pairs, at least 1. Default 16.</summary>
    public int EpisodesPerRound { get; init; } = 16;

    /// <summary>Gradient steps on the discriminator's loss per round, at least 1. Default 10.</summary>
    public int DiscriminatorSteps { get; init; } = 10;

    /// <summary>Step size of the discriminator's gradient descent on its logits, a finite number &gt; 0. Default 0.3.</summary>
    public double DiscriminatorLearningRate { get; init; } = 0.3;

    /// <summary>λ_D ≥ 0 of the discriminator's L2 penalty (keeps its logits finite on pairs seen by one side only). Default 0.01.</summary>
    public double DiscriminatorWeightDecay { get; init; } = 0.01;

    /// <summary>η &gt; 0, the size of the policy's mirror-descent step (η × <see cref="EntropyCoefficient"/> = 1 is a full soft policy-iteration step). Default 0.5.</summary>
    public double PolicyStepSize { get; init; } = 0.5;

    /// <summary>λ_H ≥ 0, the weight of the policy's causal entropy bonus, with <see cref="PolicyStepSize"/> × λ_H ≤ 1. Default 0.1.</summary>
    public double EntropyCoefficient { get; init; } = 0.1;

    /// <summary>
    /// Which reward the policy gets from D. Default log D: always ≤ 0, so it never pays to prolong an episode, which suits
    /// tasks that end in success (reach the goal). The paper's −log(1 − D) is always ≥ 0 and pays the policy to avoid
    /// ending episodes: right for tasks that end in failure (falling over), wrong for <see cref="LavaWorld"/>.
    /// </summary>
    public GailRewardForm RewardForm { get; init; } = GailRewardForm.LogD;

    /// <summary>Seeds the episodes the policy plays (the environment's resets and the sampled actions). Default 0.</summary>
    public int Seed { get; init; }

    /// <summary>
    /// Evaluations of the greedy policy (argmax_a π(a|s)) during training, on a separate copy of the environment, every
    /// <see cref="EvaluationOptions.EverySteps"/> environment steps (checked after each round). Default: none.
    /// </summary>
    public EvaluationOptions Evaluation { get; init; } = EvaluationOptions.None;

    /// <summary>Throws an <see cref="ArgumentOutOfRangeException"/> naming the first setting out of range.</summary>
    public void Validate()
    {
        if (!(Discount >= 0 && Discount < 1)) throw new ArgumentOutOfRangeException(nameof(Discount), Discount, "Discount must be in [0, 1).");
        Require.AtLeast(Rounds, 0, nameof(Rounds));
        Require.AtLeast(EpisodesPerRound, 1, nameof(EpisodesPerRound));
        Require.AtLeast(DiscriminatorSteps, 1, nameof(DiscriminatorSteps));
        Require.Positive(DiscriminatorLearningRate, nameof(DiscriminatorLearningRate));
        Require.NonNegative(DiscriminatorWeightDecay, nameof(DiscriminatorWeightDecay));
        Require.Positive(PolicyStepSize, nameof(PolicyStepSize));
        Require.NonNegative(EntropyCoefficient, nameof(EntropyCoefficient));
        if (PolicyStepSize * EntropyCoefficient > 1)
            throw new ArgumentOutOfRangeException(nameof(EntropyCoefficient), EntropyCoefficient,
                $"EntropyCoefficient (λ_H) must satisfy PolicyStepSize × EntropyCoefficient ≤ 1 (PolicyStepSize = {PolicyStepSize}).");
        if (!Enum.IsDefined(RewardForm)) throw new ArgumentOutOfRangeException(nameof(RewardForm), RewardForm, "RewardForm must be NegativeLogOneMinusD, LogD or Logit.");
        ArgumentNullException.ThrowIfNull(Evaluation, nameof(Evaluation));
        Evaluation.Validate();
    }
}
