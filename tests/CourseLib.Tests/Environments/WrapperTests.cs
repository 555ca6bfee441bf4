using CourseLib.Environments;

namespace CourseLib.Tests.Environments;

[Trait("Category", "unit")]
public class WrapperTests
{
    [Fact]
    public void Time_limit_truncates_at_the_limit_and_refuses_steps_after_it()
    {
        var env = new TimeLimit<int, int>(FrozenLake.FourByFour(isSlippery: false), 7);
        env.Reset(seed: 0);
        for (int i = 1; i < 7; i++) Assert.False(env.Step(0).Done);
        var last = env.Step(0);
        Assert.True(last.Truncated);
        Assert.False(last.Terminated);
        Assert.Contains("time limit is 7", Assert.Throws<InvalidOperationException>(() => env.Step(0)).Message);
        env.Reset();
        Assert.Equal(0, env.ElapsedSteps);
    }

    [Fact]
    public void Time_limit_keeps_a_termination_that_comes_first()
    {
        var env = new TimeLimit<int, int>(FrozenLake.FourByFour(isSlippery: false), 6);
        env.Reset(seed: 0);
        foreach (int a in new[] { 1, 1, 2, 2, 1 }) env.Step(a);
        var last = env.Step(2);
        Assert.True(last.Terminated);
        Assert.False(last.Truncated);
    }

    [Fact]
    public void Episode_statistics_record_return_and_length_of_each_episode()
    {
        var env = new EpisodeStatistics<CartPoleObservation, int>(new CartPole());
        env.Reset(seed: 1);
        int length = 0;
        StepResult<CartPoleObservation> step;
        do { step = env.Step(1); length++; } while (!step.Done);
        var summary = Assert.Single(env.Episodes);
        Assert.Equal(new EpisodeSummary(length, length, true), summary);
        Assert.Equal(summary, step.Info![EpisodeStatistics<CartPoleObservation, int>.InfoKey]);
        env.Reset();
        env.Step(0);
        Assert.Equal(1.0, env.CurrentReturn);
        Assert.Single(env.Episodes);
    }

    [Fact]
    public void Frame_difference_is_zero_after_reset_and_then_the_change_between_frames()
    {
        var pong = new Pong();
        var env = new FrameDifference<int>(pong);
        var first = env.Reset(seed: 3).Observation;
        Assert.All(first, v => Assert.Equal(0f, v));
        var reference = new Pong();
        var previous = reference.Reset(seed: 3).Observation;
        for (int i = 0; i < 50; i++)
        {
            var current = reference.Step(i % 3).Observation;
            var difference = env.Step(i % 3).Observation;
            for (int k = 0; k < current.Length; k++) Assert.Equal(current[k] - previous[k], difference[k]);
            previous = current;
        }
        Assert.Equal("FloatBox(40x40): values in [-1, 1]", env.ObservationSpace.ToString());
    }

    [Fact]
    public void Downsampling_averages_or_takes_the_maximum_of_each_block()
    {
        float[] frame = [1, 0, 0, 0,
                         0, 0, 0, 1,
                         0, 0, 0, 0,
                         0, 0, 1, 1];
        Assert.Equal([0.25f, 0.25f, 0, 0.5f], Downsample<int>.Shrink(frame, 4, 4, 2));
        Assert.Equal([1f, 1f, 0, 1f], Downsample<int>.Shrink(frame, 4, 4, 2, DownsampleMode.Max));
        var env = new Downsample<int>(new Pong(new PongOptions { Width = 80, Height = 80 }), 2, DownsampleMode.Max);
        var obs = env.Reset(seed: 0).Observation;
        Assert.Equal(40 * 40, obs.Length);
        Assert.True(env.ObservationSpace.Contains(obs));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Downsample<int>(new Pong(), 3));
        Assert.Contains("a 4x4 frame needs 16", Assert.Throws<ArgumentException>(() => Downsample<int>.Shrink(new float[15], 4, 4, 2)).Message);
    }

    [Fact]
    public void Transform_observation_applies_the_function_to_every_observation()
    {
        var env = new TransformObservation<int, int, float[]>(FrozenLake.FourByFour(isSlippery: false),
            s => { var oneHot = new float[16]; oneHot[s] = 1; return oneHot; }, new FloatBox([16], 0, 1));
        Assert.Equal(1f, env.Reset(seed: 0).Observation[0]);
        Assert.Equal(1f, env.Step(1).Observation[4]);
    }
}
