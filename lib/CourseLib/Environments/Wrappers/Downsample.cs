namespace CourseLib.Environments;

/// <summary>How <see cref="Downsample{TAction}"/> combines a block of pixels into one.</summary>
public enum DownsampleMode
{
    /// <summary>The block's mean (area averaging): a 1-pixel ball becomes a fainter pixel.</summary>
    Average,
    /// <summary>The block's maximum: small bright objects stay bright.</summary>
    Max,
}

/// <summary>
/// Shrinks frames by an integer factor k: each k×k block of a Height × Width frame becomes one pixel
/// (its mean or maximum). The inner observation space must be a 2-D <see cref="FloatBox"/> whose sides k divides.
/// </summary>
public sealed class Downsample<TAction> : IEnvironment<float[], TAction>
{
    readonly IEnvironment<float[], TAction> _inner;
    readonly FloatBox _innerSpace;
    readonly int _height, _width;

    /// <summary>Wraps <paramref name="environment"/> and shrinks its frames by <paramref name="factor"/>.</summary>
    public Downsample(IEnvironment<float[], TAction> environment, int factor, DownsampleMode mode = DownsampleMode.Average)
    {
        _inner = environment ?? throw new ArgumentNullException(nameof(environment));
        _innerSpace = environment.ObservationSpace as FloatBox is { Shape.Count: 2 } box ? box
            : throw new ArgumentException($"Downsample needs 2-D frames: the observation space must be a FloatBox of shape [height, width], not {environment.ObservationSpace}.", nameof(environment));
        (_height, _width) = (_innerSpace.Shape[0], _innerSpace.Shape[1]);
        if (factor < 1 || _height % factor != 0 || _width % factor != 0)
            throw new ArgumentOutOfRangeException(nameof(factor), factor, $"factor must be at least 1 and divide both sides of the {_height}x{_width} frame.");
        Factor = factor;
        Mode = mode;
        ObservationSpace = new FloatBox([_height / factor, _width / factor], _innerSpace.Low, _innerSpace.High);
    }

    /// <summary>The shrink factor k.</summary>
    public int Factor { get; }

    /// <summary>Mean or maximum of each block.</summary>
    public DownsampleMode Mode { get; }

    /// <summary>The wrapped environment.</summary>
    public IEnvironment<float[], TAction> Inner => _inner;

    /// <summary>Frames of (Height / k) × (Width / k).</summary>
    public Space<float[]> ObservationSpace { get; }

    /// <inheritdoc />
    public Space<TAction> ActionSpace => _inner.ActionSpace;

    /// <inheritdoc />
    public ResetResult<float[]> Reset(int? seed = null)
    {
        var result = _inner.Reset(seed);
        return new ResetResult<float[]>(Shrink(result.Observation, _height, _width, Factor, Mode), result.Info);
    }

    /// <inheritdoc />
    public StepResult<float[]> Step(TAction action)
    {
        var r = _inner.Step(action);
        return new StepResult<float[]>(Shrink(r.Observation, _height, _width, Factor, Mode), r.Reward, r.Terminated, r.Truncated, r.Info);
    }

    /// <summary>Shrinks one row-major <paramref name="height"/> × <paramref name="width"/> frame by <paramref name="factor"/> (a pure function).</summary>
    public static float[] Shrink(float[] frame, int height, int width, int factor, DownsampleMode mode = DownsampleMode.Average)
    {
        ArgumentNullException.ThrowIfNull(frame);
        if (frame.Length != height * width)
            throw new ArgumentException($"frame has {frame.Length} floats; a {height}x{width} frame needs {height * width}.", nameof(frame));
        if (factor < 1 || height % factor != 0 || width % factor != 0)
            throw new ArgumentOutOfRangeException(nameof(factor), factor, $"factor must be at least 1 and divide both sides of the {height}x{width} frame.");
        int h = height / factor, w = width / factor;
        var result = new float[h * w];
        float scale = 1f / (factor * factor);
        for (int r = 0; r < h; r++)
        for (int c = 0; c < w; c++)
        {
            float acc = mode == DownsampleMode.Max ? float.NegativeInfinity : 0;
            for (int i = 0; i < factor; i++)
            {
                int row = (r * factor + i) * width + c * factor;
                for (int j = 0; j < factor; j++)
                    acc = mode == DownsampleMode.Max ? MathF.Max(acc, frame[row + j]) : acc + frame[row + j];
            }
            result[r * w + c] = mode == DownsampleMode.Max ? acc : acc * scale;
        }
        return result;
    }
}
