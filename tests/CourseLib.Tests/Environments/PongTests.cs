using CourseLib.Environments;

namespace CourseLib.Tests.Environments;

[Trait("Category", "unit")]
public class PongTests
{
    /// <summary>A simple tracking policy that reads only pixels: move the paddle's centre towards the ball's row.</summary>
    internal static int Track(float[] frame, int width, int height)
    {
        int ballRow = -1;
        for (int r = 0; r < height; r++)
            for (int c = 2; c < width - 2; c++)
                if (frame[r * width + c] > 0) ballRow = r;
        if (ballRow < 0) return 0;
        double sum = 0;
        int n = 0;
        for (int r = 0; r < height; r++) if (frame[r * width + width - 2] > 0) { sum += r; n++; }
        double centre = sum / n;
        return ballRow < centre - 1 ? 1 : ballRow > centre + 1 ? 2 : 0;
    }

    static (int Won, int Lost) Play(Func<float[], Rng, int> policy, int episodes)
    {
        int won = 0, lost = 0;
        for (int episode = 0; episode < episodes; episode++)
        {
            var env = new Pong();
            var rng = new Rng(1000 + episode);
            var frame = env.Reset(seed: episode).Observation;
            while (true)
            {
                var step = env.Step(policy(frame, rng));
                frame = step.Observation;
                if (step.Reward > 0) won++;
                if (step.Reward < 0) lost++;
                if (step.Done) break;
            }
        }
        return (won, lost);
    }

    [Fact]
    public void A_random_policy_loses_most_points()
    {
        var (won, lost) = Play((_, rng) => rng.NextInt(3), 20);
        Assert.True(lost >= 3 * won, $"random policy won {won} and lost {lost} points");
        Assert.Equal(100, lost);   // every one of the 20 games goes to the opponent, 5 points each
    }

    [Fact]
    public void A_pixel_tracking_policy_wins_some_points_and_loses_few()
    {
        var (won, lost) = Play((frame, _) => Track(frame, 40, 40), 10);
        Assert.True(won >= 20 && lost <= won / 2, $"tracking policy won {won} and lost {lost} points");
    }

    [Fact]
    public void Frames_show_two_paddles_and_the_ball_and_nothing_else()
    {
        var env = new Pong();
        var frame = env.Reset(seed: 1).Observation;
        Assert.Equal(40 * 40, frame.Length);
        Assert.True(env.ObservationSpace.Contains(frame));
        Assert.Equal(2 * 5 + 1, frame.Count(v => v == 1));
        Assert.Equal(40 * 40 - 11, frame.Count(v => v == 0));
        var s = env.State;
        Assert.Equal(1f, frame[(int)s.BallY * 40 + (int)s.BallX]);
        for (int r = 0; r < 40; r++)
        {
            Assert.Equal(r >= (int)Math.Round(s.AgentPaddleTop) && r < (int)Math.Round(s.AgentPaddleTop) + 5 ? 1f : 0f, frame[r * 40 + 38]);
            Assert.Equal(r >= (int)Math.Round(s.OpponentPaddleTop) && r < (int)Math.Round(s.OpponentPaddleTop) + 5 ? 1f : 0f, frame[r * 40 + 1]);
        }
    }

    [Fact]
    public void Up_and_down_move_the_agents_paddle_and_the_frame_is_a_fresh_array_each_step()
    {
        var env = new Pong();
        env.Reset(seed: 2);
        double top = env.State.AgentPaddleTop;
        var first = env.Step(1).Observation;
        Assert.Equal(top - 2, env.State.AgentPaddleTop);
        var second = env.Step(2).Observation;
        Assert.Equal(top, env.State.AgentPaddleTop);
        Assert.NotSame(first, second);
        Assert.NotEqual(first, second);
    }

    [Fact]
    public void The_same_seed_gives_the_same_game_frame_for_frame()
    {
        static List<float[]> Frames(int seed)
        {
            var env = new Pong();
            var rng = new Rng(seed);
            var frames = new List<float[]> { env.Reset(seed).Observation };
            for (int i = 0; i < 400; i++)
            {
                var step = env.Step(rng.NextInt(3));
                frames.Add(step.Observation);
                if (step.Done) frames.Add(env.Reset().Observation);
            }
            return frames;
        }
        var a = Frames(5);
        var b = Frames(5);
        Assert.Equal(a.Count, b.Count);
        for (int i = 0; i < a.Count; i++) Assert.Equal(a[i], b[i]);
        Assert.NotEqual(a.Skip(100).First(), Frames(6).Skip(100).First());
    }

    [Fact]
    public void First_to_N_points_terminates_and_the_step_cap_truncates()
    {
        var env = new Pong(new PongOptions { PointsToWin = 2 });
        env.Reset(seed: 3);
        StepResult<float[]> step;
        double total = 0;
        do { step = env.Step(0); total += step.Reward; } while (!step.Done);
        Assert.True(step.Terminated);
        Assert.True(env.State.AgentScore == 2 || env.State.OpponentScore == 2);
        Assert.Equal(env.State.AgentScore - env.State.OpponentScore, total);

        var capped = new Pong(new PongOptions { MaxEpisodeSteps = 10 });
        capped.Reset(seed: 3);
        for (int i = 0; i < 9; i++) Assert.False(capped.Step(0).Done);
        step = capped.Step(0);
        Assert.True(step.Truncated && !step.Terminated);
    }

    [Fact]
    public void Allocation_free_steps_draw_the_same_frames()
    {
        var a = new Pong();
        var b = new Pong();
        a.Reset(seed: 4);
        b.Reset(seed: 4);
        var buffer = new float[1600];
        for (int i = 0; i < 300; i++)
        {
            var expected = a.Step(i % 3);
            var (reward, terminated, truncated) = b.Step(i % 3, buffer);
            Assert.Equal(expected.Observation, buffer);
            Assert.Equal((expected.Reward, expected.Terminated, expected.Truncated), (reward, terminated, truncated));
            if (terminated || truncated) { a.Reset(); b.Reset(); }
        }
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 2000; i++)
        {
            var (_, terminated, truncated) = b.Step(i % 3, buffer);
            if (terminated || truncated) b.Reset();
        }
        // Only Reset allocates (its first frame); steps themselves allocate nothing.
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 30 * 6500);
    }

    [Fact]
    public void Misuse_is_explained()
    {
        var env = new Pong();
        Assert.Contains("call Reset first", Assert.Throws<InvalidOperationException>(() => env.Step(0)).Message);
        env.Reset(seed: 0);
        Assert.Contains("0 (stay), 1 (up) or 2 (down)", Assert.Throws<ArgumentOutOfRangeException>(() => env.Step(3)).Message);
        Assert.Contains("needs 1600", Assert.Throws<ArgumentException>(() => env.Step(0, new float[100])).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new Pong(new PongOptions { PaddleHeight = 40 }));
    }
}
