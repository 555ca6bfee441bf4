using CourseLib.Environments;

namespace CourseLib.Tests.Environments;

[Trait("Category", "unit")]
public class EnvironmentCheckerTests
{
    [Fact]
    public void Every_course_environment_passes()
    {
        var reports = new List<EnvironmentCheckReport>
        {
            EnvironmentChecker.Check(() => new CartPole()),
            EnvironmentChecker.Check(() => new MountainCar()),
            EnvironmentChecker.Check<int, int>(() => FrozenLake.FourByFour()),
            EnvironmentChecker.Check<int, int>(() => FrozenLake.EightByEight()),
            EnvironmentChecker.Check<int, int>(() => FrozenLake.FourByFour(isSlippery: false)),
            EnvironmentChecker.Check<int, int>(() => new CliffWalking(maxEpisodeSteps: 200)),
            EnvironmentChecker.Check<int, int>(() => new GridWorld(new GridWorldOptions { Map = ["S..#", "..#G", "C..."], StepReward = -1 })),
            EnvironmentChecker.Check(() => new Pong(), steps: 400),
            EnvironmentChecker.Check(() => new TimeLimit<CartPoleObservation, int>(new CartPole(), 50)),
            EnvironmentChecker.Check(() => new EpisodeStatistics<MountainCarObservation, int>(new MountainCar())),
            EnvironmentChecker.Check(() => new FrameDifference<int>(new Pong()), steps: 400),
            EnvironmentChecker.Check(() => new Downsample<int>(new Pong(new PongOptions { Width = 80, Height = 80 }), 2), steps: 400),
            EnvironmentChecker.Check(() => new CheckedEnvironment<CartPoleObservation, int>(new CartPole())),
        };
        foreach (var report in reports)
        {
            Assert.True(report.Passed, report.ToString());
            Assert.DoesNotContain(report.Checks, c => c.Outcome == CheckOutcome.Warning);
        }
    }

    [Fact]
    public void The_report_is_readable_text()
    {
        var text = EnvironmentChecker.Check(() => new CartPole()).ToString();
        Assert.StartsWith("Environment check of CartPole: passed", text);
        Assert.Contains("PASS  The same seed and actions give the same trajectory, bit for bit", text);
    }

    [Fact]
    public void A_student_environment_with_classic_mistakes_gets_each_one_explained()
    {
        var report = EnvironmentChecker.Check(() => new SloppyWalk());
        Assert.False(report.Passed);
        var failed = report.Failures.Select(f => f.Rule).ToList();
        Assert.Contains("Step before the first Reset throws InvalidOperationException", failed);
        Assert.Contains("Reset with the same seed returns the same first observation", failed);
        Assert.Contains("The same seed and actions give the same trajectory, bit for bit", failed);
        Assert.Contains("Step after the end of an episode throws InvalidOperationException", failed);
        Assert.Contains("Actions outside ActionSpace are refused with ArgumentException (e.g. ArgumentOutOfRangeException)", failed);
        Assert.Contains("System.Random", report.ToString());
        var e = Assert.Throws<EnvironmentContractException>(() => report.ThrowIfFailed());
        Assert.Contains("FAIL", e.Message);
    }

    [Fact]
    public void NaN_observations_out_of_range_values_and_shared_buffers_are_caught()
    {
        var nan = EnvironmentChecker.Check(() => new FrameEnv(nanAt: 5, shareBuffer: false));
        Assert.Contains(nan.Failures, f => f.Rule == "Step returns observations inside ObservationSpace" && f.Explanation!.Contains("NaN"));
        var shared = EnvironmentChecker.Check(() => new FrameEnv(nanAt: -1, shareBuffer: true));
        Assert.Contains(shared.Failures, f => f.Rule == "Returned observations are not changed by later steps");
        var fine = EnvironmentChecker.Check(() => new FrameEnv(nanAt: -1, shareBuffer: false));
        Assert.True(fine.Passed, fine.ToString());
    }

    [Fact]
    public void The_checked_wrapper_stops_bad_calls_and_bad_results_with_the_valid_range()
    {
        var env = new CheckedEnvironment<float[], int>(new FrameEnv(nanAt: 3, shareBuffer: false));
        Assert.Contains("before Reset", Assert.Throws<InvalidOperationException>(() => env.Step(0)).Message);
        env.Reset(seed: 0);
        var bad = Assert.Throws<ArgumentOutOfRangeException>(() => env.Step(7));
        Assert.Contains("7 is outside 0..1", bad.Message);
        Assert.Contains("Discrete(2)", bad.Message);
        env.Step(0);
        env.Step(1);
        var nan = Assert.Throws<InvalidOperationException>(() => env.Step(0));
        Assert.Contains("NaN", nan.Message);
        Assert.Contains("FloatBox(4)", nan.Message);
    }

    /// <summary>A 1-D walk with the mistakes students make: System.Random, no end-of-episode guard, no action check.</summary>
    sealed class SloppyWalk : IEnvironment<int, int>
    {
        readonly Random _random = new();
        int _position;
        public Space<int> ObservationSpace { get; } = new Discrete(11);
        public Space<int> ActionSpace { get; } = new Discrete(2);
        public ResetResult<int> Reset(int? seed = null) { _position = _random.Next(2, 9); return new(_position); }
        public StepResult<int> Step(int action)
        {
            _position = Math.Clamp(_position + (action == 1 ? 1 : -1) * (_random.Next(2) + 1) / 1, 0, 10);
            bool end = _position is 0 or 10;
            return new StepResult<int>(_position, end ? 1 : 0, end, false);
        }
    }

    /// <summary>Frames of 4 floats; optionally NaN at step <c>nanAt</c>, optionally the same array every time.</summary>
    sealed class FrameEnv(int nanAt, bool shareBuffer) : IEnvironment<float[], int>
    {
        readonly float[] _buffer = new float[4];
        int _t;
        bool _done = true;
        public Space<float[]> ObservationSpace { get; } = new FloatBox([4], 0, 1);
        public Space<int> ActionSpace { get; } = new Discrete(2);
        public ResetResult<float[]> Reset(int? seed = null) { _t = 0; _done = false; return new(Frame()); }
        public StepResult<float[]> Step(int action)
        {
            if ((uint)action > 1) throw new ArgumentOutOfRangeException(nameof(action));
            if (_done) throw new InvalidOperationException("call Reset first");
            _t++;
            _done = _t == 10;
            return new StepResult<float[]>(Frame(), 0, _done, false);
        }
        float[] Frame()
        {
            var f = shareBuffer ? _buffer : new float[4];
            f[_t % 4] = 1;
            if (_t == nanAt) f[2] = float.NaN;
            return f;
        }
    }
}
