namespace CourseLib.ValueBased.Deep;

/// <summary>
/// C51's distributional Bellman target (Bellemare et al. 2017, Algorithm 1). The return distribution is categorical on
/// fixed support points z_0 &lt; … &lt; z_{N−1} (evenly spaced). The target r + γ^k Z(s') shifts and shrinks the support
/// to r + γ^k z_j, which no longer lies on the grid, so each probability p_j is split between the two neighbouring
/// support points in proportion to closeness (values beyond the ends are clipped to them). With s' terminal the target
/// is the point mass at r, split the same way.
/// </summary>
public static class CategoricalProjection
{
    /// <summary>
    /// Writes the projected target distribution m to <paramref name="target"/>:
    /// for each j, b = (clip(r + γ z_j, z_0, z_{N−1}) − z_0)/Δz, m_⌊b⌋ += p_j (⌈b⌉ − b), m_⌈b⌉ += p_j (b − ⌊b⌋)
    /// (all of p_j to m_b when b is a whole number).
    /// </summary>
    /// <param name="support">The evenly spaced support z_0 … z_{N−1}.</param>
    /// <param name="nextProbabilities">p_j(s', a*), the next state's distribution for the greedy action.</param>
    /// <param name="reward">r (for n-step transitions the discounted reward sum).</param>
    /// <param name="discount">γ (γ^k for n-step transitions).</param>
    /// <param name="terminated">s' is terminal: the target is r.</param>
    /// <param name="target">m, the projected distribution (same length as the support).</param>
    public static void Project(ReadOnlySpan<float> support, ReadOnlySpan<float> nextProbabilities, float reward, float discount, bool terminated, Span<float> target)
    {
        int atoms = support.Length;
        if (atoms < 2) throw new ArgumentException("support needs at least two points.", nameof(support));
        if (nextProbabilities.Length != atoms) throw new ArgumentException($"nextProbabilities must have {atoms} entries.", nameof(nextProbabilities));
        if (target.Length != atoms) throw new ArgumentException($"target must have {atoms} entries.", nameof(target));
        float vMin = support[0], vMax = support[^1], spacing = (vMax - vMin) / (atoms - 1);
        if (!(spacing > 0)) throw new ArgumentException("support must be increasing.", nameof(support));
        target.Clear();
        float scale = terminated ? 0 : discount;
        for (int j = 0; j < atoms; j++)
        {
            float tz = Math.Clamp(reward + scale * support[j], vMin, vMax);
            float b = (tz - vMin) / spacing;
            int lower = (int)MathF.Floor(b), upper = (int)MathF.Ceiling(b);
            if (upper >= atoms) { lower = upper = atoms - 1; }       // rounding at the top end
            if (lower == upper) target[lower] += nextProbabilities[j];
            else
            {
                target[lower] += nextProbabilities[j] * (upper - b);
                target[upper] += nextProbabilities[j] * (b - lower);
            }
        }
    }
}
