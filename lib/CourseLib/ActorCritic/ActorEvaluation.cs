using CourseLib.Environments;

namespace CourseLib.ActorCritic;

/// <summary>Runs a trained actor on fresh episodes and returns what it scored.</summary>
public static class ActorEvaluation
{
    /// <summary>
    /// The returns of <paramref name="episodes"/> episodes of <paramref name="network"/>'s policy, episode k starting from
    /// <c>Reset(seed + k)</c>. Greedy (the most probable action, as SB3's deterministic evaluation) by default; with
    /// <paramref name="greedy"/> false, actions are sampled from π with an <see cref="Rng"/> seeded from <paramref name="seed"/>.
    /// </summary>
    public static double[] Returns<TObservation>(ActorCriticNetwork network, IEnvironment<TObservation, int> environment,
        int episodes = 20, int seed = 10_000, bool greedy = true)
        where TObservation : IObservationVector<TObservation>
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(environment);
        if (episodes < 1) throw new ArgumentOutOfRangeException(nameof(episodes), episodes, "episodes must be at least 1.");
        if (TObservation.Length != network.ObservationSize)
            throw new ArgumentException($"The environment's observations have {TObservation.Length} numbers; the network reads {network.ObservationSize}.", nameof(environment));
        return Returns(network.Snapshot().Evaluate, network.ActionCount, environment, episodes, seed, greedy);
    }

    /// <summary>π(·|s) into the span and V(s), for one observation.</summary>
    internal delegate double Policy(ReadOnlySpan<float> observation, Span<double> probabilities);

    /// <summary>The same for a policy given as a function (A3C's workers evaluate their plain-C# weights with it).</summary>
    internal static double[] Returns<TObservation>(Policy policy, int actionCount, IEnvironment<TObservation, int> environment,
        int episodes = 20, int seed = 10_000, bool greedy = true)
        where TObservation : IObservationVector<TObservation>
    {
        var rng = new Rng(seed);
        var observation = new float[TObservation.Length];
        var probabilities = new double[actionCount];
        var returns = new double[episodes];
        for (int k = 0; k < episodes; k++)
        {
            var current = environment.Reset(seed + k).Observation;
            while (true)
            {
                current.CopyTo(observation);
                policy(observation, probabilities);
                int action = greedy ? ArgMax(probabilities) : rng.Categorical(probabilities);
                var step = environment.Step(action);
                returns[k] += step.Reward;
                if (step.Done) break;
                current = step.Observation;
            }
        }
        return returns;
    }

    static int ArgMax(double[] values)
    {
        int best = 0;
        for (int i = 1; i < values.Length; i++) if (values[i] > values[best]) best = i;
        return best;
    }
}
