using System.Diagnostics;
using CourseLib.Data;
using CourseLib.Frontiers;
using CourseLib.Tests.Frontiers;
using CourseLib.Training;

namespace CourseLib.Benchmarks.Sections;

/// <summary>
/// The seed sweeps behind the Frontiers learning tests (on demand; never part of the tests).
/// <list type="bullet">
/// <item><c>--siamese-digits-seeds [updates] [seeds]</c>: notebook 10's warm-up per seed: one-shot accuracy on held-out
///   images of 0–4 and on the unseen 5–9, with the library's contrastive loss and each wrong one.</item>
/// <item><c>--multitask-seeds [epochs] [seeds]</c>: notebook 09's noisy-σ case per seed (σ's for noise 0.5 and 2) with the
///   library's uncertainty-weighted loss and each wrong one, and the held-out digit accuracy of the three-task run.</item>
/// <item><c>--eszsl-triples</c>: zero-shot accuracy over all 120 choices of three unseen digits, with the library's
///   closed form and each wrong one.</item>
/// </list>
/// Run: dotnet run -c Release --project tests/CourseLib.Benchmarks -- --siamese-digits-seeds 200 6
/// </summary>
static class FrontiersSeeds
{
    public static int SiameseDigits(string[] args)
    {
        TrainingProgress.Mode = ProgressMode.None;
        CourseLib.Exercises.Solution.Notes = TextWriter.Null;
        int updates = args.Length > 0 ? int.Parse(args[0]) : 500, seeds = args.Length > 1 ? int.Parse(args[1]) : 6;
        var digits = Digits.Load();
        Console.WriteLine($"Siamese MLP on digits 0–4, {updates} updates of 128 pairs: one-shot accuracy held-out 0–4 / unseen 5–9 (20 episodes)");
        var clock = Stopwatch.StartNew();
        for (int seed = 0; seed < seeds; seed++)
        {
            var options = new SiameseOptions { Seed = seed, Updates = updates };
            var started = clock.Elapsed;
            using var reference = OneShotDigits.Run(digits, options);
            var referenceTime = clock.Elapsed - started;
            using var right = OneShotDigits.Run(digits, options, contrastiveLoss: FrontiersSolutions.MeanContrastiveLoss);
            bool same = reference.Model.History.Select(r => r.Loss).SequenceEqual(right.Model.History.Select(r => r.Loss));
            var line = $"seed {seed}: reference {reference.SeenHeldOut.Accuracy:0.000} / {reference.Unseen.Accuracy:0.000} ({referenceTime.TotalSeconds:0.0} s), right {(same ? "identical" : "DIFFERENT")}";
            foreach (var (name, function) in FrontiersSolutions.ContrastiveMistakes)
            {
                using var wrong = OneShotDigits.Run(digits, options, contrastiveLoss: function);
                line += $"; {name} {wrong.SeenHeldOut.Accuracy:0.000} / {wrong.Unseen.Accuracy:0.000}";
            }
            Console.WriteLine(line);
        }
        Console.WriteLine($"{clock.Elapsed.TotalSeconds:0} s");
        return 0;
    }

    public static int MultiTask(string[] args)
    {
        TrainingProgress.Mode = ProgressMode.None;
        CourseLib.Exercises.Solution.Notes = TextWriter.Null;
        int epochs = args.Length > 0 ? int.Parse(args[0]) : 40, seeds = args.Length > 1 ? int.Parse(args[1]) : 6;
        var (train, test) = Digits.Load().Split(0.25, seed: 0);
        var inputs = DigitMeasures.Inputs(train);
        var ink = train.Images.Select(DigitMeasures.InkMass).ToArray();
        Console.WriteLine($"Uncertainty weighting, {epochs} epochs: σ's for ink + noise 0.5 and 2 (noise seed 42); three digit tasks: held-out digit accuracy");
        var clock = Stopwatch.StartNew();
        for (int seed = 0; seed < seeds; seed++)
        {
            var rng = new Rng(42);
            LearningTask[] noisy =
            [
                LearningTask.Regression("ink + noise 0.5", ink.Select(v => v + (float)(0.5 * rng.NextGaussian())).ToArray()),
                LearningTask.Regression("ink + noise 2", ink.Select(v => v + (float)(2.0 * rng.NextGaussian())).ToArray()),
            ];
            var options = new MultiTaskOptions { Seed = seed, Epochs = epochs };
            string Run(Func<double[], double[], TaskKind[], double> loss)
            {
                using var model = MultiTaskTrainer.Train(inputs, noisy, TaskWeighting.Uncertainty(), options, loss);
                using var three = MultiTaskTrainer.Train(inputs, DigitMeasures.Tasks(train), TaskWeighting.Uncertainty(), options, loss);
                var scores = three.Evaluate(DigitMeasures.Inputs(test), DigitMeasures.Tasks(test));
                return $"σ {model.Sigmas![0]:0.000}, {model.Sigmas![1]:0.000}, digit {scores[0].Metric:0.000}, ink RMSE {scores[1].Metric:0.00}";
            }
            var started = clock.Elapsed;
            var line = $"seed {seed}: reference {Run(null)} ({(clock.Elapsed - started).TotalSeconds:0.0} s)";
            using (var a = MultiTaskTrainer.Train(inputs, noisy, TaskWeighting.Uncertainty(), options))
            using (var b = MultiTaskTrainer.Train(inputs, noisy, TaskWeighting.Uncertainty(), options, FrontiersSolutions.WeightedLoss))
                line += a.History.Select(e => e.TotalLoss).SequenceEqual(b.History.Select(e => e.TotalLoss)) ? "; right identical" : "; right DIFFERENT";
            foreach (var (name, function) in FrontiersSolutions.WeightedLossMistakes) line += $"; {name}: {Run(function)}";
            Console.WriteLine(line);
        }
        Console.WriteLine($"{clock.Elapsed.TotalSeconds:0} s");
        return 0;
    }

    public static int EszslTriples(string[] args)
    {
        CourseLib.Exercises.Solution.Notes = TextWriter.Null;
        var digits = Digits.Load();
        var triples = (from a in Enumerable.Range(0, 10) from b in Enumerable.Range(a + 1, 9 - a) from c in Enumerable.Range(b + 1, 9 - b) select new[] { a, b, c }).ToArray();
        var reference = triples.Select(t => ZeroShotDigits.Run(digits, t).Accuracy).ToArray();
        var right = triples.Select(t => ZeroShotDigits.Run(digits, t, fit: FrontiersSolutions.FitEszsl).Accuracy).ToArray();
        string Summary(double[] a) => $"median {a.Order().ElementAt(a.Length / 2):0.000}, mean {a.Average():0.000}, above chance {a.Count(x => x > 1.0 / 3)} of {a.Length}, [3,7,8] {a[Array.FindIndex(triples, t => t.SequenceEqual(new[] { 3, 7, 8 }))]:0.000}";
        Console.WriteLine($"reference: {Summary(reference)}");
        Console.WriteLine($"right (notebook): {Summary(right)}, identical accuracies: {reference.SequenceEqual(right)}");
        foreach (var (name, function) in FrontiersSolutions.EszslMistakes)
        {
            var wrong = triples.Select(t => ZeroShotDigits.Run(digits, t, fit: function).Accuracy).ToArray();
            int below = wrong.Zip(reference).Count(p => p.First < p.Second - 0.05);
            int belowThird = Enumerable.Range(0, triples.Length).Count(i => i % 3 == 0 && wrong[i] < reference[i] - 0.05);
            Console.WriteLine($"{name}: {Summary(wrong)}; more than 5 points below the reference in {below} of 120 triples ({belowThird} of the 40 with index divisible by 3)");
        }
        return 0;
    }
}
