using CourseLib.Environments;

namespace CourseLib.PolicyGradient;

/// <summary>Runs a trained policy without learning and reports its returns.</summary>
public static class PolicyReturns
{
    /// <summary>
    /// The undiscounted return of each of <paramref name="episodes"/> episodes. The environment is reset with
    /// <paramref name="seed"/> once, so the same seed gives the same start states. Greedy (default): the most
    /// probable action; otherwise actions are sampled from π(·|s) with an <see cref="Rng"/> seeded by <paramref name="seed"/>.
    /// </summary>
    public static double[] Measure<TObservation>(CategoricalPolicy policy, IEnvironment<TObservation, int> environment,
        int episodes = 20, int seed = 0, bool greedy = true, CancellationToken cancellationToken = default)
        where TObservation : IObservationVector<TObservation>
    {
        ArgumentNullException.ThrowIfNull(policy);
        if (policy.ObservationLength != TObservation.Length)
            throw new ArgumentException($"The policy reads {policy.ObservationLength} floats; the environment's observations have {TObservation.Length}.", nameof(policy));
        return Measure(policy, environment, ObservationWriters.Vector<TObservation>(), episodes, seed, greedy, cancellationToken);
    }

    /// <summary>The same for environments whose observations are float arrays (frames).</summary>
    public static double[] Measure(CategoricalPolicy policy, IEnvironment<float[], int> environment,
        int episodes = 20, int seed = 0, bool greedy = true, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(environment);
        int length = ObservationWriters.Length(environment.ObservationSpace);
        if (policy.ObservationLength != length)
            throw new ArgumentException($"The policy reads {policy.ObservationLength} floats; the environment's observations have {length}.", nameof(policy));
        return Measure(policy, environment, ObservationWriters.Array(length), episodes, seed, greedy, cancellationToken);
    }

    static double[] Measure<TObservation>(CategoricalPolicy policy, IEnvironment<TObservation, int> environment, ObservationWriter<TObservation> write,
        int episodes, int seed, bool greedy, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(environment);
        if (episodes < 1) throw new ArgumentOutOfRangeException(nameof(episodes), episodes, "episodes must be at least 1.");
        var rng = new Rng(seed);
        var returns = new double[episodes];
        var x = new float[policy.ObservationLength];
        for (int i = 0; i < episodes; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var observation = environment.Reset(i == 0 ? seed : null).Observation;
            while (true)
            {
                write(observation, x);
                var step = environment.Step(greedy ? policy.Greedy(x) : policy.Sample(x, rng));
                returns[i] += step.Reward;
                observation = step.Observation;
                if (step.Done) break;
            }
        }
        return returns;
    }
}
