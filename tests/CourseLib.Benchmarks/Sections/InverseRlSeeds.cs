using System.Diagnostics;
using CourseLib.InverseRl;
using CourseLib.Mdp;
using CourseLib.Tests.InverseRl;
using CourseLib.Training;

namespace CourseLib.Benchmarks.Sections;

/// <summary>
/// The seed sweeps behind the inverse-RL learning tests (on demand; never part of the tests).
/// <list type="bullet">
/// <item><c>--maxent-irl-seeds [demonstrations] [seeds]</c>: per demonstration seed, the normalised true return of the policy
///   optimal for the recovered reward (1 = the expert, 0 = random), with the library's feature expectations and with each
///   of notebook 08's wrong ones.</item>
/// <item><c>--gail-seeds [demonstrations] [seeds]</c>: per seed (demonstrations and GAIL), the normalised true return of GAIL's
///   policy and the total-variation distance of its occupancy measure from the expert's.</item>
/// </list>
/// Run: dotnet run -c Release --project tests/CourseLib.Benchmarks -- --maxent-irl-seeds 20 10
/// </summary>
static class InverseRlSeeds
{
    static double Score(LavaWorld world, double[,] policy, double[,] expert)
    {
        var uniform = TabularPolicy.Uniform(world.Dynamics);
        return (world.TrueReturn(policy) - world.TrueReturn(uniform)) / (world.TrueReturn(expert) - world.TrueReturn(uniform));
    }

    public static int MaxEntIrl(string[] args)
    {
        TrainingProgress.Mode = ProgressMode.None;
        CourseLib.Exercises.Solution.Notes = TextWriter.Null;
        int count = args.Length > 0 ? int.Parse(args[0]) : 20, seeds = args.Length > 1 ? int.Parse(args[1]) : 10;
        var world = new LavaWorld();
        var expert = world.Expert(0.95, 0.5);
        var mistakes = InverseRlSolutions.FeatureExpectationsMistakes;
        Console.WriteLine($"Max-ent IRL, default lava world, {count} demonstrations per seed, defaults (200 updates): normalised true return");
        Console.WriteLine($"seed  reference  right(notebook)  {string.Join("  ", mistakes.Select(m => m.Name))}");
        var clock = Stopwatch.StartNew();
        for (int seed = 0; seed < seeds; seed++)
        {
            var demos = Demonstrations.Sample(world.CreateEnvironment(), expert, count, seed);
            var reference = CourseLib.InverseRl.MaxEntIrl.Train(world.Dynamics, world.Features, demos);
            var right = CourseLib.InverseRl.MaxEntIrl.Train(world.Dynamics, world.Features, demos, featureExpectations: InverseRlSolutions.FeatureExpectations);
            bool same = reference.Theta.SequenceEqual(right.Theta);
            var wrong = mistakes.Select(m => Score(world, world.PolicyOptimalFor(
                CourseLib.InverseRl.MaxEntIrl.Train(world.Dynamics, world.Features, demos, featureExpectations: m.Function).StateReward), expert)).ToArray();
            var perCell = CourseLib.InverseRl.MaxEntIrl.Train(world.Dynamics, StateFeatures.OneHot(world.StateCount), demos,
                new MaxEntIrlOptions { LearningRate = 0.1, L2 = 0.01, Updates = 300 });
            double lava = world.LavaStates.Average(s => perCell.StateReward[s]);
            double free = Enumerable.Range(0, world.StateCount).Where(s => world.CellOf(s) == '.').Average(s => perCell.StateReward[s]);
            bool goalFirst = Array.IndexOf(perCell.StateReward, perCell.StateReward.Max()) == world.Grid.GoalStates[0];
            Console.WriteLine($"{seed,4}  {Score(world, world.PolicyOptimalFor(reference.StateReward), expert),9:0.000}  {(same ? "identical" : "DIFFERENT"),15}  {string.Join("  ", wrong.Select(w => $"{w,9:0.000}"))}" +
                              $"   one reward per cell: {Score(world, world.PolicyOptimalFor(perCell.StateReward), expert):0.000}, goal first {goalFirst}, lava {lava:0.00} vs free {free:0.00}");
        }
        Console.WriteLine($"{clock.Elapsed.TotalSeconds:0} s");
        return 0;
    }

    public static int Gail(string[] args)
    {
        TrainingProgress.Mode = ProgressMode.None;
        int count = args.Length > 0 ? int.Parse(args[0]) : 20, seeds = args.Length > 1 ? int.Parse(args[1]) : 10;
        var world = new LavaWorld();
        var expert = world.Expert(0.95, 0.5);
        var expertOccupancy = Occupancy.Exact(world.Dynamics, expert, 0.95, world.Options.MaxEpisodeSteps);
        Console.WriteLine($"GAIL (defaults, log D), default lava world, {count} demonstrations per seed: normalised true return, TV distance to the expert");
        var clock = Stopwatch.StartNew();
        for (int seed = 0; seed < seeds; seed++)
        {
            var env = world.CreateEnvironment();
            var demos = Demonstrations.Sample(env, expert, count, seed);
            var result = CourseLib.InverseRl.Gail.Train(env, demos, new GailOptions { Seed = seed });
            double distance = Occupancy.TotalVariation(Occupancy.Exact(world.Dynamics, result.Agent, 0.95, world.Options.MaxEpisodeSteps), expertOccupancy);
            Console.WriteLine($"seed {seed}: score {Score(world, result.Agent, expert):0.000}  TV {distance:0.000}  D(expert) {result.History[^1].ExpertScore:0.000}  D(policy) {result.History[^1].PolicyScore:0.000}");
        }
        Console.WriteLine($"{clock.Elapsed.TotalSeconds:0} s");
        return 0;
    }
}
