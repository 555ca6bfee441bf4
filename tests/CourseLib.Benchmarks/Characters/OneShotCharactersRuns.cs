using System.Globalization;
using CourseLib.Data;
using CourseLib.Frontiers;
using CourseLib.Training;
using TorchSharp;

namespace CourseLib.Benchmarks.CharacterSet;

/// <summary>
/// Notebook 10's one-shot experiment on the character set, per seed: 5-way and 20-way one-shot accuracy (within a
/// script, 400 episodes, 95 % interval) and verification EER of the Siamese network, the untrained network and raw
/// pixels, with wall-clock and CPU time of training.
/// Usage: --one-shot-characters [seeds (default 0)] [key=value ...] with keys updates, pairs, lr, margin, embedding,
/// hidden (the hidden layers' sizes, e.g. hidden=128,128), channels (e.g. channels=16,32).
/// </summary>
static class OneShotCharactersRuns
{
    public static int Run(string[] args)
    {
        var seeds = args.Length > 0 && !args[0].Contains('=') ? args[0].Split(',').Select(int.Parse).ToArray() : [0];
        var options = OneShotCharacters.DefaultOptions;
        foreach (var arg in args.Where(a => a.Contains('=')))
        {
            var (key, value) = (arg[..arg.IndexOf('=')], arg[(arg.IndexOf('=') + 1)..]);
            double number(string v) => double.Parse(v, CultureInfo.InvariantCulture);
            options = key switch
            {
                "updates" => options with { Updates = (int)number(value) },
                "pairs" => options with { PairsPerBatch = (int)number(value) },
                "lr" => options with { LearningRate = number(value) },
                "margin" => options with { Margin = number(value) },
                "embedding" => options with { EmbeddingSize = (int)number(value) },
                "hidden" => options with { HiddenSizes = value.Length == 0 ? [] : value.Split(',').Select(int.Parse).ToArray() },
                "channels" => options with { ConvolutionChannels = value.Length == 0 ? [] : value.Split(',').Select(int.Parse).ToArray() },
                _ => throw new ArgumentException($"unknown key {key}"),
            };
        }
        TrainingProgress.Mode = ProgressMode.None;
        var characters = Characters.Load();
        Console.WriteLine($"{characters.ClassCount} classes; options {options}; torch threads {torch.get_num_threads()}");
        foreach (var seed in seeds)
        {
            using var result = OneShotCharacters.Run(characters, options with { Seed = seed });
            Console.WriteLine($"seed {seed}: trained in {result.TrainingTime.TotalSeconds:F1} s wall, {result.TrainingCpuTime.TotalSeconds:F1} s CPU; " +
                              $"last loss {result.Model.History[^1].Loss:F4}");
            foreach (var c in result.Comparisons)
                Console.WriteLine($"  {c.Method,-18} 5-way {c.FiveWay}   20-way {c.TwentyWay}   EER {100 * c.Verification.EqualErrorRate:F1} %  AUC {c.Verification.AreaUnderCurve:F3}");
            Console.WriteLine($"  gaps over pixels: 5-way {100 * (result.Siamese.FiveWay.Accuracy - result.Pixels.FiveWay.Accuracy):F1} points, " +
                              $"20-way {100 * (result.Siamese.TwentyWay.Accuracy - result.Pixels.TwentyWay.Accuracy):F1} points");
        }
        return 0;
    }
}
