using CourseLib.Frontiers;

namespace CourseLib.Tests.Frontiers;

[Trait("Category", "unit")]
public class UncertaintyWeightedLossTests
{
    [Fact]
    public void Terms_follow_Kendall_et_al_for_regression_and_classification()
    {
        // σ = 2 (log σ = ln 2): regression L/(2σ²) + log σ = 3/8 + ln 2; classification L/σ² + log σ = 3/4 + ln 2.
        double logSigma = Math.Log(2);
        Assert.Equal(3.0 / 8 + Math.Log(2), UncertaintyWeightedLoss.Term(3, logSigma, TaskKind.Regression), 12);
        Assert.Equal(3.0 / 4 + Math.Log(2), UncertaintyWeightedLoss.Term(3, logSigma, TaskKind.Classification), 12);
        Assert.Equal(1.0 / 8, UncertaintyWeightedLoss.Weight(logSigma, TaskKind.Regression), 12);
        Assert.Equal(1.0 / 4, UncertaintyWeightedLoss.Weight(logSigma, TaskKind.Classification), 12);
        // σ = 1: the regression term is half the loss, the classification term the loss itself.
        Assert.Equal(0.5, UncertaintyWeightedLoss.Term(1, 0, TaskKind.Regression), 12);
        Assert.Equal(1.0, UncertaintyWeightedLoss.Term(1, 0, TaskKind.Classification), 12);
    }

    [Fact]
    public void The_total_is_the_sum_of_the_terms()
    {
        double[] losses = [0.7, 12.5, 0.05];
        double[] logSigmas = [-0.3, 1.2, -1.5];
        TaskKind[] kinds = [TaskKind.Classification, TaskKind.Regression, TaskKind.Classification];
        double expected = 0.7 * Math.Exp(0.6) - 0.3 + 0.5 * 12.5 * Math.Exp(-2.4) + 1.2 + 0.05 * Math.Exp(3.0) - 1.5;
        Assert.Equal(expected, UncertaintyWeightedLoss.Total(losses, logSigmas, kinds), 12);
    }

    [Fact]
    public void The_optimal_sigma_squared_is_the_loss_for_regression_and_twice_the_loss_for_classification()
    {
        foreach (var (kind, loss) in new[] { (TaskKind.Regression, 4.0), (TaskKind.Classification, 0.3), (TaskKind.Regression, 0.01) })
        {
            double best = UncertaintyWeightedLoss.OptimalLogSigma(loss, kind);
            double sigmaSquared = Math.Exp(2 * best);
            Assert.Equal(kind == TaskKind.Regression ? loss : 2 * loss, sigmaSquared, 10);
            double atBest = UncertaintyWeightedLoss.Term(loss, best, kind);
            Assert.True(atBest < UncertaintyWeightedLoss.Term(loss, best + 0.01, kind));
            Assert.True(atBest < UncertaintyWeightedLoss.Term(loss, best - 0.01, kind));
        }
    }

    [Fact]
    public void Bad_input_is_rejected_with_the_argument_named()
    {
        Assert.Equal("logSigmas", Assert.Throws<ArgumentException>(() => UncertaintyWeightedLoss.Total([1.0, 2.0], [0.0], [TaskKind.Regression, TaskKind.Regression])).ParamName);
        Assert.Equal("kinds", Assert.Throws<ArgumentException>(() => UncertaintyWeightedLoss.Total([1.0], [0.0], [TaskKind.Regression, TaskKind.Regression])).ParamName);
        Assert.Equal("logSigma", Assert.Throws<ArgumentOutOfRangeException>(() => UncertaintyWeightedLoss.Term(1, double.NaN, TaskKind.Regression)).ParamName);
        Assert.Equal("taskLoss", Assert.Throws<ArgumentOutOfRangeException>(() => UncertaintyWeightedLoss.OptimalLogSigma(0, TaskKind.Regression)).ParamName);
        Assert.Equal("kind", Assert.Throws<ArgumentOutOfRangeException>(() => UncertaintyWeightedLoss.Factor((TaskKind)7)).ParamName);
    }
}
