namespace CourseLib.ValueBased;

/// <summary>
/// Tile coding (Sutton and Barto, §9.5.4): several overlapping grids ("tilings") over a box of continuous inputs,
/// each shifted by a fraction of a tile. An input activates exactly one tile per tiling, so the feature vector
/// ψ(s) is binary with <see cref="Tilings"/> ones; nearby inputs share many tiles and so generalise to each other,
/// while the offsets make the resolution finer than one grid alone. Tiling k is shifted along dimension d by
/// (k·(2d + 1) mod n)/n of a tile (n tilings): the asymmetric displacements (1, 3, 5, …) recommended by
/// Miller and Glanz, which avoid the diagonal artefacts of uniform offsets.
/// </summary>
public sealed class TileCoder
{
    readonly double[] _low, _tileWidth;
    readonly double[,] _offsets; // [tiling, dimension], in tiles
    readonly int _tilesPerTiling;

    /// <summary>A tile coder over the box [low, high].</summary>
    /// <param name="low">Lower bound of each input dimension.</param>
    /// <param name="high">Upper bound of each input dimension (inputs outside the box are clamped to it).</param>
    /// <param name="tilings">Number of tilings n (also the number of active features).</param>
    /// <param name="tilesPerDimension">Tiles across each dimension of one tiling (each tiling has one more, to cover its offset).</param>
    public TileCoder(IReadOnlyList<double> low, IReadOnlyList<double> high, int tilings = 8, int tilesPerDimension = 8)
    {
        ArgumentNullException.ThrowIfNull(low);
        ArgumentNullException.ThrowIfNull(high);
        if (low.Count == 0) throw new ArgumentException("low must have at least one dimension.", nameof(low));
        if (high.Count != low.Count) throw new ArgumentException($"high has {high.Count} dimensions, low {low.Count}.", nameof(high));
        if (tilings < 1) throw new ArgumentOutOfRangeException(nameof(tilings), tilings, "tilings must be at least 1.");
        if (tilesPerDimension < 1) throw new ArgumentOutOfRangeException(nameof(tilesPerDimension), tilesPerDimension, "tilesPerDimension must be at least 1.");
        Dimensions = low.Count;
        Tilings = tilings;
        TilesPerDimension = tilesPerDimension;
        _low = low.ToArray();
        _tileWidth = new double[Dimensions];
        for (int d = 0; d < Dimensions; d++)
        {
            if (!(high[d] > low[d]) || !double.IsFinite(low[d]) || !double.IsFinite(high[d]))
                throw new ArgumentException($"Dimension {d}: the bounds [{low[d]}, {high[d]}] must be finite with low < high.", nameof(high));
            _tileWidth[d] = (high[d] - low[d]) / tilesPerDimension;
        }
        long perTiling = 1;
        for (int d = 0; d < Dimensions; d++) perTiling *= tilesPerDimension + 1;
        if (perTiling * tilings > int.MaxValue) throw new ArgumentException("Too many features: use fewer tiles, tilings or dimensions.", nameof(tilesPerDimension));
        _tilesPerTiling = (int)perTiling;
        _offsets = new double[tilings, Dimensions];
        for (int k = 0; k < tilings; k++)
            for (int d = 0; d < Dimensions; d++)
                _offsets[k, d] = (double)(k * (2 * d + 1) % tilings) / tilings;
        High = high.ToArray();
    }

    /// <summary>Input dimensions.</summary>
    public int Dimensions { get; }
    /// <summary>n, the number of tilings (= active features per input).</summary>
    public int Tilings { get; }
    /// <summary>Tiles across each dimension.</summary>
    public int TilesPerDimension { get; }
    /// <summary>Lower bounds of the box.</summary>
    public IReadOnlyList<double> Low => _low;
    /// <summary>Upper bounds of the box.</summary>
    public IReadOnlyList<double> High { get; }
    /// <summary>Length of ψ(s): tilings × (tiles + 1)^dimensions.</summary>
    public int FeatureCount => Tilings * _tilesPerTiling;

    /// <summary>Writes the index of the one active tile of each tiling to <paramref name="features"/> (length <see cref="Tilings"/>).</summary>
    public void ActiveFeatures(ReadOnlySpan<double> input, Span<int> features)
    {
        if (input.Length != Dimensions) throw new ArgumentException($"input must have {Dimensions} values, not {input.Length}.", nameof(input));
        if (features.Length != Tilings) throw new ArgumentException($"features must have room for {Tilings} indices, not {features.Length}.", nameof(features));
        for (int k = 0; k < Tilings; k++)
        {
            int index = 0, stride = 1;
            for (int d = 0; d < Dimensions; d++)
            {
                double x = input[d];
                if (double.IsNaN(x)) throw new ArgumentException($"input[{d}] is NaN.", nameof(input));
                double u = (x - _low[d]) / _tileWidth[d] + _offsets[k, d];
                int tile = (int)Math.Floor(Math.Clamp(u, 0, TilesPerDimension + 0.999999));
                index += tile * stride;
                stride *= TilesPerDimension + 1;
            }
            features[k] = k * _tilesPerTiling + index;
        }
    }

    /// <summary>The active features as a new array (convenience for notebooks).</summary>
    public int[] ActiveFeatures(params double[] input)
    {
        var features = new int[Tilings];
        ActiveFeatures(input, features);
        return features;
    }
}
