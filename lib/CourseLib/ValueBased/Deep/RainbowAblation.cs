using System.Collections.Concurrent;
using System.Diagnostics;
using CourseLib.Charts;
using CourseLib.Environments;
using CourseLib.Training;

namespace CourseLib.ValueBased.Deep;

/// <summary>One setting of an ablation: its name in the chart, and its options.</summary>
public sealed record AblationVariant(string Name, DqnOptions Settings);

/// <summary>One variant's greedy evaluations: per seed, and their mean at each evaluation step.</summary>
/// <param name="Name">The variant's name.</param>
/// <param name="ReturnsPerSeed">[seed][k]: the mean return of the k-th evaluation of that seed's run.</param>
/// <param name="MeanReturns">[k]: the mean over the seeds.</param>
/// <param name="ComputeTime">The time its runs took together (summed over the seeds, as if one after the other).</param>
public sealed record AblationCurve(string Name, double[][] ReturnsPerSeed, double[] MeanReturns, TimeSpan ComputeTime);

/// <summary>The curves of an ablation, and the last variant's seed-0 agent (to look inside it).</summary>
public sealed class AblationResult : IDisposable
{
    /// <summary>The environment steps of the evaluations.</summary>
    public required double[] EvaluationSteps { get; init; }
    /// <summary>One curve per variant, in the variants' order.</summary>
    public required IReadOnlyList<AblationCurve> Curves { get; init; }
    /// <summary>The trained agent of the last variant, seed 0 (the others are disposed).</summary>
    public required DqnAgent LastVariantAgent { get; init; }
    /// <summary>Wall-clock time of the whole ablation.</summary>
    public required TimeSpan Elapsed { get; init; }

    /// <summary>The mean curves in one chart, the last variant drawn thick.</summary>
    public Figure Chart(string? title = null) =>
        Figure.Overlay(Curves.Select((curve, index) => Charts.Chart.Line(EvaluationSteps, curve.MeanReturns, curve.Name)
                .WithLine(color: Charts.Chart.Palette[index % Charts.Chart.Palette.Length], width: index == Curves.Count - 1 ? 4 : 2)).ToArray())
            .WithTitle(title ?? $"Greedy evaluation return while learning (mean of {Curves[0].ReturnsPerSeed.Length} seeds)")
            .WithAxes("environment step", "mean return of the evaluation episodes");

    /// <summary>Frees the kept agent's native memory.</summary>
    public void Dispose() => LastVariantAgent.Dispose();
}

/// <summary>
/// Rainbow's ablation (Hessel et al. 2017, Fig. 3 in spirit): each of the six components added alone to a plain DQN, and
/// all six together, trained from several seeds with greedy evaluations along the way. The runs are independent and
/// seeded, so they run side by side on every core and give the same numbers as one after the other.
/// </summary>
public static class RainbowAblation
{
    /// <summary>
    /// The eight settings: <paramref name="plain"/> (a DQN without double Q and with 1-step targets), each component
    /// alone (double Q, dueling, prioritised replay, 3-step returns, C51, noisy nets), and all six (Rainbow).
    /// </summary>
    public static IReadOnlyList<AblationVariant> Variants(DqnOptions plain)
    {
        ArgumentNullException.ThrowIfNull(plain);
        return
        [
            new("DQN", plain),
            new("+ double Q", plain with { DoubleQ = true }),
            new("+ dueling", plain with { Dueling = true }),
            new("+ prioritised replay", plain with { PrioritizedReplay = true }),
            new("+ 3-step returns", plain with { NSteps = 3 }),
            new("+ C51", plain with { Distributional = true }),
            new("+ noisy nets", plain with { NoisyNetworks = true }),
            new("Rainbow (all six)", plain with
            {
                DoubleQ = true, Dueling = true, PrioritizedReplay = true, NSteps = 3, Distributional = true, NoisyNetworks = true,
            }),
        ];
    }

    /// <summary>
    /// Trains every variant on CartPole-v1 from seeds 0 … <paramref name="seeds"/> − 1 for <paramref name="steps"/>
    /// environment steps each, evaluating on <paramref name="schedule"/> (its <see cref="EvaluationOptions.StopAtMeanReturn"/>
    /// must be unset: every run covers the same steps). One progress bar counts the runs.
    /// </summary>
    /// <param name="variants">The settings to compare (<see cref="Variants"/>), at least one.</param>
    /// <param name="steps">Environment steps per run, at least one evaluation interval.</param>
    /// <param name="seeds">Runs per variant, from seeds 0, 1, …; at least 1.</param>
    /// <param name="schedule">When and how to evaluate; it must evaluate and must not stop runs early.</param>
    /// <param name="parallelism">How many runs at once (default: every core).</param>
    /// <param name="cancellationToken">Stops the runs (the ablation then throws <see cref="OperationCanceledException"/>).</param>
    public static AblationResult CartPole(IReadOnlyList<AblationVariant> variants, long steps, int seeds, EvaluationOptions schedule,
        int? parallelism = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(variants);
        ArgumentNullException.ThrowIfNull(schedule);
        if (variants.Count == 0) throw new ArgumentException("variants must hold at least one setting.", nameof(variants));
        Require.AtLeast(seeds, 1, nameof(seeds));
        if (!schedule.Enabled) throw new ArgumentException("schedule must evaluate (EverySteps > 0).", nameof(schedule));
        if (schedule.StopAtMeanReturn != null) throw new ArgumentException("schedule must not stop early: every run covers the same steps.", nameof(schedule));
        if (steps < schedule.EverySteps) throw new ArgumentOutOfRangeException(nameof(steps), steps, $"steps must be at least one evaluation interval ({schedule.EverySteps}).");
        foreach (var variant in variants) variant.Settings.Validate();
        int degree = parallelism ?? Environment.ProcessorCount;
        Require.AtLeast(degree, 1, nameof(parallelism));

        var clock = Stopwatch.StartNew();
        int count = (int)(steps / schedule.EverySteps);
        var evaluationSteps = Enumerable.Range(1, count).Select(k => (double)(k * schedule.EverySteps)).ToArray();
        var returns = new double[variants.Count * seeds][];
        var times = new TimeSpan[variants.Count * seeds];
        DqnAgent? kept = null;
        using (var progress = TrainingProgress.Start("Rainbow ablation", returns.Length, "runs"))
        {
            int finished = 0;
            var options = new ParallelOptions { MaxDegreeOfParallelism = degree, CancellationToken = cancellationToken };
            // The last variants (C51, noisy nets, all six) cost the most: start them first, one run at a time per core,
            // so that no core waits at the end for a long run started late.
            var order = Enumerable.Range(0, returns.Length).Reverse().ToArray();
            Parallel.ForEach(Partitioner.Create(order, EnumerablePartitionerOptions.NoBuffering), options, r =>
            {
                int index = r / seeds, seed = r % seeds;
                var runClock = Stopwatch.StartNew();
                var agent = new DqnAgent(CartPoleObservation.Length, 2, variants[index].Settings with { Seed = seed, Evaluation = schedule });
                TrainingResult<DqnAgent, DqnUpdate> run;
                using (TrainingProgress.SilenceInner())
                    run = Dqn.Train(agent, new CartPole(), steps, new CartPole(), cancellationToken: cancellationToken);
                returns[r] = run.Evaluations.Take(count).Select(e => e.MeanReturn).ToArray();
                times[r] = runClock.Elapsed;
                if (index == variants.Count - 1 && seed == 0) kept = agent; else agent.Dispose();
                lock (progress) progress.Report(++finished, ("last evaluation", returns[r][^1]));
            });
        }
        var curves = variants.Select((variant, index) =>
        {
            var perSeed = Enumerable.Range(0, seeds).Select(seed => returns[index * seeds + seed]).ToArray();
            var mean = Enumerable.Range(0, count).Select(k => perSeed.Average(run => run[k])).ToArray();
            var time = TimeSpan.FromTicks(Enumerable.Range(0, seeds).Sum(seed => times[index * seeds + seed].Ticks));
            return new AblationCurve(variant.Name, perSeed, mean, time);
        }).ToList();
        return new AblationResult { EvaluationSteps = evaluationSteps, Curves = curves, LastVariantAgent = kept!, Elapsed = clock.Elapsed };
    }
}
