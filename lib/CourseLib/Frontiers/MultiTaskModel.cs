using TorchSharp;
using static TorchSharp.torch;

namespace CourseLib.Frontiers;

/// <summary>One epoch of multi-task training.</summary>
/// <param name="Epoch">1, 2, ...</param>
/// <param name="TaskLosses">Each task's mean training loss over the epoch's mini-batches.</param>
/// <param name="LogSigmas">Each task's log σ at the end of the epoch (uncertainty weighting), else null.</param>
/// <param name="Weights">The weight each task's loss had at the end of the epoch (c/σ² for uncertainty weighting).</param>
/// <param name="TotalLoss">The mean combined loss.</param>
public sealed record MultiTaskEpoch(int Epoch, double[] TaskLosses, double[]? LogSigmas, double[] Weights, double TotalLoss);

/// <summary>A task's score on some inputs: the loss, and accuracy (classification) or root-mean-square error (regression).</summary>
public sealed record TaskScore(string Task, TaskKind Kind, double Loss, double Metric)
{
    /// <summary>"accuracy" or "RMSE".</summary>
    public string MetricName => Kind == TaskKind.Classification ? "accuracy" : "RMSE";
    /// <inheritdoc />
    public override string ToString() => $"{Task}: {MetricName} {Metric:0.###} (loss {Loss:0.###})";
}

/// <summary>A trained multi-task network with its training history.</summary>
public sealed class MultiTaskModel : IDisposable
{
    readonly (string Name, TaskKind Kind, int Outputs)[] _tasks;
    readonly int _inputCount;

    internal MultiTaskModel(MultiTaskNetwork network, (string, TaskKind, int)[] tasks, int inputCount, IReadOnlyList<MultiTaskEpoch> history, TaskWeighting weighting)
    {
        Network = network; _tasks = tasks; _inputCount = inputCount; History = history; Weighting = weighting;
    }

    /// <summary>The network (trunk and heads).</summary>
    public MultiTaskNetwork Network { get; }
    /// <summary>The weighting it was trained with.</summary>
    public TaskWeighting Weighting { get; }
    /// <summary>One entry per epoch.</summary>
    public IReadOnlyList<MultiTaskEpoch> History { get; }
    /// <summary>The task names, in head order.</summary>
    public IReadOnlyList<string> TaskNames => _tasks.Select(t => t.Name).ToArray();

    /// <summary>The learned σ_i = e^{log σ_i} at the end of training (uncertainty weighting), else null.</summary>
    public double[]? Sigmas => History[^1].LogSigmas?.Select(Math.Exp).ToArray();

    /// <summary>Head outputs for <paramref name="inputs"/>: per task, a row per input (logits, or one number).</summary>
    public float[][][] Outputs(IReadOnlyList<float[]> inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        Network.eval();
        var outputs = Network.forward(InputBatch.ToTensor(inputs, _inputCount));
        Network.train();
        return outputs.Select(o =>
        {
            var flat = o.data<float>().ToArray();
            int width = (int)o.shape[1];
            return Enumerable.Range(0, inputs.Count).Select(r => flat.AsSpan(r * width, width).ToArray()).ToArray();
        }).ToArray();
    }

    /// <summary>Scores every task on <paramref name="inputs"/> with their targets in <paramref name="tasks"/> (same order as in training).</summary>
    public TaskScore[] Evaluate(IReadOnlyList<float[]> inputs, IReadOnlyList<LearningTask> tasks)
    {
        ArgumentNullException.ThrowIfNull(tasks);
        if (tasks.Count != _tasks.Length) throw new ArgumentException($"tasks has {tasks.Count} tasks; the model has {_tasks.Length} heads.", nameof(tasks));
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        Network.eval();
        var outputs = Network.forward(InputBatch.ToTensor(inputs, _inputCount));
        Network.train();
        var scores = new TaskScore[tasks.Count];
        for (int i = 0; i < tasks.Count; i++)
        {
            var task = tasks[i];
            if (task.Kind != _tasks[i].Kind || task.OutputCount != _tasks[i].Outputs || task.Count != inputs.Count)
                throw new ArgumentException($"task {i} ('{task.Name}') does not match head {i} ('{_tasks[i].Name}') or has {task.Count} targets for {inputs.Count} inputs.", nameof(tasks));
            var targets = MultiTaskTrainer.TargetTensor(task);
            double loss = MultiTaskTrainer.TaskLoss(task, outputs[i], targets).item<float>();
            double metric = task.Kind == TaskKind.Classification
                ? outputs[i].argmax(1).eq(targets).to_type(ScalarType.Float64).mean().item<double>()
                : Math.Sqrt(loss);
            scores[i] = new TaskScore(task.Name, task.Kind, loss, metric);
        }
        return scores;
    }

    /// <summary>Frees the network's tensors.</summary>
    public void Dispose() => Network.Dispose();
}
