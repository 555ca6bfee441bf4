using System.Diagnostics;
using CourseLib.ActorCritic;
using CourseLib.Environments;
using CourseLib.Training;

namespace CourseLib.Benchmarks.ActorCritic;

/// <summary>
/// <c>--a3c-gradient [steps] [seeds]</c>: A3C with the handwritten gradient against TorchSharp autograd on the workers
/// (<see cref="A3COptions.Gradient"/>). Per kind: the same budget on seeds 0..seeds−1 with 2 workers, the final greedy
/// policy's mean return over 20 fresh episodes, and steps per second of process CPU time (both cores count); first, one
/// worker update both ways (<see cref="WorkerGradients.Compare"/>).
/// </summary>
static class A3CGradientComparison
{
    public static int Run(string[] args)
    {
        TrainingProgress.Mode = ProgressMode.None;
        long steps = args.Length > 0 ? long.Parse(args[0]) : 200_000;
        int seeds = args.Length > 1 ? int.Parse(args[1]) : 4;
        // One worker update both ways, from the same weights and segment (what notebook 07 shows).
        var one = WorkerGradients.Compare(new A3COptions { Seed = 0 }, repetitions: 1_000);
        Console.WriteLine($"one worker gradient ({one.SegmentLength} states): handwritten {one.HandwrittenMicroseconds:0} µs, autograd {one.AutogradMicroseconds:0} µs " +
                          $"({one.AutogradSlowdown:0.0}×); largest difference {one.RelativeDifference:0.0e+0} of the largest component");
        Console.WriteLine($"A3C on CartPole-v1, 2 workers, {steps:N0} steps, seeds 0-{seeds - 1}; final greedy policy over 20 episodes");
        foreach (var kind in Enum.GetValues<A3CGradient>())
        {
            var finals = new List<double>();
            double cpu = 0, wall = 0;
            for (int seed = 0; seed < seeds; seed++)
            {
                var process = Process.GetCurrentProcess();
                var cpuBefore = process.TotalProcessorTime;
                var clock = Stopwatch.StartNew();
                var result = A3C.TrainCartPole(new A3COptions { Seed = seed, TotalSteps = steps, Gradient = kind });
                wall += clock.Elapsed.TotalSeconds;
                process.Refresh();
                cpu += (process.TotalProcessorTime - cpuBefore).TotalSeconds;
                finals.Add(Evaluation.Run(new CartPole(), result.Agent.Snapshot().GreedyAction, episodes: 20, seed: 10_000 + seed).MeanReturn);
                result.Agent.Dispose();
            }
            Console.WriteLine($"{kind,-12} final returns [{string.Join(", ", finals.Select(f => f.ToString("0")))}]  " +
                              $"{steps * seeds / cpu,8:N0} steps per CPU-second  {steps * seeds / wall,8:N0} steps/s wall");
        }
        return 0;
    }
}
