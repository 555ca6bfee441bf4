namespace CourseLib.ValueBased;

/// <summary>
/// How a tabular learner picks its action from Q ("a policy derived from Q"). Strategies are swappable pieces:
/// the learner calls <see cref="Begin"/> once per run, <see cref="ChooseAction"/> at every step,
/// <see cref="Observe"/> with the action it chose and <see cref="EndEpisode"/> after each episode. Strategies that count
/// (a bonus, a decaying ε) keep that state between calls, so use one instance per run at a time.
/// </summary>
public abstract class ExplorationStrategy
{
    /// <summary>A short name for legends, e.g. "ε-greedy (ε = 0.1)".</summary>
    public abstract string Name { get; }

    /// <summary>Prepares for a new run on S states and A actions (clears counts, restarts schedules).</summary>
    public virtual void Begin(int stateCount, int actionCount) { }

    /// <summary>The action to take in <paramref name="state"/>.</summary>
    public abstract int ChooseAction(QTable q, int state, Rng rng);

    /// <summary>Told after each choice which action was taken where.</summary>
    public virtual void Observe(int state, int action) { }

    /// <summary>Told after each episode.</summary>
    public virtual void EndEpisode() { }

    /// <inheritdoc />
    public override string ToString() => Name;
}

/// <summary>A strategy that chooses ε-greedily, with the ε of the current episode (a student's ε-greedy choice can take its place).</summary>
internal interface IEpsilonGreedy
{
    /// <summary>ε now.</summary>
    double Epsilon { get; }
}

/// <summary>
/// ε-greedy: with probability ε a uniformly random action, otherwise a greedy one (ties broken at random).
/// π(a|s) = ε/|A| + (1 − ε)·[a ∈ argmax Q(s, ·)]/|argmax Q(s, ·)|.
/// </summary>
public sealed class EpsilonGreedy : ExplorationStrategy, IEpsilonGreedy
{
    /// <summary>Fixed ε in [0, 1].</summary>
    public EpsilonGreedy(double epsilon)
    {
        CheckEpsilon(epsilon);
        Epsilon = epsilon;
    }

    /// <summary>ε.</summary>
    public double Epsilon { get; }

    /// <inheritdoc />
    public override string Name => $"ε-greedy (ε = {Epsilon:0.###})";

    /// <inheritdoc />
    public override int ChooseAction(QTable q, int state, Rng rng) => ChooseChecked(q.Row(state), Epsilon, rng);

    /// <summary>
    /// The reference ε-greedy choice (notebook 05's <c>EpsilonGreedyChoice</c>): draw u = rng.NextDouble(); if u &lt; ε
    /// return a uniformly random action (rng.NextInt(|A|)), else the greedy action, drawing rng.NextInt(k) among the k
    /// tied best actions (in index order) only when there is a tie (see <see cref="Greedy.Action"/>).
    /// </summary>
    public static int Choose(double[] qValues, double epsilon, Rng rng)
    {
        ArgumentNullException.ThrowIfNull(qValues);
        CheckEpsilon(epsilon);
        if (qValues.Length == 0) throw new ArgumentException("qValues must hold at least one action value.", nameof(qValues));
        ArgumentNullException.ThrowIfNull(rng);
        return ChooseChecked(qValues, epsilon, rng);
    }

    /// <summary><see cref="Choose"/> without the argument checks (the caller has made them).</summary>
    internal static int ChooseChecked(ReadOnlySpan<double> qValues, double epsilon, Rng rng) =>
        rng.NextDouble() < epsilon ? rng.NextInt(qValues.Length) : Greedy.Action(qValues, rng);

    /// <summary>The ε-greedy policy's probabilities π(·|s) for the given Q(s, ·).</summary>
    public static double[] Probabilities(ReadOnlySpan<double> qValues, double epsilon)
    {
        CheckEpsilon(epsilon);
        if (qValues.IsEmpty) throw new ArgumentException("qValues must hold at least one action value.", nameof(qValues));
        double max = double.NegativeInfinity;
        foreach (double q in qValues) max = Math.Max(max, q);
        int ties = 0;
        foreach (double q in qValues) if (q == max) ties++;
        var probabilities = new double[qValues.Length];
        for (int a = 0; a < qValues.Length; a++)
            probabilities[a] = epsilon / qValues.Length + (qValues[a] == max ? (1 - epsilon) / ties : 0);
        return probabilities;
    }

    internal static void CheckEpsilon(double epsilon)
    {
        if (!(epsilon >= 0 && epsilon <= 1)) throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, "epsilon must be in [0, 1].");
    }
}

/// <summary>ε-greedy whose ε falls linearly from a start value to an end value over a number of episodes.</summary>
public sealed class DecayingEpsilonGreedy : ExplorationStrategy, IEpsilonGreedy
{
    int _episode;

    /// <summary>ε from <paramref name="start"/> to <paramref name="end"/> over <paramref name="decayEpisodes"/> episodes.</summary>
    public DecayingEpsilonGreedy(double start = 1.0, double end = 0.01, int decayEpisodes = 200)
    {
        EpsilonGreedy.CheckEpsilon(start);
        EpsilonGreedy.CheckEpsilon(end);
        if (decayEpisodes < 0) throw new ArgumentOutOfRangeException(nameof(decayEpisodes), decayEpisodes, "decayEpisodes must be ≥ 0.");
        Schedule = new LinearSchedule(start, end, decayEpisodes);
    }

    /// <summary>ε as a function of the episode number.</summary>
    public LinearSchedule Schedule { get; }
    /// <summary>ε in the current episode.</summary>
    public double Epsilon => Schedule.At(_episode);

    /// <inheritdoc />
    public override string Name => $"decaying ε-greedy ({Schedule.Start:0.##} → {Schedule.End:0.##} over {Schedule.Duration} episodes)";
    /// <inheritdoc />
    public override void Begin(int stateCount, int actionCount) => _episode = 0;
    /// <inheritdoc />
    public override int ChooseAction(QTable q, int state, Rng rng) => EpsilonGreedy.ChooseChecked(q.Row(state), Epsilon, rng);
    /// <inheritdoc />
    public override void EndEpisode() => _episode++;
}

/// <summary>
/// Boltzmann (softmax) exploration: π(a|s) = exp(Q(s, a)/τ) / Σ_b exp(Q(s, b)/τ). High temperature τ: nearly
/// uniform; low: nearly greedy. Unlike ε-greedy, bad actions are tried less often than nearly-best ones.
/// </summary>
public sealed class Boltzmann : ExplorationStrategy
{
    double[] _probabilities = [];

    /// <summary>Softmax exploration with temperature <paramref name="temperature"/> &gt; 0.</summary>
    public Boltzmann(double temperature)
    {
        if (!(temperature > 0) || double.IsPositiveInfinity(temperature))
            throw new ArgumentOutOfRangeException(nameof(temperature), temperature, "temperature must be a positive finite number.");
        Temperature = temperature;
    }

    /// <summary>τ.</summary>
    public double Temperature { get; }
    /// <inheritdoc />
    public override string Name => $"Boltzmann (τ = {Temperature:0.###})";
    /// <inheritdoc />
    public override void Begin(int stateCount, int actionCount) => _probabilities = new double[actionCount];

    /// <inheritdoc />
    public override int ChooseAction(QTable q, int state, Rng rng)
    {
        if (_probabilities.Length != q.ActionCount) _probabilities = new double[q.ActionCount];
        Probabilities(q.Row(state), Temperature, _probabilities);
        return rng.Categorical(_probabilities);
    }

    /// <summary>Writes softmax(Q(s, ·)/τ) to <paramref name="probabilities"/> (computed stably, subtracting the maximum).</summary>
    public static void Probabilities(ReadOnlySpan<double> qValues, double temperature, Span<double> probabilities)
    {
        Networks.Softmax.Write(qValues, probabilities, temperature);
    }
}

/// <summary>
/// Count-based exploration with an upper-confidence bonus (UCB1, Auer et al. 2002, applied per state):
/// a = argmax_a Q(s, a) + c·√(ln N(s) / N(s, a)), where N counts visits; an action never tried in s is tried first.
/// Optimism in the face of uncertainty: rarely tried actions look better than their estimate.
/// </summary>
public sealed class UpperConfidenceBound : ExplorationStrategy
{
    int[] _stateCounts = [], _counts = [];
    int _actions;

    /// <summary>UCB exploration with bonus scale <paramref name="bonusScale"/> ≥ 0 (in units of return).</summary>
    public UpperConfidenceBound(double bonusScale)
    {
        if (!(bonusScale >= 0) || double.IsPositiveInfinity(bonusScale))
            throw new ArgumentOutOfRangeException(nameof(bonusScale), bonusScale, "bonusScale must be a finite number ≥ 0.");
        BonusScale = bonusScale;
    }

    /// <summary>c.</summary>
    public double BonusScale { get; }
    /// <inheritdoc />
    public override string Name => $"UCB count bonus (c = {BonusScale:0.###})";

    /// <summary>N(s, a) so far in this run.</summary>
    public int Count(int state, int action) => _counts[state * _actions + action];

    /// <inheritdoc />
    public override void Begin(int stateCount, int actionCount)
    {
        _actions = actionCount;
        _stateCounts = new int[stateCount];
        _counts = new int[stateCount * actionCount];
    }

    /// <inheritdoc />
    public override int ChooseAction(QTable q, int state, Rng rng)
    {
        if (_counts.Length != q.StateCount * q.ActionCount) Begin(q.StateCount, q.ActionCount);
        var row = q.Row(state);
        Span<double> scores = stackalloc double[row.Length];
        double logN = Math.Log(Math.Max(1, _stateCounts[state]));
        for (int a = 0; a < row.Length; a++)
        {
            int n = _counts[state * _actions + a];
            scores[a] = n == 0 ? double.PositiveInfinity : row[a] + BonusScale * Math.Sqrt(logN / n);
        }
        return Greedy.Action(scores, rng);
    }

    /// <inheritdoc />
    public override void Observe(int state, int action)
    {
        _stateCounts[state]++;
        _counts[state * _actions + action]++;
    }
}
