namespace CourseLib.Training;

/// <summary>
/// The checks every options record's <c>Validate</c> uses, so that a bad setting always gets the same kind of message:
/// an <see cref="ArgumentOutOfRangeException"/> that names the setting, its value and the valid range.
/// NaN and ±∞ fail every range check except where a method says it allows them.
/// </summary>
public static class Require
{
    /// <summary>A finite number (no NaN, no ±∞).</summary>
    public static void Finite(double value, string name)
    {
        if (!double.IsFinite(value)) throw new ArgumentOutOfRangeException(name, value, $"{name} must be a finite number.");
    }

    /// <summary>A finite number &gt; 0 (learning rates, step sizes).</summary>
    public static void Positive(double value, string name)
    {
        if (!(double.IsFinite(value) && value > 0)) throw new ArgumentOutOfRangeException(name, value, $"{name} must be a finite number > 0.");
    }

    /// <summary>A finite number ≥ 0 (coefficients that may be switched off).</summary>
    public static void NonNegative(double value, string name)
    {
        if (!(double.IsFinite(value) && value >= 0)) throw new ArgumentOutOfRangeException(name, value, $"{name} must be a finite number ≥ 0.");
    }

    /// <summary>A number in [<paramref name="low"/>, <paramref name="high"/>] (a discount, a probability, GAE's λ).</summary>
    public static void InRange(double value, double low, double high, string name)
    {
        if (!(value >= low && value <= high)) throw new ArgumentOutOfRangeException(name, value, $"{name} must be in [{low}, {high}].");
    }

    /// <summary>A number in (<paramref name="low"/>, <paramref name="high"/>] (a tabular step size α in (0, 1]).</summary>
    public static void InHalfOpenRange(double value, double low, double high, string name)
    {
        if (!(value > low && value <= high)) throw new ArgumentOutOfRangeException(name, value, $"{name} must be in ({low}, {high}].");
    }

    /// <summary>An integer of at least <paramref name="minimum"/>.</summary>
    public static void AtLeast(long value, long minimum, string name, string? meaning = null)
    {
        if (value < minimum)
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be at least {minimum}{(meaning is null ? "" : $" ({meaning})")}.");
    }

    /// <summary>A gradient-norm bound: a finite number &gt; 0, or +∞ for no clipping.</summary>
    public static void ClipNorm(double value, string name)
    {
        if (!(value > 0)) throw new ArgumentOutOfRangeException(name, value, $"{name} must be > 0 (double.PositiveInfinity: no clipping).");
    }

    /// <summary>Layer sizes: at least one layer (unless <paramref name="allowEmpty"/>), each with at least one unit.</summary>
    public static void LayerSizes(IReadOnlyList<int>? sizes, string name, bool allowEmpty = false)
    {
        if (sizes is null) throw new ArgumentNullException(name, $"{name} must be a list of layer sizes.");
        if ((!allowEmpty && sizes.Count == 0) || sizes.Any(h => h < 1))
            throw new ArgumentOutOfRangeException(name, $"[{string.Join(", ", sizes)}]",
                $"{name} needs {(allowEmpty ? "" : "at least one layer, ")}each layer with at least 1 unit.");
    }
}
