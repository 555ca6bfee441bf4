using CourseLib.Training;

namespace CourseLib.InverseRl;

/// <summary>
/// Settings of <see cref="MaxEntIrl.Train"/>. Maximum-entropy IRL is deterministic (exact backward and forward passes,
/// no sampling), so it has no seed, and its horizon is finite and undiscounted, so it has no discount.
/// </summary>
public sealed record MaxEntIrlOptions
{
    /// <summary>T, the horizon of the backward and forward passes; no demonstration may be longer. Default 40 (<see cref="LavaWorldOptions.MaxEpisodeSteps"/>).</summary>
    public int Horizon { get; init; } = 40;

    /// <summary>Gradient-ascent steps on the log-likelihood (0: only evaluate the initial θ). Default 200.</summary>
    public int Updates { get; init; } = 200;

    /// <summary>α in θ ← θ + α ∇_θ L, a finite number &gt; 0. Default 0.05.</summary>
    public double LearningRate { get; init; } = 0.05;

    /// <summary>λ ≥ 0 of an L2 penalty −(λ/2)‖θ‖² added to L (keeps one-hot rewards of unvisited states finite). Default 0.</summary>
    public double L2 { get; init; }

    /// <summary>θ at the start, one finite weight per feature; null: all zeros (every behaviour equally likely). Default null.</summary>
    public IReadOnlyList<double>? InitialTheta { get; init; }

    /// <summary>Throws an <see cref="ArgumentOutOfRangeException"/> naming the first setting out of range.</summary>
    public void Validate()
    {
        Require.AtLeast(Horizon, 1, nameof(Horizon));
        Require.AtLeast(Updates, 0, nameof(Updates));
        Require.Positive(LearningRate, nameof(LearningRate));
        Require.NonNegative(L2, nameof(L2));
    }
}
