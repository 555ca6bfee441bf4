using CourseLib.Environments;

namespace CourseLib.ActorCritic;

/// <summary>
/// A frozen plain-C# copy of an <see cref="ActorCriticNetwork"/>'s weights that computes π(·|s) and V(s) for one
/// observation in microseconds, without torch's per-call overhead. Acting (one observation at a time, thousands of
/// times per update) uses it; learning (one batched forward and backward pass per update) uses the torch network.
/// Take a new snapshot after every update. The forward pass is <see cref="ActorCriticWeights"/>'s, the one A3C's
/// workers act and learn with.
/// </summary>
public sealed class ActorCriticSnapshot
{
    readonly ActorCriticWeights _weights;

    internal ActorCriticSnapshot(ActorCriticWeights weights) => _weights = weights;

    /// <summary>Length of the observation vector.</summary>
    public int ObservationSize => _weights.ObservationSize;
    /// <summary>Number of discrete actions.</summary>
    public int ActionCount => _weights.ActionCount;

    /// <summary>Writes π(·|s) into <paramref name="probabilities"/> (ActionCount long) and returns V(s). Not thread-safe: one snapshot per thread.</summary>
    public double Evaluate(ReadOnlySpan<float> observation, Span<double> probabilities)
    {
        if (observation.Length != ObservationSize)
            throw new ArgumentException($"observation has {observation.Length} numbers; the network reads {ObservationSize}.", nameof(observation));
        if (probabilities.Length < ActionCount)
            throw new ArgumentException($"probabilities has room for {probabilities.Length} numbers; it needs {ActionCount}.", nameof(probabilities));
        return _weights.Evaluate(observation, probabilities);
    }

    /// <summary>
    /// The greedy action argmax_a π(a|s) (ties to the lowest action), the policy that evaluations play:
    /// <c>Evaluation.Run(new CartPole(), network.Snapshot().GreedyAction)</c>. Not thread-safe: one snapshot per thread.
    /// </summary>
    public int GreedyAction<TObservation>(TObservation observation) where TObservation : IObservationVector<TObservation>
    {
        if (TObservation.Length != ObservationSize)
            throw new ArgumentException($"The observation has {TObservation.Length} numbers; the network reads {ObservationSize}.", nameof(observation));
        return _weights.GreedyAction(observation);
    }
}
