namespace CourseLib.ValueBased.Deep;

/// <summary>A trainable tensor θ with its gradient ∂L/∂θ, both readable as spans.</summary>
public sealed class Parameter : IDisposable
{
    /// <summary>A zero parameter of the given shape.</summary>
    public Parameter(string name, params long[] shape)
    {
        Name = name;
        Shape = shape;
        Value = new NativeFloats(shape);
        Gradient = new NativeFloats(shape);
    }

    /// <summary>E.g. "layer1.weight".</summary>
    public string Name { get; }
    /// <summary>The tensor's shape.</summary>
    public long[] Shape { get; }
    /// <summary>θ.</summary>
    public NativeFloats Value { get; }
    /// <summary>∂L/∂θ of the last backward pass.</summary>
    public NativeFloats Gradient { get; }

    /// <summary>Frees both tensors.</summary>
    public void Dispose() { Value.Dispose(); Gradient.Dispose(); }
}
