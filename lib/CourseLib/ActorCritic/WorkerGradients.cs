using System.Diagnostics;
using System.Globalization;
using CourseLib.Display;
using CourseLib.Environments;
using CourseLib.Training;

namespace CourseLib.ActorCritic;

/// <summary>
/// One A3C worker update computed both ways (<see cref="A3CGradient"/>), from the same weights and the same segment:
/// how far apart the two gradients are, and how long each takes.
/// </summary>
/// <param name="SegmentLength">States in the segment (t_max, fewer if its episode ended first).</param>
/// <param name="Parameters">Weights and biases of actor and critic.</param>
/// <param name="LargestComponent">max_i |g_i| of the autograd gradient.</param>
/// <param name="LargestDifference">max_i |g_i(autograd) − g_i(handwritten)|.</param>
/// <param name="HandwrittenMicroseconds">Wall time of one handwritten gradient (the fastest of several blocks of repetitions).</param>
/// <param name="AutogradMicroseconds">Wall time of one autograd gradient, measured the same way, in blocks alternating with the handwritten ones.</param>
public sealed record WorkerGradientComparison(int SegmentLength, int Parameters, double LargestComponent, double LargestDifference,
    double HandwrittenMicroseconds, double AutogradMicroseconds)
{
    /// <summary>LargestDifference / LargestComponent: float rounding is about 1e-7 to 1e-6.</summary>
    public double RelativeDifference => LargestDifference / LargestComponent;

    /// <summary>How many times longer autograd takes per update.</summary>
    public double AutogradSlowdown => AutogradMicroseconds / HandwrittenMicroseconds;

    /// <summary>The figures as a table (renders in a notebook).</summary>
    public Html Table()
    {
        static string F(double x, string format) => x.ToString(format, CultureInfo.InvariantCulture);
        return new Html("<table><thead><tr><th></th><th>handwritten</th><th>autograd</th></tr></thead><tbody>" +
            $"<tr><td>time per worker gradient ({SegmentLength} states, {Parameters:N0} weights)</td><td style=\"text-align:right\">{F(HandwrittenMicroseconds, "0")} µs</td>" +
            $"<td style=\"text-align:right\">{F(AutogradMicroseconds, "0")} µs ({F(AutogradSlowdown, "0.0")}×)</td></tr>" +
            $"<tr><td>largest difference between the two gradients, relative to the largest component</td><td colspan=\"2\" style=\"text-align:center\">{F(RelativeDifference, "0.0e+0")}</td></tr>" +
            "</tbody></table>");
    }
}

/// <summary>A3C's worker gradient both ways on one segment: agreement and cost (notebook 07; the tests assert the agreement).</summary>
public static class WorkerGradients
{
    /// <summary>
    /// Plays one segment of t_max steps of CartPole with the seeded initial network of <paramref name="options"/>
    /// (<see cref="ActorCriticOptions.Seed"/>), computes its advantages and λ-returns as a worker does, then the worker's
    /// gradient by hand and by autograd at the same weights, and times each over <paramref name="repetitions"/> calls.
    /// </summary>
    public static WorkerGradientComparison Compare(A3COptions? options = null, int repetitions = 200)
    {
        options ??= new A3COptions();
        options.Validate();
        Require.AtLeast(repetitions, 10, nameof(repetitions));
        using var threads = TorchThreads.One();
        using var network = new ActorCriticNetwork(CartPoleObservation.Length, 2, options.HiddenSizes, options.SharedTrunk, options.Seed);
        var local = new ActorCriticWeights(network);
        var segment = Segment(local, new CartPole(), options, options.Seed);
        var handwritten = new float[local.Values.Length];
        var autograd = new float[local.Values.Length];
        using var workerNetwork = new ActorCriticNetwork(CartPoleObservation.Length, 2, options.HiddenSizes, options.SharedTrunk, options.Seed);

        void Handwritten() => A3C.WorkerGradient(A3CGradient.Handwritten, local, null, segment.Observations, segment.Actions, segment.Advantages,
            segment.Returns, options.ValueLossCoefficient, options.EntropyCoefficient, options.MaxGradientNorm, handwritten);
        void Autograd() => A3C.WorkerGradient(A3CGradient.Autograd, local, workerNetwork, segment.Observations, segment.Actions, segment.Advantages,
            segment.Returns, options.ValueLossCoefficient, options.EntropyCoefficient, options.MaxGradientNorm, autograd);

        Handwritten();
        Autograd();
        // Warm up both (libtorch's first calls allocate and cache) before anything is timed.
        for (int i = 0; i < 20; i++) { Handwritten(); Autograd(); }
        double largest = autograd.Max(Math.Abs);
        double difference = autograd.Zip(handwritten, (a, h) => (double)Math.Abs(a - h)).Max();

        // Blocks alternate between the two, and each keeps its fastest block: a busy machine slows both alike.
        const int blocks = 10;
        int perBlock = Math.Max(1, repetitions / blocks);
        double bestHandwritten = double.PositiveInfinity, bestAutograd = double.PositiveInfinity;
        for (int b = 0; b < blocks; b++)
        {
            bestHandwritten = Math.Min(bestHandwritten, Time(Handwritten, perBlock));
            bestAutograd = Math.Min(bestAutograd, Time(Autograd, perBlock));
        }
        return new WorkerGradientComparison(segment.Actions.Length, local.Values.Length, largest, difference, bestHandwritten, bestAutograd);
    }

    static double Time(Action action, int count)
    {
        var clock = Stopwatch.StartNew();
        for (int i = 0; i < count; i++) action();
        return clock.Elapsed.TotalMicroseconds / count;
    }

    /// <summary>A worker's segment and what it learns from: observations row by row, actions, Â_t (GAE) and the λ-returns Â_t + V(s_t).</summary>
    internal sealed record WorkerSegment(float[] Observations, long[] Actions, double[] Advantages, double[] Returns);

    /// <summary>
    /// Up to t_max steps of <paramref name="environment"/> from <c>Reset(seed)</c> with the local policy (actions sampled
    /// with a <see cref="Rng"/> seeded by <paramref name="seed"/>), then V(s_{t+1}), GAE and the λ-returns, as
    /// <see cref="A3C"/>'s worker computes them.
    /// </summary>
    internal static WorkerSegment Segment<TObservation>(ActorCriticWeights local, IEnvironment<TObservation, int> environment, ActorCriticOptions options, int seed)
        where TObservation : IObservationVector<TObservation>
    {
        int tMax = options.StepsPerUpdate, size = TObservation.Length;
        var rng = new Rng(seed);
        var observations = new float[tMax * size];
        var actions = new long[tMax];
        var rewards = new double[tMax]; var values = new double[tMax]; var nextValues = new double[tMax];
        var terminated = new bool[tMax]; var truncated = new bool[tMax];
        var probabilities = new double[local.ActionCount];
        var current = new float[size];
        environment.Reset(seed).Observation.CopyTo(current);
        int length = 0;
        while (length < tMax)
        {
            int t = length++;
            current.CopyTo(observations, t * size);
            values[t] = local.Evaluate(current, probabilities);
            int action = rng.Categorical(probabilities);
            var step = environment.Step(action);
            (actions[t], rewards[t], terminated[t], truncated[t]) = (action, step.Reward, step.Terminated, step.Truncated);
            step.Observation.CopyTo(current);
            if (step.Done) break;
        }
        for (int t = 0; t + 1 < length; t++) nextValues[t] = values[t + 1];
        nextValues[length - 1] = terminated[length - 1] ? 0 : local.Evaluate(current, probabilities);
        var advantages = GeneralizedAdvantage.Estimate(rewards[..length], values[..length], nextValues[..length], terminated[..length], truncated[..length],
            options.Discount, options.Lambda);
        return new WorkerSegment(observations[..(length * size)], actions[..length], advantages, advantages.Select((a, t) => a + values[t]).ToArray());
    }
}
