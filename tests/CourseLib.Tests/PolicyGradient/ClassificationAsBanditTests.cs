using CourseLib.Data;
using CourseLib.PolicyGradient;

namespace CourseLib.Tests.PolicyGradient;

public class ClassificationAsBanditTests
{
    static readonly (Digits Train, Digits Test) Data = Digits.Load().Split(0.25, seed: 0);

    [Trait("Category", "learning")]
    [Fact]
    public void REINFORCE_with_only_a_0_1_reward_beats_85_percent_held_out_accuracy()
    {
        var result = ClassificationAsBandit.TrainWithReinforce(Data.Train, Data.Test, new DigitsClassifierOptions { Updates = 1000 }, seed: 0);
        Assert.True(result.FinalAccuracy > 0.85, $"seed 0, 1000 updates: held-out accuracy {result.FinalAccuracy:P1}, above 85% needed");
        Assert.True(result.HeldOutAccuracy[0] < 0.3, "an untrained policy should be near chance (10%)");
        Assert.Equal(ClassificationAsBandit.Accuracy(result.Policy, Data.Test), result.FinalAccuracy);
        Assert.Equal(0, result.Updates[0]);
        Assert.Equal(1000, result.Updates[^1]);
    }

    [Trait("Category", "learning")]
    [Fact]
    public void Cross_entropy_training_on_the_same_network_also_learns()
    {
        var result = ClassificationAsBandit.TrainWithCrossEntropy(Data.Train, Data.Test, new DigitsClassifierOptions { Updates = 300 }, seed: 0);
        Assert.True(result.FinalAccuracy > 0.9, $"seed 0, 300 updates: held-out accuracy {result.FinalAccuracy:P1}, above 90% needed");
        Assert.InRange(result.MeanReward[^1], 0, 1);
    }

    [Trait("Category", "unit")]
    [Fact]
    public void Along_a_line_the_accuracy_is_piecewise_constant_while_the_expected_reward_is_smooth()
    {
        var trained = ClassificationAsBandit.TrainWithCrossEntropy(Data.Train, Data.Test, new DigitsClassifierOptions { Updates = 200 }, seed: 1);
        var before = trained.Policy.Probabilities(Data.Test.Images[0].Select(p => p / 16f).ToArray());
        var scan = ZeroOneLandscape.AlongRandomLine(trained.Policy, Data.Test, points: 101, range: 1.0, seed: 2);
        // The 0/1 objective takes few distinct values and has zero slope almost everywhere ...
        Assert.True(scan.FlatFraction >= 0.9, $"flat at {scan.FlatFraction:P0} of the points");
        Assert.True(scan.Accuracy.Distinct().Count() < 60);
        Assert.All(scan.Accuracy, a => Assert.Equal(0, (a * Data.Test.Count) - Math.Round(a * Data.Test.Count), 6));
        // ... while the expected reward and the cross-entropy change at every step along the line.
        Assert.Equal(101, scan.ExpectedReward.Distinct().Count());
        Assert.Equal(101, scan.CrossEntropy.Distinct().Count());
        // The scan leaves the policy as it was.
        Assert.Equal(before, trained.Policy.Probabilities(Data.Test.Images[0].Select(p => p / 16f).ToArray()));
    }

    [Trait("Category", "unit")]
    [Fact]
    public void Options_outside_their_range_are_rejected_by_name()
    {
        Assert.Equal("BatchSize", Assert.Throws<ArgumentOutOfRangeException>(() =>
            ClassificationAsBandit.TrainWithReinforce(Data.Train, Data.Test, new DigitsClassifierOptions { BatchSize = 0 })).ParamName);
        Assert.Equal("LearningRate", Assert.Throws<ArgumentOutOfRangeException>(() =>
            ClassificationAsBandit.TrainWithCrossEntropy(Data.Train, Data.Test, new DigitsClassifierOptions { LearningRate = -1 })).ParamName);
    }

    [Trait("Category", "unit")]
    [Fact]
    public void Training_can_be_cancelled()
    {
        using var cancellation = new CancellationTokenSource();
        cancellation.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() =>
            ClassificationAsBandit.TrainWithReinforce(Data.Train, Data.Test, new DigitsClassifierOptions(), cancellationToken: cancellation.Token));
    }
}
