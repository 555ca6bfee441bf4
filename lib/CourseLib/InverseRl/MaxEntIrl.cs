using System.Diagnostics;
using CourseLib.Exercises;
using CourseLib.Mdp;
using CourseLib.Training;

namespace CourseLib.InverseRl;

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
    /// <summary>
    /// μ_k = Σ_s D(s)·φ_k(s): the feature counts of a behaviour that enters state s D(s) times on average (notebook 08's
    /// exercise <c>FeatureExpectations</c>, and the function <see cref="Train"/> uses unless given the student's).
    /// </summary>
    /// <param name="features">φ[s, k], states × features.</param>
    /// <param name="visitations">D(s), one expected visit count per state.</param>
    public static double[] FeatureExpectations(double[,] features, double[] visitations)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(visitations);
        if (visitations.Length != features.GetLength(0))
            throw new ArgumentException($"visitations has {visitations.Length} entries; features has {features.GetLength(0)} states (rows).", nameof(visitations));
        var mu = new double[features.GetLength(1)];
        for (int s = 0; s < visitations.Length; s++)
            for (int k = 0; k < mu.Length; k++) mu[k] += visitations[s] * features[s, k];
        return mu;
    }

    /// <summary>μ = Σ_s D(s) φ(s) for <see cref="StateFeatures"/> (the same computation as the other overload).</summary>
    public static double[] FeatureExpectations(StateFeatures features, IReadOnlyList<double> visitations)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(visitations);
        return FeatureExpectations(features.Values, visitations.ToArray());
    }

    /// <summary>μ_E = (1/N) Σ_τ Σ_{t=1..T_τ} φ(s_t): the demonstrations' mean feature counts over the states they enter.</summary>
    public static double[] ExpertFeatureExpectations(StateFeatures features, IReadOnlyList<Trajectory<int, int>> demonstrations)
    {
        ArgumentNullException.ThrowIfNull(features);
        return FeatureExpectations(features, StateVisitation.FromDemonstrations(demonstrations, features.StateCount));
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
        ArgumentNullException.ThrowIfNull(features);
        var step = Step(dynamics, features, theta, demonstrations, horizon,
            ExpertFeatureExpectations(features, demonstrations), Demonstrations.StartDistribution(demonstrations, features.StateCount),
            visitations => FeatureExpectations(features, visitations));
        return (step.LogLikelihood, step.Gradient);
    }

    /// <summary>
    /// Gradient ascent on L(θ) − (λ/2)‖θ‖², <see cref="MaxEntIrlOptions.Updates"/> times:
    /// <code>
    ///   μ_E = FeatureExpectations(φ, D_E)                              (once: the demonstrations' visit counts)
    ///   repeat:  π_t   = backward pass (soft value iteration) for r_θ = φθ
    ///            D_θ   = forward pass of π_t from the demonstrations' start states
    ///            μ_θ   = FeatureExpectations(φ, D_θ)
    ///            θ ← θ + α (μ_E − μ_θ − λθ)
    /// </code>
    /// </summary>
    /// <param name="dynamics">p(s0), p(s'|s,a) and the terminal states (the MDP's own rewards are not used).</param>
    /// <param name="features">φ(s).</param>
    /// <param name="demonstrations">The expert's episodes, none longer than the horizon.</param>
    /// <param name="options">Settings (null: the defaults).</param>
    /// <param name="featureExpectations">
    /// μ = FeatureExpectations(features[s, k], visitations[s]), the exercise's function (notebook 08); null: the library's
    /// <see cref="FeatureExpectations(double[,], double[])"/>. A function that still throws <see cref="NotImplementedException"/>
    /// is replaced by the library's, with a one-line note (<see cref="Solution"/>.OrReference).
    /// </param>
    /// <param name="cancellationToken">Stops training (throws <see cref="OperationCanceledException"/>).</param>
    public static MaxEntIrlResult Train(TabularMdp dynamics, StateFeatures features, IReadOnlyList<Trajectory<int, int>> demonstrations,
        MaxEntIrlOptions? options = null, Func<double[,], double[], double[]>? featureExpectations = null, CancellationToken cancellationToken = default)
    {
        options ??= new MaxEntIrlOptions();
        ArgumentNullException.ThrowIfNull(dynamics);
        ArgumentNullException.ThrowIfNull(features);
        options.Validate();
        if (features.StateCount != dynamics.StateCount)
            throw new ArgumentException($"features describe {features.StateCount} states; the MDP has {dynamics.StateCount}.", nameof(features));
        CheckDemonstrations(demonstrations, dynamics.StateCount, dynamics.ActionCount, options.Horizon);
        var theta = options.InitialTheta?.ToArray() ?? new double[features.Count];
        features.CheckWeights(theta, "options.InitialTheta");
        var mu = Solution.OrReference(featureExpectations, FeatureExpectations, "FeatureExpectations");
        var phi = features.Values;
        double[] Mu(double[] visitations)   // the student's function gets copies: it cannot change φ or D for the next call
        {
            var result = mu((double[,])phi.Clone(), (double[])visitations.Clone());
            if (result is null || result.Length != features.Count)
                throw new InvalidOperationException($"FeatureExpectations returned {(result is null ? "null" : $"{result.Length} entries")}; it must return one per feature ({features.Count}).");
            return result;
        }

        var clock = Stopwatch.StartNew();
        var start = Demonstrations.StartDistribution(demonstrations, dynamics.StateCount);
        var expertVisits = StateVisitation.FromDemonstrations(demonstrations, dynamics.StateCount);
        var expert = Mu(expertVisits);                                                            // μ_E
        var history = new List<MaxEntIrlRecord>();
        using var progress = TrainingProgress.Start("Maximum-entropy IRL", options.Updates, "updates");
        for (int update = 1; update <= options.Updates; update++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var step = Step(dynamics, features, theta, demonstrations, options.Horizon, expert, start, Mu);
            if (!double.IsFinite(step.LogLikelihood))
                throw new InvalidOperationException($"Maximum-entropy IRL: the log-likelihood became {step.LogLikelihood} at update {update}; lower the learning rate ({options.LearningRate}).");
            history.Add(new MaxEntIrlRecord(update, step.LogLikelihood, Norm(step.Gradient)));
            for (int k = 0; k < theta.Length; k++) theta[k] += options.LearningRate * (step.Gradient[k] - options.L2 * theta[k]);   // θ ← θ + α ∇(L − λ/2‖θ‖²)
            if (!theta.All(double.IsFinite))
                throw new InvalidOperationException($"Maximum-entropy IRL: θ became [{string.Join(", ", theta)}] at update {update}; lower the learning rate ({options.LearningRate}).");
            progress.Report(update, ("log-likelihood", step.LogLikelihood), ("|gradient|", history[^1].GradientNorm));
        }
        var final = Step(dynamics, features, theta, demonstrations, options.Horizon, expert, start, Mu);
        if (!double.IsFinite(final.LogLikelihood))
            throw new InvalidOperationException($"Maximum-entropy IRL: the log-likelihood became {final.LogLikelihood} after update {options.Updates}; lower the learning rate ({options.LearningRate}).");
        return new MaxEntIrlResult
        {
            Theta = theta, StateReward = features.Reward(theta), History = history, FinalLogLikelihood = final.LogLikelihood,
            ExpertFeatureExpectations = expert, ModelFeatureExpectations = final.ModelFeatures,
            ExpertVisitations = expertVisits, ModelVisitations = final.Visitations, Soft = final.Soft, Elapsed = clock.Elapsed,
        };
    }

    sealed record StepResult(double LogLikelihood, double[] Gradient, double[] ModelFeatures, double[] Visitations, SoftValueIterationResult Soft);

    /// <summary>Backward pass → π_t, forward pass → D_θ → μ_θ, then L and μ_E − μ_θ.</summary>
    static StepResult Step(TabularMdp dynamics, StateFeatures features, IReadOnlyList<double> theta, IReadOnlyList<Trajectory<int, int>> demonstrations,
        int horizon, double[] expertFeatures, double[] startDistribution, Func<double[], double[]> featureExpectations)
    {
        ArgumentNullException.ThrowIfNull(features);
        features.CheckWeights(theta, nameof(theta));
        var soft = SoftValueIteration.Run(dynamics, features.Reward(theta), horizon);
        var visitations = StateVisitation.Expected(dynamics, soft.Policies, startDistribution);
        var model = featureExpectations(visitations);
        return new StepResult(LogLikelihood(soft, demonstrations), Gradient(expertFeatures, model), model, visitations, soft);
    }

    static void CheckDemonstrations(IReadOnlyList<Trajectory<int, int>> demonstrations, int stateCount, int actionCount, int horizon)
    {
        Demonstrations.Check(demonstrations, stateCount, actionCount);
        for (int i = 0; i < demonstrations.Count; i++)
            if (demonstrations[i].Length > horizon)
                throw new ArgumentException($"demonstrations[{i}] has {demonstrations[i].Length} steps, more than the horizon T = {horizon}: raise the horizon.", nameof(demonstrations));
    }

    static double Norm(double[] v) => Math.Sqrt(v.Sum(x => x * x));
}
