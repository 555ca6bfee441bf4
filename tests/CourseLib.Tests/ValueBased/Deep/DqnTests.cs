using CourseLib.Environments;
using CourseLib.Training;
using CourseLib.ValueBased.Deep;

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
    static DqnHyperparameters Small => new()
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
        using var agent = new DqnAgent(1, 2, Small with { NSteps = nSteps }, seed: 3);
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
        var hp = DqnHyperparameters.CartPoleTuned with { LearningStarts = 200, BufferSize = 2_000, HiddenLayers = [32, 32], BatchSize = 32 };
        if (rainbow) hp = hp with { Dueling = true, PrioritizedReplay = true, Distributional = true, NoisyNetworks = true, Atoms = 11 };
        using var original = new DqnAgent(4, 2, hp, seed: 5);
        Dqn.Train(original, new CartPole(), 600);
        var checkpoint = new MemoryStream();
        original.Save(checkpoint);
        checkpoint.Position = 0;
        using var resumed = DqnAgent.Load(checkpoint);
        Assert.Equal(original.StepCount, resumed.StepCount);
        Assert.Equal(original.UpdateCount, resumed.UpdateCount);
        Assert.Equal(original.Memory.Count, resumed.Memory.Count);
        Assert.Equal(original.Hyperparameters, resumed.Hyperparameters);

        var first = Dqn.Train(original, new CartPole(), 700);
        var second = Dqn.Train(resumed, new CartPole(), 700);
        Assert.Equal(first.Returns, second.Returns);
        Assert.Equal(first.Losses, second.Losses);
        for (int k = 0; k < original.Online.Parameters.Count; k++)
            Assert.Equal(original.Online.Parameters[k].Value.Span.ToArray(), resumed.Online.Parameters[k].Value.Span.ToArray());
    }

    [Fact]
    public void A_checkpoint_file_round_trips_and_a_wrong_file_is_rejected()
    {
        var path = Path.Combine(Path.GetTempPath(), $"dqn-{Guid.NewGuid():N}.ckpt");
        try
        {
            using var agent = new DqnAgent(4, 2, DqnHyperparameters.CartPoleTuned with { LearningStarts = 100 }, seed: 1);
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
        using var agent = new DqnAgent(1, 2, Small with { LearningRate = 1e30, MaxGradientNorm = double.PositiveInfinity, Discount = 1.0 }, seed: 1);
        var e = Assert.Throws<InvalidOperationException>(() => Dqn.Train(agent, new OneStepEnvironment(false), 5_000));
        Assert.Contains("at update", e.Message);
    }

    [Fact]
    public void Hyperparameters_out_of_range_are_rejected_by_name()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new DqnAgent(4, 2, new DqnHyperparameters { Discount = 1.2 }, 0));
        Assert.Equal("Discount", e.ParamName);
        Assert.Throws<ArgumentException>(() => Dqn.Train(new DqnAgent(1, 2, Small, 0), new CartPole(), 10));
    }
}
