using CourseLib.Training;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace CourseLib.Frontiers;

/// <summary>
/// Hard parameter sharing: one trunk (ReLU layers) that every task reads, and one linear head per task
/// (logits for a classification task, one number for a regression task).
/// </summary>
public sealed class MultiTaskNetwork : Module<Tensor, Tensor[]>
{
    readonly Sequential _trunk;
    readonly ModuleList<Linear> _heads;

    /// <summary>A network for <paramref name="inputCount"/> inputs, a trunk of ReLU layers of <paramref name="hiddenSizes"/> units and heads of the given output sizes.</summary>
    public MultiTaskNetwork(int inputCount, IReadOnlyList<int> hiddenSizes, IReadOnlyList<int> headOutputs) : base(nameof(MultiTaskNetwork))
    {
        if (inputCount < 1) throw new ArgumentOutOfRangeException(nameof(inputCount), inputCount, "inputCount must be at least 1.");
        Require.LayerSizes(hiddenSizes, nameof(hiddenSizes));
        ArgumentNullException.ThrowIfNull(headOutputs);
        if (headOutputs.Count == 0 || headOutputs.Any(o => o < 1)) throw new ArgumentException("headOutputs needs at least one head, each with at least one output.", nameof(headOutputs));
        var layers = new List<Module<Tensor, Tensor>>();
        int width = inputCount;
        foreach (int units in hiddenSizes) { layers.Add(Linear(width, units)); layers.Add(ReLU()); width = units; }
        _trunk = Sequential(layers);
        _heads = new ModuleList<Linear>(headOutputs.Select(o => Linear(width, o)).ToArray());
        RegisterComponents();
    }

    /// <summary>The number of heads (tasks).</summary>
    public int HeadCount => _heads.Count;

    /// <summary>Sets head <paramref name="head"/>'s bias to <paramref name="value"/> (e.g. a regression target's mean, so training starts from the mean, not 0).</summary>
    public void SetHeadBias(int head, float value)
    {
        if (head < 0 || head >= _heads.Count) throw new ArgumentOutOfRangeException(nameof(head), head, $"head must be in 0..{_heads.Count - 1}.");
        using var noGrad = torch.no_grad();
        _heads[head].bias!.fill_(value);
    }

    /// <summary>Each head's output for a batch [n, inputs]: [n, classes] or [n, 1].</summary>
    public override Tensor[] forward(Tensor input)
    {
        using var shared = _trunk.forward(input);
        var outputs = new Tensor[_heads.Count];
        for (int i = 0; i < _heads.Count; i++) outputs[i] = _heads[i].forward(shared);
        return outputs;
    }
}
