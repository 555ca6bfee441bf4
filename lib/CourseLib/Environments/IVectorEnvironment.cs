namespace CourseLib.Environments;

/// <summary>
/// N copies of an environment stepped as one (Gymnasium's vector environments), with automatic reset:
/// when copy i's episode ends, <see cref="FinalObservations"/>[i] holds its last observation and
/// <see cref="Observations"/>[i] already holds the first observation of its next episode (the "same-step" mode).
/// The arrays are the environment's own buffers, overwritten by the next Step: copy what you keep.
/// </summary>
public interface IVectorEnvironment<TObservation, TAction>
{
    /// <summary>N, the number of copies.</summary>
    int Count { get; }

    /// <summary>The observation space of one copy.</summary>
    Space<TObservation> SingleObservationSpace { get; }

    /// <summary>The action space of one copy.</summary>
    Space<TAction> SingleActionSpace { get; }

    /// <summary>The current observation of each copy.</summary>
    TObservation[] Observations { get; }

    /// <summary>The reward each copy received in the last Step.</summary>
    double[] Rewards { get; }

    /// <summary>Whether each copy's episode reached a terminal state in the last Step.</summary>
    bool[] Terminated { get; }

    /// <summary>Whether each copy's episode was cut off in the last Step.</summary>
    bool[] Truncated { get; }

    /// <summary>For copies whose episode ended in the last Step: its final observation (for bootstrapping after truncation).</summary>
    TObservation[] FinalObservations { get; }

    /// <summary>Resets every copy; copy i gets the seed <paramref name="seed"/> + i (or continues its generator when null).</summary>
    void Reset(int? seed = null);

    /// <summary>Steps every copy with its action (one per copy) and resets the copies whose episode ended.</summary>
    void Step(ReadOnlySpan<TAction> actions);
}
