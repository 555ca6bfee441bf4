using CourseLib.Environments;

namespace CourseLib.Tests.Environments;

[Trait("Category", "unit")]
public class MountainCarTests
{
    /// <summary>Gymnasium's MountainCar-v0 update, written out again independently of the library.</summary>
    static (double Position, double Velocity) ReferenceStep((double Position, double Velocity) s, int action)
    {
        double v = s.Velocity + ((action - 1) * 0.001 + Math.Cos(3 * s.Position) * -0.0025);   // Python: velocity += (...)
        v = Math.Min(Math.Max(v, -0.07), 0.07);
        double x = Math.Min(Math.Max(s.Position + v, -1.2), 0.6);
        if (x == -1.2 && v < 0) v = 0;
        return (x, v);
    }

    [Fact]
    public void Steps_follow_gymnasiums_update_and_the_left_wall_stops_the_car()
    {
        var env = new MountainCar();
        var state = (-1.1, -0.05);
        env.ResetTo(-1.1, -0.05);
        bool hitWall = false;
        for (int t = 0; t < 200; t++)
        {
            int action = state.Item2 < 0 ? 0 : 2;   // push along the velocity (into the wall first)
            state = ReferenceStep(state, action);
            var step = env.Step(action);
            Assert.Equal(state, env.State);
            Assert.Equal(-1.0, step.Reward);
            hitWall |= state.Item1 == -1.2;
            if (step.Done) break;
        }
        Assert.True(hitWall);
    }

    [Fact]
    public void Rocking_reaches_the_flag_and_doing_nothing_is_truncated_at_200()
    {
        var env = new MountainCar();
        var obs = env.Reset(seed: 0).Observation;
        Assert.InRange(obs.Position, -0.6f, -0.4f);
        Assert.Equal(0f, obs.Velocity);
        StepResult<MountainCarObservation> step;
        int steps = 0;
        do { step = env.Step(obs.Velocity >= 0 ? 2 : 0); obs = step.Observation; steps++; } while (!step.Done);
        Assert.True(step.Terminated);
        Assert.True(obs.Position >= 0.5f);
        Assert.True(steps < 200);

        env.Reset(seed: 1);
        steps = 0;
        do { step = env.Step(1); steps++; } while (!step.Done);
        Assert.Equal(200, steps);
        Assert.True(step.Truncated && !step.Terminated);
    }

    [Fact]
    public void Same_seed_same_episode_and_bad_input_is_explained()
    {
        var a = new MountainCar();
        var b = new MountainCar();
        Assert.Equal(a.Reset(5), b.Reset(5));
        for (int i = 0; i < 50; i++) Assert.Equal(a.Step(i % 3), b.Step(i % 3));
        Assert.Contains("Discrete(3)", Assert.Throws<ArgumentOutOfRangeException>(() => a.Step(3)).Message);
        Assert.Equal("position", Assert.Throws<ArgumentOutOfRangeException>(() => a.ResetTo(double.NaN, 0)).ParamName);
    }
}
