using CourseLib.Environments;

namespace CourseLib.PolicyGradient;

/// <summary>
/// The rollouts of one REINFORCE update: whole episodes τ_i = (s_0, a_0, r_0, s_1, …) stored step after step,
/// observations as one flat float array (row k = the observation at step k).
/// </summary>
public sealed class EpisodeBatch
{
    readonly List<float> _observations = new();
    readonly List<int> _actions = new();
    readonly List<double> _rewards = new();
    readonly List<int> _episodeStarts = new();
    bool _lastEpisodeCut;

    /// <summary>An empty batch for observations of <paramref name="observationLength"/> floats.</summary>
    public EpisodeBatch(int observationLength) => ObservationLength = observationLength;

    /// <summary>Floats per observation.</summary>
    public int ObservationLength { get; }
    /// <summary>Steps stored.</summary>
    public int StepCount => _actions.Count;
    /// <summary>Episodes stored (the last one may still be running while collecting).</summary>
    public int EpisodeCount => _episodeStarts.Count;
    /// <summary>s_k for every step, flattened.</summary>
    public IReadOnlyList<float> Observations => _observations;
    /// <summary>a_k for every step.</summary>
    public IReadOnlyList<int> Actions => _actions;
    /// <summary>r_k for every step.</summary>
    public IReadOnlyList<double> Rewards => _rewards;

    /// <summary>True when episode <paramref name="episode"/> ended (terminated or truncated), false when the step budget cut it.</summary>
    public bool Finished(int episode) => episode + 1 < _episodeStarts.Count || !_lastEpisodeCut;

    /// <summary>The steps [start, end) of episode <paramref name="episode"/>.</summary>
    public (int Start, int End) EpisodeRange(int episode) =>
        (_episodeStarts[episode], episode + 1 < _episodeStarts.Count ? _episodeStarts[episode + 1] : _actions.Count);

    /// <summary>Each episode's undiscounted return Σ_t r_t.</summary>
    public double[] EpisodeReturns()
    {
        var returns = new double[EpisodeCount];
        for (int i = 0; i < returns.Length; i++)
        {
            var (start, end) = EpisodeRange(i);
            for (int k = start; k < end; k++) returns[i] += _rewards[k];
        }
        return returns;
    }

    /// <summary>Marks the start of a new episode.</summary>
    public void BeginEpisode() => _episodeStarts.Add(_actions.Count);

    /// <summary>Appends one step (s, a, r) to the current episode.</summary>
    public void Add(ReadOnlySpan<float> observation, int action, double reward)
    {
        if (_episodeStarts.Count == 0) throw new InvalidOperationException("Call BeginEpisode before adding steps.");
        if (observation.Length != ObservationLength)
            throw new ArgumentException($"observation has {observation.Length} floats; this batch stores {ObservationLength}.", nameof(observation));
        foreach (var x in observation) _observations.Add(x);
        _actions.Add(action);
        _rewards.Add(reward);
    }

    /// <summary>
    /// The weight of every step, episode by episode: the reward-to-go r_t(τ) that <paramref name="rewardToGo"/> computes
    /// from the episode's rewards, or (<paramref name="wholeReturn"/>) the episode's whole return R(τ) = r_0(τ) at every
    /// step. The reference is <c>rewards => Returns.DiscountedReturns(rewards, γ)</c>; a student's function goes here too.
    /// </summary>
    /// <exception cref="InvalidOperationException"><paramref name="rewardToGo"/> returned an array of another length than the episode.</exception>
    public double[] Weights(Func<double[], double[]> rewardToGo, bool wholeReturn = false)
    {
        ArgumentNullException.ThrowIfNull(rewardToGo);
        var weights = new double[StepCount];
        for (int i = 0; i < EpisodeCount; i++)
        {
            var (start, end) = EpisodeRange(i);
            var toGo = rewardToGo(_rewards.GetRange(start, end - start).ToArray());
            if (toGo is null || toGo.Length != end - start)
                throw new InvalidOperationException(
                    $"RewardToGo returned {(toGo is null ? "null" : $"{toGo.Length} values")} for an episode of {end - start} steps: it must return one value per step.");
            if (wholeReturn) Array.Fill(weights, toGo.Length > 0 ? toGo[0] : 0, start, end - start);
            else toGo.CopyTo(weights, start);
        }
        return weights;
    }

    /// <summary>
    /// Runs <paramref name="policy"/> in <paramref name="environment"/> until the batch holds at least
    /// <paramref name="minimumSteps"/> steps and <paramref name="minimumEpisodes"/> whole episodes. An episode is cut
    /// (treated as ended) only when the batch reaches <paramref name="maximumSteps"/>, the overall step budget.
    /// Every episode starts with <c>Reset()</c> without a seed: seed the environment once beforehand.
    /// </summary>
    public static EpisodeBatch Collect<TObservation>(IEnvironment<TObservation, int> environment, CategoricalPolicy policy, Rng rng,
        int minimumSteps, int minimumEpisodes, long maximumSteps)
        where TObservation : IObservationVector<TObservation> =>
        Collect(environment, ObservationWriters.Vector<TObservation>(), policy, rng, minimumSteps, minimumEpisodes, maximumSteps);

    /// <summary>The same for environments whose observations are float arrays (frames).</summary>
    public static EpisodeBatch Collect(IEnvironment<float[], int> environment, CategoricalPolicy policy, Rng rng,
        int minimumSteps, int minimumEpisodes, long maximumSteps) =>
        Collect(environment, ObservationWriters.Array(policy.ObservationLength), policy, rng, minimumSteps, minimumEpisodes, maximumSteps);

    internal static EpisodeBatch Collect<TObservation>(IEnvironment<TObservation, int> environment, ObservationWriter<TObservation> write,
        CategoricalPolicy policy, Rng rng, int minimumSteps, int minimumEpisodes, long maximumSteps)
    {
        var batch = new EpisodeBatch(policy.ObservationLength);
        var x = new float[policy.ObservationLength];
        while ((batch.StepCount < minimumSteps || batch.EpisodeCount < minimumEpisodes) && batch.StepCount < maximumSteps)
        {
            var observation = environment.Reset().Observation;
            batch.BeginEpisode();
            while (true)
            {
                write(observation, x);
                int action = policy.Sample(x, rng);
                var step = environment.Step(action);
                batch.Add(x, action, step.Reward);
                observation = step.Observation;
                if (step.Done) break;
                if (batch.StepCount >= maximumSteps) { batch._lastEpisodeCut = true; break; }
            }
        }
        return batch;
    }
}
