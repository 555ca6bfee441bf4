namespace CourseLib.Environments;

/// <summary>
/// CliffWalking (Sutton and Barto, Example 6.6; Gymnasium's CliffWalking-v0): a 4x12 grid, start at the
/// bottom-left, goal at the bottom-right, and the cells between them a cliff. Actions 0 = Up, 1 = Right,
/// 2 = Down, 3 = Left. Each step pays -1; stepping onto the cliff pays -100 and sends the agent back to the
/// start (the episode goes on); reaching the goal ends it. No time limit unless <c>maxEpisodeSteps</c> is given.
/// </summary>
public sealed class CliffWalking : GridWorld
{
    /// <summary>The 4x12 map: S start, C cliff, G goal.</summary>
    public static IReadOnlyList<string> Map4x12 { get; } =
    [
        "FFFFFFFFFFFF",
        "FFFFFFFFFFFF",
        "FFFFFFFFFFFF",
        "SCCCCCCCCCCG",
    ];

    /// <summary>CliffWalking, truncated after <paramref name="maxEpisodeSteps"/> steps when given.</summary>
    public CliffWalking(int? maxEpisodeSteps = null) : base(new GridWorldOptions
    {
        Map = Map4x12,
        Actions = [GridMove.Up, GridMove.Right, GridMove.Down, GridMove.Left],
        StepReward = -1,
        GoalReward = -1,
        CliffReward = -100,
        MaxEpisodeSteps = maxEpisodeSteps,
    })
    { }
}
