namespace CourseLib.Environments;

/// <summary>
/// FrozenLake-v1 (Gymnasium's maps and rules): walk from S to G over frozen cells F without falling into a
/// hole H. Actions 0 = Left, 1 = Down, 2 = Right, 3 = Up. On slippery ice the intended move happens with
/// probability 1/3 and each perpendicular move with 1/3. Reward 1 on reaching G, 0 otherwise; G and H are
/// terminal; episodes are truncated after 100 steps (4x4) or 200 steps (8x8), as Gymnasium registers them.
/// </summary>
public sealed class FrozenLake : GridWorld
{
    /// <summary>Gymnasium's 4x4 map.</summary>
    public static IReadOnlyList<string> Map4x4 { get; } = ["SFFF", "FHFH", "FFFH", "HFFG"];

    /// <summary>Gymnasium's 8x8 map.</summary>
    public static IReadOnlyList<string> Map8x8 { get; } =
    [
        "SFFFFFFF",
        "FFFFFFFF",
        "FFFHFFFF",
        "FFFFFHFF",
        "FFFHFFFF",
        "FHHFFFHF",
        "FHFFHFHF",
        "FFFHFFFG",
    ];

    /// <summary>FrozenLake on <paramref name="map"/> (default: the 4x4 map), slippery or not, truncated after <paramref name="maxEpisodeSteps"/> steps.</summary>
    public FrozenLake(IReadOnlyList<string>? map = null, bool isSlippery = true, int? maxEpisodeSteps = 100)
        : base(Rules(map ?? Map4x4, isSlippery, maxEpisodeSteps))
    {
        IsSlippery = isSlippery;
    }

    /// <summary>The 4x4 lake, truncated after 100 steps.</summary>
    public static FrozenLake FourByFour(bool isSlippery = true) => new(Map4x4, isSlippery, 100);

    /// <summary>The 8x8 lake, truncated after 200 steps.</summary>
    public static FrozenLake EightByEight(bool isSlippery = true) => new(Map8x8, isSlippery, 200);

    /// <summary>True when moves slip (intended move w.p. 1/3, each perpendicular one w.p. 1/3).</summary>
    public bool IsSlippery { get; }

    static GridWorldOptions Rules(IReadOnlyList<string> map, bool isSlippery, int? maxEpisodeSteps)
    {
        foreach (var row in map ?? throw new ArgumentNullException(nameof(map)))
            foreach (char c in row)
                if (c is not ('S' or 'F' or 'H' or 'G'))
                    throw new ArgumentException($"A FrozenLake map has only the cells S, F, H and G; found '{c}' in \"{row}\".", nameof(map));
        return new GridWorldOptions
        {
            Map = map,
            Actions = [GridMove.Left, GridMove.Down, GridMove.Right, GridMove.Up],
            StepReward = 0,
            GoalReward = 1,
            HoleReward = 0,
            IntendedMoveProbability = isSlippery ? 1.0 / 3 : 1,
            PerpendicularMoveProbability = isSlippery ? 1.0 / 3 : 0,
            MaxEpisodeSteps = maxEpisodeSteps,
        };
    }
}
