namespace CourseLib;

/// <summary>
/// The course's random number generator: xoshiro256** seeded through SplitMix64. Unlike
/// System.Random its sequence is specified, so the same seed gives the same numbers on every
/// machine and every .NET version ("same seed, same numbers, always").
/// </summary>
public sealed class Rng
{
    ulong _s0, _s1, _s2, _s3;

    /// <summary>A generator seeded with <paramref name="seed"/>.</summary>
    public Rng(long seed) => Reseed(seed);

    /// <summary>A generator seeded from the system's entropy (not reproducible).</summary>
    public Rng() : this(System.Security.Cryptography.RandomNumberGenerator.GetInt32(int.MaxValue)) { }

    /// <summary>Restarts the sequence from <paramref name="seed"/>.</summary>
    public void Reseed(long seed)
    {
        ulong x = unchecked((ulong)seed);
        _s0 = SplitMix(ref x); _s1 = SplitMix(ref x); _s2 = SplitMix(ref x); _s3 = SplitMix(ref x);
    }

    static ulong SplitMix(ref ulong x)
    {
        ulong z = x += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>The next 64 random bits.</summary>
    public ulong NextUInt64()
    {
        ulong result = ulong.RotateLeft(_s1 * 5, 7) * 9;
        ulong t = _s1 << 17;
        _s2 ^= _s0; _s3 ^= _s1; _s1 ^= _s2; _s0 ^= _s3;
        _s2 ^= t;
        _s3 = ulong.RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>Uniform in [0, 1).</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform in [low, high).</summary>
    public double Uniform(double low, double high) => low + (high - low) * NextDouble();

    /// <summary>Uniform integer in [0, n).</summary>
    public int NextInt(int n)
    {
        if (n <= 0) throw new ArgumentOutOfRangeException(nameof(n), n, "n must be at least 1.");
        // Lemire's multiply-shift with rejection: unbiased.
        ulong bound = (ulong)n;
        while (true)
        {
            ulong x = NextUInt64() >> 32;
            ulong m = x * bound;
            if ((uint)m >= (uint)((0x1_0000_0000UL - bound) % bound)) return (int)(m >> 32);
        }
    }

    /// <summary>Uniform integer in [low, high).</summary>
    public int NextInt(int low, int high)
    {
        if (high <= low) throw new ArgumentOutOfRangeException(nameof(high), high, $"high must be greater than low ({low}).");
        return low + NextInt(high - low);
    }

    /// <summary>Standard normal (Box-Muller).</summary>
    public double NextGaussian()
    {
        double u1 = 1.0 - NextDouble(), u2 = NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }

    /// <summary>An index drawn with the given probabilities (which must sum to about 1).</summary>
    public int Categorical(ReadOnlySpan<double> probabilities)
    {
        double u = NextDouble(), cumulative = 0;
        for (int i = 0; i < probabilities.Length; i++)
        {
            cumulative += probabilities[i];
            if (u < cumulative) return i;
        }
        for (int i = probabilities.Length - 1; i >= 0; i--) if (probabilities[i] > 0) return i;
        throw new ArgumentException("probabilities are all zero.", nameof(probabilities));
    }

    /// <summary>Shuffles <paramref name="items"/> in place (Fisher-Yates).</summary>
    public void Shuffle<T>(Span<T> items)
    {
        for (int i = items.Length - 1; i > 0; i--)
        {
            int j = NextInt(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }
}
