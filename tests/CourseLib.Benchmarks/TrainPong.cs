using System.Diagnostics;
using System.Globalization;
using CourseLib.PolicyGradient;
using CourseLib.Training;
using CourseLib.Environments;

/// <summary>
/// Reproduces the course's trained Pong policy (data/pong-reinforce.policy and its learning curve
/// data/pong-reinforce-history.csv): REINFORCE with <see cref="PongPlay.Training"/> on <see cref="PongPlay.Pixels"/>.
/// Usage: --train-pong [decisions (default 3,000,000)] [seed (default 0)] [output folder (default data/)].
/// </summary>
static class TrainPong
{
    public static int Run(string[] args)
    {
        long decisions = args.Length > 0 ? long.Parse(args[0], CultureInfo.InvariantCulture) : 3_000_000;
        int seed = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 0;
        string folder = args.Length > 2 ? args[2] : CourseLib.Data.DataFiles.Folder;
        TrainingProgress.Mode = ProgressMode.Terminal;
        var clock = Stopwatch.StartNew();
        var result = Reinforce.Train(new PongFromPixels(PongPlay.Pixels), PongPlay.Training with { TotalSteps = decisions, Seed = seed },
            title: "REINFORCE on Pong from pixels");
        Console.WriteLine($"trained in {clock.Elapsed.TotalSeconds:F0} s");
        result.Agent.Save(Path.Combine(folder, "pong-reinforce.policy"));
        using (var csv = new StreamWriter(Path.Combine(folder, "pong-reinforce-history.csv")))
        {
            csv.WriteLine("update,decisions,episodes,mean_return,entropy");
            foreach (var h in result.History)
                csv.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{h.Update},{h.Steps},{h.Episodes},{h.MeanReturn:F4},{h.Entropy:F4}"));
        }
        foreach (var (name, policy) in new[] { ("random", (CategoricalPolicy)null), ("trained", result.Agent) })
        {
            var games = PongPlay.Play(policy, PongPlay.Pixels, games: 50, seed: 12345);
            Console.WriteLine($"{name}: points won {games.Average(g => g.AgentPoints):F2}, lost {games.Average(g => g.OpponentPoints):F2}, " +
                              $"balls returned {games.Average(g => g.BallsReturned):F1} per game");
        }
        return 0;
    }
}
