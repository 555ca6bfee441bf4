using static TorchSharp.torch;

namespace CourseLib.ValueBased.Deep;

/// <summary>
/// A float32 CPU tensor whose memory C# reads and writes directly (no copies): libtorch computes the matrix
/// products on it, plain C# does the cheap elementwise work. The memory stays where it is for the tensor's life.
/// </summary>
public sealed unsafe class NativeFloats : IDisposable
{
    readonly float* _data;

    /// <summary>A zero-filled tensor of the given shape.</summary>
    public NativeFloats(params long[] shape)
    {
        Tensor = zeros(shape, ScalarType.Float32);
        Length = checked((int)Tensor.numel());
        fixed (byte* p = Tensor.bytes) _data = (float*)p;
    }

    /// <summary>The libtorch tensor.</summary>
    public Tensor Tensor { get; }
    /// <summary>Number of floats.</summary>
    public int Length { get; }
    /// <summary>The floats, row-major.</summary>
    public Span<float> Span => new(_data, Length);
    internal float* Pointer => _data;

    /// <summary>Frees the tensor.</summary>
    public void Dispose() => Tensor.Dispose();
}
