using System.Diagnostics;
using CourseLib.Environments;
using CourseLib.Training;

namespace CourseLib.ValueBased.Deep;

/// <summary>One DQN gradient update.</summary>
/// <param name="Update">The agent's update count after it (1-based).</param>
/// <param name="Step">The agent's environment step at which it ran.</param>
/// <param name="Loss">The loss L(θ) on the minibatch before the step.</param>
public readonly record struct DqnUpdate(long Update, long Step, double Loss);

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
/// <para>
/// Notebook 06's exercises drive training: <see cref="Train{TObservation}"/> takes the student's <c>DqnTargets</c> or
/// <c>DoubleDqnTargets</c>. While it is still the exercise's stub (it throws <see cref="NotImplementedException"/>), the
/// library's reference is used and one line says so (<see cref="Exercises.Solution"/>.OrReference); once written, the
/// student's function computes every minibatch's targets, right or wrong.
/// </para>
/// </summary>
public static class Dqn
{
    /// <summary>
    /// Trains <paramref name="agent"/> for <paramref name="steps"/> more environment steps, or until an evaluation reaches
    /// <see cref="EvaluationOptions.StopAtMeanReturn"/> (the agent's <see cref="DqnOptions.Evaluation"/>). Each call
    /// starts a fresh episode (reset with a seed drawn from the agent's generator) and, if it stops mid-episode, treats
    /// that episode as truncated. The result's <c>Agent</c> is <paramref name="agent"/>.
    /// </summary>
    /// <param name="agent">The learner; it keeps its state between calls.</param>
    /// <param name="environment">The training environment.</param>
    /// <param name="steps">Environment steps to take (fewer if an evaluation reaches the stopping return).</param>
    /// <param name="evaluationEnvironment">A second environment for evaluations (required when the options schedule them).</param>
    /// <param name="dqnTargets">
    /// The minibatch's targets, <c>double[] DqnTargets(double[] rewards, double gamma, double[][] nextQTarget, bool[] terminated)</c>:
    /// y_i = r_i + γ (1 − terminated_i) max_a' Q(s'_i, a'; θ⁻) (notebook 06's exercise). Null: the built-in targets.
    /// Only without <see cref="DqnOptions.DoubleQ"/> and without C51. With n-step returns it gets the n-step reward sums
    /// and γⁿ for γ (see <see cref="DqnAgent.Update(Func{double[], double, double[][], bool[], double[]}?, Func{double[], double, double[][], double[][], bool[], double[]}?)"/>).
    /// </param>
    /// <param name="doubleDqnTargets">
    /// Double DQN's targets, <c>double[] DoubleDqnTargets(double[] rewards, double gamma, double[][] nextQTarget, double[][] nextQOnline, bool[] terminated)</c>
    /// (notebook 06's exercise). Null: the built-in targets. Only with <see cref="DqnOptions.DoubleQ"/> and without C51.
    /// </param>
    /// <param name="title">Shown with the progress bar (default "DQN on" and the environment's type).</param>
    /// <param name="cancellationToken">Stops the run (throws <see cref="OperationCanceledException"/>).</param>
    public static TrainingResult<DqnAgent, DqnUpdate> Train<TObservation>(DqnAgent agent, IEnvironment<TObservation, int> environment, long steps,
        IEnvironment<TObservation, int>? evaluationEnvironment = null,
        Func<double[], double, double[][], bool[], double[]>? dqnTargets = null,
        Func<double[], double, double[][], double[][], bool[], double[]>? doubleDqnTargets = null,
        string? title = null, CancellationToken cancellationToken = default)
        where TObservation : IObservationVector<TObservation>
    {
        ArgumentNullException.ThrowIfNull(agent);
        ArgumentNullException.ThrowIfNull(environment);
        Require.AtLeast(steps, 0, nameof(steps));
        CheckEnvironment(agent, environment, nameof(environment));
        var hp = agent.Options;
        var evaluation = hp.Evaluation;
        if (evaluation.Enabled)
        {
            if (evaluationEnvironment is null)
                throw new ArgumentException("options.Evaluation schedules evaluations: pass an evaluationEnvironment (a second environment of the same kind).", nameof(evaluationEnvironment));
            if (ReferenceEquals(evaluationEnvironment, environment))
                throw new ArgumentException("evaluationEnvironment must be a separate environment, not the training environment.", nameof(evaluationEnvironment));
            CheckEnvironment(agent, evaluationEnvironment, nameof(evaluationEnvironment));
        }
        var (targets, doubleTargets) = TargetFunctions(hp, dqnTargets, doubleDqnTargets);

        var episodes = new List<EpisodeRecord>();
        var evaluations = new List<EvaluationRecord>();
        var history = new List<DqnUpdate>();
        long? solvedAt = null;
        var clock = Stopwatch.StartNew();
        using var threads = TorchThreads.One();
        using var progress = TrainingProgress.Start(title ?? $"DQN on {environment.GetType().Name}", steps, "steps");
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
            if (t > hp.LearningStarts && t % hp.TrainFrequency == 0)
            {
                double loss = agent.Update(targets, doubleTargets);
                history.Add(new DqnUpdate(agent.UpdateCount, t, loss));
            }
            if (t > hp.LearningStarts && t % hp.TargetUpdateInterval == 0) agent.UpdateTarget();

            if (step.Done)
            {
                episodes.Add(new EpisodeRecord(t, episodeReturn, episodeLength));
                agent.EpisodeCount++;
                progress.Report(taken, ("return", episodeReturn), ("ε", agent.Epsilon), ("loss", history.Count > 0 ? history[^1].Loss : double.NaN));
                episodeReturn = 0;
                episodeLength = 0;
                environment.Reset().Observation.CopyTo(observation);
            }
            else nextObservation.CopyTo(observation);

            if (evaluation.IsDue(t))
            {
                var record = Evaluate(agent, evaluationEnvironment!, evaluation, t);
                evaluations.Add(record);
                if (evaluation.Reached(record)) { solvedAt = t; break; }
            }
        }
        if (episodeLength > 0) agent.InterruptEpisode(observation);
        progress.Finish(taken, solvedAt != null ? $"stopped early: goal reached (greedy mean return ≥ {evaluation.StopAtMeanReturn}) at step {taken:N0}" : null);
        return new TrainingResult<DqnAgent, DqnUpdate>
        {
            Agent = agent, History = history, Episodes = episodes, Evaluations = evaluations, Steps = taken,
            SolvedAtStep = solvedAt, Elapsed = clock.Elapsed,
        };
    }

    /// <summary>
    /// Runs the greedy policy argmax_a Q(s, a; θ) (noisy layers at their mean weights) on
    /// <see cref="EvaluationOptions.Episodes"/> fresh episodes (<see cref="Evaluation.Run{TObservation}(IEnvironment{TObservation, int}, Func{TObservation, int}, EvaluationOptions, long)"/>),
    /// stamped with <paramref name="step"/>. Does not change the agent.
    /// </summary>
    public static EvaluationRecord Evaluate<TObservation>(DqnAgent agent, IEnvironment<TObservation, int> environment, EvaluationOptions options, long step = 0)
        where TObservation : IObservationVector<TObservation>
    {
        ArgumentNullException.ThrowIfNull(agent);
        ArgumentNullException.ThrowIfNull(environment);
        CheckEnvironment(agent, environment, nameof(environment));
        var buffer = new float[agent.ObservationLength];
        return Evaluation.Run(environment, observation =>
        {
            observation.CopyTo(buffer);
            return agent.GreedyAction(buffer);
        }, options, step);
    }

    /// <summary>The target functions an update uses: the student's where given (see <see cref="Exercises.Solution"/>.OrReference), else none (built in).</summary>
    static (Func<double[], double, double[][], bool[], double[]>?, Func<double[], double, double[][], double[][], bool[], double[]>?) TargetFunctions(DqnOptions options,
        Func<double[], double, double[][], bool[], double[]>? dqnTargets, Func<double[], double, double[][], double[][], bool[], double[]>? doubleDqnTargets)
    {
        if (dqnTargets is null && doubleDqnTargets is null) return (null, null);
        string name = dqnTargets != null ? nameof(dqnTargets) : nameof(doubleDqnTargets);
        if (dqnTargets != null && options.DoubleQ)
            throw new ArgumentException("dqnTargets takes the max over the target network, but options.DoubleQ is true: pass doubleDqnTargets, or use DoubleQ = false.", nameof(dqnTargets));
        if (doubleDqnTargets != null && !options.DoubleQ)
            throw new ArgumentException("doubleDqnTargets needs options.DoubleQ = true: pass dqnTargets instead, or use DoubleQ = true.", nameof(doubleDqnTargets));
        if (options.Distributional)
            throw new ArgumentException($"{name} computes one target value per transition; a distributional (C51) agent needs a target distribution: use Distributional = false.", name);
        return (
            dqnTargets is null ? null : Exercises.Solution.OrReference(dqnTargets, TdTarget.DqnTargets, Exercises.Solution.NameOf(dqnTargets, "DqnTargets")),
            doubleDqnTargets is null ? null : Exercises.Solution.OrReference(doubleDqnTargets, TdTarget.DoubleDqnTargets, Exercises.Solution.NameOf(doubleDqnTargets, "DoubleDqnTargets")));
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
