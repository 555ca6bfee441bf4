using CourseLib.Mdp;
using CourseLib.Training;

namespace CourseLib.InverseRl;

/// <summary>Hyperparameters of <see cref="MaxEntIrl.Train"/>.</summary>
public sealed record MaxEntIrlOptions
{
    /// <summary>T, the horizon of the backward and forward passes; no demonstration may be longer. Default 40 (<see cref="LavaWorldOptions.MaxEpisodeSteps"/>).</summary>
    public int Horizon { get; init; } = 40;

    /// <summary>Number of gradient-ascent steps on the log-likelihood. Default 200.</summary>
    public int Iterations { get; init; } = 200;

    /// <summary>α in θ ← θ + α ∇_θ L. Default 0.05.</summary>
    public double LearningRate { get; init; } = 0.05;

    /// <summary>λ of an L2 penalty −(λ/2)‖θ‖² added to L (keeps one-hot rewards of unvisited states finite). Default 0.</summary>
    public double L2 { get; init; }

    /// <summary>θ at the start; null: all zeros (every behaviour equally likely).</summary>
    public IReadOnlyList<double>? InitialTheta { get; init; }
}

/// <summary>The outcome of <see cref="MaxEntIrl.Train"/>.</summary>
/// <param name="Theta">The recovered reward weights θ.</param>
/// <param name="StateReward">The recovered reward r_θ(s) = θᵀφ(s) per state (paid on entering s).</param>
/// <param name="LogLikelihoods">L(θ) before each update (the learning curve), and the final value last.</param>
/// <param name="ExpertFeatureExpectations">μ_E, the demonstrations' feature counts.</param>
/// <param name="ModelFeatureExpectations">μ_θ at the final θ.</param>
/// <param name="ExpertVisitations">D_E(s), the demonstrations' visit counts.</param>
/// <param name="ModelVisitations">D_θ(s) at the final θ (from the demonstrations' start states).</param>
/// <param name="Soft">The backward pass at the final θ: soft values and the maximum-entropy policy π_t.</param>
public sealed record MaxEntIrlResult(
    double[] Theta, double[] StateReward, double[] LogLikelihoods,
    double[] ExpertFeatureExpectations, double[] ModelFeatureExpectations,
    double[] ExpertVisitations, double[] ModelVisitations, SoftValueIterationResult Soft);

/// <summary>
/// Maximum-entropy inverse RL (Ziebart et al. 2008). Behaviour is modelled as exponentially more likely the more
/// reward it collects, p_θ(τ) ∝ exp(Σ_t r_θ(s_{t+1})), with a reward linear in state features, r_θ(s) = θᵀφ(s).
/// θ maximises the log-likelihood of the demonstrations,
/// <code>
///   L(θ) = (1/N) Σ_τ Σ_t log π_t(a_t|s_t)          (π_t from the backward pass, <see cref="SoftValueIteration"/>)
///   ∇_θ L = μ_E − μ_θ,   μ_E = (1/N) Σ_τ Σ_t φ(s_{t+1}),   μ_θ = Σ_s D_θ(s) φ(s)   (D_θ from the forward pass, <see cref="StateVisitation"/>)
/// </code>
/// so at the optimum the model visits features exactly as often as the expert does. With deterministic dynamics and
/// the forward pass started from the demonstrations' start states, μ_E − μ_θ is exactly ∇_θ L (the tests check it
/// against finite differences). With stochastic dynamics it is the gradient of the maximum-causal-entropy objective
/// (Ziebart 2010) and differs from ∇_θ L of a finite sample by a term whose expectation over the dynamics is zero.
/// </summary>
public static class MaxEntIrl
{
    /// <summary>μ = Σ_s D(s) φ(s): the feature counts of a policy that enters state s D(s) times on average.</summary>
    public static double[] FeatureExpectations(StateFeatures features, IReadOnlyList<double> visitations)
    {
        ArgumentNullException.ThrowIfNull(features);
        return features.Weighted(visitations);
    }

    /// <summary>μ_E = (1/N) Σ_τ Σ_{t=1..T_τ} φ(s_t): the demonstrations' mean feature counts over the states they enter.</summary>
    public static double[] ExpertFeatureExpectations(StateFeatures features, IReadOnlyList<Trajectory<int, int>> demonstrations)
    {
        ArgumentNullException.ThrowIfNull(features);
        return features.Weighted(StateVisitation.FromDemonstrations(demonstrations, features.StateCount));
    }

    /// <summary>∇_θ L = μ_E − μ_θ: the expert's feature counts minus the model's.</summary>
    public static double[] Gradient(IReadOnlyList<double> expertFeatureExpectations, IReadOnlyList<double> modelFeatureExpectations)
    {
        ArgumentNullException.ThrowIfNull(expertFeatureExpectations);
        ArgumentNullException.ThrowIfNull(modelFeatureExpectations);
        if (expertFeatureExpectations.Count != modelFeatureExpectations.Count)
            throw new ArgumentException($"modelFeatureExpectations has {modelFeatureExpectations.Count} entries; expertFeatureExpectations has {expertFeatureExpectations.Count}.", nameof(modelFeatureExpectations));
        var gradient = new double[expertFeatureExpectations.Count];
        for (int k = 0; k < gradient.Length; k++) gradient[k] = expertFeatureExpectations[k] - modelFeatureExpectations[k];
        return gradient;
    }

    /// <summary>L = (1/N) Σ_τ Σ_t log π_t(a_t|s_t): the mean log-probability of the demonstrations' actions under the soft policy.</summary>
    public static double LogLikelihood(SoftValueIterationResult soft, IReadOnlyList<Trajectory<int, int>> demonstrations)
    {
        ArgumentNullException.ThrowIfNull(soft);
        int stateCount = soft.Policies[0].GetLength(0), actionCount = soft.Policies[0].GetLength(1);
        CheckDemonstrations(demonstrations, stateCount, actionCount, soft.Horizon);
        double sum = 0;
        foreach (var tau in demonstrations)
            for (int t = 0; t < tau.Length; t++) sum += Math.Log(soft.Policies[t][tau.Observations[t], tau.Actions[t]]);
        return sum / demonstrations.Count;
    }

    /// <summary>L(θ) and ∇_θ L = μ_E − μ_θ at θ: one backward pass, one forward pass (from the demonstrations' start states).</summary>
    public static (double LogLikelihood, double[] Gradient) Evaluate(TabularMdp dynamics, StateFeatures features, IReadOnlyList<double> theta,
        IReadOnlyList<Trajectory<int, int>> demonstrations, int horizon)
    {
        var step = Step(dynamics, features, theta, demonstrations, horizon,
            ExpertFeatureExpectations(features, demonstrations), Demonstrations.StartDistribution(demonstrations, features.StateCount));
        return (step.LogLikelihood, step.Gradient);
    }

    /// <summary>
    /// Gradient ascent on L(θ) − (λ/2)‖θ‖²: θ ← θ + α (μ_E − μ_θ − λθ), <see cref="MaxEntIrlOptions.Iterations"/> times.
    /// </summary>
    /// <param name="dynamics">p(s0), p(s'|s,a) and the terminal states (the MDP's own rewards are not used).</param>
    /// <param name="features">φ(s).</param>
    /// <param name="demonstrations">The expert's episodes, none longer than the horizon.</param>
    /// <param name="options">Hyperparameters (null: the defaults).</param>
    /// <param name="cancellationToken">Stops training (throws <see cref="OperationCanceledException"/>).</param>
    public static MaxEntIrlResult Train(TabularMdp dynamics, StateFeatures features, IReadOnlyList<Trajectory<int, int>> demonstrations,
        MaxEntIrlOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new MaxEntIrlOptions();
        ArgumentNullException.ThrowIfNull(dynamics);
        ArgumentNullException.ThrowIfNull(features);
        CheckOptions(options);
        if (features.StateCount != dynamics.StateCount)
            throw new ArgumentException($"features describe {features.StateCount} states; the MDP has {dynamics.StateCount}.", nameof(features));
        CheckDemonstrations(demonstrations, dynamics.StateCount, dynamics.ActionCount, options.Horizon);
        var theta = options.InitialTheta?.ToArray() ?? new double[features.Count];
        features.CheckWeights(theta, "options.InitialTheta");

        var expert = ExpertFeatureExpectations(features, demonstrations);
        var start = Demonstrations.StartDistribution(demonstrations, dynamics.StateCount);
        var logLikelihoods = new List<double>();
        using var progress = TrainingProgress.Start("Maximum-entropy IRL", options.Iterations, "updates");
        for (int iteration = 1; iteration <= options.Iterations; iteration++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var step = Step(dynamics, features, theta, demonstrations, options.Horizon, expert, start);
            if (!double.IsFinite(step.LogLikelihood))
                throw new InvalidOperationException($"Maximum-entropy IRL: the log-likelihood became {step.LogLikelihood} at update {iteration}; lower the learning rate ({options.LearningRate}).");
            logLikelihoods.Add(step.LogLikelihood);
            for (int k = 0; k < theta.Length; k++) theta[k] += options.LearningRate * (step.Gradient[k] - options.L2 * theta[k]);   // θ ← θ + α ∇(L − λ/2‖θ‖²)
            if (!theta.All(double.IsFinite))
                throw new InvalidOperationException($"Maximum-entropy IRL: θ became [{string.Join(", ", theta)}] at update {iteration}; lower the learning rate ({options.LearningRate}).");
            progress.Report(iteration, ("log-likelihood", step.LogLikelihood), ("|gradient|", Norm(step.Gradient)));
        }
        var final = Step(dynamics, features, theta, demonstrations, options.Horizon, expert, start);
        if (!double.IsFinite(final.LogLikelihood))
            throw new InvalidOperationException($"Maximum-entropy IRL: the log-likelihood became {final.LogLikelihood} after update {options.Iterations}; lower the learning rate ({options.LearningRate}).");
        logLikelihoods.Add(final.LogLikelihood);
        return new MaxEntIrlResult(theta, features.Reward(theta), logLikelihoods.ToArray(), expert, final.ModelFeatures,
            StateVisitation.FromDemonstrations(demonstrations, dynamics.StateCount), final.Visitations, final.Soft);
    }

    sealed record StepResult(double LogLikelihood, double[] Gradient, double[] ModelFeatures, double[] Visitations, SoftValueIterationResult Soft);

    /// <summary>Backward pass → π_t, forward pass → D_θ → μ_θ, then L and μ_E − μ_θ.</summary>
    static StepResult Step(TabularMdp dynamics, StateFeatures features, IReadOnlyList<double> theta, IReadOnlyList<Trajectory<int, int>> demonstrations,
        int horizon, double[] expertFeatures, double[] startDistribution)
    {
        ArgumentNullException.ThrowIfNull(features);
        features.CheckWeights(theta, nameof(theta));
        var soft = SoftValueIteration.Run(dynamics, features.Reward(theta), horizon);
        var visitations = StateVisitation.Expected(dynamics, soft.Policies, startDistribution);
        var model = FeatureExpectations(features, visitations);
        return new StepResult(LogLikelihood(soft, demonstrations), Gradient(expertFeatures, model), model, visitations, soft);
    }

    static void CheckDemonstrations(IReadOnlyList<Trajectory<int, int>> demonstrations, int stateCount, int actionCount, int horizon)
    {
        Demonstrations.Check(demonstrations, stateCount, actionCount);
        for (int i = 0; i < demonstrations.Count; i++)
            if (demonstrations[i].Length > horizon)
                throw new ArgumentException($"demonstrations[{i}] has {demonstrations[i].Length} steps, more than the horizon T = {horizon}: raise the horizon.", nameof(demonstrations));
    }

    static void CheckOptions(MaxEntIrlOptions o)
    {
        if (o.Horizon <= 0) throw new ArgumentOutOfRangeException(nameof(o.Horizon), o.Horizon, "Horizon must be at least 1.");
        if (o.Iterations < 0) throw new ArgumentOutOfRangeException(nameof(o.Iterations), o.Iterations, "Iterations must be 0 or more.");
        if (!(o.LearningRate > 0 && double.IsFinite(o.LearningRate))) throw new ArgumentOutOfRangeException(nameof(o.LearningRate), o.LearningRate, "LearningRate must be a positive number.");
        if (!(o.L2 >= 0 && double.IsFinite(o.L2))) throw new ArgumentOutOfRangeException(nameof(o.L2), o.L2, "L2 must be 0 or a positive number.");
    }

    static double Norm(double[] v) => Math.Sqrt(v.Sum(x => x * x));
}
