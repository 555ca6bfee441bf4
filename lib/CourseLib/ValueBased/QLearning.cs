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
/// </summary>
public static class QLearning
{
    /// <summary>The Q-learning target R + γ max_a Q(S', a) (just R when S' is terminal). Same as <see cref="TdTarget.QLearning"/>.</summary>
    public static double Target(double reward, double discount, ReadOnlySpan<double> nextQValues, bool terminated) =>
        TdTarget.QLearning(reward, discount, nextQValues, terminated);

    /// <summary>The updated estimate Q + α (target − Q).</summary>
    public static double Update(double qValue, double target, double learningRate)
    {
        if (!(learningRate > 0 && learningRate <= 1)) throw new ArgumentOutOfRangeException(nameof(learningRate), learningRate, "learningRate α must be in (0, 1].");
        return qValue + learningRate * (target - qValue);
    }

    /// <summary>
    /// Runs Q-learning for <paramref name="episodes"/> episodes. The first reset is seeded from <paramref name="seed"/>;
    /// exploration draws from its own generator seeded from it too, so the same seed gives the same run.
    /// </summary>
    public static TabularRun Train(IEnvironment<int, int> environment, int episodes, ExplorationStrategy exploration,
        TabularHyperparameters? hyperparameters = null, int seed = 0, CancellationToken cancellationToken = default)
    {
        var hp = hyperparameters ?? new TabularHyperparameters();
        hp.Validate();
        TabularSetup.Check(episodes, exploration);
        var (states, actions) = TabularSetup.Sizes(environment);
        var q = TabularSetup.InitialQ(environment, states, actions, hp.InitialValue);
        var rng = new Rng(seed);
        var returns = new double[episodes];
        var lengths = new int[episodes];
        double alpha = hp.LearningRate, gamma = hp.Discount;
        long steps = 0;
        exploration.Begin(states, actions);
        using var progress = episodes >= 5_000 ? TrainingProgress.Start($"Q-learning on {environment.GetType().Name}", episodes, "episodes") : null;

        for (int episode = 0; episode < episodes; episode++)
        {
            if ((episode & 255) == 0) cancellationToken.ThrowIfCancellationRequested();
            int s = environment.Reset(episode == 0 ? rng.NextInt(int.MaxValue) : null).Observation;
            double episodeReturn = 0;
            int length = 0;
            while (true)
            {
                int a = exploration.ChooseAction(q, s, rng);                       // A from S, derived from Q
                var step = environment.Step(a);                                    // R, S'
                exploration.Observe(s, a);
                int next = step.Observation;
                double target = step.Terminated
                    ? step.Reward                                                  // Q(terminal, ·) = 0
                    : step.Reward + gamma * q.Max(next);                           // R + γ max_a Q(S', a)
                ref double qsa = ref q.Row(s)[a];
                qsa += alpha * (target - qsa);                                     // Q(S,A) ← Q(S,A) + α[target − Q(S,A)]
                episodeReturn += step.Reward;
                length++;
                s = next;
                if (step.Terminated || step.Truncated) break;
            }
            steps += length;
            returns[episode] = episodeReturn;
            lengths[episode] = length;
            exploration.EndEpisode();
            progress?.Report(episode + 1, ("return", episodeReturn));
        }
        return new TabularRun(q, returns, lengths, steps);
    }
}
