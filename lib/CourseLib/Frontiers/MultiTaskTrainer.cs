using CourseLib.Exercises;
using CourseLib.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace CourseLib.Frontiers;

/// <summary>
/// Trains a <see cref="MultiTaskNetwork"/> on several tasks at once with mini-batch Adam, combining the task
/// losses by a <see cref="TaskWeighting"/>: equal, fixed by hand, or learned by homoscedastic uncertainty
/// (Kendall, Gal and Cipolla 2018), where the log σ_i are parameters trained with the network. Each update:
/// <code>
///   L_i = task i's loss on the mini-batch                                          (cross-entropy or squared error)
///   equal: L = Σ_i L_i      fixed: L = Σ_i w_i L_i
///   uncertainty: L = WeightedLoss(L, s, kinds) = Σ_i c_i e^{−2 s_i} L_i + s_i       (the exercise's function, on doubles)
///                ∂L/∂L_i and ∂L/∂s_i by central differences of that function         (<see cref="CentralDifferences"/>)
///                backpropagate Σ_i (∂L/∂L_i)·L_i + (∂L/∂s_i)·s_i                       (same gradient as L for every weight and s_i)
///   Adam step on the network (and the s_i)
/// </code>
/// </summary>
public static class MultiTaskTrainer
{
    /// <summary>Trains on <paramref name="inputs"/> (one feature vector each) with one target per input in every task.</summary>
    /// <param name="inputs">One feature vector per input.</param>
    /// <param name="tasks">The tasks, each with one target per input.</param>
    /// <param name="weighting">How the task losses are combined.</param>
    /// <param name="options">Settings, seed included (null: the defaults).</param>
    /// <param name="weightedLoss">
    /// The uncertainty-weighted loss WeightedLoss(taskLosses, logSigmas, kinds), the exercise's function (notebook 09), used
    /// with <see cref="TaskWeighting.Uncertainty"/>; null: the library's <see cref="UncertaintyWeightedLoss.Total"/>. A function
    /// that still throws <see cref="NotImplementedException"/> is replaced by the library's, with a one-line note
    /// (<see cref="Solution"/>.OrReference).
    /// </param>
    /// <param name="cancellationToken">Stops training between updates.</param>
    public static MultiTaskModel Train(IReadOnlyList<float[]> inputs, IReadOnlyList<LearningTask> tasks, TaskWeighting weighting,
        MultiTaskOptions? options = null, Func<double[], double[], TaskKind[], double>? weightedLoss = null, CancellationToken cancellationToken = default)
    {
        options ??= new MultiTaskOptions();
        options.Validate();
        Check(inputs, tasks, weighting);
        int count = inputs.Count, taskCount = tasks.Count, inputCount = inputs[0].Length;
        var kinds = tasks.Select(t => t.Kind).ToArray();
        var uncertaintyLoss = weighting.Kind == TaskWeightingKind.Uncertainty
            ? Solution.OrReference(weightedLoss, UncertaintyWeightedLoss.Total, "WeightedLoss")
            : null;

        using var threads = TorchThreads.One();   // the network is small: one thread is fastest (and not slowed by a busy machine)
        var network = new MultiTaskNetwork(inputCount, options.HiddenSizes, tasks.Select(t => t.OutputCount).ToArray());
        Networks.UniformInitialisation.Apply(network, options.Seed);
        for (int i = 0; i < taskCount; i++)   // a regression head starts at its targets' mean: the first losses are the variance, not mean² (which would swamp Adam's step sizes)
            if (tasks[i].Kind == TaskKind.Regression) network.SetHeadBias(i, tasks[i].Values!.Average());
        var logSigmas = nn.Parameter(torch.full(taskCount, (float)(weighting.InitialLogSigma ?? 0)));   // s_i = log σ_i
        var parameters = network.parameters().ToList();
        if (weighting.Kind == TaskWeightingKind.Uncertainty) parameters.Add(logSigmas);
        using var optimizer = optim.Adam(parameters, lr: options.LearningRate);
        using var fixedWeights = weighting.Kind == TaskWeightingKind.Fixed ? tensor(weighting.Weights.Select(w => (float)w).ToArray()) : null;

        using var allInputs = InputBatch.ToTensor(inputs);
        var allTargets = tasks.Select(TargetTensor).ToArray();
        var rng = new Rng(options.Seed);
        var order = Enumerable.Range(0, count).ToArray();
        int batchesPerEpoch = (count + options.BatchSize - 1) / options.BatchSize;
        var history = new List<MultiTaskEpoch>();
        long update = 0;

        using var progress = TrainingProgress.Start($"multi-task training ({weighting})", total: (long)options.Epochs * batchesPerEpoch, unit: "updates");
        try
        {
            for (int epoch = 1; epoch <= options.Epochs; epoch++)
            {
                rng.Shuffle<int>(order);
                var lossSums = new double[taskCount];
                double totalSum = 0;
                for (int start = 0; start < count; start += options.BatchSize)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    using var scope = torch.NewDisposeScope();
                    var batch = tensor(order.AsSpan(start, Math.Min(options.BatchSize, count - start)).ToArray().Select(i => (long)i).ToArray());
                    var outputs = network.forward(allInputs.index_select(0, batch));
                    var taskLosses = torch.stack(Enumerable.Range(0, taskCount)
                        .Select(i => TaskLoss(tasks[i], outputs[i], allTargets[i].index_select(0, batch))).ToArray());   // [tasks]
                    if (update == 0 && weighting.Kind == TaskWeightingKind.Uncertainty && weighting.InitialLogSigma == null)
                        StartAtOptimum(logSigmas, taskLosses, kinds);
                    double totalValue;
                    Tensor objective;   // what is backpropagated: its gradient is the combined loss's
                    if (uncertaintyLoss is null)
                    {
                        objective = weighting.Kind == TaskWeightingKind.Equal
                            ? taskLosses.sum()                                                      // Σ L_i
                            : (fixedWeights! * taskLosses).sum();                                   // Σ w_i L_i
                        totalValue = objective.item<float>();
                    }
                    else
                        (totalValue, objective) = UncertaintyObjective(uncertaintyLoss, taskLosses, logSigmas, kinds);   // Σ c_i e^{−2 s_i} L_i + s_i
                    update++;
                    if (!double.IsFinite(totalValue))
                        throw new InvalidOperationException($"Multi-task loss became {totalValue} at update {update} (epoch {epoch}); lower the LearningRate or scale the regression targets.");
                    optimizer.zero_grad();
                    objective.backward();
                    optimizer.step();

                    var values = taskLosses.detach().data<float>().ToArray();
                    for (int i = 0; i < taskCount; i++) lossSums[i] += values[i];
                    totalSum += totalValue;
                    progress.Report(update, ("loss", totalValue));
                }
                var sigmas = logSigmas.detach().data<float>().Select(v => (double)v).ToArray();
                history.Add(new MultiTaskEpoch(epoch,
                    lossSums.Select(s => s / batchesPerEpoch).ToArray(),
                    weighting.Kind == TaskWeightingKind.Uncertainty ? sigmas : null,
                    EffectiveWeights(weighting, kinds, sigmas),
                    totalSum / batchesPerEpoch));
            }
        }
        finally
        {
            foreach (var t in allTargets) t.Dispose();
        }
        return new MultiTaskModel(network, tasks.Select(t => (t.Name, t.Kind, t.OutputCount)).ToArray(), inputCount, history, weighting);
    }

    /// <summary>
    /// The uncertainty-weighted loss L = f(L_1.., s_1.., kinds) of the task losses and log σ's, computed by
    /// <paramref name="loss"/> on doubles, and a tensor Σ_i (∂L/∂L_i)·L_i + (∂L/∂s_i)·s_i whose gradient with respect to every
    /// weight and every s_i is that of L (chain rule), the partial derivatives taken by central differences of <paramref name="loss"/>.
    /// </summary>
    static (double Value, Tensor Objective) UncertaintyObjective(Func<double[], double[], TaskKind[], double> loss, Tensor taskLosses, Tensor logSigmas, TaskKind[] kinds)
    {
        int tasks = kinds.Length;
        var losses = taskLosses.detach().data<float>().Select(v => (double)v).ToArray();
        var sigmas = logSigmas.detach().data<float>().Select(v => (double)v).ToArray();
        double value = loss((double[])losses.Clone(), (double[])sigmas.Clone(), (TaskKind[])kinds.Clone());
        var gradient = CentralDifferences.Gradient(x => loss(x[..tasks], x[tasks..], (TaskKind[])kinds.Clone()), [.. losses, .. sigmas], _ => 1e-4, "WeightedLoss");
        var lossWeights = tensor(gradient[..tasks].Select(g => (float)g).ToArray());     // freed with the update's dispose scope
        var sigmaWeights = tensor(gradient[tasks..].Select(g => (float)g).ToArray());
        return (value, (lossWeights * taskLosses).sum() + (sigmaWeights * logSigmas).sum());
    }

    /// <summary>Sets each log σ_i to the minimiser of its term for the current losses: σ_i² = 2 c_i L_i.</summary>
    static void StartAtOptimum(Tensor logSigmas, Tensor taskLosses, TaskKind[] kinds)
    {
        var losses = taskLosses.detach().data<float>().ToArray();
        var start = kinds.Select((k, i) => (float)UncertaintyWeightedLoss.OptimalLogSigma(Math.Max(losses[i], 1e-6), k)).ToArray();
        using var noGrad = torch.no_grad();
        using var values = tensor(start);
        logSigmas.copy_(values);
    }

    static double[] EffectiveWeights(TaskWeighting weighting, TaskKind[] kinds, double[] logSigmas) => weighting.Kind switch
    {
        TaskWeightingKind.Equal => kinds.Select(_ => 1.0).ToArray(),
        TaskWeightingKind.Fixed => weighting.Weights.ToArray(),
        _ => kinds.Select((k, i) => UncertaintyWeightedLoss.Weight(logSigmas[i], k)).ToArray(),
    };

    internal static Tensor TargetTensor(LearningTask task) =>
        task.Kind == TaskKind.Classification ? tensor(task.Labels!.Select(l => (long)l).ToArray()) : tensor(task.Values!);

    internal static Tensor TaskLoss(LearningTask task, Tensor output, Tensor targets) =>
        task.Kind == TaskKind.Classification
            ? nn.functional.cross_entropy(output, targets)                  // −log softmax(output)[y], averaged
            : nn.functional.mse_loss(output.squeeze(1), targets);           // (f(x) − y)², averaged

    static void Check(IReadOnlyList<float[]> inputs, IReadOnlyList<LearningTask> tasks, TaskWeighting weighting)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(tasks);
        ArgumentNullException.ThrowIfNull(weighting);
        if (inputs.Count == 0) throw new ArgumentException("inputs is empty.", nameof(inputs));
        int width = inputs[0].Length;
        for (int i = 0; i < inputs.Count; i++)
            if (inputs[i].Length != width) throw new ArgumentException($"input {i} has {inputs[i].Length} features; input 0 has {width}.", nameof(inputs));
        if (tasks.Count == 0) throw new ArgumentException("tasks is empty: multi-task training needs at least one task.", nameof(tasks));
        foreach (var task in tasks)
            if (task.Count != inputs.Count) throw new ArgumentException($"task '{task.Name}' has {task.Count} targets; it needs one per input ({inputs.Count}).", nameof(tasks));
        if (weighting.Kind == TaskWeightingKind.Fixed && weighting.Weights.Count != tasks.Count)
            throw new ArgumentException($"the fixed weighting has {weighting.Weights.Count} weights; it needs one per task ({tasks.Count}).", nameof(weighting));
    }
}
