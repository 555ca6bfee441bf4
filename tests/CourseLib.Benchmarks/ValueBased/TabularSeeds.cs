using CourseLib.Charts;
using CourseLib.Environments;
using CourseLib.Mdp;
using CourseLib.Training;
using CourseLib.ValueBased;

namespace CourseLib.Benchmarks.ValueBased;

/// <summary>
/// The seed sweeps behind the tabular learning tests, notebook 05's claims and the "write the loop" outcome check
/// (pure C# doubles: the same figures on every CPU). Each prints one line per setting and a summary.
/// <list type="bullet">
/// <item><c>--tabular-seeds cliff [seeds] [maxSteps]</c>: Q-learning on CliffWalking (ε = 0.1, α = 0.5, γ = 1, episodes cut at
///   maxSteps, default 200): for each budget, how many of seeds 0..seeds−1 have a greedy path of return −13.</item>
/// <item><c>--tabular-seeds wrong [seeds]</c>: the same with the TD error's sign flipped (the update moves away from the target).</item>
/// <item><c>--tabular-seeds sarsa [seeds]</c>: Q-learning against SARSA on CliffWalking (ε = 0.1, α = 0.1, 500 episodes): online
///   return of the last 200 episodes and the greedy path's return, per seed.</item>
/// <item><c>--tabular-seeds lake [seeds]</c>: Q-learning on FrozenLake 4x4 (20,000 episodes, ε 1 → 0.05 over 10,000, α = 0.05,
///   γ = 0.999): the learned greedy policy's exact success probability against the optimum.</item>
/// <item><c>--tabular-seeds checks [seeds]</c>: notebook 05's loop checks, hidden size, on grading seeds 0..seeds−1 with the
///   library's loop and with a right loop that draws its random numbers in another order: how many runs fail (none should).</item>
/// <item><c>--tabular-seeds speed</c>: the tabular line of <c>--value-based-speed</c> alone (updates per second).</item>
/// </list>
/// Run: dotnet run -c Release --project tests/CourseLib.Benchmarks -- --tabular-seeds cliff 200
/// </summary>
static class TabularSeeds
{
    public static int Run(string[] args)
    {
        TrainingProgress.Mode = ProgressMode.None;
        string what = args.Length > 0 ? args[0] : "cliff";
        int seeds = args.Length > 1 ? int.Parse(args[1]) : 100;
        switch (what)
        {
            case "cliff": Cliff(seeds, args.Length > 2 ? int.Parse(args[2]) : 200, QLearning.Update, "reference update"); break;
            case "wrong": Cliff(seeds, 200, WrongSign, "TD error's sign flipped"); break;
            case "sarsa": SarsaAgainstQLearning(seeds); break;
            case "lake": Lake(seeds); break;
            case "speed": ValueBasedSpeed.Tabular(); break;
            case "checks": RightLoopsOverGradingSeeds(seeds); break;
            default: Console.Error.WriteLine($"unknown sweep {what}: cliff, wrong, sarsa, lake or speed"); return 2;
        }
        return 0;
    }

    /// <summary>The typical mistake notebook 05 shows: Q(s,a) ← Q(s,a) − α (y − Q(s,a)).</summary>
    public static void WrongSign(double[,] q, int s, int a, double r, int next, bool terminated, double alpha, double gamma)
    {
        double best = double.NegativeInfinity;
        for (int b = 0; b < q.GetLength(1); b++) best = Math.Max(best, q[next, b]);
        double y = terminated ? r : r + gamma * best;
        q[s, a] -= alpha * (y - q[s, a]);
    }

    static void Cliff(int seeds, int maxSteps, Action<double[,], int, int, double, int, bool, double, double> update, string name)
    {
        int[] budgets = [25, 50, 60, 70, 75, 100, 150, 200, 300, 500];
        Console.WriteLine($"Q-learning on CliffWalking ({name}), ε = 0.1, α = 0.5, γ = 1, episodes cut at {maxSteps} steps; greedy path (ties to the lowest action, within the time limit)");
        var optimalAt = new int[budgets.Length];
        var returns = new List<double>[budgets.Length];
        for (int i = 0; i < budgets.Length; i++) returns[i] = [];
        long steps = 0;
        for (int seed = 0; seed < seeds; seed++)
        {
            var cliff = new CliffWalking(maxEpisodeSteps: maxSteps);
            var run = QLearning.Train(cliff, new EpsilonGreedy(0.1), new TabularOptions { Seed = seed, Episodes = budgets[^1], LearningRate = 0.5, Discount = 1.0,
                Evaluation = new EvaluationOptions { EverySteps = 1, Episodes = 1, Seed = 0 } }, qLearningUpdate: update);
            steps += run.Steps;
            // the evaluation after each episode (EverySteps = 1: after every episode), read at the budgets' ends
            for (int i = 0; i < budgets.Length; i++)
            {
                double r = run.Evaluations[budgets[i] - 1].MeanReturn;
                returns[i].Add(r);
                if (r == -13) optimalAt[i]++;
            }
        }
        for (int i = 0; i < budgets.Length; i++)
            Console.WriteLine($"{budgets[i],4} episodes: {optimalAt[i],4} of {seeds} seeds at −13; greedy returns {returns[i].Min()} .. {returns[i].Max()}, mean {returns[i].Average():0.0}");
        Console.WriteLine($"{steps / (double)seeds:0} training steps per {budgets[^1]}-episode run on average");
    }

    static void RightLoopsOverGradingSeeds(int seeds)
    {
        int failures = 0;
        var console = Console.Out;
        Environment.SetEnvironmentVariable("COURSELIB_GRADING_HIDDEN", "1");
        for (int seed = 0; seed < seeds; seed++)
        {
            Environment.SetEnvironmentVariable("COURSELIB_GRADING_SEED", seed.ToString());
            Console.SetOut(TextWriter.Null);                                        // the answers line a grading run prints
            var reports = new[]
            {
                Exercises.Check.QLearningEpisode(QLearning.Episode), Exercises.Check.QLearningEpisode(OtherDrawOrder),
                Exercises.Check.QLearningCliffWalking(QLearning.Episode), Exercises.Check.QLearningCliffWalking(OtherDrawOrder),
            };
            Console.SetOut(console);
            foreach (var report in reports.Where(r => !r.Passed)) { failures++; Console.WriteLine($"grading seed {seed}: {report}"); }
        }
        Console.WriteLine($"{failures} failed check runs of {4 * seeds} (hidden size: 9 training seeds per outcome check)");
    }

    /// <summary>A right loop whose ε-greedy choice draws its random numbers in another order than the library's.</summary>
    static double OtherDrawOrder(IEnvironment<int, int> environment, double[,] q, double epsilon, double alpha, double gamma, Rng rng)
    {
        int s = environment.Reset().Observation;
        double total = 0;
        while (true)
        {
            int random = rng.NextInt(q.GetLength(1));
            double max = QTable.Row(q, s).ToArray().Max();
            var best = Enumerable.Range(0, q.GetLength(1)).Where(a => q[s, a] == max).ToArray();
            int greedy = best[rng.NextInt(best.Length)];
            int action = rng.NextDouble() < epsilon ? random : greedy;
            var step = environment.Step(action);
            QLearning.Update(q, s, action, step.Reward, step.Observation, step.Terminated, alpha, gamma);
            total += step.Reward;
            if (step.Done) return total;
            s = step.Observation;
        }
    }

    static void SarsaAgainstQLearning(int seeds)
    {
        Console.WriteLine("CliffWalking, ε = 0.1, α = 0.1, γ = 1, 500 episodes: online mean of the last 200 episodes; greedy path return");
        var lead = new List<double>();
        for (int seed = 0; seed < seeds; seed++)
        {
            var cliff = new CliffWalking();
            var options = new TabularOptions { Seed = seed, Episodes = 500, LearningRate = 0.1, Discount = 1.0 };
            var q = QLearning.Train(cliff, new EpsilonGreedy(0.1), options);
            var sarsa = Sarsa.Train(cliff, new EpsilonGreedy(0.1), options);
            double qOnline = q.Returns.TakeLast(200).Average(), sarsaOnline = sarsa.Returns.TakeLast(200).Average();
            double qGreedy = TabularRollout.Follow(cliff, q.Agent.GreedyPolicy(), 0, 100).Return;
            double sarsaGreedy = TabularRollout.Follow(cliff, sarsa.Agent.GreedyPolicy(), 0, 100).Return;
            lead.Add(sarsaOnline - qOnline);
            Console.WriteLine($"seed {seed,3}: online Q {qOnline,6:0.0}  SARSA {sarsaOnline,6:0.0}  (SARSA leads by {sarsaOnline - qOnline,5:0.0});  greedy Q {qGreedy}  SARSA {sarsaGreedy}");
        }
        Console.WriteLine($"SARSA's lead: {lead.Min():0.0} .. {lead.Max():0.0}, {lead.Count(l => l > 10)} of {seeds} above 10");
    }

    static void Lake(int seeds)
    {
        var lake = FrozenLake.FourByFour();
        double optimum = lake.SuccessProbability(ValueIteration.Run(lake.Mdp, 1.0).GreedyPolicy);
        Console.WriteLine($"FrozenLake 4x4, 20,000 episodes: success probability of the greedy policy (optimum {optimum:F4})");
        var gaps = new List<double>();
        for (int seed = 0; seed < seeds; seed++)
        {
            var run = QLearning.Train(lake, new DecayingEpsilonGreedy(1.0, 0.05, 10_000),
                new TabularOptions { Seed = seed, Episodes = 20_000, LearningRate = 0.05, Discount = 0.999 });
            double learned = lake.SuccessProbability(run.Agent.GreedyPolicy());
            gaps.Add(optimum - learned);
            Console.WriteLine($"seed {seed,3}: {learned:F4} (gap {optimum - learned:F4})");
        }
        Console.WriteLine($"gaps {gaps.Min():F4} .. {gaps.Max():F4}; within 0.02: {gaps.Count(g => g <= 0.02)} of {seeds}");
    }
}
