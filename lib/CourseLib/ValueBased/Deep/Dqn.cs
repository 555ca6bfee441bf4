using System.Diagnostics;
using CourseLib.Environments;
using CourseLib.Training;

namespace CourseLib.ValueBased.Deep;

/// <summary>One finished training episode.</summary>
/// <param name="Step">The training step at which it ended.</param>
/// <param name="Return">Its undiscounted return.</param>
/// <param name="Length">Its number of steps.</param>
public readonly record struct EpisodeRecord(long Step, double Return, int Length);

/// <summary>One evaluation of the greedy policy during training.</summary>
/// <param name="Step">The training step at which it ran.</param>
/// <param name="MeanReturn">Mean undiscounted return over the evaluation episodes.</param>
/// <param name="Returns">Each episode's return.</param>
public sealed record EvaluationRecord(long Step, double MeanReturn, double[] Returns);

/// <summary>
/// When and how to evaluate the greedy policy during training, and whether to stop once it is good enough.
/// </summary>
public sealed record EvaluationSchedule
{
    /// <summary>Training steps between evaluations. Default 5,000.</summary>
    public int Interval { get; init; } = 5_000;
    /// <summary>Episodes per evaluation. Default 20.</summary>
    public int Episodes { get; init; } = 20;
    /// <summary>Seed of each evaluation's first reset (all evaluations see the same start states). Default 1,000,000.</summary>
    public int Seed { get; init; } = 1_000_000;
    /// <summary>Stop training at the first evaluation whose mean return reaches this (null: never stop early). Default null.</summary>
    public double? StopAtMeanReturn { get; init; }
}

/// <summary>What a training run produced.</summary>
public sealed record DqnResult
{
    /// <summary>Training episodes, in order.</summary>
    public required IReadOnlyList<EpisodeRecord> Episodes { get; init; }
    /// <summary>Evaluations, in order.</summary>
    public required IReadOnlyList<EvaluationRecord> Evaluations { get; init; }
    /// <summary>The loss of every update, in order.</summary>
    public required IReadOnlyList<float> Losses { get; init; }
    /// <summary>Environment steps taken in this run.</summary>
    public required long Steps { get; init; }
    /// <summary>The agent's step count when an evaluation first reached <see cref="EvaluationSchedule.StopAtMeanReturn"/> (null if none did).</summary>
    public long? SolvedAtStep { get; init; }
    /// <summary>Wall-clock time of the run.</summary>
    public required TimeSpan Elapsed { get; init; }
    /// <summary>Environment steps per second (evaluation time included).</summary>
    public double StepsPerSecond => Steps / Math.Max(Elapsed.TotalSeconds, 1e-9);
    /// <summary>Training returns as an array (for charts).</summary>
    public double[] Returns => Episodes.Select(e => e.Return).ToArray();
}

/// <summary>
/// Deep Q-learning with experience replay and a target network (Mnih et al. 2015, Algorithm 1):
/// <code>
/// for t = 1 … T:
///     a_t ← random action with probability ε_t, else argmax_a Q(s_t, a; θ)
///     execute a_t; observe r_t, s_{t+1}, terminated, truncated
///     store (s_t, a_t, r_t, s_{t+1}, terminated) in D
///     every TrainFrequency steps after LearningStarts:
///         sample a minibatch B from D
///         y_j = r_j if s_{j+1} is terminal, else r_j + γ max_a' Q(s_{j+1}, a'; θ⁻)
///         gradient step on (1/|B|) Σ_j Huber(Q(s_j, a_j; θ) − y_j), gradient norm clipped
///     every TargetUpdateInterval steps: θ⁻ ← θ
///     if the episode ended: reset
/// </code>
/// Truncation (the time limit) ends the episode but is not a terminal state: that transition still bootstraps.
/// </summary>
public static class Dqn
{
    /// <summary>
    /// Trains <paramref name="agent"/> for <paramref name="steps"/> more environment steps. Each call starts a fresh episode
    /// (reset with a seed drawn from the agent's generator) and, if it stops mid-episode, treats that episode as truncated.
    /// </summary>
    /// <param name="agent">The learner; it keeps its state between calls.</param>
    /// <param name="environment">The training environment.</param>
    /// <param name="steps">Environment steps to take (fewer if an evaluation reaches the stopping return).</param>
    /// <param name="evaluationEnvironment">A second environment for evaluations (required with <paramref name="evaluation"/>).</param>
    /// <param name="evaluation">When to evaluate the greedy policy (null: never).</param>
    /// <param name="cancellationToken">Stops the run (throws <see cref="OperationCanceledException"/>).</param>
    public static DqnResult Train<TObservation>(DqnAgent agent, IEnvironment<TObservation, int> environment, long steps,
        IEnvironment<TObservation, int>? evaluationEnvironment = null, EvaluationSchedule? evaluation = null,
        CancellationToken cancellationToken = default)
        where TObservation : IObservationVector<TObservation>
    {
        ArgumentNullException.ThrowIfNull(agent);
        ArgumentNullException.ThrowIfNull(environment);
        if (steps < 0) throw new ArgumentOutOfRangeException(nameof(steps), steps, "steps must be ≥ 0.");
        CheckEnvironment(agent, environment, nameof(environment));
        if (evaluation != null)
        {
            if (evaluationEnvironment is null) throw new ArgumentNullException(nameof(evaluationEnvironment), "An evaluation schedule needs an evaluationEnvironment.");
            if (evaluation.Interval < 1) throw new ArgumentOutOfRangeException(nameof(evaluation), evaluation.Interval, "evaluation.Interval must be at least 1.");
            if (evaluation.Episodes < 1) throw new ArgumentOutOfRangeException(nameof(evaluation), evaluation.Episodes, "evaluation.Episodes must be at least 1.");
            CheckEnvironment(agent, evaluationEnvironment, nameof(evaluationEnvironment));
        }

        var hp = agent.Hyperparameters;
        var episodes = new List<EpisodeRecord>();
        var evaluations = new List<EvaluationRecord>();
        var losses = new List<float>();
        long? solvedAt = null;
        var clock = Stopwatch.StartNew();
        int previousThreads = TorchSharp.torch.get_num_threads();
        TorchSharp.torch.set_num_threads(1); // the network is small: one thread is fastest
        using var progress = TrainingProgress.Start($"DQN on {environment.GetType().Name}", steps, "steps");
        try
        {
            Span<float> observation = stackalloc float[agent.ObservationLength];
            Span<float> nextObservation = stackalloc float[agent.ObservationLength];
            environment.Reset(seed: agent.Random.NextInt(int.MaxValue)).Observation.CopyTo(observation);
            double episodeReturn = 0;
            int episodeLength = 0;
            long taken = 0;
            while (taken < steps)
            {
                if ((taken & 1023) == 0) cancellationToken.ThrowIfCancellationRequested();
                int action = agent.Act(observation);                               // ε-greedy in Q(s, ·; θ)
                var step = environment.Step(action);                               // r, s', terminated, truncated
                step.Observation.CopyTo(nextObservation);
                agent.Remember(observation, action, step.Reward, nextObservation, step.Terminated, step.Truncated); // into D
                agent.StepCount++;
                taken++;
                episodeReturn += step.Reward;
                episodeLength++;

                long t = agent.StepCount;
                if (t > hp.LearningStarts && t % hp.TrainFrequency == 0) losses.Add((float)agent.Update());
                if (t > hp.LearningStarts && t % hp.TargetUpdateInterval == 0) agent.UpdateTarget();

                if (step.Done)
                {
                    episodes.Add(new EpisodeRecord(t, episodeReturn, episodeLength));
                    agent.EpisodeCount++;
                    progress.Report(taken, ("return", episodeReturn), ("ε", agent.Epsilon), ("loss", losses.Count > 0 ? losses[^1] : double.NaN));
                    episodeReturn = 0;
                    episodeLength = 0;
                    environment.Reset().Observation.CopyTo(observation);
                }
                else nextObservation.CopyTo(observation);

                if (evaluation != null && t % evaluation.Interval == 0)
                {
                    var returns = Evaluate(agent, evaluationEnvironment!, evaluation.Episodes, evaluation.Seed);
                    var record = new EvaluationRecord(t, returns.Average(), returns);
                    evaluations.Add(record);
                    if (evaluation.StopAtMeanReturn is double goal && record.MeanReturn >= goal) { solvedAt = t; break; }
                }
            }
            if (episodeLength > 0) agent.InterruptEpisode(observation);
            progress.Finish(taken, solvedAt != null ? $"stopped early: goal reached (greedy mean return ≥ {evaluation!.StopAtMeanReturn}) at step {taken:N0}" : null);
            return new DqnResult
            {
                Episodes = episodes, Evaluations = evaluations, Losses = losses, Steps = taken,
                SolvedAtStep = solvedAt, Elapsed = clock.Elapsed,
            };
        }
        finally
        {
            TorchSharp.torch.set_num_threads(previousThreads);
        }
    }

    /// <summary>
    /// Runs the greedy policy argmax_a Q(s, a; θ) (noisy layers at their mean weights) for <paramref name="episodes"/>
    /// episodes; the first reset uses <paramref name="seed"/>, the following ones continue its sequence. Returns each
    /// episode's undiscounted return. Does not change the agent.
    /// </summary>
    public static double[] Evaluate<TObservation>(DqnAgent agent, IEnvironment<TObservation, int> environment, int episodes, int seed)
        where TObservation : IObservationVector<TObservation>
    {
        ArgumentNullException.ThrowIfNull(agent);
        ArgumentNullException.ThrowIfNull(environment);
        if (episodes < 1) throw new ArgumentOutOfRangeException(nameof(episodes), episodes, "episodes must be at least 1.");
        CheckEnvironment(agent, environment, nameof(environment));
        var returns = new double[episodes];
        Span<float> observation = stackalloc float[agent.ObservationLength];
        for (int e = 0; e < episodes; e++)
        {
            var reset = e == 0 ? environment.Reset(seed) : environment.Reset();
            reset.Observation.CopyTo(observation);
            double total = 0;
            while (true)
            {
                var step = environment.Step(agent.GreedyAction(observation));
                total += step.Reward;
                if (step.Done) break;
                step.Observation.CopyTo(observation);
            }
            returns[e] = total;
        }
        return returns;
    }

    static void CheckEnvironment<TObservation>(DqnAgent agent, IEnvironment<TObservation, int> environment, string name)
        where TObservation : IObservationVector<TObservation>
    {
        if (TObservation.Length != agent.ObservationLength)
            throw new ArgumentException($"{name}'s observations have {TObservation.Length} floats, the agent expects {agent.ObservationLength}.", name);
        if (environment.ActionSpace is Discrete discrete && discrete.N != agent.ActionCount)
            throw new ArgumentException($"{name} has {discrete.N} actions, the agent {agent.ActionCount}.", name);
    }
}
