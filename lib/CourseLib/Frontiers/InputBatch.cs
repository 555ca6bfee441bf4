using static TorchSharp.torch;

namespace CourseLib.Frontiers;

/// <summary>Feature vectors as one tensor: the batch [inputs, features] that the Frontiers networks read.</summary>
internal static class InputBatch
{
    /// <summary>Stacks <paramref name="inputs"/> (each of <paramref name="width"/> features; default: the first's) into a [count, width] float tensor.</summary>
    public static Tensor ToTensor(IReadOnlyList<float[]> inputs, int? width = null)
    {
        int columns = width ?? inputs[0].Length;
        var flat = new float[inputs.Count * columns];
        for (int i = 0; i < inputs.Count; i++)
        {
            if (inputs[i].Length != columns) throw new ArgumentException($"input {i} has {inputs[i].Length} features; expected {columns}.", nameof(inputs));
            inputs[i].CopyTo(flat, i * columns);
        }
        return tensor(flat).reshape(inputs.Count, columns);
    }
}
