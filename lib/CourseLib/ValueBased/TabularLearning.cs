using System.Collections.Concurrent;
using System.Diagnostics;
using CourseLib.Environments;
using CourseLib.Exercises;
using CourseLib.Training;

namespace CourseLib.ValueBased;

/// <summary>Settings of tabular Q-learning and SARSA (<see cref="QLearning.Train"/>, <see cref="Sarsa.Train"/>).</summary>
public sealed record TabularOptions
{
    /// <summary>Seeds the first reset and the exploration's generator: the same seed gives the same run. Default 0.</summary>
    public int Seed { get; init; }

    /// <summary>The budget: training episodes (≥ 0). Default 500.</summary>
    public int Episodes { get; init; } = 500;

    /// <summary>γ in [0, 1]. Default 1 (undiscounted episodic tasks).</summary>
    public double Discount { get; init; } = 1.0;

    /// <summary>The step size α in (0, 1]. Default 0.5 (Sutton and Barto's CliffWalking example).</summary>
    public double LearningRate { get; init; } = 0.5;

    /// <summary>Q(s, a) for every non-terminal state before learning (terminal states start, and stay, at 0); finite. Default 0.</summary>
    public double InitialValue { get; init; }

    /// <summary>
    /// Evaluations of the greedy policy (ties to the lowest action) during training, after the episode in which every
    /// <see cref="EvaluationOptions.EverySteps"/>-th step falls. Default: none.
    /// </summary>
    public EvaluationOptions Evaluation { get; init; } = EvaluationOptions.None;

    /// <summary>Throws an <see cref="ArgumentOutOfRangeException"/> naming the first setting out of range.</summary>
    public void Validate()
    {
        Require.AtLeast(Episodes, 0, nameof(Episodes));
        Require.InRange(Discount, 0, 1, nameof(Discount));
        Require.InHalfOpenRange(LearningRate, 0, 1, nameof(LearningRate));
        Require.Finite(InitialValue, nameof(InitialValue));
        if (Evaluation is null) throw new ArgumentNullException(nameof(Evaluation), "Evaluation must be set (EvaluationOptions.None: no evaluations).");
        Evaluation.Validate();
    }
}

/// <summary>
/// What Q-learning and SARSA share: the loop over episodes (seeding, records, evaluations, progress), the initial Q,
/// and how a student's function takes the place of a piece of the algorithm.
/// </summary>
internal static class TabularLearning
{
    /// <summary>Runs one episode on the table, resetting the environment with <paramref name="seed"/>; returns its return and length.</summary>
    internal delegate (double Return, int Length) EpisodeRunner(QTable q, int? seed);

    /// <summary>
    /// Runs <see cref="TabularOptions.Episodes"/> episodes of the runner that <paramref name="makeRunner"/> makes from the
    /// run's generator (which it shares with the first reset): the first reset is seeded from the generator, later ones
    /// continue the environment's own.
    /// </summary>
    public static TrainingResult<QTable, EpisodeRecord> Train(string algorithm, IEnvironment<int, int> environment,
        ExplorationStrategy? exploration, TabularOptions? options, IEnvironment<int, int>? evaluationEnvironment,
        Func<Rng, EpisodeRunner> makeRunner, CancellationToken cancellationToken)
    {
        options ??= new TabularOptions();
        options.Validate();
        var (states, actions) = Sizes(environment);
        var evaluator = options.Evaluation.Enabled ? EvaluationEnvironment(environment, evaluationEnvironment) : null;
        var q = InitialQ(environment, states, actions, options.InitialValue);
        var rng = new Rng(options.Seed);
        var runEpisode = makeRunner(rng);
        exploration?.Begin(states, actions);
        var episodes = new List<EpisodeRecord>(options.Episodes);
        var evaluations = new List<EvaluationRecord>();
        long steps = 0, every = Math.Max(1, options.Evaluation.EverySteps);
        long? solvedAt = null;
        var clock = Stopwatch.StartNew();
        using var progress = options.Episodes >= 5_000 ? TrainingProgress.Start($"{algorithm} on {environment.GetType().Name}", options.Episodes, "episodes") : null;

        for (int episode = 0; episode < options.Episodes; episode++)
        {
            if ((episode & 255) == 0) cancellationToken.ThrowIfCancellationRequested();
            var (episodeReturn, length) = runEpisode(q, episode == 0 ? rng.NextInt(int.MaxValue) : null);
            long before = steps;
            steps += length;
            episodes.Add(new EpisodeRecord(steps, episodeReturn, length));
            exploration?.EndEpisode();
            progress?.Report(episode + 1, ("return", episodeReturn));
            if (evaluator is not null && steps / every > before / every)
            {
                var policy = q.GreedyPolicy();
                var evaluation = Evaluation.Run(evaluator, s => policy[s], options.Evaluation, steps);
                evaluations.Add(evaluation);
                if (options.Evaluation.Reached(evaluation)) { solvedAt = steps; break; }
            }
        }
        return new TrainingResult<QTable, EpisodeRecord>
        {
            Agent = q, History = episodes, Episodes = episodes, Evaluations = evaluations,
            Steps = steps, Elapsed = clock.Elapsed, SolvedAtStep = solvedAt,
        };
    }

    /// <summary>
    /// Episodes run by a whole-episode function (a student's <c>QLearningEpisode</c>) that resets the environment itself:
    /// it sees the environment through a view whose first reset is the run's seeded one and which counts its steps.
    /// </summary>
    public static EpisodeRunner EpisodesOf(IEnvironment<int, int> environment, Func<IEnvironment<int, int>, double[,], double> episode)
    {
        SeededOnce? view = null;
        return (q, seed) =>
        {
            if (view is null || seed is not null) view = new SeededOnce(environment, seed);
            long before = view.Steps;
            double episodeReturn = episode(view, q.Values);
            return (episodeReturn, checked((int)(view.Steps - before)));
        };
    }

    /// <summary>
    /// "A policy derived from Q": the exploration strategy's choice, or, with <paramref name="epsilonGreedyChoice"/>, the
    /// student's ε-greedy choice at the strategy's current ε (the library's <see cref="EpsilonGreedy.Choose"/> while it is
    /// the stub). Either way the strategy is told which action was taken in which state.
    /// </summary>
    public static Func<QTable, int, int> Chooser(ExplorationStrategy exploration, Func<double[], double, Rng, int>? epsilonGreedyChoice, Rng rng)
    {
        if (epsilonGreedyChoice is null)
            return (q, s) =>
            {
                int a = exploration.ChooseAction(q, s, rng);
                exploration.Observe(s, a);
                return a;
            };
        if (exploration is not IEpsilonGreedy epsilonGreedy)
            throw new ArgumentException($"epsilonGreedyChoice takes the place of ε-greedy's choice (EpsilonGreedy or DecayingEpsilonGreedy exploration); this run explores with {exploration.Name}.", nameof(epsilonGreedyChoice));
        var choose = StudentOrReference(epsilonGreedyChoice, EpsilonGreedy.Choose, "EpsilonGreedyChoice");
        double[]? row = null;
        return (q, s) =>
        {
            if (row?.Length != q.ActionCount) row = new double[q.ActionCount];
            q.Row(s).CopyTo(row);                                          // a copy of Q(s, ·): the student's function may write to it
            int a = choose(row, epsilonGreedy.Epsilon, rng);
            if ((uint)a >= (uint)q.ActionCount)
                throw new InvalidOperationException($"EpsilonGreedyChoice returned action {a}; the actions are 0..{q.ActionCount - 1}.");
            exploration.Observe(s, a);
            return a;
        };
    }

    // One wrapper per student function (a method group makes a new but equal delegate at every call), so that the note
    // "Training with your ..." appears once, not once per training run of a multi-seed cell.
    static readonly ConcurrentDictionary<(Delegate Student, Delegate Reference), Delegate> Wrapped = new();

    /// <summary><see cref="Solution"/>.OrReference, made once per student function.</summary>
    public static Func<T1, T2, T3, TResult> StudentOrReference<T1, T2, T3, TResult>(Func<T1, T2, T3, TResult> student, Func<T1, T2, T3, TResult> reference, string name) =>
        (Func<T1, T2, T3, TResult>)Wrapped.GetOrAdd((student, reference), _ => Solution.OrReference(student, reference, Solution.NameOf(student, name)));

    /// <summary><see cref="Solution"/>.OrReference, made once per student function.</summary>
    public static Action<T1, T2, T3, T4, T5, T6, T7, T8> StudentOrReference<T1, T2, T3, T4, T5, T6, T7, T8>(Action<T1, T2, T3, T4, T5, T6, T7, T8> student,
        Action<T1, T2, T3, T4, T5, T6, T7, T8> reference, string name) =>
        (Action<T1, T2, T3, T4, T5, T6, T7, T8>)Wrapped.GetOrAdd((student, reference), _ => Solution.OrReference(student, reference, Solution.NameOf(student, name)));

    /// <summary><see cref="Solution"/>.OrReference, made once per student function.</summary>
    public static Func<T1, T2, T3, T4, T5, T6, TResult> StudentOrReference<T1, T2, T3, T4, T5, T6, TResult>(Func<T1, T2, T3, T4, T5, T6, TResult> student,
        Func<T1, T2, T3, T4, T5, T6, TResult> reference, string name) =>
        (Func<T1, T2, T3, T4, T5, T6, TResult>)Wrapped.GetOrAdd((student, reference), _ => Solution.OrReference(student, reference, Solution.NameOf(student, name)));

    public static (int States, int Actions) Sizes(IEnvironment<int, int> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        if (environment.ObservationSpace is not Discrete states)
            throw new ArgumentException($"A tabular learner needs Discrete observations; this environment's are {environment.ObservationSpace}.", nameof(environment));
        if (environment.ActionSpace is not Discrete actions)
            throw new ArgumentException($"A tabular learner needs Discrete actions; this environment's are {environment.ActionSpace}.", nameof(environment));
        return (states.N, actions.N);
    }

    /// <summary>Q initialised to the initial value, with terminal states at 0 when the environment shows its MDP.</summary>
    public static QTable InitialQ(IEnvironment<int, int> environment, int states, int actions, double initialValue)
    {
        var q = new QTable(states, actions, initialValue);
        if (environment is TabularEnvironment tabular)
            for (int s = 0; s < states; s++)
                if (tabular.Mdp.IsTerminal(s)) q.Row(s).Clear();
        return q;
    }

    /// <summary>The greedy step cap of an evaluation copy of an environment without a time limit (a greedy policy can loop).</summary>
    public const int EvaluationStepCap = 1_000;

    /// <summary>
    /// Where evaluations run: the given environment, else a copy of a <see cref="TabularEnvironment"/> (the same MDP, its
    /// time limit or <see cref="EvaluationStepCap"/> steps), so that training's own episodes and generator are untouched.
    /// </summary>
    static IEnvironment<int, int> EvaluationEnvironment(IEnvironment<int, int> training, IEnvironment<int, int>? given)
    {
        if (given is not null)
        {
            if (ReferenceEquals(given, training))
                throw new ArgumentException("evaluationEnvironment must be another instance than the training environment (evaluations would reset training's episodes).", nameof(given));
            return given;
        }
        return training is TabularEnvironment tabular
            ? new TabularEnvironment(tabular.Mdp, tabular.MaxEpisodeSteps ?? EvaluationStepCap)
            : throw new ArgumentException("Evaluations during training need an evaluationEnvironment of their own (with a time limit) for an environment that is not a TabularEnvironment.", "evaluationEnvironment");
    }
}

/// <summary>
/// An environment whose first <c>Reset</c> uses a given seed, whatever the caller passes (a student's episode calls
/// <c>environment.Reset()</c>, and the run is still the seeded one), and which counts the steps taken.
/// </summary>
internal sealed class SeededOnce(IEnvironment<int, int> inner, int? firstSeed) : IEnvironment<int, int>
{
    bool _seeded;

    /// <summary>Steps taken through this view.</summary>
    public long Steps { get; private set; }

    public Space<int> ObservationSpace => inner.ObservationSpace;
    public Space<int> ActionSpace => inner.ActionSpace;

    public ResetResult<int> Reset(int? seed = null)
    {
        if (_seeded) return inner.Reset(seed);
        _seeded = true;
        return inner.Reset(firstSeed ?? seed);
    }

    public StepResult<int> Step(int action)
    {
        var step = inner.Step(action);
        Steps++;
        return step;
    }
}
