namespace CourseLib.ValueBased.Deep;

/// <summary>
/// A sum-tree (Schaul et al. 2016, appendix B.2.1): a complete binary tree whose leaves hold the priorities p_i and
/// whose inner nodes hold the sum of their children. Setting a priority and drawing an index i with probability
/// p_i / Σ_j p_j both take O(log n). The leaves are padded to a power of two; padding leaves hold 0.
/// </summary>
public sealed class SumTree
{
    readonly double[] _nodes; // _nodes[1] is the root, the children of k are 2k and 2k+1, leaves start at _leafStart
    readonly int _leafStart;

    /// <summary>A tree for <paramref name="capacity"/> priorities, all 0.</summary>
    public SumTree(int capacity)
    {
        if (capacity <= 0) throw new ArgumentOutOfRangeException(nameof(capacity), capacity, "capacity must be at least 1.");
        Capacity = capacity;
        _leafStart = (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)capacity);
        _nodes = new double[2 * _leafStart];
    }

    /// <summary>Number of priorities it holds.</summary>
    public int Capacity { get; }

    /// <summary>Σ_i p_i.</summary>
    public double Total => _nodes[1];

    /// <summary>The priority of leaf <paramref name="index"/>.</summary>
    public double this[int index]
    {
        get
        {
            CheckIndex(index);
            return _nodes[_leafStart + index];
        }
        set
        {
            CheckIndex(index);
            if (!(value >= 0) || double.IsPositiveInfinity(value))
                throw new ArgumentOutOfRangeException(nameof(value), value, "a priority must be finite and non-negative.");
            int node = _leafStart + index;
            _nodes[node] = value;
            // Recompute the sums on the path to the root (recomputing, not adding a difference, keeps them exact).
            for (node >>= 1; node >= 1; node >>= 1) _nodes[node] = _nodes[2 * node] + _nodes[2 * node + 1];
        }
    }

    /// <summary>
    /// The index i whose slice of the cumulative sum contains <paramref name="prefixSum"/>, i.e. the smallest i with
    /// p_0 + … + p_i &gt; prefixSum. For prefixSum uniform in [0, Total) this draws i with probability p_i / Total.
    /// Leaves with priority 0 are never returned.
    /// </summary>
    public int Find(double prefixSum)
    {
        if (!(Total > 0)) throw new InvalidOperationException("All priorities are 0: nothing to sample.");
        if (!(prefixSum >= 0)) throw new ArgumentOutOfRangeException(nameof(prefixSum), prefixSum, $"prefixSum must be in [0, {Total}).");
        int node = 1;
        while (node < _leafStart)
        {
            int left = 2 * node;
            if (prefixSum < _nodes[left] || _nodes[left + 1] <= 0) node = left;
            else { prefixSum -= _nodes[left]; node = left + 1; }
        }
        // Rounding can leave us on an empty leaf at the far right; step back to the last non-empty one.
        while (_nodes[node] <= 0 && node > _leafStart) node--;
        return node - _leafStart;
    }

    void CheckIndex(int index)
    {
        if ((uint)index >= (uint)Capacity) throw new ArgumentOutOfRangeException(nameof(index), index, $"index must be in [0, {Capacity}).");
    }
}
