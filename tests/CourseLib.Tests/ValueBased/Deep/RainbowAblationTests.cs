using CourseLib.Training;
using CourseLib.ValueBased.Deep;

namespace CourseLib.Tests.ValueBased.Deep;

/// <summary>Notebook 06's ablation: the eight settings, runs side by side equal runs one after the other, clear errors.</summary>
[Trait("Category", "unit")]
public class RainbowAblationTests
{
    static readonly DqnOptions Plain = DqnOptions.CartPoleTuned with { DoubleQ = false, NSteps = 1, LearningStarts = 200, HiddenLayers = [16, 16] };
    static readonly EvaluationOptions Schedule = new() { EverySteps = 500, Episodes = 2 };

    [Fact]
    public void The_variants_add_each_component_alone_and_then_all_six()
    {
        var variants = RainbowAblation.Variants(Plain);
        Assert.Equal(8, variants.Count);
        Assert.Equal(Plain, variants[0].Settings);
        Assert.True(variants[1].Settings.DoubleQ);
        Assert.True(variants[5].Settings.Distributional);
        var all = variants[^1].Settings;
        Assert.True(all.DoubleQ && all.Dueling && all.PrioritizedReplay && all.NSteps == 3 && all.Distributional && all.NoisyNetworks);
        Assert.Equal(7, variants.Skip(1).Take(6).Select(v => v.Settings).Append(Plain).Distinct().Count());
    }

    [Fact]
    public void Runs_side_by_side_give_the_same_curves_as_one_after_the_other()
    {
        var variants = RainbowAblation.Variants(Plain).Take(2).Append(RainbowAblation.Variants(Plain)[^1]).ToList();
        using var parallel = RainbowAblation.CartPole(variants, 1_000, 2, Schedule, parallelism: 2);
        using var sequential = RainbowAblation.CartPole(variants, 1_000, 2, Schedule, parallelism: 1);
        Assert.Equal([500.0, 1_000.0], parallel.EvaluationSteps);
        Assert.Equal(3, parallel.Curves.Count);
        for (int v = 0; v < 3; v++)
        {
            Assert.Equal(variants[v].Name, parallel.Curves[v].Name);
            Assert.Equal(sequential.Curves[v].ReturnsPerSeed, parallel.Curves[v].ReturnsPerSeed);
            Assert.Equal(parallel.Curves[v].ReturnsPerSeed.Average(r => r[1]), parallel.Curves[v].MeanReturns[1], 9);
        }
        Assert.True(parallel.LastVariantAgent.Options.Distributional);
    }

    [Fact]
    public void Bad_arguments_name_themselves()
    {
        var variants = RainbowAblation.Variants(Plain);
        Assert.Equal("seeds", Assert.ThrowsAny<ArgumentException>(() => RainbowAblation.CartPole(variants, 1_000, 0, Schedule)).ParamName);
        Assert.Equal("steps", Assert.ThrowsAny<ArgumentException>(() => RainbowAblation.CartPole(variants, 100, 1, Schedule)).ParamName);
        Assert.Equal("schedule", Assert.ThrowsAny<ArgumentException>(() => RainbowAblation.CartPole(variants, 1_000, 1, Schedule with { StopAtMeanReturn = 100 })).ParamName);
        Assert.Equal("schedule", Assert.ThrowsAny<ArgumentException>(() => RainbowAblation.CartPole(variants, 1_000, 1, EvaluationOptions.None)).ParamName);
        Assert.Equal("variants", Assert.ThrowsAny<ArgumentException>(() => RainbowAblation.CartPole([], 1_000, 1, Schedule)).ParamName);
    }
}
