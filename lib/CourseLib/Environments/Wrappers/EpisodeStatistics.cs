namespace CourseLib.Environments;

/// <summary>The return and length of one finished episode.</summary>
/// <param name="Return">r(τ), the sum of the episode's rewards.</param>
/// <param name="Length">The number of steps.</param>
/// <param name="Terminated">True when it ended in a terminal state, false when it was truncated.</param>
public readonly record struct EpisodeSummary(double Return, int Length, bool Terminated);

/// <summary>
/// Records the return and length of every episode (Gymnasium's <c>RecordEpisodeStatistics</c>). When an
/// episode ends, its <see cref="EpisodeSummary"/> is appended to <see cref="Episodes"/> and put in the step's
/// Info under the key "episode".
/// </summary>
public sealed class EpisodeStatistics<TObservation, TAction> : IEnvironment<TObservation, TAction>
{
    /// <summary>The Info key under which the finished episode's summary appears.</summary>
    public const string InfoKey = "episode";

    readonly IEnvironment<TObservation, TAction> _inner;
    readonly List<EpisodeSummary> _episodes = [];
    double _return;
    int _length;

    /// <summary>Wraps <paramref name="environment"/>.</summary>
    public EpisodeStatistics(IEnvironment<TObservation, TAction> environment) =>
        _inner = environment ?? throw new ArgumentNullException(nameof(environment));

    /// <summary>Every finished episode so far, oldest first.</summary>
    public IReadOnlyList<EpisodeSummary> Episodes => _episodes;

    /// <summary>The return so far of the episode in progress.</summary>
    public double CurrentReturn => _return;

    /// <summary>The length so far of the episode in progress.</summary>
    public int CurrentLength => _length;

    /// <summary>The wrapped environment.</summary>
    public IEnvironment<TObservation, TAction> Inner => _inner;

    /// <inheritdoc />
    public Space<TObservation> ObservationSpace => _inner.ObservationSpace;

    /// <inheritdoc />
    public Space<TAction> ActionSpace => _inner.ActionSpace;

    /// <inheritdoc />
    public ResetResult<TObservation> Reset(int? seed = null)
    {
        _return = 0;
        _length = 0;
        return _inner.Reset(seed);
    }

    /// <inheritdoc />
    public StepResult<TObservation> Step(TAction action)
    {
        var result = _inner.Step(action);
        _return += result.Reward;
        _length++;
        if (!result.Done) return result;
        var summary = new EpisodeSummary(_return, _length, result.Terminated);
        _episodes.Add(summary);
        var info = result.Info is null ? new Dictionary<string, object>() : new Dictionary<string, object>(result.Info);
        info[InfoKey] = summary;
        return result with { Info = info };
    }
}
