using CourseLib.ActorCritic;

namespace CourseLib.Tests.ActorCritic;

[Trait("Category", "unit")]
public class AdvantageEstimationTests
{
    // A rollout of two episodes: steps 0-2 end in a terminal state, steps 3-4 are cut off by a time limit.
    static readonly double[] Rewards = [1, 2, 3, 4, 5];
    static readonly double[] Values = [10, 20, 30, 40, 50];
    static readonly double[] NextValues = [20, 30, 99, 50, 60];   // 99: V of a terminal state, must be ignored
    static readonly bool[] Terminated = [false, false, true, false, false];
    static readonly bool[] Truncated = [false, false, false, false, true];
    const double Gamma = 0.9;

    [Fact]
    public void Td_target_and_error_bootstrap_unless_terminated()
    {
        Assert.Equal(1 + 0.9 * 5, TemporalDifference.Target(1, 5, terminated: false, 0.9), 12);
        Assert.Equal(1, TemporalDifference.Target(1, 5, terminated: true, 0.9), 12);
        Assert.Equal(1 + 0.9 * 5 - 2, TemporalDifference.Error(1, 2, 5, terminated: false, 0.9), 12);
        Assert.Equal(1 - 2, TemporalDifference.Error(1, 2, 5, terminated: true, 0.9), 12);
    }

    [Fact]
    public void Td_errors_of_a_rollout_by_hand()
    {
        // δ = r + γ V(s') − V(s): 1+18−10, 2+27−20, 3−30 (terminal), 4+45−40, 5+54−50 (truncated: bootstraps).
        var deltas = TemporalDifference.Errors(Rewards, Values, NextValues, Terminated, Gamma);
        AssertClose([9, 9, -27, 9, 9], deltas);
    }

    [Fact]
    public void Gae_by_hand_over_two_episodes()
    {
        // γλ = 0.45. Backwards: Â4 = 9; Â3 = 9 + 0.45·9 = 13.05; Â2 = −27 (episode boundary after step 2);
        // Â1 = 9 + 0.45·(−27) = −3.15; Â0 = 9 + 0.45·(−3.15) = 7.5825.
        var advantages = GeneralizedAdvantage.Estimate(Rewards, Values, NextValues, Terminated, Truncated, Gamma, lambda: 0.5);
        AssertClose([7.5825, -3.15, -27, 13.05, 9], advantages);
        var lambdaReturns = GeneralizedAdvantage.LambdaReturns(Rewards, Values, NextValues, Terminated, Truncated, Gamma, lambda: 0.5);
        AssertClose([17.5825, 16.85, 3, 53.05, 59], lambdaReturns);
    }

    [Fact]
    public void N_step_returns_by_hand()
    {
        // n = 2: G0 = 1 + 0.9·2 + 0.81·V(s2)=30; G1 = 2 + 0.9·3 (terminal: no bootstrap); G2 = 3;
        // G3 = 4 + 0.9·5 + 0.81·60 (truncated: bootstrap from the final observation's value); G4 = 5 + 0.9·60.
        var twoStep = NStepReturns.Compute(Rewards, NextValues, Terminated, Truncated, Gamma, n: 2);
        AssertClose([27.1, 4.7, 3, 57.1, 59], twoStep);
        // Monte Carlo: G0 = 1 + 1.8 + 0.81·3 = 5.23; the second episode bootstraps at the time limit.
        var monteCarlo = NStepReturns.Compute(Rewards, NextValues, Terminated, Truncated, Gamma, NStepReturns.Infinite);
        AssertClose([5.23, 4.7, 3, 57.1, 59], monteCarlo);
    }

    [Fact]
    public void One_step_return_is_the_td_target()
    {
        var oneStep = NStepReturns.Compute(Rewards, NextValues, Terminated, Truncated, Gamma, n: 1);
        for (int t = 0; t < Rewards.Length; t++)
            Assert.Equal(TemporalDifference.Target(Rewards[t], NextValues[t], Terminated[t], Gamma), oneStep[t], 12);
    }

    [Fact]
    public void Lambda_zero_is_the_td_error()
    {
        var rng = new Rng(1);
        for (int trial = 0; trial < 20; trial++)
        {
            var r = RandomRollout(rng, 30);
            var advantages = GeneralizedAdvantage.Estimate(r.Rewards, r.Values, r.NextValues, r.Terminated, r.Truncated, 0.97, lambda: 0);
            AssertClose(TemporalDifference.Errors(r.Rewards, r.Values, r.NextValues, r.Terminated, 0.97), advantages);
        }
    }

    [Fact]
    public void Lambda_one_is_the_monte_carlo_return_minus_the_value()
    {
        var rng = new Rng(2);
        for (int trial = 0; trial < 20; trial++)
        {
            var r = RandomRollout(rng, 30);
            var advantages = GeneralizedAdvantage.Estimate(r.Rewards, r.Values, r.NextValues, r.Terminated, r.Truncated, 0.97, lambda: 1);
            var returns = NStepReturns.Compute(r.Rewards, r.NextValues, r.Terminated, r.Truncated, 0.97, NStepReturns.Infinite);
            AssertClose(returns.Select((g, t) => g - r.Values[t]).ToArray(), advantages);
        }
    }

    [Fact]
    public void Gae_is_the_exponentially_weighted_average_of_n_step_advantages()
    {
        // Â_t = (1−λ) Σ_{n=1}^{N−1} λ^{n−1} (G_t^(n) − V_t) + λ^{N−1} (G_t^(N) − V_t), N = steps left in the episode (or rollout).
        var rng = new Rng(3);
        const double gamma = 0.95, lambda = 0.7;
        var r = RandomRollout(rng, 25);
        var gae = GeneralizedAdvantage.Estimate(r.Rewards, r.Values, r.NextValues, r.Terminated, r.Truncated, gamma, lambda);
        var nStep = Enumerable.Range(1, 25).Select(n => NStepReturns.Compute(r.Rewards, r.NextValues, r.Terminated, r.Truncated, gamma, n)).ToArray();
        for (int t = 0; t < 25; t++)
        {
            int left = 1;
            while (t + left - 1 < 24 && !r.Terminated[t + left - 1] && !r.Truncated[t + left - 1]) left++;
            double expected = 0;
            for (int n = 1; n < left; n++) expected += (1 - lambda) * Math.Pow(lambda, n - 1) * (nStep[n - 1][t] - r.Values[t]);
            expected += Math.Pow(lambda, left - 1) * (nStep[left - 1][t] - r.Values[t]);
            Assert.Equal(expected, gae[t], 9);
        }
    }

    [Fact]
    public void Advantages_do_not_leak_across_an_episode_boundary()
    {
        var changed = (double[])Rewards.Clone();
        changed[3] = -100; changed[4] = 1000;       // the second episode only
        var before = GeneralizedAdvantage.Estimate(Rewards, Values, NextValues, Terminated, Truncated, Gamma, 0.9);
        var after = GeneralizedAdvantage.Estimate(changed, Values, NextValues, Terminated, Truncated, Gamma, 0.9);
        AssertClose(before[..3], after[..3]);
        Assert.NotEqual(before[3], after[3]);
    }

    [Fact]
    public void Truncation_bootstraps_and_termination_does_not()
    {
        // One step that ends the episode: with V(s') = 10 the truncated step's advantage is γ·10 higher.
        double[] rewards = [1], values = [2], nextValues = [10];
        var asTerminated = GeneralizedAdvantage.Estimate(rewards, values, nextValues, [true], [false], 0.9, 0.95);
        var asTruncated = GeneralizedAdvantage.Estimate(rewards, values, nextValues, [false], [true], 0.9, 0.95);
        Assert.Equal(1 - 2, asTerminated[0], 12);
        Assert.Equal(1 + 9 - 2, asTruncated[0], 12);
        // A truncation in the middle stops the sum (the next step is another episode) but still bootstraps.
        var middle = GeneralizedAdvantage.Estimate([1.0, 1.0], [0.0, 0.0], [5.0, 7.0], [false, false], [true, false], 1.0, 1.0);
        AssertClose([6, 8], middle);
        // Without the boundary s1 follows s0 (V(s1) = 5): δ0 = 6, δ1 = 1 + 7 − 5 = 3 flows into Â0 = 9 = (1 + 1 + 7) − 0.
        var joined = GeneralizedAdvantage.Estimate([1.0, 1.0], [0.0, 5.0], [5.0, 7.0], [false, false], [false, false], 1.0, 1.0);
        AssertClose([9, 3], joined);
    }

    [Fact]
    public void End_of_rollout_bootstraps_like_a_truncation()
    {
        var open = GeneralizedAdvantage.Estimate([1.0, 2.0], [3.0, 4.0], [4.0, 6.0], [false, false], [false, false], 0.9, 0.8);
        var cut = GeneralizedAdvantage.Estimate([1.0, 2.0], [3.0, 4.0], [4.0, 6.0], [false, false], [false, true], 0.9, 0.8);
        AssertClose(open, cut);
        Assert.Empty(GeneralizedAdvantage.Estimate([], [], [], [], [], 0.9, 0.8));
    }

    [Fact]
    public void Bad_arguments_are_named()
    {
        var e1 = Assert.Throws<ArgumentOutOfRangeException>(() => GeneralizedAdvantage.Estimate(Rewards, Values, NextValues, Terminated, Truncated, 1.5, 0.9));
        Assert.Equal("gamma", e1.ParamName);
        var e2 = Assert.Throws<ArgumentOutOfRangeException>(() => GeneralizedAdvantage.Estimate(Rewards, Values, NextValues, Terminated, Truncated, 0.9, -0.1));
        Assert.Equal("lambda", e2.ParamName);
        var e3 = Assert.Throws<ArgumentException>(() => GeneralizedAdvantage.Estimate(Rewards, Values[..4], NextValues, Terminated, Truncated, 0.9, 0.9));
        Assert.Equal("values", e3.ParamName);
        var e4 = Assert.Throws<ArgumentException>(() => NStepReturns.Compute(Rewards, NextValues, Terminated, Truncated[..2], 0.9, 3));
        Assert.Equal("truncated", e4.ParamName);
        var e5 = Assert.Throws<ArgumentOutOfRangeException>(() => NStepReturns.Compute(Rewards, NextValues, Terminated, Truncated, 0.9, 0));
        Assert.Equal("n", e5.ParamName);
        Assert.Throws<ArgumentOutOfRangeException>(() => TemporalDifference.Target(1, 1, false, double.NaN));
    }

    record RandomRolloutData(double[] Rewards, double[] Values, double[] NextValues, bool[] Terminated, bool[] Truncated);

    static RandomRolloutData RandomRollout(Rng rng, int length)
    {
        var rewards = new double[length]; var values = new double[length]; var nextValues = new double[length];
        var terminated = new bool[length]; var truncated = new bool[length];
        for (int t = 0; t < length; t++)
        {
            rewards[t] = rng.Uniform(-1, 1); values[t] = rng.Uniform(-5, 5); nextValues[t] = rng.Uniform(-5, 5);
            double u = rng.NextDouble();
            terminated[t] = u < 0.1; truncated[t] = u >= 0.1 && u < 0.18;
        }
        // Within an episode s_{t+1} is the next step's state: V(s_{t+1}) = values[t+1]. After an episode's end the
        // next row is a fresh episode and nextValues[t] is the value of the final observation.
        for (int t = 0; t + 1 < length; t++)
            if (!terminated[t] && !truncated[t]) nextValues[t] = values[t + 1];
        return new(rewards, values, nextValues, terminated, truncated);
    }

    static void AssertClose(double[] expected, double[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++) Assert.Equal(expected[i], actual[i], 9);
    }
}

[Trait("Category", "unit")]
public class AdvantageEstimationExerciseTests
{
    [Fact]
    public void The_reference_gae_passes_the_graded_exercise_check()
    {
        // The exercise's checker has its own reference; this keeps the two in agreement.
        var report = CourseLib.Exercises.Check.GeneralizedAdvantage((rewards, values, nextValues, terminated, truncated, gamma, lambda) =>
            GeneralizedAdvantage.Estimate(rewards, values, nextValues, terminated, truncated, gamma, lambda));
        Assert.True(report.Passed, report.ToString());
        Assert.Equal(report.TotalCases, report.PassedCases);
    }
}
