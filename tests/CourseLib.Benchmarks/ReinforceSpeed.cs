using System.Diagnostics;
using CourseLib.Environments;
using CourseLib.PolicyGradient;
using CourseLib.Training;
using TorchSharp;
using static TorchSharp.torch;

/// <summary>
/// The speed requirement: REINFORCE on CartPole-v1 with a 4-128-2 policy, Adam lr 1e-2, batches of
/// 5000 steps, 50 epochs (250,000 environment steps), one thread, must run at least twice as fast as the same
/// configuration in Python with PyTorch (python/reinforce_cartpole.py). Also measures where the time goes: one
/// action's forward pass through torch versus the plain C# forward pass the trainer uses.
/// </summary>
static class ReinforceSpeed
{
    public static int Run(string[] args)
    {
        bool runPython = args.Contains("--python");
        int repeats = 3;
        TrainingProgress.Mode = ProgressMode.None;
        var options = new ReinforceOptions { HiddenSizes = [128], LearningRate = 1e-2, StepsPerUpdate = 5000, TotalSteps = 250_000 };

        // Warm-up (JIT, torch's first allocations), then the timed runs.
        Reinforce.Train(new CartPole(), options with { TotalSteps = 10_000, Seed = 99 });
        var seconds = new List<double>();
        for (int seed = 0; seed < repeats; seed++)
        {
            var clock = Stopwatch.StartNew();
            var result = Reinforce.Train(new CartPole(), options with { Seed = seed });
            seconds.Add(clock.Elapsed.TotalSeconds);
            Console.WriteLine($"C# seed {seed}: {clock.Elapsed.TotalSeconds:F2} s, {250_000 / clock.Elapsed.TotalSeconds:N0} steps/s, " +
                              $"{result.History.Count} updates, last batch mean return {result.History[^1].MeanReturn:F1}");
        }
        double median = seconds.Order().ElementAt(seconds.Count / 2);
        Console.WriteLine($"C# median: {median:F2} s for 250,000 steps (1 thread)");

        PerStepForward();

        if (runPython)
        {
            foreach (var sampler in new[] { "torch", "numpy" })
            {
                var line = PythonReference.Run("reinforce_cartpole.py", "--sampler", sampler, "--threads", "1");
                Console.WriteLine(line);
                var parts = line.Split(": ", 2);
                if (parts.Length == 2 && double.TryParse(parts[1].Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture, out var py))
                    Console.WriteLine($"  speed-up of C# over Python ({sampler} sampler): {py / median:F1}x");
            }
        }
        return 0;
    }

    /// <summary>One action's probabilities: torch forward of a [1, 4] tensor versus the plain C# forward.</summary>
    static void PerStepForward()
    {
        using var threads = TorchThreads.One();
        using var policy = new CategoricalPolicy(4, [128], 2, seed: 0);
        float[] x = [0.01f, -0.02f, 0.03f, 0.04f];
        const int n = 20_000;
        var probabilities = new double[2];
        var forward = new MlpForward(policy.Network);
        for (int i = 0; i < 1000; i++) forward.Probabilities(x, probabilities);
        var clock = Stopwatch.StartNew();
        for (int i = 0; i < n; i++) forward.Probabilities(x, probabilities);
        double plain = clock.Elapsed.TotalMicroseconds / n;

        double Torch(bool scoped)
        {
            var clock = Stopwatch.StartNew();
            for (int i = 0; i < n; i++)
            {
                if (scoped)
                {
                    using var scope = NewDisposeScope();
                    using var _ = inference_mode(true);
                    var p = nn.functional.softmax(policy.Network.forward(tensor(x).reshape(1, 4)), 1).data<float>();
                    probabilities[0] = p[0];
                }
                else
                {
                    using var _ = no_grad();
                    var p = nn.functional.softmax(policy.Network.forward(tensor(x).reshape(1, 4)), 1).data<float>();
                    probabilities[0] = p[0];
                }
            }
            return clock.Elapsed.TotalMicroseconds / n;
        }
        Torch(true);
        double scopedTorch = Torch(true);
        double leakyTorch = Torch(false);
        Console.WriteLine($"one action's forward pass: plain C# {plain:F2} µs; TorchSharp {scopedTorch:F1} µs (dispose scope, inference mode), " +
                          $"{leakyTorch:F1} µs (no_grad, tensors left to the GC)");
    }
}
