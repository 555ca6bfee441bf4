using CourseLib.Environments;

namespace CourseLib.ValueBased;

/// <summary>Hyperparameters of tabular Q-learning and SARSA.</summary>
public sealed record TabularHyperparameters
{
    /// <summary>Step size α in (0, 1]. Default 0.5 (Sutton and Barto's CliffWalking example).</summary>
    public double LearningRate { get; init; } = 0.5;
    /// <summary>Discount γ in [0, 1]. Default 1 (undiscounted episodic tasks).</summary>
    public double Discount { get; init; } = 1.0;
    /// <summary>Q(s, a) for every non-terminal state before learning (terminal states start, and stay, at 0). Default 0.</summary>
    public double InitialValue { get; init; }

    /// <summary>Throws a clear exception for any value out of range.</summary>
    public void Validate()
    {
        if (!(LearningRate > 0 && LearningRate <= 1)) throw new ArgumentOutOfRangeException(nameof(LearningRate), LearningRate, "LearningRate α must be in (0, 1].");
        if (!(Discount >= 0 && Discount <= 1)) throw new ArgumentOutOfRangeException(nameof(Discount), Discount, "Discount γ must be in [0, 1].");
        if (!double.IsFinite(InitialValue)) throw new ArgumentOutOfRangeException(nameof(InitialValue), InitialValue, "InitialValue must be finite.");
    }
}

/// <summary>What a tabular run produced: the learned Q and the online return and length of every episode.</summary>
/// <param name="Q">The learned action values.</param>
/// <param name="EpisodeReturns">Undiscounted return of each training episode (what the exploring agent actually got).</param>
/// <param name="EpisodeLengths">Steps of each training episode.</param>
/// <param name="Steps">Environment steps in all (= updates).</param>
public sealed record TabularRun(QTable Q, double[] EpisodeReturns, int[] EpisodeLengths, long Steps);

/// <summary>Shared plumbing of the tabular learners.</summary>
internal static class TabularSetup
{
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

    public static void Check(int episodes, ExplorationStrategy exploration)
    {
        if (episodes < 0) throw new ArgumentOutOfRangeException(nameof(episodes), episodes, "episodes must be ≥ 0.");
        ArgumentNullException.ThrowIfNull(exploration);
    }
}
