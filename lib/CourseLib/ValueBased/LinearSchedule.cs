namespace CourseLib.ValueBased;

/// <summary>
/// A value that moves linearly from <see cref="Start"/> to <see cref="End"/> over <see cref="Duration"/> steps and
/// then stays at <see cref="End"/>: the usual ε schedule (DQN: ε from 1 to 0.1 over the first million frames).
/// </summary>
/// <param name="Start">The value at step 0.</param>
/// <param name="End">The value from step <paramref name="Duration"/> on.</param>
/// <param name="Duration">Number of steps the change takes (0: the value is <paramref name="End"/> at once).</param>
public readonly record struct LinearSchedule(double Start, double End, long Duration)
{
    /// <summary>The value at step <paramref name="step"/>: Start + (End − Start)·min(1, step / Duration).</summary>
    public double At(long step)
    {
        if (step < 0) throw new ArgumentOutOfRangeException(nameof(step), step, "step must be non-negative.");
        if (Duration < 0) throw new ArgumentOutOfRangeException(nameof(Duration), Duration, "Duration must be non-negative.");
        if (Duration == 0 || step >= Duration) return End;
        return Start + (End - Start) * ((double)step / Duration);
    }
}
