using CourseLib.Environments;
using CourseLib.Exercises;
using CourseLib.Training;

namespace CourseLib.Tests.Training;

/// <summary>The pieces every trainer shares: the evaluation schedule, the evaluation, the result, the checks of options.</summary>
[Trait("Category", "unit")]
public class SharedSurfaceTests
{
    [Fact]
    public void Evaluation_resets_from_consecutive_seeds_and_repeats_exactly()
    {
        var options = new EvaluationOptions { Episodes = 5, Seed = 42 };
        var first = Evaluation.Run(new CartPole(), _ => 0, options, step: 7);
        var again = Evaluation.Run(new CartPole(), _ => 0, options, step: 7);
        Assert.Equal(first.Returns, again.Returns);
        Assert.Equal(7, first.Step);
        Assert.Equal(5, first.Returns.Length);
        // Always pushing left ends CartPole within a few dozen steps, never at the 500-step limit.
        Assert.All(first.Returns, r => Assert.InRange(r, 5, 60));
        Assert.Equal(first.Returns.Average(), first.MeanReturn, 12);
        Assert.Equal(first.Returns.Min(), first.MinimumReturn);
        // Each episode k starts from Reset(Seed + k): episode 1 here is episode 0 from seed 43.
        var shifted = Evaluation.Run(new CartPole(), _ => 0, new EvaluationOptions { Episodes = 1, Seed = 43 });
        Assert.Equal(first.Returns[1], shifted.Returns[0]);
    }

    [Fact]
    public void Evaluation_options_are_validated_by_name()
    {
        new EvaluationOptions().Validate();
        Assert.False(EvaluationOptions.None.Enabled);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new EvaluationOptions { Episodes = 0 }.Validate());
        Assert.Equal("Episodes", e.ParamName);
        e = Assert.Throws<ArgumentOutOfRangeException>(() => new EvaluationOptions { StopAtMeanReturn = 475 }.Validate());
        Assert.Equal("StopAtMeanReturn", e.ParamName);
        e = Assert.Throws<ArgumentOutOfRangeException>(() => new EvaluationOptions { EverySteps = -1 }.Validate());
        Assert.Equal("EverySteps", e.ParamName);
        var due = new EvaluationOptions { EverySteps = 100, StopAtMeanReturn = 10 };
        Assert.False(due.IsDue(0));
        Assert.True(due.IsDue(200));
        Assert.False(due.IsDue(250));
        Assert.True(due.Reached(new EvaluationRecord(1, [10, 12])));
        Assert.False(due.Reached(new EvaluationRecord(1, [9, 10])));
    }

    [Theory]
    [InlineData(double.PositiveInfinity)]
    [InlineData(double.NaN)]
    [InlineData(0.0)]
    [InlineData(-1e-3)]
    public void A_learning_rate_must_be_finite_and_positive(double learningRate)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => Require.Positive(learningRate, "LearningRate"));
        Assert.Equal("LearningRate", e.ParamName);
        Assert.Contains("finite number > 0", e.Message);
    }

    [Fact]
    public void The_result_derives_returns_and_a_curve_from_its_episodes()
    {
        var result = new TrainingResult<string, int>
        {
            Agent = "agent", History = [1, 2], Steps = 300, Elapsed = TimeSpan.FromSeconds(3),
            Episodes = [new(50, 10, 50), new(150, 20, 100), new(300, 40, 150)],
        };
        Assert.Equal([10.0, 20, 40], result.Returns);
        Assert.Equal(30, result.RecentMeanReturn(2));
        Assert.Equal(100, result.StepsPerSecond, 6);
        Assert.Equal([10.0, 20, 40], result.ReturnCurve(300, 100));
        Assert.Empty(result.Evaluations);
    }

    [Fact]
    public void Torch_threads_are_one_inside_the_scope_and_restored_after()
    {
        int before = TorchSharp.torch.get_num_threads();
        using (TorchThreads.One()) Assert.Equal(1, TorchSharp.torch.get_num_threads());
        Assert.Equal(before, TorchSharp.torch.get_num_threads());
    }

    static double[] Reference(double[] rewards) => CourseLib.Mdp.Returns.DiscountedReturns(rewards, 1);

    [Fact]
    public void A_stub_falls_back_to_the_reference_and_says_so_once_a_written_function_is_used()
    {
        var notes = new StringWriter();
        var saved = Solution.Notes;
        Solution.Notes = notes;
        try
        {
            Func<double[], double[]> stub = _ => throw new NotImplementedException();
            var chosen = Solution.OrReference(stub, Reference, "RewardToGo");
            Assert.Equal([3.0, 2, 1], chosen([1, 1, 1]));
            Assert.Equal([2.0, 1], chosen([1, 1]));
            Assert.Equal("RewardToGo is not written yet: training with the library's SharedSurfaceTests.Reference.", notes.ToString().Trim());

            notes.GetStringBuilder().Clear();
            Func<double[], double[]> wrong = r => r.ToArray();   // a wrong solution is used, not replaced
            var used = Solution.OrReference(wrong, Reference, "RewardToGo");
            Assert.Equal([1.0, 1, 1], used([1, 1, 1]));
            Assert.Equal("Training with your RewardToGo.", notes.ToString().Trim());

            Func<double[], double[]> throws = _ => throw new InvalidOperationException("bug");
            Assert.Throws<InvalidOperationException>(() => Solution.OrReference(throws, Reference)([1.0]));
            Func<double[], double[]> reference = Reference;
            Assert.Same(reference, Solution.OrReference(null, reference));
        }
        finally { Solution.Notes = saved; }
    }
}
