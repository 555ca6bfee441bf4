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
/// exploratory step would be costly, while Q-learning learns the (greedy-optimal) path along it.
/// </summary>
public static class Sarsa
{
    /// <summary>The SARSA target R + γ Q(S', A') (just R when S' is terminal). Same as <see cref="TdTarget.Sarsa"/>.</summary>
    public static double Target(double reward, double discount, double nextQValue, bool terminated) =>
        TdTarget.Sarsa(reward, discount, nextQValue, terminated);

    /// <summary>Runs SARSA for <paramref name="episodes"/> episodes (seeding as in <see cref="QLearning.Train"/>).</summary>
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
        using var progress = episodes >= 5_000 ? TrainingProgress.Start($"SARSA on {environment.GetType().Name}", episodes, "episodes") : null;

        for (int episode = 0; episode < episodes; episode++)
        {
            if ((episode & 255) == 0) cancellationToken.ThrowIfCancellationRequested();
            int s = environment.Reset(episode == 0 ? rng.NextInt(int.MaxValue) : null).Observation;
            int a = exploration.ChooseAction(q, s, rng);                           // A from S
            double episodeReturn = 0;
            int length = 0;
            while (true)
            {
                var step = environment.Step(a);                                    // R, S'
                exploration.Observe(s, a);
                int next = step.Observation;
                double target;
                int nextAction = 0;
                if (step.Terminated) target = step.Reward;                         // Q(terminal, ·) = 0
                else
                {
                    nextAction = exploration.ChooseAction(q, next, rng);           // A' from S'
                    target = step.Reward + gamma * q[next, nextAction];            // R + γ Q(S', A')
                }
                ref double qsa = ref q.Row(s)[a];
                qsa += alpha * (target - qsa);                                     // Q(S,A) ← Q(S,A) + α[target − Q(S,A)]
                episodeReturn += step.Reward;
                length++;
                if (step.Terminated || step.Truncated) break;
                s = next;
                a = nextAction;
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
