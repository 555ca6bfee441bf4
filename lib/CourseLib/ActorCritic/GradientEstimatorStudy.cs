using System.Globalization;
using System.Net;
using CourseLib.Display;
using CourseLib.PolicyGradient;
using CourseLib.Training;
using MathNet.Numerics.LinearAlgebra;

namespace CourseLib.ActorCritic;

/// <summary>The small problem and the policy of a <see cref="GradientEstimatorStudy"/>, and how much to sample.</summary>
public sealed record GradientStudyOptions
{
    /// <summary>Cells of the corridor. The agent starts in cell 0 (a wall on its left) and leaves by stepping right out of the last cell. Default 5.</summary>
    public int CorridorLength { get; init; } = 5;

    /// <summary>π(right|s) in every cell, the policy whose gradient is estimated (tabular softmax, θ[s] = (0, logit p)). Default 0.5.</summary>
    public double RightProbability { get; init; } = 0.5;

    /// <summary>The discount factor γ, in (0, 1]. Default 1 (the episode always ends; the objective is the expected total reward).</summary>
    public double Discount { get; init; } = 1.0;

    /// <summary>Episodes averaged into one gradient estimate (a batch). Default 10.</summary>
    public int EpisodesPerEstimate { get; init; } = 10;

    /// <summary>Independent gradient estimates drawn per estimator, to measure their spread. Default 2000.</summary>
    public int Estimates { get; init; } = 2000;

    /// <summary>Episodes the critic V̂ learns from (every-visit Monte-Carlo averages); fewer episodes, a worse critic. Default 20.</summary>
    public int CriticEpisodes { get; init; } = 20;

    /// <summary>Seed of the sampled episodes (the critic's episodes use a separate stream). Default 0.</summary>
    public int Seed { get; init; }

    /// <summary>Throws an <see cref="ArgumentOutOfRangeException"/> naming the first option that is out of range, and the valid range.</summary>
    public void Validate()
    {
        Require.InRange(CorridorLength, 1, 50, nameof(CorridorLength));
        if (!(RightProbability > 0 && RightProbability < 1)) throw new ArgumentOutOfRangeException(nameof(RightProbability), RightProbability, "RightProbability must be in (0, 1).");
        Require.InHalfOpenRange(Discount, 0, 1, nameof(Discount));
        Require.AtLeast(EpisodesPerEstimate, 1, nameof(EpisodesPerEstimate));
        Require.AtLeast(Estimates, 2, nameof(Estimates), "a spread needs two");
        Require.AtLeast(CriticEpisodes, 1, nameof(CriticEpisodes));
    }
}

/// <summary>
/// The spread of one gradient estimator: its sampled mean, its bias ‖E[ĝ] − ∇J‖ (measured: the norm of the sampled
/// mean's error, which carries Monte-Carlo noise of about <see cref="BiasNoise"/> even for an unbiased estimator),
/// its variance E‖ĝ − E[ĝ]‖² (the trace of the covariance), and every estimate's first component
/// ∂J/∂θ[cell 0, right] for a histogram.
/// </summary>
public sealed record GradientEstimateSpread(string Name, double[] MeanGradient, double Bias, double Variance, double BiasNoise, double[] FirstComponent)
{
    /// <summary>Mean squared error E‖ĝ − ∇J‖² ≈ bias² + variance.</summary>
    public double MeanSquaredError => Bias * Bias + Variance;
}

/// <summary>What a <see cref="GradientEstimatorStudy"/> found: the true gradient, the critic used, and one spread per estimator.</summary>
public sealed record GradientStudyReport(double[] TrueGradient, double[] TrueValues, double[] CriticValues, IReadOnlyList<GradientEstimateSpread> Estimators)
{
    /// <summary>The estimators' figures as a table (renders in a notebook).</summary>
    public Html Table()
    {
        static string Cell(double x, string format) => $"<td style=\"text-align:right\">{x.ToString(format, CultureInfo.InvariantCulture)}</td>";
        var rows = Estimators.Select(e => $"<tr><td>{WebUtility.HtmlEncode(e.Name)}</td>{Cell(e.Bias, "0.00")}{Cell(e.BiasNoise, "0.00")}" +
            $"{Cell(e.Variance, "0.0")}{Cell(Math.Sqrt(e.MeanSquaredError), "0.0")}</tr>");
        return new Html("<table><thead><tr><th>estimator</th><th>bias ‖mean − ∇J‖</th><th>± noise</th><th>variance</th><th>RMSE</th></tr></thead><tbody>" +
            string.Concat(rows) + "</tbody></table>");
    }
}

/// <summary>
/// Variance against bias of policy-gradient estimators, on a problem small enough to know the true gradient.
/// The problem: a corridor of cells 0 .. L−1, reward −1 per step, the episode ends when the agent steps right out of
/// the last cell (stepping left in cell 0 bumps into the wall). The policy: tabular softmax, the same π(right) in
/// every cell. Every estimator has the form ĝ = Σ_t γ^t ∇_θ log π(a_t|s_t) Ψ_t with
/// <code>
///   (a) REINFORCE            Ψ_t = G_0 = Σ_k γ^k r_k                        (every action credited with the whole return; no γ^t)
///   (b) reward-to-go         Ψ_t = G_t = Σ_{k≥t} γ^{k−t} r_k                (only what came after the action)
///   (c) with a baseline      Ψ_t = G_t − V̂(s_t)                             (unbiased for any V̂)
///   (d) actor-critic         Ψ_t = δ_t = r_t + γ V̂(s_{t+1}) − V̂(s_t)        (low variance; biased unless V̂ = V^π)
///   GAE(λ)                   Ψ_t = Σ_l (γλ)^l δ_{t+l}                        (λ = 1 is (c), λ = 0 is (d))
/// </code>
/// V̂ is a learned critic: the Monte-Carlo average of the returns seen from each cell in a few episodes. The true
/// gradient comes from the policy gradient theorem, ∂J/∂θ[s,b] = d(s) π(b|s) (Q(s,b) − V(s)), with V, Q and the
/// visit counts d solved exactly. All estimators see the same sampled episodes.
/// </summary>
/// <remarks>
/// The weights of (a) and (b) are REINFORCE's own (<see cref="Advantages.TotalReturn"/>, <see cref="Mdp.Returns.DiscountedReturns(ReadOnlySpan{double}, double, double)"/>),
/// (c), (d) and GAE come from <see cref="GeneralizedAdvantage"/>. Unlike
/// <see cref="TabularPolicyGradient"/>'s finite-horizon problem, the corridor's values depend on the state only, so a
/// state-value critic can be learned and plugged into the TD error.
/// </remarks>
public static class GradientEstimatorStudy
{
    /// <summary>Spreads of the four estimators (a)–(d).</summary>
    public static GradientStudyReport Compare(GradientStudyOptions? options = null)
    {
        options ??= new GradientStudyOptions();
        options.Validate();
        (string Name, Func<Episode, double[], double[]> Weights)[] estimators =
        [
            ("REINFORCE (total return)", (e, _) => Advantages.TotalReturn(e.Rewards, options.Discount)),
            ("reward-to-go", (e, _) => DiscountWeights(Mdp.Returns.DiscountedReturns(e.Rewards, options.Discount), options.Discount)),
            ("reward-to-go − V̂(s)", (e, critic) => DiscountWeights(Gae(e, critic, options.Discount, 1.0), options.Discount)),
            ("actor-critic: TD error δ", (e, critic) => DiscountWeights(Gae(e, critic, options.Discount, 0.0), options.Discount)),
        ];
        return Run(options, estimators);
    }

    /// <summary>Spreads of GAE(λ) for each λ in <paramref name="lambdas"/> (λ = 1: reward-to-go with baseline; λ = 0: the TD error).</summary>
    public static GradientStudyReport LambdaSweep(IReadOnlyList<double> lambdas, GradientStudyOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(lambdas);
        options ??= new GradientStudyOptions();
        options.Validate();
        foreach (var lambda in lambdas)
            if (!(lambda >= 0 && lambda <= 1)) throw new ArgumentOutOfRangeException(nameof(lambdas), lambda, "every λ must be in [0, 1].");
        var estimators = lambdas.Select(lambda => ($"GAE λ = {lambda:0.##}",
            (Func<Episode, double[], double[]>)((e, critic) => DiscountWeights(Gae(e, critic, options.Discount, lambda), options.Discount)))).ToArray();
        return Run(options, estimators);
    }

    /// <summary>The exact ∇J(θ) for the options' corridor and policy, flattened as θ[cell, action] (action 1 = right).</summary>
    public static double[] TrueGradient(GradientStudyOptions? options = null)
    {
        options ??= new GradientStudyOptions();
        options.Validate();
        return Exact(new Corridor(options)).Gradient;
    }

    /// <summary>V^π(s) of every cell, exactly (V^π(0) = J(θ), the objective).</summary>
    public static double[] TrueValues(GradientStudyOptions? options = null)
    {
        options ??= new GradientStudyOptions();
        options.Validate();
        return Exact(new Corridor(options)).Values;
    }

    /// <summary>
    /// The critic V̂ a study with these options uses: every-visit Monte-Carlo averages over
    /// <see cref="GradientStudyOptions.CriticEpisodes"/> episodes drawn from a stream seeded by <see cref="GradientStudyOptions.Seed"/>.
    /// </summary>
    public static double[] LearnedCritic(GradientStudyOptions? options = null)
    {
        options ??= new GradientStudyOptions();
        options.Validate();
        return LearnCritic(new Corridor(options), options.CriticEpisodes, CriticRng(options));
    }

    /// <summary>
    /// The exact expectation of estimator (d) given a critic V̂: E[ĝ] = Σ_s d(s) Σ_a ∇π(a|s) Q̂(s,a) with
    /// Q̂(s,a) = r(s,a) + γ E[V̂(s')]; its distance from ∇J is the actor-critic's bias (0 when V̂ = V^π).
    /// </summary>
    public static double[] ExpectedTdErrorGradient(GradientStudyOptions options, IReadOnlyList<double> critic)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(critic);
        options.Validate();
        var corridor = new Corridor(options);
        if (critic.Count != corridor.Length) throw new ArgumentException($"critic needs one value per cell ({corridor.Length}), not {critic.Count}.", nameof(critic));
        var exact = Exact(corridor);
        return PolicyGradientTheorem(corridor, exact.Visits, (s, a) => corridor.Reward + corridor.Discount * (corridor.NextCell(s, a) is int next ? critic[next] : 0));
    }

    static GradientStudyReport Run(GradientStudyOptions options, (string Name, Func<Episode, double[], double[]> Weights)[] estimators)
    {
        var corridor = new Corridor(options);
        var exact = Exact(corridor);
        var critic = LearnCritic(corridor, options.CriticEpisodes, CriticRng(options));
        var rng = new Rng(options.Seed);
        int dimension = corridor.Length * 2;
        var samples = estimators.Select(_ => new double[options.Estimates][]).ToArray();
        for (int k = 0; k < options.Estimates; k++)
        {
            for (int e = 0; e < estimators.Length; e++) samples[e][k] = new double[dimension];
            for (int b = 0; b < options.EpisodesPerEstimate; b++)
            {
                var episode = corridor.Sample(rng);
                for (int e = 0; e < estimators.Length; e++)
                    Accumulate(corridor, episode, estimators[e].Weights(episode, critic), samples[e][k], 1.0 / options.EpisodesPerEstimate);
            }
        }
        var spreads = estimators.Select((estimator, e) => Spread(estimator.Name, samples[e], exact.Gradient)).ToArray();
        return new GradientStudyReport(exact.Gradient, exact.Values, critic, spreads);
    }

    static Rng CriticRng(GradientStudyOptions options) => new(options.Seed * 7919L + 1);

    // ĝ += scale · Σ_t ∇ log π(a_t|s_t) Ψ_t, with ∂ log π(a|s)/∂θ[s,b] = 1[a = b] − π(b|s) for a tabular softmax.
    static void Accumulate(Corridor corridor, Episode episode, double[] weights, double[] gradient, double scale)
    {
        for (int t = 0; t < episode.Length; t++)
        {
            int s = episode.Cells[t], a = episode.Actions[t];
            for (int b = 0; b < 2; b++)
                gradient[s * 2 + b] += scale * weights[t] * ((a == b ? 1 : 0) - corridor.Probability(b));
        }
    }

    static GradientEstimateSpread Spread(string name, double[][] samples, double[] trueGradient)
    {
        int count = samples.Length, dimension = trueGradient.Length;
        var mean = new double[dimension];
        foreach (var g in samples) for (int i = 0; i < dimension; i++) mean[i] += g[i] / count;
        double variance = 0;
        foreach (var g in samples) for (int i = 0; i < dimension; i++) variance += (g[i] - mean[i]) * (g[i] - mean[i]);
        variance /= count - 1;
        double bias = Math.Sqrt(mean.Select((m, i) => (m - trueGradient[i]) * (m - trueGradient[i])).Sum());
        return new GradientEstimateSpread(name, mean, bias, variance, Math.Sqrt(variance / count), samples.Select(g => g[1]).ToArray());
    }

    static double[] DiscountWeights(double[] psi, double gamma)
    {
        double factor = 1;
        for (int t = 0; t < psi.Length; t++) { psi[t] *= factor; factor *= gamma; }
        return psi;
    }

    static double[] Gae(Episode episode, double[] critic, double gamma, double lambda)
    {
        int length = episode.Length;
        var values = new double[length]; var nextValues = new double[length];
        var terminated = new bool[length]; var truncated = new bool[length];
        for (int t = 0; t < length; t++)
        {
            values[t] = critic[episode.Cells[t]];
            terminated[t] = t == length - 1;
            nextValues[t] = terminated[t] ? 0 : critic[episode.Cells[t + 1]];
        }
        return GeneralizedAdvantage.Estimate(episode.Rewards, values, nextValues, terminated, truncated, gamma, lambda);
    }

    // Every-visit Monte Carlo: V̂(s) = the average of the returns G_t observed from s (0 for a cell never visited).
    static double[] LearnCritic(Corridor corridor, int episodes, Rng rng)
    {
        var sums = new double[corridor.Length];
        var counts = new int[corridor.Length];
        for (int k = 0; k < episodes; k++)
        {
            var episode = corridor.Sample(rng);
            var returns = Mdp.Returns.DiscountedReturns(episode.Rewards, corridor.Discount);
            for (int t = 0; t < episode.Length; t++) { sums[episode.Cells[t]] += returns[t]; counts[episode.Cells[t]]++; }
        }
        return sums.Select((sum, s) => counts[s] > 0 ? sum / counts[s] : 0).ToArray();
    }

    // V = (I − γ P_π)^{-1} r_π; d = (I − γ P_π^T)^{-1} e_0 (discounted visits from cell 0); ∂J/∂θ[s,b] = d(s) π(b|s) (Q(s,b) − V(s)).
    static (double[] Values, double[] Visits, double[] Gradient) Exact(Corridor corridor)
    {
        int n = corridor.Length;
        var transitions = Matrix<double>.Build.Dense(n, n);
        for (int s = 0; s < n; s++)
            for (int a = 0; a < 2; a++)
                if (corridor.NextCell(s, a) is int next) transitions[s, next] += corridor.Probability(a);
        var system = Matrix<double>.Build.DenseIdentity(n) - corridor.Discount * transitions;
        var values = system.Solve(Vector<double>.Build.Dense(n, corridor.Reward)).ToArray();
        var start = Vector<double>.Build.Dense(n); start[0] = 1;
        var visits = system.Transpose().Solve(start).ToArray();
        var gradient = PolicyGradientTheorem(corridor, visits, (s, a) => corridor.Reward + corridor.Discount * (corridor.NextCell(s, a) is int next ? values[next] : 0));
        return (values, visits, gradient);
    }

    // Σ_s d(s) Σ_a ∇π(a|s) Q(s,a), where ∂π(a|s)/∂θ[s,b] = π(a|s) (1[a = b] − π(b|s)).
    static double[] PolicyGradientTheorem(Corridor corridor, double[] visits, Func<int, int, double> q)
    {
        var gradient = new double[corridor.Length * 2];
        for (int s = 0; s < corridor.Length; s++)
            for (int a = 0; a < 2; a++)
                for (int b = 0; b < 2; b++)
                    gradient[s * 2 + b] += visits[s] * corridor.Probability(a) * ((a == b ? 1 : 0) - corridor.Probability(b)) * q(s, a);
        return gradient;
    }

    sealed record Episode(int[] Cells, int[] Actions, double[] Rewards)
    {
        public int Length => Actions.Length;
    }

    sealed class Corridor(GradientStudyOptions options)
    {
        const int MaxSteps = 100_000;
        public int Length { get; } = options.CorridorLength;
        public double Discount { get; } = options.Discount;
        public double Reward => -1;
        readonly double _right = options.RightProbability;

        public double Probability(int action) => action == 1 ? _right : 1 - _right;

        /// <summary>The next cell, or null when the agent leaves the corridor (the terminal state).</summary>
        public int? NextCell(int cell, int action) =>
            action == 1 ? (cell + 1 < Length ? cell + 1 : null) : Math.Max(cell - 1, 0);

        public Episode Sample(Rng rng)
        {
            var cells = new List<int>(); var actions = new List<int>();
            int? cell = 0;
            while (cell is int s)
            {
                if (cells.Count >= MaxSteps) throw new InvalidOperationException($"An episode ran {MaxSteps} steps without leaving the corridor: raise RightProbability.");
                int a = rng.NextDouble() < _right ? 1 : 0;
                cells.Add(s); actions.Add(a);
                cell = NextCell(s, a);
            }
            return new Episode(cells.ToArray(), actions.ToArray(), Enumerable.Repeat(Reward, actions.Count).ToArray());
        }
    }
}
