using CourseLib.Environments;

namespace CourseLib.Training;

/// <summary>Runs a policy on fresh episodes and records what it scored: the one evaluation every trainer uses.</summary>
public static class Evaluation
{
    /// <summary>
    /// Plays <see cref="EvaluationOptions.Episodes"/> episodes with <paramref name="act"/>, episode k starting from
    /// <c>Reset(options.Seed + k)</c>, and returns their undiscounted returns, stamped with <paramref name="step"/>.
    /// </summary>
    /// <param name="environment">A separate environment (training's own episode is not disturbed).</param>
    /// <param name="act">The action for an observation (usually the greedy one).</param>
    /// <param name="options">How many episodes, from which seed.</param>
    /// <param name="step">The training step the record is stamped with.</param>
    public static EvaluationRecord Run<TObservation>(IEnvironment<TObservation, int> environment, Func<TObservation, int> act,
        EvaluationOptions options, long step = 0)
    {
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(act);
        ArgumentNullException.ThrowIfNull(options);
        Require.AtLeast(options.Episodes, 1, "options.Episodes");
        var returns = new double[options.Episodes];
        for (int k = 0; k < returns.Length; k++)
        {
            var observation = environment.Reset(options.Seed + k).Observation;
            while (true)
            {
                var result = environment.Step(act(observation));
                returns[k] += result.Reward;
                if (result.Terminated || result.Truncated) break;
                observation = result.Observation;
            }
        }
        return new EvaluationRecord(step, returns);
    }

    /// <summary>The same with <paramref name="episodes"/> episodes from <paramref name="seed"/>.</summary>
    public static EvaluationRecord Run<TObservation>(IEnvironment<TObservation, int> environment, Func<TObservation, int> act,
        int episodes = 20, int seed = 10_000, long step = 0) =>
        Run(environment, act, new EvaluationOptions { Episodes = episodes, Seed = seed }, step);
}
