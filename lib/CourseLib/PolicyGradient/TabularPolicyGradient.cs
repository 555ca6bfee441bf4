namespace CourseLib.PolicyGradient;

/// <summary>Which weight multiplies ∇ log π(a_t|s_t) in a REINFORCE estimate.</summary>
public enum GradientEstimator
{
    /// <summary>w_t = R(τ), the whole return (original REINFORCE).</summary>
    TotalReturn,
    /// <summary>w_t = r_t(τ) = Σ_{k≥t} r_k, the reward-to-go.</summary>
    RewardToGo,
    /// <summary>w_t = r_t(τ) − b_t with b_t = E[r_t(τ)], the expected reward-to-go at step t (a constant per step).</summary>
    RewardToGoMinusMean,
    /// <summary>w_t = r_t(τ) − V_t(s_t), the state's true value: the baseline an ideal critic would give.</summary>
    RewardToGoMinusValue,
}

/// <summary>One episode of a <see cref="TinyMdp"/>: s_t, a_t, r_t for t = 0..H−1.</summary>
public sealed record TinyTrajectory(int[] States, int[] Actions, double[] Rewards);

/// <summary>
/// Policy gradients of a tabular softmax policy π_θ(a|s) = exp θ[s,a] / Σ_b exp θ[s,b] on a <see cref="TinyMdp"/>:
/// the exact gradient of J(θ) = E_τ[Σ_t r_t] (by enumerating every trajectory), and single-trajectory
/// REINFORCE estimates ĝ = Σ_t w_t ∇_θ log π_θ(a_t|s_t), with ∇_{θ[s,·]} log π(a|s) = e_a − π(·|s).
/// </summary>
public static class TabularPolicyGradient
{
    /// <summary>π_θ(·|s) = softmax(θ[s, ·]).</summary>
    public static double[] Policy(double[,] theta, int state)
    {
        ArgumentNullException.ThrowIfNull(theta);
        if ((uint)state >= (uint)theta.GetLength(0))
            throw new ArgumentOutOfRangeException(nameof(state), state, $"state must be in 0..{theta.GetLength(0) - 1}.");
        return Networks.Softmax.Of(Networks.Softmax.Row(theta, state));
    }

    /// <summary>
    /// J(θ) = Σ_τ p_θ(τ) R(τ), summing over every trajectory: p_θ(τ) = p(s₀) Π_t π_θ(a_t|s_t) p(s_{t+1}|s_t,a_t).
    /// </summary>
    public static double ExpectedReturn(TinyMdp mdp, double[,] theta)
    {
        CheckTheta(mdp, theta);
        double total = 0;
        for (int s = 0; s < mdp.StateCount; s++)
            if (mdp.StartDistribution[s] > 0) total += mdp.StartDistribution[s] * ReturnFrom(mdp, theta, s, 0);
        return total;

        static double ReturnFrom(TinyMdp mdp, double[,] theta, int s, int t)
        {
            // E[Σ_{k≥t} r_k | s_t = s], expanded over every action and next state.
            var pi = Policy(theta, s);
            double value = 0;
            for (int a = 0; a < mdp.ActionCount; a++)
            {
                double future = 0;
                if (t + 1 < mdp.Horizon)
                    for (int next = 0; next < mdp.StateCount; next++)
                        if (mdp.Transitions[s, a, next] > 0) future += mdp.Transitions[s, a, next] * ReturnFrom(mdp, theta, next, t + 1);
                value += pi[a] * (mdp.Rewards[s, a] + future);
            }
            return value;
        }
    }

    /// <summary>
    /// The exact ∇J(θ), by central finite differences of the enumerated <see cref="ExpectedReturn"/>
    /// (step 1e-5, error about 1e-10). It does not use the log-derivative trick, so it checks REINFORCE independently.
    /// </summary>
    public static double[,] ExactGradient(TinyMdp mdp, double[,] theta)
    {
        CheckTheta(mdp, theta);
        const double h = 1e-5;
        var gradient = new double[mdp.StateCount, mdp.ActionCount];
        var shifted = (double[,])theta.Clone();
        for (int s = 0; s < mdp.StateCount; s++)
            for (int a = 0; a < mdp.ActionCount; a++)
            {
                shifted[s, a] = theta[s, a] + h;
                double up = ExpectedReturn(mdp, shifted);
                shifted[s, a] = theta[s, a] - h;
                double down = ExpectedReturn(mdp, shifted);
                shifted[s, a] = theta[s, a];
                gradient[s, a] = (up - down) / (2 * h);
            }
        return gradient;
    }

    /// <summary>V_t(s) = E[Σ_{k≥t} r_k | s_t = s] under π_θ, by backward induction; as [t, s].</summary>
    public static double[,] StateValues(TinyMdp mdp, double[,] theta)
    {
        CheckTheta(mdp, theta);
        var v = new double[mdp.Horizon + 1, mdp.StateCount];
        for (int t = mdp.Horizon - 1; t >= 0; t--)
            for (int s = 0; s < mdp.StateCount; s++)
            {
                var pi = Policy(theta, s);
                for (int a = 0; a < mdp.ActionCount; a++)
                {
                    double q = mdp.Rewards[s, a];
                    for (int next = 0; next < mdp.StateCount; next++) q += mdp.Transitions[s, a, next] * v[t + 1, next];
                    v[t, s] += pi[a] * q;
                }
            }
        var result = new double[mdp.Horizon, mdp.StateCount];
        Array.Copy(v, result, result.Length);
        return result;
    }

    /// <summary>b_t = E[r_t(τ)], the expected reward-to-go at each step t (state distribution d_t times V_t).</summary>
    public static double[] ExpectedRewardToGo(TinyMdp mdp, double[,] theta)
    {
        var values = StateValues(mdp, theta);
        var d = (double[])mdp.StartDistribution.Clone();
        var b = new double[mdp.Horizon];
        for (int t = 0; t < mdp.Horizon; t++)
        {
            var next = new double[mdp.StateCount];
            for (int s = 0; s < mdp.StateCount; s++)
            {
                b[t] += d[s] * values[t, s];
                var pi = Policy(theta, s);
                for (int a = 0; a < mdp.ActionCount; a++)
                    for (int n = 0; n < mdp.StateCount; n++) next[n] += d[s] * pi[a] * mdp.Transitions[s, a, n];
            }
            d = next;
        }
        return b;
    }

    /// <summary>
    /// log p_θ(τ) split into its two parts: log p(s₀) + Σ_t log p(s_{t+1}|s_t,a_t) (the dynamics, which do not depend
    /// on θ) and Σ_t log π_θ(a_t|s_t) (the policy). Only the policy part has a gradient: ∇ log p_θ(τ) = Σ_t ∇ log π_θ(a_t|s_t).
    /// </summary>
    public static (double Dynamics, double Policy) LogProbability(TinyMdp mdp, double[,] theta, TinyTrajectory trajectory)
    {
        CheckTheta(mdp, theta);
        ArgumentNullException.ThrowIfNull(trajectory);
        double dynamics = Math.Log(mdp.StartDistribution[trajectory.States[0]]), policy = 0;
        for (int t = 0; t < trajectory.States.Length; t++)
        {
            policy += Math.Log(Policy(theta, trajectory.States[t])[trajectory.Actions[t]]);
            if (t + 1 < trajectory.States.Length)
                dynamics += Math.Log(mdp.Transitions[trajectory.States[t], trajectory.Actions[t], trajectory.States[t + 1]]);
        }
        return (dynamics, policy);
    }

    /// <summary>Samples one episode τ ~ p_θ.</summary>
    public static TinyTrajectory Sample(TinyMdp mdp, double[,] theta, Rng rng)
    {
        CheckTheta(mdp, theta);
        ArgumentNullException.ThrowIfNull(rng);
        var states = new int[mdp.Horizon];
        var actions = new int[mdp.Horizon];
        var rewards = new double[mdp.Horizon];
        int s = rng.Categorical(mdp.StartDistribution);
        var next = new double[mdp.StateCount];
        for (int t = 0; t < mdp.Horizon; t++)
        {
            int a = rng.Categorical(Policy(theta, s));
            states[t] = s; actions[t] = a; rewards[t] = mdp.Rewards[s, a];
            for (int n = 0; n < mdp.StateCount; n++) next[n] = mdp.Transitions[s, a, n];
            s = rng.Categorical(next);
        }
        return new TinyTrajectory(states, actions, rewards);
    }

    /// <summary>
    /// The one-trajectory REINFORCE estimate ĝ = Σ_t w_t ∇_θ log π_θ(a_t|s_t), where ∇_{θ[s_t,b]} log π(a_t|s_t) =
    /// 1[b = a_t] − π(b|s_t). Every <see cref="GradientEstimator"/> has mean ∇J(θ); they differ in variance.
    /// </summary>
    public static double[,] Estimate(TinyMdp mdp, double[,] theta, TinyTrajectory trajectory, GradientEstimator estimator)
    {
        CheckTheta(mdp, theta);
        ArgumentNullException.ThrowIfNull(trajectory);
        var weights = Weights(mdp, theta, trajectory, estimator);
        var g = new double[mdp.StateCount, mdp.ActionCount];
        for (int t = 0; t < trajectory.States.Length; t++)
        {
            int s = trajectory.States[t];
            var pi = Policy(theta, s);
            for (int b = 0; b < mdp.ActionCount; b++)
                g[s, b] += weights[t] * ((b == trajectory.Actions[t] ? 1 : 0) - pi[b]);
        }
        return g;
    }

    /// <summary>The weight w_t of each step of <paramref name="trajectory"/> under <paramref name="estimator"/>.</summary>
    public static double[] Weights(TinyMdp mdp, double[,] theta, TinyTrajectory trajectory, GradientEstimator estimator)
    {
        var rewardToGo = Mdp.Returns.DiscountedReturns(trajectory.Rewards, 1.0);
        switch (estimator)
        {
            case GradientEstimator.TotalReturn:
                return Advantages.TotalReturn(trajectory.Rewards);
            case GradientEstimator.RewardToGo:
                return rewardToGo;
            case GradientEstimator.RewardToGoMinusMean:
                var b = ExpectedRewardToGo(mdp, theta);
                for (int t = 0; t < rewardToGo.Length; t++) rewardToGo[t] -= b[t];
                return rewardToGo;
            case GradientEstimator.RewardToGoMinusValue:
                var v = StateValues(mdp, theta);
                for (int t = 0; t < rewardToGo.Length; t++) rewardToGo[t] -= v[t, trajectory.States[t]];
                return rewardToGo;
            default:
                throw new ArgumentOutOfRangeException(nameof(estimator), estimator, "Unknown estimator.");
        }
    }

    /// <summary>
    /// Draws <paramref name="samples"/> trajectories and returns, for the given estimator, the mean estimate, the
    /// per-component variance of one estimate, and every sample's estimate of component [state, action].
    /// </summary>
    public static EstimatorStatistics Statistics(TinyMdp mdp, double[,] theta, GradientEstimator estimator, int samples, int seed = 0,
        (int State, int Action) component = default)
    {
        CheckTheta(mdp, theta);
        if (samples < 2) throw new ArgumentOutOfRangeException(nameof(samples), samples, "samples must be at least 2.");
        var rng = new Rng(seed);
        int S = mdp.StateCount, A = mdp.ActionCount;
        var sum = new double[S, A];
        var sumSquares = new double[S, A];
        var values = new double[samples];
        for (int i = 0; i < samples; i++)
        {
            var g = Estimate(mdp, theta, Sample(mdp, theta, rng), estimator);
            for (int s = 0; s < S; s++)
                for (int a = 0; a < A; a++) { sum[s, a] += g[s, a]; sumSquares[s, a] += g[s, a] * g[s, a]; }
            values[i] = g[component.State, component.Action];
        }
        var mean = new double[S, A];
        var variance = new double[S, A];
        for (int s = 0; s < S; s++)
            for (int a = 0; a < A; a++)
            {
                mean[s, a] = sum[s, a] / samples;
                variance[s, a] = (sumSquares[s, a] - samples * mean[s, a] * mean[s, a]) / (samples - 1);
            }
        return new EstimatorStatistics(estimator, samples, mean, variance, values);
    }

    static void CheckTheta(TinyMdp mdp, double[,] theta)
    {
        ArgumentNullException.ThrowIfNull(mdp);
        ArgumentNullException.ThrowIfNull(theta);
        if (theta.GetLength(0) != mdp.StateCount || theta.GetLength(1) != mdp.ActionCount)
            throw new ArgumentException($"theta must be [{mdp.StateCount}, {mdp.ActionCount}] (states × actions), not [{theta.GetLength(0)}, {theta.GetLength(1)}].", nameof(theta));
    }
}

/// <summary>Many single-trajectory estimates of one estimator, summarised.</summary>
/// <param name="Estimator">Which weights were used.</param>
/// <param name="Samples">Number of trajectories.</param>
/// <param name="Mean">The mean estimate, [state, action]: converges to ∇J(θ).</param>
/// <param name="Variance">The variance of one estimate, per component.</param>
/// <param name="ComponentSamples">Every estimate of the chosen component (for a histogram).</param>
public sealed record EstimatorStatistics(GradientEstimator Estimator, int Samples, double[,] Mean, double[,] Variance, double[] ComponentSamples)
{
    /// <summary>Σ over components of the variance: the expected squared distance of one estimate from ∇J.</summary>
    public double TotalVariance => Variance.Cast<double>().Sum();

    /// <summary>The standard error of the mean of component [s, a]: √(Var / samples).</summary>
    public double StandardError(int state, int action) => Math.Sqrt(Variance[state, action] / Samples);
}
