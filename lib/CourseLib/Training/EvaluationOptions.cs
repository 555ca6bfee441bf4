namespace CourseLib.Training;

/// <summary>
/// When and how every trainer evaluates its greedy policy during training, and whether it stops once that is good
/// enough (like Stable-Baselines3's <c>EvalCallback</c> with <c>StopTrainingOnRewardThreshold</c>). Each trainer's
/// options record holds one, as <c>Evaluation</c>. Evaluation k of a run resets its episodes from
/// <see cref="Seed"/>, <see cref="Seed"/> + 1, ..., so every evaluation sees the same start states.
/// </summary>
public sealed record EvaluationOptions
{
    /// <summary>No evaluations during training (the default of every trainer).</summary>
    public static EvaluationOptions None { get; } = new();

    /// <summary>Training steps between evaluations; 0 = never. Default 0.</summary>
    public long EverySteps { get; init; }

    /// <summary>Episodes per evaluation. Default 20.</summary>
    public int Episodes { get; init; } = 20;

    /// <summary>The first evaluation episode resets from this seed, the next from Seed + 1, ... Default 10,000.</summary>
    public int Seed { get; init; } = 10_000;

    /// <summary>
    /// Stop training at the first evaluation whose mean return reaches this, and return the agent that was evaluated
    /// (null: train for the whole budget). Needs <see cref="EverySteps"/> &gt; 0. Default null.
    /// </summary>
    public double? StopAtMeanReturn { get; init; }

    /// <summary>True when evaluations are scheduled.</summary>
    public bool Enabled => EverySteps > 0;

    /// <summary>Throws a clear exception naming the first setting out of range.</summary>
    public void Validate()
    {
        Require.AtLeast(EverySteps, 0, nameof(EverySteps), "0 = never");
        Require.AtLeast(Episodes, 1, nameof(Episodes));
        if (StopAtMeanReturn is { } stop)
        {
            Require.Finite(stop, nameof(StopAtMeanReturn));
            if (EverySteps == 0)
                throw new ArgumentOutOfRangeException(nameof(StopAtMeanReturn), stop, "StopAtMeanReturn needs EverySteps > 0.");
        }
    }

    /// <summary>True when an evaluation is due after <paramref name="step"/> (counting from 0, every <see cref="EverySteps"/>).</summary>
    public bool IsDue(long step) => EverySteps > 0 && step > 0 && step % EverySteps == 0;

    /// <summary>True when <paramref name="evaluation"/> reached <see cref="StopAtMeanReturn"/>.</summary>
    public bool Reached(EvaluationRecord evaluation) => StopAtMeanReturn is { } stop && evaluation.MeanReturn >= stop;
}
