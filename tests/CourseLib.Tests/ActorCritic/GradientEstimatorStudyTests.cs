using CourseLib.ActorCritic;

namespace CourseLib.Tests.ActorCritic;

[Trait("Category", "unit")]
public class GradientEstimatorStudyTests
{
    // The defaults: 2000 estimates of 10 episodes each, a critic learned from 20 episodes.
    static readonly GradientStudyOptions Options = new() { Seed = 1 };
    static readonly Lazy<GradientStudyReport> Report = new(() => GradientEstimatorStudy.Compare(Options));

    [Fact]
    public void True_values_of_the_random_walk_by_hand()
    {
        // Uniform policy, wall at cell 0, exit right of cell 4: the expected steps to leave from cell k satisfy
        // E_k − E_{k+1} = 2(k+1), so E_0 = 2+4+6+8+10 = 30 and E_4 = 10; the reward is −1 per step.
        var values = Report.Value.TrueValues;
        Assert.Equal(-30, values[0], 9);
        Assert.Equal(-10, values[4], 9);
    }

    [Fact]
    public void True_gradient_matches_a_finite_difference_of_the_objective()
    {
        // θ[s] = (0, logit p) in every cell: moving the shared logit by ε moves every θ[s, right], so
        // dJ/dlogit = Σ_s ∂J/∂θ[s, right].
        double J(double p) => GradientEstimatorStudy.TrueValues(Options with { RightProbability = p })[0];
        double logit = 0.3, epsilon = 1e-5;
        double Sigmoid(double x) => 1 / (1 + Math.Exp(-x));
        double finiteDifference = (J(Sigmoid(logit + epsilon)) - J(Sigmoid(logit - epsilon))) / (2 * epsilon);
        var gradient = GradientEstimatorStudy.TrueGradient(Options with { RightProbability = Sigmoid(logit) });
        double analytic = Enumerable.Range(0, 5).Sum(s => gradient[s * 2 + 1]);
        Assert.Equal(finiteDifference, analytic, 4);
        Assert.True(analytic > 0, "going right more often shortens the walk");
    }

    [Fact]
    public void Monte_carlo_estimators_are_unbiased()
    {
        foreach (var spread in Report.Value.Estimators.Take(3))
            Assert.True(spread.Bias < 4 * spread.BiasNoise, $"{spread.Name}: bias {spread.Bias:0.###} vs noise {spread.BiasNoise:0.###}");
    }

    [Fact]
    public void Actor_critic_is_biased_by_its_critic_exactly_as_expected()
    {
        var report = Report.Value;
        var actorCritic = report.Estimators[3];
        var expected = GradientEstimatorStudy.ExpectedTdErrorGradient(Options, report.CriticValues);
        double distance = Math.Sqrt(expected.Select((e, i) => (e - actorCritic.MeanGradient[i]) * (e - actorCritic.MeanGradient[i])).Sum());
        Assert.True(distance < 4 * actorCritic.BiasNoise, $"sampled mean is {distance:0.###} from its exact expectation (noise {actorCritic.BiasNoise:0.###})");
        double exactBias = Math.Sqrt(expected.Select((e, i) => (e - report.TrueGradient[i]) * (e - report.TrueGradient[i])).Sum());
        Assert.True(exactBias > 10 * actorCritic.BiasNoise, $"a critic from 20 episodes should bias the TD-error estimator visibly (bias {exactBias:0.###})");
        // With the true V^π the TD error is an unbiased advantage.
        var unbiased = GradientEstimatorStudy.ExpectedTdErrorGradient(Options, report.TrueValues);
        for (int i = 0; i < unbiased.Length; i++) Assert.Equal(report.TrueGradient[i], unbiased[i], 9);
        Assert.Equal(report.CriticValues, GradientEstimatorStudy.LearnedCritic(Options));
        Assert.Equal(report.TrueValues, GradientEstimatorStudy.TrueValues(Options));
    }

    [Fact]
    public void Each_refinement_lowers_the_variance()
    {
        var v = Report.Value.Estimators.Select(e => e.Variance).ToArray();
        Assert.True(v[0] > v[1] && v[1] > v[2] && v[2] > v[3], $"variances {string.Join(", ", v.Select(x => x.ToString("0.#")))} should decrease");
        Assert.True(v[0] > 5 * v[3]);
    }

    [Fact]
    public void Gae_lambda_moves_between_the_td_error_and_the_baseline_estimator()
    {
        double[] lambdas = [0, 0.25, 0.5, 0.75, 0.9, 0.95, 1];
        var sweep = GradientEstimatorStudy.LambdaSweep(lambdas, Options);
        var compare = Report.Value.Estimators;
        Assert.Equal(compare[3].Variance, sweep.Estimators[0].Variance, 6);   // λ = 0: the TD error
        Assert.Equal(compare[2].Variance, sweep.Estimators[^1].Variance, 6);  // λ = 1: reward-to-go − V̂
        var variances = sweep.Estimators.Select(e => e.Variance).ToArray();
        var biases = sweep.Estimators.Select(e => e.Bias).ToArray();
        // Bias falls as λ grows; variance grows from λ = 0.5 on (below that it is flat here: the TD errors partly cancel).
        for (int k = 1; k < lambdas.Length; k++) Assert.True(biases[k] < biases[k - 1], $"bias should shrink as λ grows: {string.Join(", ", biases)}");
        for (int k = 3; k < lambdas.Length; k++) Assert.True(variances[k] > variances[k - 1], $"variance should grow with λ: {string.Join(", ", variances)}");
        Assert.True(variances[^1] > 5 * variances[0]);
    }

    [Fact]
    public void Same_seed_same_spread_and_bad_options_are_named()
    {
        var small = Options with { Estimates = 50 };
        Assert.Equal(GradientEstimatorStudy.Compare(small).Estimators[1].FirstComponent, GradientEstimatorStudy.Compare(small).Estimators[1].FirstComponent);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => GradientEstimatorStudy.Compare(Options with { RightProbability = 1 }));
        Assert.Equal("RightProbability", e.ParamName);
        Assert.Throws<ArgumentOutOfRangeException>(() => GradientEstimatorStudy.LambdaSweep([1.5], Options));
    }
}
