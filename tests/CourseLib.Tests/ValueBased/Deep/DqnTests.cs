using CourseLib.Environments;
using CourseLib.Training;
using CourseLib.ValueBased.Deep;
using CourseLib.ValueBased;

namespace CourseLib.Tests.ValueBased.Deep;

/// <summary>A one-float observation.</summary>
public readonly record struct Scalar(float Value) : IObservationVector<Scalar>
{
    public static int Length => 1;
    public void CopyTo(Span<float> destination) => destination[0] = Value;
    public static Scalar FromSpan(ReadOnlySpan<float> values) => new(values[0]);
}

/// <summary>
/// One state, two actions, reward 1, and every episode ends after one step, either by termination (then
/// Q(s, a) = 1) or by truncation (then the state goes on: Q(s, a) = 1 + γ max Q = 1/(1 − γ)).
/// </summary>
sealed class OneStepEnvironment(bool terminates) : IEnvironment<Scalar, int>
{
    public Space<Scalar> ObservationSpace { get; } = new Box<Scalar>([0f], [1f]);
    public Space<int> ActionSpace { get; } = new Discrete(2);
    public ResetResult<Scalar> Reset(int? seed = null) => new(new Scalar(1f));
    public StepResult<Scalar> Step(int action) => new(new Scalar(1f), 1.0, Terminated: terminates, Truncated: !terminates);
}

[Trait("Category", "unit")]
public class DqnTests
{
    static DqnOptions Small => new()
    {
        HiddenLayers = [16], LearningRate = 1e-2, Discount = 0.5, BufferSize = 500, BatchSize = 32,
        LearningStarts = 32, TrainFrequency = 1, TargetUpdateInterval = 25, ExplorationSteps = 100,
    };

    public DqnTests() => TrainingProgress.Mode = ProgressMode.None;

    [Theory]
    [InlineData(true, 1, 1.0)]
    [InlineData(false, 1, 2.0)]
    [InlineData(true, 3, 1.0)]
    [InlineData(false, 3, 2.0)]
    public void Termination_stops_the_bootstrap_and_truncation_does_not(bool terminates, int nSteps, double expectedQ)
    {
        using var agent = new DqnAgent(1, 2, Small with { NSteps = nSteps, Seed = 3 });
        Dqn.Train(agent, new OneStepEnvironment(terminates), 2_000);
        var q = new float[2];
        agent.QValues([1f], q);
        Assert.InRange(q[0], expectedQ - 0.05, expectedQ + 0.05);
        Assert.InRange(q[1], expectedQ - 0.05, expectedQ + 0.05);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_run_resumed_from_a_checkpoint_continues_exactly_as_the_uninterrupted_run(bool rainbow)
    {
        var hp = DqnOptions.CartPoleTuned with { LearningStarts = 200, BufferSize = 2_000, HiddenLayers = [32, 32], BatchSize = 32, Seed = 5 };
        if (rainbow) hp = hp with { Dueling = true, PrioritizedReplay = true, Distributional = true, NoisyNetworks = true, Atoms = 11 };
        using var original = new DqnAgent(4, 2, hp);
        Dqn.Train(original, new CartPole(), 600);
        var checkpoint = new MemoryStream();
        original.Save(checkpoint);
        checkpoint.Position = 0;
        using var resumed = DqnAgent.Load(checkpoint);
        Assert.Equal(original.StepCount, resumed.StepCount);
        Assert.Equal(original.UpdateCount, resumed.UpdateCount);
        Assert.Equal(original.Memory.Count, resumed.Memory.Count);
        Assert.Equal(original.Options, resumed.Options);

        var first = Dqn.Train(original, new CartPole(), 700);
        var second = Dqn.Train(resumed, new CartPole(), 700);
        Assert.Equal(first.Returns, second.Returns);
        Assert.Equal(first.History, second.History);
        for (int k = 0; k < original.Online.Parameters.Count; k++)
            Assert.Equal(original.Online.Parameters[k].Value.Span.ToArray(), resumed.Online.Parameters[k].Value.Span.ToArray());
    }

    [Fact]
    public void A_checkpoint_file_round_trips_and_a_wrong_file_is_rejected()
    {
        var path = Path.Combine(Path.GetTempPath(), $"dqn-{Guid.NewGuid():N}.ckpt");
        try
        {
            using var agent = new DqnAgent(4, 2, DqnOptions.CartPoleTuned with { LearningStarts = 100, Seed = 1 });
            Dqn.Train(agent, new CartPole(), 300);
            agent.Save(path);
            using var loaded = DqnAgent.Load(path);
            var observation = new float[] { 0.01f, -0.2f, 0.03f, 0.1f };
            float[] a = new float[2], b = new float[2];
            agent.QValues(observation, a);
            loaded.QValues(observation, b);
            Assert.Equal(a, b);
            File.WriteAllText(path, "not a checkpoint");
            Assert.Throws<InvalidDataException>(() => DqnAgent.Load(path));
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void A_diverging_loss_stops_training_naming_the_update()
    {
        using var agent = new DqnAgent(1, 2, Small with { LearningRate = 1e30, MaxGradientNorm = double.PositiveInfinity, Discount = 1.0, Seed = 1 });
        var e = Assert.Throws<InvalidOperationException>(() => Dqn.Train(agent, new OneStepEnvironment(false), 5_000));
        Assert.Contains("at update", e.Message);
    }

    [Fact]
    public void Options_out_of_range_are_rejected_by_name()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new DqnAgent(4, 2, new DqnOptions { Discount = 1.2 }));
        Assert.Equal("Discount", e.ParamName);
        Assert.Throws<ArgumentException>(() => Dqn.Train(new DqnAgent(1, 2, Small), new CartPole(), 10));
    }

    [Theory]
    [InlineData(double.PositiveInfinity)]
    [InlineData(double.NaN)]
    [InlineData(0.0)]
    public void A_learning_rate_that_is_not_a_finite_positive_number_is_rejected_naming_it(double learningRate)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new DqnAgent(4, 2, new DqnOptions { LearningRate = learningRate }));
        Assert.Equal("LearningRate", e.ParamName);
        Assert.Contains("LearningRate must be a finite number > 0", e.Message);
    }

    [Fact]
    public void Scheduled_evaluations_need_a_separate_environment_and_stop_at_the_goal()
    {
        var options = Small with { Evaluation = new EvaluationOptions { EverySteps = 100, Episodes = 3, StopAtMeanReturn = 1 } };
        using var agent = new DqnAgent(1, 2, options);
        var environment = new OneStepEnvironment(terminates: true);
        Assert.Throws<ArgumentException>(() => Dqn.Train(agent, environment, 1_000));
        Assert.Throws<ArgumentException>(() => Dqn.Train(agent, environment, 1_000, evaluationEnvironment: environment));
        var result = Dqn.Train(agent, environment, 1_000, new OneStepEnvironment(terminates: true));
        Assert.Same(agent, result.Agent);
        Assert.Equal(100, result.SolvedAtStep);                   // every episode returns 1: the first evaluation reaches it
        Assert.Equal([1.0, 1.0, 1.0], result.Evaluations.Single().Returns);
    }

    [Fact]
    public void Target_functions_must_match_the_options()
    {
        Func<double[], double, double[][], bool[], double[]> targets = TdTarget.DqnTargets;
        Func<double[], double, double[][], double[][], bool[], double[]> doubleTargets = TdTarget.DoubleDqnTargets;
        using var plain = new DqnAgent(1, 2, Small);
        using var doubleQ = new DqnAgent(1, 2, Small with { DoubleQ = true });
        using var c51 = new DqnAgent(1, 2, Small with { Distributional = true });
        var environment = new OneStepEnvironment(terminates: true);
        Assert.Equal("doubleDqnTargets", Assert.Throws<ArgumentException>(() => Dqn.Train(plain, environment, 10, doubleDqnTargets: doubleTargets)).ParamName);
        Assert.Equal("dqnTargets", Assert.Throws<ArgumentException>(() => Dqn.Train(doubleQ, environment, 10, dqnTargets: targets)).ParamName);
        Assert.Equal("dqnTargets", Assert.Throws<ArgumentException>(() => Dqn.Train(c51, environment, 10, dqnTargets: targets)).ParamName);
    }

    [Theory]
    [InlineData(false, 1)]
    [InlineData(true, 1)]
    [InlineData(false, 3)]
    [InlineData(true, 3)]
    public void Training_with_the_reference_target_functions_gives_the_built_in_targets(bool doubleQ, int nSteps)
    {
        // The functions see float Q-values widened to double and return double targets, rounded back to float: the same
        // numbers as the built-in float arithmetic to within a rounding, so the two runs' losses agree closely.
        var options = Small with { DoubleQ = doubleQ, NSteps = nSteps, Seed = 2 };
        using var builtIn = new DqnAgent(1, 2, options);
        using var withFunctions = new DqnAgent(1, 2, options);
        var a = Dqn.Train(builtIn, new OneStepEnvironment(false), 300);
        var b = doubleQ
            ? Dqn.Train(withFunctions, new OneStepEnvironment(false), 300, doubleDqnTargets: TdTarget.DoubleDqnTargets)
            : Dqn.Train(withFunctions, new OneStepEnvironment(false), 300, dqnTargets: TdTarget.DqnTargets);
        Assert.Equal(a.History.Count, b.History.Count);
        for (int k = 0; k < a.History.Count; k++) Assert.Equal(a.History[k].Loss, b.History[k].Loss, 1e-4);
    }
}
