using CourseLib.Training;

namespace CourseLib.ActorCritic;

/// <summary>
/// Settings of asynchronous advantage actor-critic (<see cref="A3C"/>); the shared ones are in
/// <see cref="ActorCriticOptions"/>. With evaluations, the worker that crosses the mark copies the shared weights and
/// evaluates the copy while the others go on.
/// </summary>
public sealed record A3COptions : ActorCriticOptions
{
    /// <summary>Environment steps in all, summed over the workers. Default 200 000.</summary>
    public override long TotalSteps { get; init; } = 200_000;

    /// <summary>Worker threads, each with its own environment and its own copy of the network. Default 2.</summary>
    public int Workers { get; init; } = 2;

    /// <summary>t_max: a worker's steps between two updates (fewer when its episode ends first). Default 20.</summary>
    public override int StepsPerUpdate { get; init; } = 20;

    /// <summary>GAE's λ over a worker's segment. Default 1: the paper's n-step returns R_t = r_t + γ R_{t+1}, bootstrapped from V(s_{t_max}).</summary>
    public override double Lambda { get; init; } = 1.0;

    /// <summary>
    /// The shared Adam's step size. Default 3e-4: each update learns from only t_max steps, and with 1e-3 the policy
    /// often reached 500 and then collapsed to ~150 on CartPole.
    /// </summary>
    public override double LearningRate { get; init; } = 3e-4;

    /// <summary>c_H, the weight of the entropy bonus. Default 0.01.</summary>
    public override double EntropyCoefficient { get; init; } = 0.01;

    /// <summary>Each worker's gradient is clipped to this global L2 norm before it is applied. Default 0.5.</summary>
    public override double MaxGradientNorm { get; init; } = 0.5;

    /// <summary>
    /// How each worker computes its gradient: <see cref="A3CGradient.Handwritten"/> (default: plain C#, the fast path) or
    /// <see cref="A3CGradient.Autograd"/> (TorchSharp's autograd, the readable one). Both give the same update (tested).
    /// Measured on the 2-core course machine (<c>--a3c-gradient 100000 3</c>, 2 workers): handwritten 20,300 steps per
    /// CPU-second, autograd 7,000 (libtorch's per-operator cost dominates on this small network), with similar learning
    /// (final greedy returns 275/460/500 against 261/241/491 on seeds 0–2). With both cores busy, CPU time is the budget.
    /// One worker gradient alone (<see cref="WorkerGradients.Compare"/>, printed first by the same benchmark; the machine
    /// shared, load ≈ 25): handwritten 1,082 µs, autograd 3,459 µs (3.2×) on a 14-state segment, the two gradients equal
    /// to 7e-8 of their largest component; whole 30k-step runs then gave 15,227 and 9,214 steps per CPU-second.
    /// </summary>
    public A3CGradient Gradient { get; init; } = A3CGradient.Handwritten;

    /// <inheritdoc />
    public override void Validate()
    {
        base.Validate();
        Require.InRange(Workers, 1, 64, nameof(Workers));
        if (!Enum.IsDefined(Gradient)) throw new ArgumentOutOfRangeException(nameof(Gradient), Gradient, "Gradient must be Handwritten or Autograd.");
    }
}
