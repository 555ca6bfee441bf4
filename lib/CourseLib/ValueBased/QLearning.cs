using CourseLib.Environments;
using CourseLib.Training;

namespace CourseLib.ValueBased;

/// <summary>
/// Q-learning (Watkins 1989), off-policy TD control, as in the seminar's algorithm box:
/// <code>
/// initialise Q(s, a) for all s, a (Q(terminal, ·) = 0)
/// for each episode:
///     S ← initial state
///     repeat:
///         choose A from S using a policy derived from Q (e.g. ε-greedy)
///         take A, observe R, S'
///         Q(S, A) ← Q(S, A) + α [R + γ max_a Q(S', a) − Q(S, A)]
///         S ← S'
///     until S is terminal
/// </code>
/// The target uses the greedy action in S' whatever the behaviour policy does next, so Q learns the values of the
/// greedy policy. A truncated episode (time limit) ends without reaching a terminal state, so it still bootstraps.
/// <see cref="Update"/> is the box's update line (notebook 05's <c>QLearningUpdate</c>), <see cref="Episode"/> its inner
/// loop (the "write the loop" exercise, <c>QLearningEpisode</c>), and <see cref="Train"/> the outer one; the target is
/// <see cref="TdTarget.QLearning"/>.
/// </summary>
public static class QLearning
{
    /// <summary>
    /// One Q-learning step on the table <paramref name="q"/> (indexed [state, action]), in place:
    /// Q(s, a) ← Q(s, a) + α [y − Q(s, a)] with y = r + γ max_a' Q(s', a'), or y = r when s' is terminal. No other entry changes.
    /// </summary>
    public static void Update(double[,] q, int state, int action, double reward, int nextState, bool terminated, double alpha, double gamma)
    {
        ArgumentNullException.ThrowIfNull(q);
        if (!(alpha >= 0 && alpha <= 1)) throw new ArgumentOutOfRangeException(nameof(alpha), alpha, "alpha (the step size α) must be in [0, 1].");
        if ((uint)state >= (uint)q.GetLength(0)) throw new ArgumentOutOfRangeException(nameof(state), state, $"state must be in 0..{q.GetLength(0) - 1}.");
        if ((uint)action >= (uint)q.GetLength(1)) throw new ArgumentOutOfRangeException(nameof(action), action, $"action must be in 0..{q.GetLength(1) - 1}.");
        if ((uint)nextState >= (uint)q.GetLength(0)) throw new ArgumentOutOfRangeException(nameof(nextState), nextState, $"nextState must be in 0..{q.GetLength(0) - 1}.");
        double target = TdTarget.QLearning(reward, gamma, QTable.Row(q, nextState), terminated);  // y = R + γ max_a Q(S', a)
        q[state, action] += alpha * (target - q[state, action]);                                  // Q(S,A) ← Q(S,A) + α [y − Q(S,A)]
    }

    /// <summary>
    /// One episode of Q-learning with ε-greedy exploration, the box's inner loop: resets <paramref name="environment"/>
    /// (without a seed: seed it before for a reproducible episode), then chooses A ε-greedily in Q(S, ·)
    /// (<see cref="EpsilonGreedy.Choose"/> on <paramref name="rng"/>), steps, and applies <see cref="Update"/>, until the
    /// episode terminates or is truncated. Changes <paramref name="q"/> in place; returns the episode's undiscounted return.
    /// </summary>
    public static double Episode(IEnvironment<int, int> environment, double[,] q, double epsilon, double alpha, double gamma, Rng rng)
    {
        ArgumentNullException.ThrowIfNull(q);
        ArgumentNullException.ThrowIfNull(rng);
        EpsilonGreedy.CheckEpsilon(epsilon);
        var (states, actions) = TabularLearning.Sizes(environment);
        if (q.GetLength(0) != states || q.GetLength(1) != actions)
            throw new ArgumentException($"q must be [{states}, {actions}] (states, actions) for this environment, not [{q.GetLength(0)}, {q.GetLength(1)}].", nameof(q));
        return RunEpisode(environment, new QTable(q), (table, s) => EpsilonGreedy.ChooseChecked(table.Row(s), epsilon, rng), Update, alpha, gamma, seed: null).Return;
    }

    /// <summary>
    /// Trains Q-learning for <see cref="TabularOptions.Episodes"/> episodes. The first reset is seeded from
    /// <see cref="TabularOptions.Seed"/>; exploration draws from a generator seeded from it too, so the same options give
    /// the same run. A notebook passes its exercises' functions, which then drive training (the library's reference,
    /// with a one-line note, while a function is still the stub); a correct function gives exactly the reference's run.
    /// </summary>
    /// <param name="environment">A tabular environment (Discrete observations and actions).</param>
    /// <param name="exploration">The policy derived from Q (one instance per run at a time).</param>
    /// <param name="options">Seed, episodes, α, γ, initial values, evaluations.</param>
    /// <param name="qLearningUpdate">The exercise's <c>QLearningUpdate(q, state, action, reward, nextState, terminated, alpha, gamma)</c>
    ///   in place of <see cref="Update"/>.</param>
    /// <param name="epsilonGreedyChoice">The exercise's <c>EpsilonGreedyChoice(qValues, epsilon, rng)</c> in place of
    ///   <see cref="EpsilonGreedy.Choose"/> (needs <see cref="EpsilonGreedy"/> or <see cref="DecayingEpsilonGreedy"/> exploration).</param>
    /// <param name="qLearningEpisode">The exercise's whole episode, <c>QLearningEpisode(environment, q, epsilon, alpha, gamma, rng)</c>,
    ///   in place of <see cref="Episode"/> (needs ε-greedy exploration; not together with the two pieces above).</param>
    /// <param name="evaluationEnvironment">Where evaluations run (default: a copy of a <see cref="TabularEnvironment"/>).</param>
    /// <param name="cancellationToken">Stops training between episodes.</param>
    public static TrainingResult<QTable, EpisodeRecord> Train(IEnvironment<int, int> environment, ExplorationStrategy exploration,
        TabularOptions? options = null,
        Action<double[,], int, int, double, int, bool, double, double>? qLearningUpdate = null,
        Func<double[], double, Rng, int>? epsilonGreedyChoice = null,
        Func<IEnvironment<int, int>, double[,], double, double, double, Rng, double>? qLearningEpisode = null,
        IEnvironment<int, int>? evaluationEnvironment = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(exploration);
        var o = options ?? new TabularOptions();
        double alpha = o.LearningRate, gamma = o.Discount;
        if (qLearningEpisode is not null)
        {
            if (qLearningUpdate is not null || epsilonGreedyChoice is not null)
                throw new ArgumentException("Pass either the whole episode (qLearningEpisode) or its pieces (qLearningUpdate, epsilonGreedyChoice), not both.", nameof(qLearningEpisode));
            if (exploration is not IEpsilonGreedy epsilonGreedy)
                throw new ArgumentException($"qLearningEpisode explores ε-greedily (EpsilonGreedy or DecayingEpsilonGreedy exploration); this run explores with {exploration.Name}.", nameof(qLearningEpisode));
            var episode = TabularLearning.StudentOrReference(qLearningEpisode, Episode, "QLearningEpisode");
            return TabularLearning.Train("Q-learning", environment, exploration, options, evaluationEnvironment,
                rng => TabularLearning.EpisodesOf(environment, (env, q) => episode(env, q, epsilonGreedy.Epsilon, alpha, gamma, rng)), cancellationToken);
        }
        var update = qLearningUpdate is null ? Update : TabularLearning.StudentOrReference(qLearningUpdate, Update, "QLearningUpdate");
        return TabularLearning.Train("Q-learning", environment, exploration, options, evaluationEnvironment, rng =>
        {
            var choose = TabularLearning.Chooser(exploration, epsilonGreedyChoice, rng);
            return (q, seed) => RunEpisode(environment, q, choose, update, alpha, gamma, seed);
        }, cancellationToken);
    }

    /// <summary>The box's inner loop, with the choice and the update as pieces.</summary>
    static (double Return, int Length) RunEpisode(IEnvironment<int, int> environment, QTable q, Func<QTable, int, int> choose,
        Action<double[,], int, int, double, int, bool, double, double> update, double alpha, double gamma, int? seed)
    {
        int s = environment.Reset(seed).Observation;                                   // S ← initial state
        double episodeReturn = 0;
        int length = 0;
        while (true)
        {
            int a = choose(q, s);                                                      // choose A from S, derived from Q
            var step = environment.Step(a);                                            // take A, observe R, S'
            update(q.Values, s, a, step.Reward, step.Observation, step.Terminated, alpha, gamma); // Q(S,A) ← Q(S,A) + α [R + γ max_a Q(S',a) − Q(S,A)]
            episodeReturn += step.Reward;
            length++;
            if (step.Terminated || step.Truncated) return (episodeReturn, length);     // until S is terminal (or the time limit)
            s = step.Observation;                                                      // S ← S'
        }
    }
}
