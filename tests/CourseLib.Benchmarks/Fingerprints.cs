using System.Globalization;
using System.Security.Cryptography;
using CourseLib.ActorCritic;
using CourseLib.Data;
using CourseLib.Environments;
using CourseLib.Frontiers;
using CourseLib.InverseRl;
using CourseLib.Mdp;
using CourseLib.PolicyGradient;
using CourseLib.Training;
using CourseLib.ValueBased;
using TorchSharp;
using static TorchSharp.torch;

namespace CourseLib.Benchmarks;

/// <summary>
/// <c>--fingerprints</c>: short seeded runs of every trainer that uses a shared piece (softmax, initialisation, gradient
/// clip, plain-C# forward), each printed as a hash of its final weights and its first numbers. A refactor of a shared
/// piece that is meant to change nothing is checked by running this before and after and comparing the output.
/// Run: dotnet run -c Release --project tests/CourseLib.Benchmarks -- --fingerprints
/// </summary>
static class Fingerprints
{
    public static int Run(string[] args)
    {
        TrainingProgress.Mode = ProgressMode.None;
        CourseLib.Exercises.Solution.Notes = TextWriter.Null;
        using var threads = TorchThreads.One();

        var reinforce = Reinforce.Train(new CartPole(), new ReinforceOptions { Seed = 0, TotalSteps = 20_000 });
        Print("REINFORCE CartPole seed 0, 20k steps", Weights(reinforce.Agent.Network), reinforce.History.Select(h => h.Loss));

        var a2c = A2C.TrainCartPole(new A2COptions { Seed = 0, TotalSteps = 20_000 });
        Print("A2C CartPole seed 0, 20k steps", Weights(a2c.Agent), a2c.History.Select(h => h.PolicyLoss + h.ValueLoss));

        var a3c = A3C.TrainCartPole(new A3COptions { Workers = 1, Seed = 4, TotalSteps = 5_000 });
        Print("A3C CartPole 1 worker seed 4, 5k steps", Weights(a3c.Agent), a3c.History.Select(h => h.PolicyLoss + h.ValueLoss));

        var (train, heldOut) = Digits.Load().Split(0.25, seed: 0);
        var digits = ClassificationAsBandit.TrainWithReinforce(train, heldOut, new DigitsClassifierOptions { Updates = 200, Seed = 0 });
        Print("digit classifier REINFORCE seed 0, 200 updates", Weights(digits.Policy.Network), digits.HeldOutAccuracy);

        using (var siamese = OneShotDigits.Run(Digits.Load(), new SiameseOptions { Seed = 0, Updates = 200 }))
            Print("Siamese one-shot digits seed 0, 200 updates", Weights(siamese.Model.Network), siamese.Model.History.Select(r => r.Loss));

        using (var multi = MultiTaskTrainer.Train(DigitMeasures.Inputs(train), DigitMeasures.Tasks(train), TaskWeighting.Uncertainty(),
                   new MultiTaskOptions { Seed = 0, Epochs = 3 }))
            Print("multi-task uncertainty seed 0, 3 epochs", [], multi.History.Select(e => e.TotalLoss));

        var world = new LavaWorld();
        var expert = world.Expert(0.95, 0.5);
        var env = world.CreateEnvironment();
        var demos = Demonstrations.Sample(env, expert, 20, 0);
        var gail = Gail.Train(env, demos, new GailOptions { Seed = 0 });
        Print("GAIL lava world seed 0", [], Flatten(gail.Agent).Concat(gail.History.Select(h => h.PolicyScore)));
        var irl = MaxEntIrl.Train(world.Dynamics, world.Features, demos);
        Print("max-ent IRL lava world seed 0", [], irl.Theta);

        var rng = new Rng(7);
        var matrix = new double[5, 4];
        for (int s = 0; s < 5; s++) for (int a = 0; a < 4; a++) matrix[s, a] = rng.Uniform(-30, 30);
        Print("TabularPolicy.Softmax τ=1, τ=0.3", [], Flatten(TabularPolicy.Softmax(matrix)).Concat(Flatten(TabularPolicy.Softmax(matrix, 0.3))));
        Print("TabularPolicyGradient.Policy rows", [], Enumerable.Range(0, 5).SelectMany(s => TabularPolicyGradient.Policy(matrix, s)));
        var boltzmann = new double[4];
        Boltzmann.Probabilities([matrix[0, 0], matrix[0, 1], matrix[0, 2], matrix[0, 3]], 0.7, boltzmann);
        Print("Boltzmann.Probabilities τ=0.7", [], boltzmann);
        Print("LogSoftmaxGradient", [], ClassificationAsBandit.LogSoftmaxGradient([matrix[1, 0], matrix[1, 1], matrix[1, 2], matrix[1, 3]], 2));
        var mlpProbabilities = new double[4];
        CourseLib.Networks.Softmax.Write([(float)matrix[2, 0], (float)matrix[2, 1], (float)matrix[2, 2], (float)matrix[2, 3]], mlpProbabilities);
        Print("MlpForward.Softmax", [], mlpProbabilities);
        return 0;
    }

    static float[] Weights(nn.Module module)
    {
        using var noGrad = no_grad();
        return module.parameters().SelectMany(p => p.detach().cpu().contiguous().data<float>().ToArray()).ToArray();
    }

    static IEnumerable<double> Flatten(double[,] m) => m.Cast<double>();

    static void Print(string name, float[] weights, IEnumerable<double> numbers)
    {
        var list = numbers.ToList();
        string hash = weights.Length == 0 ? "-" : Convert.ToHexString(SHA256.HashData(System.Runtime.InteropServices.MemoryMarshal.AsBytes(weights.AsSpan())))[..16];
        string digest = Convert.ToHexString(SHA256.HashData(list.SelectMany(BitConverter.GetBytes).ToArray()))[..16];
        Console.WriteLine($"{name}: weights {hash} ({weights.Length}), numbers {digest} ({list.Count}): " +
                          string.Join(" ", list.Take(3).Concat(list.TakeLast(2)).Select(x => x.ToString("R", CultureInfo.InvariantCulture))));
    }
}
