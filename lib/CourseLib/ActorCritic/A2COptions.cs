using CourseLib.Training;

namespace CourseLib.ActorCritic;

/// <summary>
/// Settings of synchronous advantage actor-critic (<see cref="A2C"/>); the shared ones are in
/// <see cref="ActorCriticOptions"/>. With the defaults, the final greedy policy after the whole budget of 300k steps
/// (no early stop) scored a mean ≥ 475 over 20 CartPole-v1 episodes in 6 of seeds 0–7 and in 6 of seeds 8–15 on one machine,
/// and on 20 episodes and 20 fresh ones in 9 of seeds 0–11 on the course's 2-core machine (seeded runs differ between CPUs); the
/// earlier settings (n = 32, λ = 0.95, c_H = 0.01, clip 0.5) did so in 5 of seeds 0–7 (3 of 8 with 100k steps). A2C on
/// CartPole stays fickle: the other seeds end on a policy that fails after 115–470 steps.
/// Measure with: dotnet run -c Release --project tests/CourseLib.Benchmarks -- --a2c-seeds 300000 12 parallel=2 [first=12]
/// </summary>
public sealed record A2COptions : ActorCriticOptions
{
    /// <summary>Environment steps in all, summed over the parallel environments. Default 300 000.</summary>
    public override long TotalSteps { get; init; } = 300_000;

    /// <summary>How many environments are stepped together (N). Default 8.</summary>
    public int Environments { get; init; } = 8;

    /// <summary>
    /// Steps taken in each environment between updates (n); one update learns from N·n transitions. Default 16: twice
    /// as many updates as with 32 for the same budget.
    /// </summary>
    public override int StepsPerUpdate { get; init; } = 16;

    /// <summary>GAE's λ: 0 = one-step TD error, 1 = Monte-Carlo return minus V. Default 0.98 (with 0.95, 9 of seeds 0–15 ended at 475+ instead of 12).</summary>
    public override double Lambda { get; init; } = 0.98;

    /// <summary>Adam's step size for actor and critic. Default 1e-3.</summary>
    public override double LearningRate { get; init; } = 1e-3;

    /// <summary>c_H, the weight of the entropy bonus. Default 0.02 (with 0.01 or 0, more seeds ended on a near-deterministic policy that fails after 100–250 steps).</summary>
    public override double EntropyCoefficient { get; init; } = 0.02;

    /// <summary>The gradient's global L2 norm is clipped to this before each step. Default 1.</summary>
    public override double MaxGradientNorm { get; init; } = 1.0;

    /// <summary>Rescale each batch's advantages to mean 0, standard deviation 1 (a common variance reduction). Default true.</summary>
    public bool NormalizeAdvantages { get; init; } = true;

    /// <inheritdoc />
    public override void Validate()
    {
        base.Validate();
        Require.AtLeast(Environments, 1, nameof(Environments));
    }
}
