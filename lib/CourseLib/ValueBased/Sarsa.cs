using CourseLib.Environments;
using CourseLib.Training;

namespace CourseLib.ValueBased;

/// <summary>
/// SARSA (Rummery and Niranjan 1994), on-policy TD control: the target uses the action A' the behaviour policy
/// actually takes next,
/// <code>
/// for each episode:
///     S ← initial state; choose A from S using the policy derived from Q
///     repeat:
///         take A, observe R, S'; choose A' from S' using the policy derived from Q
///         Q(S, A) ← Q(S, A) + α [R + γ Q(S', A') − Q(S, A)]
///         S ← S'; A ← A'
///     until S is terminal
/// </code>
/// so Q learns the values of the exploring policy itself: on CliffWalking it keeps away from the edge, where an
/// exploratory step would be costly, while Q-learning learns the (greedy-optimal) path along it. The target is
/// <see cref="TdTarget.Sarsa"/>.
/// </summary>
public static class Sarsa
{
    /// <summary>
    /// One SARSA step on the table <paramref name="q"/> (indexed [state, action]), in place:
    /// Q(s, a) ← Q(s, a) + α [y − Q(s, a)] with y = r + γ Q(s', a'), or y = r when s' is terminal (a' is then ignored).
    /// </summary>
    public static void Update(double[,] q, int state, int action, double reward, int nextState, int nextAction, bool terminated, double alpha, double gamma)
    {
        ArgumentNullException.ThrowIfNull(q);
        if (!(alpha >= 0 && alpha <= 1)) throw new ArgumentOutOfRangeException(nameof(alpha), alpha, "alpha (the step size α) must be in [0, 1].");
        if ((uint)state >= (uint)q.GetLength(0)) throw new ArgumentOutOfRangeException(nameof(state), state, $"state must be in 0..{q.GetLength(0) - 1}.");
        if ((uint)action >= (uint)q.GetLength(1)) throw new ArgumentOutOfRangeException(nameof(action), action, $"action must be in 0..{q.GetLength(1) - 1}.");
        double next = 0;
        if (!terminated)
        {
            if ((uint)nextState >= (uint)q.GetLength(0)) throw new ArgumentOutOfRangeException(nameof(nextState), nextState, $"nextState must be in 0..{q.GetLength(0) - 1}.");
            if ((uint)nextAction >= (uint)q.GetLength(1)) throw new ArgumentOutOfRangeException(nameof(nextAction), nextAction, $"nextAction must be in 0..{q.GetLength(1) - 1}.");
            next = q[nextState, nextAction];
        }
        double target = TdTarget.Sarsa(reward, gamma, next, terminated);           // y = R + γ Q(S', A')
        q[state, action] += alpha * (target - q[state, action]);                   // Q(S,A) ← Q(S,A) + α [y − Q(S,A)]
    }

    /// <summary>
    /// Trains SARSA for <see cref="TabularOptions.Episodes"/> episodes (seeding as in <see cref="QLearning.Train"/>).
    /// <paramref name="epsilonGreedyChoice"/> is notebook 05's <c>EpsilonGreedyChoice(qValues, epsilon, rng)</c> in place of
    /// <see cref="EpsilonGreedy.Choose"/> (with <see cref="EpsilonGreedy"/> or <see cref="DecayingEpsilonGreedy"/> exploration).
    /// </summary>
    public static TrainingResult<QTable, EpisodeRecord> Train(IEnvironment<int, int> environment, ExplorationStrategy exploration,
        TabularOptions? options = null, Func<double[], double, Rng, int>? epsilonGreedyChoice = null,
        IEnvironment<int, int>? evaluationEnvironment = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(exploration);
        var o = options ?? new TabularOptions();
        double alpha = o.LearningRate, gamma = o.Discount;
        return TabularLearning.Train("SARSA", environment, exploration, options, evaluationEnvironment, rng =>
        {
            var choose = TabularLearning.Chooser(exploration, epsilonGreedyChoice, rng);
            return (q, seed) => RunEpisode(environment, q, choose, alpha, gamma, seed);
        }, cancellationToken);
    }

    static (double Return, int Length) RunEpisode(IEnvironment<int, int> environment, QTable q, Func<QTable, int, int> choose,
        double alpha, double gamma, int? seed)
    {
        int s = environment.Reset(seed).Observation;                               // S ← initial state
        int a = choose(q, s);                                                      // choose A from S
        double episodeReturn = 0;
        int length = 0;
        while (true)
        {
            var step = environment.Step(a);                                        // take A, observe R, S'
            int next = step.Observation;
            int nextAction = step.Terminated ? 0 : choose(q, next);                // choose A' from S' (nothing follows a terminal S')
            Update(q.Values, s, a, step.Reward, next, nextAction, step.Terminated, alpha, gamma); // Q(S,A) ← Q(S,A) + α [R + γ Q(S',A') − Q(S,A)]
            episodeReturn += step.Reward;
            length++;
            if (step.Terminated || step.Truncated) return (episodeReturn, length);
            s = next;                                                              // S ← S'; A ← A'
            a = nextAction;
        }
    }
}
