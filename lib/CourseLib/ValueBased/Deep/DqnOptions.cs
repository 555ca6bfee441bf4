using CourseLib.Training;

namespace CourseLib.ValueBased.Deep;

/// <summary>The loss a DQN minimises on its TD errors δ.</summary>
public enum TdLoss
{
    /// <summary>L(δ) = ½δ² for |δ| ≤ 1, |δ| − ½ otherwise (see <see cref="HuberLoss"/>): gradient clip(δ, −1, 1).</summary>
    Huber,
    /// <summary>L(δ) = ½δ²: gradient δ, so large errors pull harder.</summary>
    Squared,
}

/// <summary>
/// DQN's settings (<see cref="DqnAgent"/>, <see cref="Dqn.Train{TObservation}"/>), with Rainbow's components as switches. The defaults are CleanRL's CartPole-v1 numbers
/// with the seminar's loss (Huber, gradients clipped to norm 10); <see cref="CleanRLCartPole"/> is CleanRL's
/// configuration exactly (squared loss, no clipping: the speed benchmark's configuration), and
/// <see cref="CartPoleTuned"/> a sample-efficient one.
/// </summary>
public sealed record DqnOptions
{
    // ToString writes lists as [a, b] (the generated one prints a collection expression's type name).
    bool PrintMembers(System.Text.StringBuilder builder) => CourseLib.Display.OptionsText.PrintMembers(this, builder);

    /// <summary>Widths of the hidden ReLU layers. Default [120, 84].</summary>
    public IReadOnlyList<int> HiddenLayers { get; init; } = [120, 84];
    /// <summary>Adam's step size η. Default 2.5·10⁻⁴.</summary>
    public double LearningRate { get; init; } = 2.5e-4;
    /// <summary>Adam's ε. Default 10⁻⁸ (torch's default; Rainbow used 1.5·10⁻⁴).</summary>
    public double AdamEpsilon { get; init; } = 1e-8;
    /// <summary>Discount γ. Default 0.99.</summary>
    public double Discount { get; init; } = 0.99;
    /// <summary>Capacity of the replay memory D. Default 10,000.</summary>
    public int BufferSize { get; init; } = 10_000;
    /// <summary>Minibatch size |B|. Default 128.</summary>
    public int BatchSize { get; init; } = 128;
    /// <summary>Environment steps before the first update (the memory fills with ε-greedy experience). Default 10,000.</summary>
    public int LearningStarts { get; init; } = 10_000;
    /// <summary>One gradient update every this many environment steps. Default 10.</summary>
    public int TrainFrequency { get; init; } = 10;
    /// <summary>Environment steps between target-network updates θ⁻ ← θ. Default 500.</summary>
    public int TargetUpdateInterval { get; init; } = 500;
    /// <summary>τ of the target update θ⁻ ← τθ + (1−τ)θ⁻ (1: a hard copy, as in DQN). Default 1.</summary>
    public double TargetUpdateRate { get; init; } = 1.0;
    /// <summary>ε at the start of training. Default 1.</summary>
    public double StartEpsilon { get; init; } = 1.0;
    /// <summary>ε after <see cref="ExplorationSteps"/>. Default 0.05.</summary>
    public double EndEpsilon { get; init; } = 0.05;
    /// <summary>Environment steps over which ε falls linearly. Default 250,000 (half of CleanRL's 500,000-step run).</summary>
    public long ExplorationSteps { get; init; } = 250_000;
    /// <summary>The loss on the TD error δ: the seminar's Huber loss, or ½δ² (CleanRL's choice, up to the factor 2). Default Huber.</summary>
    public TdLoss Loss { get; init; } = TdLoss.Huber;
    /// <summary>Gradients are rescaled so their global norm is at most this (∞: no clipping). Default 10.</summary>
    public double MaxGradientNorm { get; init; } = 10.0;

    /// <summary>Double Q-learning (van Hasselt et al. 2016): the online network picks a', the target network values it. Default off.</summary>
    public bool DoubleQ { get; init; }
    /// <summary>Dueling heads (Wang et al. 2016). Default off.</summary>
    public bool Dueling { get; init; }
    /// <summary>Prioritised replay (Schaul et al. 2016). Default off.</summary>
    public bool PrioritizedReplay { get; init; }
    /// <summary>α of prioritised replay. Default 0.6.</summary>
    public double PriorityExponent { get; init; } = 0.6;
    /// <summary>β of prioritised replay at the first update; it rises linearly to 1 over <see cref="ImportanceAnnealingSteps"/>. Default 0.4.</summary>
    public double ImportanceExponentStart { get; init; } = 0.4;
    /// <summary>Environment steps over which β reaches 1. Default 100,000.</summary>
    public long ImportanceAnnealingSteps { get; init; } = 100_000;
    /// <summary>n of n-step returns (1: ordinary one-step targets). Default 1.</summary>
    public int NSteps { get; init; } = 1;
    /// <summary>Distributional RL, C51 (Bellemare et al. 2017): the network predicts a categorical return distribution. Default off.</summary>
    public bool Distributional { get; init; }
    /// <summary>Support points of C51's distribution. Default 51.</summary>
    public int Atoms { get; init; } = 51;
    /// <summary>Smallest return on C51's support. Default 0 (CartPole's returns are non-negative).</summary>
    public double MinReturn { get; init; }
    /// <summary>Largest return on C51's support. Default 100 (CartPole's discounted return with γ = 0.99 is below 100).</summary>
    public double MaxReturn { get; init; } = 100;
    /// <summary>Noisy networks (Fortunato et al. 2018) for exploration; ε-greedy is then switched off. Default off.</summary>
    public bool NoisyNetworks { get; init; }
    /// <summary>σ₀ of the noisy layers. Default 0.5.</summary>
    public double NoiseScale { get; init; } = 0.5;

    /// <summary>
    /// Seeds the agent's networks, its exploration, its minibatches and the training environment's first reset. Same
    /// seed, same run (on the same CPU). Default 0.
    /// </summary>
    public int Seed { get; init; }

    /// <summary>
    /// When <see cref="Dqn.Train{TObservation}"/> evaluates the greedy policy argmax_a Q(s, a; θ), on a separate
    /// environment, and whether it stops once that is good enough. Evaluation is due when the agent's step count is a
    /// multiple of <see cref="EvaluationOptions.EverySteps"/>. Default <see cref="EvaluationOptions.None"/>.
    /// </summary>
    public EvaluationOptions Evaluation { get; init; } = EvaluationOptions.None;

    /// <summary>
    /// CleanRL's DQN settings for CartPole-v1: the defaults with CleanRL's squared loss and no gradient clipping.
    /// (With the Huber loss instead, these settings, an update every 10 steps at η = 2.5·10⁻⁴, diverge on CartPole:
    /// the clipped gradient gives the few badly overestimated transitions no more pull than the rest.)
    /// </summary>
    public static DqnOptions CleanRLCartPole { get; } = new() { Loss = TdLoss.Squared, MaxGradientNorm = double.PositiveInfinity };

    /// <summary>
    /// A sample-efficient configuration for CartPole-v1: small early exploration, an update every step,
    /// double Q-learning and 3-step returns. Solves CartPole in well under 50,000 steps for most seeds.
    /// </summary>
    public static DqnOptions CartPoleTuned { get; } = new()
    {
        HiddenLayers = [128, 128],
        LearningRate = 1e-3,
        BufferSize = 50_000,
        BatchSize = 64,
        LearningStarts = 1_000,
        TrainFrequency = 1,
        TargetUpdateInterval = 500,
        ExplorationSteps = 10_000,
        EndEpsilon = 0.02,
        DoubleQ = true,
        NSteps = 3,
    };

    /// <summary>Throws an exception naming the first setting outside its range.</summary>
    public void Validate()
    {
        Require.LayerSizes(HiddenLayers, nameof(HiddenLayers));
        Require.Positive(LearningRate, nameof(LearningRate));
        Require.Positive(AdamEpsilon, nameof(AdamEpsilon));
        Require.InRange(Discount, 0, 1, nameof(Discount));
        Require.AtLeast(BufferSize, 1, nameof(BufferSize));
        Require.AtLeast(BatchSize, 1, nameof(BatchSize));
        Require.AtLeast(LearningStarts, 0, nameof(LearningStarts));
        Require.AtLeast(TrainFrequency, 1, nameof(TrainFrequency));
        Require.AtLeast(TargetUpdateInterval, 1, nameof(TargetUpdateInterval));
        Require.InHalfOpenRange(TargetUpdateRate, 0, 1, nameof(TargetUpdateRate));
        Require.InRange(StartEpsilon, 0, 1, nameof(StartEpsilon));
        Require.InRange(EndEpsilon, 0, 1, nameof(EndEpsilon));
        Require.AtLeast(ExplorationSteps, 0, nameof(ExplorationSteps));
        if (!Enum.IsDefined(Loss)) throw new ArgumentOutOfRangeException(nameof(Loss), Loss, "Loss must be Huber or Squared.");
        Require.ClipNorm(MaxGradientNorm, nameof(MaxGradientNorm));
        Require.NonNegative(PriorityExponent, nameof(PriorityExponent));
        Require.InRange(ImportanceExponentStart, 0, 1, nameof(ImportanceExponentStart));
        Require.AtLeast(ImportanceAnnealingSteps, 0, nameof(ImportanceAnnealingSteps));
        Require.AtLeast(NSteps, 1, nameof(NSteps));
        if (Distributional)
        {
            Require.AtLeast(Atoms, 2, nameof(Atoms), "a distributional network");
            Require.Finite(MinReturn, nameof(MinReturn));
            Require.Finite(MaxReturn, nameof(MaxReturn));
            if (!(MaxReturn > MinReturn)) throw new ArgumentOutOfRangeException(nameof(MaxReturn), MaxReturn, $"MaxReturn must exceed MinReturn ({MinReturn}).");
        }
        Require.Positive(NoiseScale, nameof(NoiseScale));
        if (Evaluation is null) throw new ArgumentNullException(nameof(Evaluation), "Evaluation must be an EvaluationOptions (EvaluationOptions.None: no evaluations).");
        Evaluation.Validate();
    }

    /// <summary>Field-by-field equality (HiddenLayers compared by content).</summary>
    public bool Equals(DqnOptions? other) =>
        other is not null && ToString() == other.ToString();

    /// <inheritdoc />
    public override int GetHashCode() => ToString().GetHashCode();

    /// <inheritdoc />
    public override string ToString() => System.Text.Json.JsonSerializer.Serialize(this, JsonOptions);

    /// <summary>Reads options written by <see cref="ToString"/>.</summary>
    public static DqnOptions FromJson(string json) =>
        System.Text.Json.JsonSerializer.Deserialize<DqnOptions>(json, JsonOptions)
        ?? throw new ArgumentException("json holds no options.", nameof(json));

    static readonly System.Text.Json.JsonSerializerOptions JsonOptions = new()
    {
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };
}
