using System.Reflection;

namespace CourseLib.Environments;

/// <summary>Reads any observation's numbers, for checks: float/double arrays, <see cref="IObservationVector{TSelf}"/> structs, or plain numbers.</summary>
internal static class ObservationValues
{
    /// <summary>The observation's values as floats, or null when it is not numeric in a way we know.</summary>
    public static float[]? ToFloats<T>(T observation)
    {
        switch (observation)
        {
            case null: return null;
            case float[] f: return f;
            case double[] d: return d.Select(x => (float)x).ToArray();
            case float f1: return [f1];
            case double d1: return [(float)d1];
        }
        return VectorReader<T>.Read?.Invoke(observation);
    }

    /// <summary>Reads IObservationVector structs without knowing their type at compile time (built once per type).</summary>
    static class VectorReader<T>
    {
        public static readonly Func<T, float[]>? Read = Build();

        static Func<T, float[]>? Build()
        {
            if (!typeof(T).GetInterfaces().Any(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IObservationVector<>) && i.GetGenericArguments()[0] == typeof(T)))
                return null;
            var method = typeof(ObservationValues).GetMethod(nameof(CopyVector), BindingFlags.NonPublic | BindingFlags.Static)!.MakeGenericMethod(typeof(T));
            return method.CreateDelegate<Func<T, float[]>>();
        }
    }

    static float[] CopyVector<T>(T observation) where T : IObservationVector<T>
    {
        var values = new float[T.Length];
        observation.CopyTo(values);
        return values;
    }

    /// <summary>The index of the first NaN or infinite value, or null when all are finite (or the observation is not numeric).</summary>
    public static int? FirstNonFinite<T>(T observation)
    {
        if (observation is double[] d)
        {
            for (int i = 0; i < d.Length; i++) if (!double.IsFinite(d[i])) return i;
            return null;
        }
        if (ToFloats(observation) is not float[] values) return null;
        for (int i = 0; i < values.Length; i++) if (!float.IsFinite(values[i])) return i;
        return null;
    }

    /// <summary>True when two observations are the same, bit for bit where they are floats.</summary>
    public static bool BitwiseEqual<T>(T a, T b)
    {
        if (ToFloats(a) is float[] x && ToFloats(b) is float[] y)
        {
            if (x.Length != y.Length) return false;
            for (int i = 0; i < x.Length; i++) if (BitConverter.SingleToInt32Bits(x[i]) != BitConverter.SingleToInt32Bits(y[i])) return false;
            return true;
        }
        if (a is System.Collections.IStructuralEquatable s) return s.Equals(b, System.Collections.StructuralComparisons.StructuralEqualityComparer);
        return EqualityComparer<T>.Default.Equals(a, b);
    }

    /// <summary>A copy of an array observation (so later mutation can be detected), or the observation itself.</summary>
    public static T Snapshot<T>(T observation) => observation is Array array ? (T)array.Clone() : observation;
}
