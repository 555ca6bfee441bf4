using CourseLib.Training;

namespace CourseLib.PolicyGradient;

/// <summary>What REINFORCE subtracts from each step's weight to reduce the estimator's variance.</summary>
public enum Baseline
{
    /// <summary>Nothing: w_t = r_t(τ), the seminar's plain estimator.</summary>
    None,
    /// <summary>The batch's mean weight b (mean return, or mean reward-to-go): w_t = r_t(τ) − b.</summary>
    MeanReturn,
    /// <summary>
    /// A learned state value V_φ(s_t), fitted to the rewards-to-go by regression after each update:
    /// w_t = r_t(τ) − V_φ(s_t). The first step towards actor-critic.
    /// </summary>
    LearnedValue,
}

/// <summary>
/// REINFORCE's settings (<see cref="Reinforce.Train{TObservation}"/>). The defaults are the seminar's plain algorithm
/// (reward-to-go, no discount, no baseline, no normalisation, no entropy bonus) with the batch size and learning rate
/// that suit CartPole. Switch the options on one at a time to compare them.
/// </summary>
public sealed record ReinforceOptions
{
    // ToString writes lists as [a, b] (the generated one prints a collection expression's type name).
    bool PrintMembers(System.Text.StringBuilder builder) => CourseLib.Display.OptionsText.PrintMembers(this, builder);

    /// <summary>γ in r_t(τ) = Σ_{k≥t} γ^{k−t} r_k. Default 1 (undiscounted, as in the seminar). Range [0, 1].</summary>
    public double Discount { get; init; } = 1.0;

    /// <summary>
    /// True (default): weight each step by its reward-to-go r_t(τ). False: by the whole return R(τ), the original
    /// REINFORCE, which also credits an action with rewards that came before it (same mean, more variance).
    /// </summary>
    public bool RewardToGo { get; init; } = true;

    /// <summary>The baseline subtracted from the weights. Default <see cref="PolicyGradient.Baseline.None"/>.</summary>
    public Baseline Baseline { get; init; } = Baseline.None;

    /// <summary>Rescale the batch's weights to mean 0 and standard deviation 1 before the update. Default false.</summary>
    public bool NormalizeAdvantages { get; init; }

    /// <summary>β of the entropy bonus −β·H(π(·|s)) added to the loss. Default 0 (off). Range ≥ 0.</summary>
    public double EntropyCoefficient { get; init; }

    /// <summary>
    /// Each update's batch holds whole episodes and at least this many environment steps. Default 5000.
    /// Set it to 1 to size batches by <see cref="EpisodesPerUpdate"/> alone. Range ≥ 1.
    /// </summary>
    public int StepsPerUpdate { get; init; } = 5000;

    /// <summary>Each update's batch holds at least this many episodes. Default 1 (the batch is sized by steps). Range ≥ 1.</summary>
    public int EpisodesPerUpdate { get; init; } = 1;

    /// <summary>Adam's learning rate α for the policy. Default 1e-2. A finite number &gt; 0.</summary>
    public double LearningRate { get; init; } = 1e-2;

    /// <summary>Sizes of the policy network's hidden layers. Default one layer of 128 units.</summary>
    public IReadOnlyList<int> HiddenSizes { get; init; } = [128];

    /// <summary>The nonlinearity of the hidden layers. Default tanh.</summary>
    public MlpActivation Activation { get; init; } = MlpActivation.Tanh;

    /// <summary>Adam's learning rate for the value network (<see cref="Baseline.LearnedValue"/> only). Default 1e-2. A finite number &gt; 0.</summary>
    public double ValueLearningRate { get; init; } = 1e-2;

    /// <summary>Gradient steps of value regression after each update (<see cref="Baseline.LearnedValue"/> only). Default 20. Range ≥ 1.</summary>
    public int ValueStepsPerUpdate { get; init; } = 20;

    /// <summary>
    /// Environment steps in all (the last episode is cut if the budget ends inside it). Default 250,000. Range ≥ 1.
    /// </summary>
    public long TotalSteps { get; init; } = 250_000;

    /// <summary>
    /// Seeds the policy's initial weights (the value network's with Seed + 1), the action sampling and the
    /// environment's first reset. Same seed, same run (on the same CPU: libtorch's kernels differ between CPUs).
    /// Default 0.
    /// </summary>
    public int Seed { get; init; }

    /// <summary>
    /// When to evaluate the policy during training, on a separate environment, and whether to stop once it is good
    /// enough. The evaluation plays the <b>greedy</b> action argmax_a π(a|s) (not a sample). Default
    /// <see cref="EvaluationOptions.None"/>.
    /// </summary>
    public EvaluationOptions Evaluation { get; init; } = EvaluationOptions.None;

    /// <summary>Throws an exception naming the first setting outside its range.</summary>
    public void Validate()
    {
        Require.InRange(Discount, 0, 1, nameof(Discount));
        Require.NonNegative(EntropyCoefficient, nameof(EntropyCoefficient));
        Require.AtLeast(StepsPerUpdate, 1, nameof(StepsPerUpdate));
        Require.AtLeast(EpisodesPerUpdate, 1, nameof(EpisodesPerUpdate));
        Require.Positive(LearningRate, nameof(LearningRate));
        Require.LayerSizes(HiddenSizes, nameof(HiddenSizes));
        if (!Enum.IsDefined(Activation)) throw new ArgumentOutOfRangeException(nameof(Activation), Activation, "Activation must be Tanh or Relu.");
        if (!Enum.IsDefined(Baseline)) throw new ArgumentOutOfRangeException(nameof(Baseline), Baseline, "Baseline must be None, MeanReturn or LearnedValue.");
        Require.Positive(ValueLearningRate, nameof(ValueLearningRate));
        Require.AtLeast(ValueStepsPerUpdate, 1, nameof(ValueStepsPerUpdate));
        Require.AtLeast(TotalSteps, 1, nameof(TotalSteps));
        if (Evaluation is null) throw new ArgumentNullException(nameof(Evaluation), "Evaluation must be an EvaluationOptions (EvaluationOptions.None: no evaluations).");
        Evaluation.Validate();
    }
}
