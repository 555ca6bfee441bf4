using System.Text;

namespace CourseLib.Environments;

/// <summary>How a check of <see cref="EnvironmentChecker"/> came out.</summary>
public enum CheckOutcome
{
    /// <summary>The environment keeps this part of the contract.</summary>
    Passed,
    /// <summary>Allowed, but probably not what you meant (or the check could not be made).</summary>
    Warning,
    /// <summary>The environment breaks the contract.</summary>
    Failed,
}

/// <summary>One check: what was checked, how it came out, and (when it did not pass) a plain explanation.</summary>
public sealed record EnvironmentCheck(string Rule, CheckOutcome Outcome, string? Explanation = null);

/// <summary>The result of <see cref="EnvironmentChecker.Check{TObservation, TAction}(IEnvironment{TObservation, TAction}, int, int)"/>: every check, readable as text.</summary>
public sealed class EnvironmentCheckReport
{
    internal EnvironmentCheckReport(string environmentName, IReadOnlyList<EnvironmentCheck> checks)
    {
        EnvironmentName = environmentName;
        Checks = checks;
    }

    /// <summary>The checked environment's type name.</summary>
    public string EnvironmentName { get; }

    /// <summary>Every check made, in order.</summary>
    public IReadOnlyList<EnvironmentCheck> Checks { get; }

    /// <summary>True when no check failed (warnings allowed).</summary>
    public bool Passed => Checks.All(c => c.Outcome != CheckOutcome.Failed);

    /// <summary>The checks that failed.</summary>
    public IEnumerable<EnvironmentCheck> Failures => Checks.Where(c => c.Outcome == CheckOutcome.Failed);

    /// <summary>Throws an <see cref="EnvironmentContractException"/> listing the failures, unless every check passed.</summary>
    public EnvironmentCheckReport ThrowIfFailed() => Passed ? this : throw new EnvironmentContractException(this);

    /// <summary>One line per check: PASS, WARN or FAIL, the rule, and the explanation.</summary>
    public override string ToString()
    {
        var text = new StringBuilder();
        int failed = Checks.Count(c => c.Outcome == CheckOutcome.Failed), warned = Checks.Count(c => c.Outcome == CheckOutcome.Warning);
        text.AppendLine($"Environment check of {EnvironmentName}: {(failed == 0 ? "passed" : $"{failed} failed")}" +
                        $"{(warned > 0 ? $", {warned} warning(s)" : "")}, {Checks.Count} checks.");
        foreach (var c in Checks)
        {
            string tag = c.Outcome switch { CheckOutcome.Passed => "PASS", CheckOutcome.Warning => "WARN", _ => "FAIL" };
            text.Append("  ").Append(tag).Append("  ").Append(c.Rule);
            if (c.Explanation is not null) text.AppendLine().Append("        ").Append(c.Explanation.Replace("\n", "\n        "));
            text.AppendLine();
        }
        return text.ToString();
    }
}

/// <summary>Thrown by <see cref="EnvironmentCheckReport.ThrowIfFailed"/>: the message is the whole report.</summary>
public sealed class EnvironmentContractException(EnvironmentCheckReport report) : Exception(report.ToString())
{
    /// <summary>The report with the failed checks.</summary>
    public EnvironmentCheckReport Report { get; } = report;
}

/// <summary>
/// Checks that an environment keeps the course's (Gymnasium's) contract, like Gymnasium's <c>check_env</c>, and
/// says plainly what breaks it. Point it at your own environment:
/// <code>  Console.WriteLine(EnvironmentChecker.Check(new MyEnvironment()));            // a readable report
///   EnvironmentChecker.Check(() =&gt; new MyEnvironment()).ThrowIfFailed();       // or stop on a failure</code>
/// It plays random actions (drawn from the action space with a fixed seed); it does not judge the task itself.
/// </summary>
public static class EnvironmentChecker
{
    /// <summary>Checks an environment instance (everything except "Step before the first Reset", which needs a fresh one).</summary>
    /// <param name="environment">The environment; it is reset and stepped.</param>
    /// <param name="seed">The seed for Reset and for the random actions. Default 0.</param>
    /// <param name="steps">How many random steps to take per rollout. Default 1000.</param>
    public static EnvironmentCheckReport Check<TObservation, TAction>(IEnvironment<TObservation, TAction> environment, int seed = 0, int steps = 1000)
    {
        ArgumentNullException.ThrowIfNull(environment);
        return Run(environment, null, seed, steps);
    }

    /// <summary>Checks environments made by <paramref name="create"/> (called twice: once for "Step before Reset", once for the rest).</summary>
    public static EnvironmentCheckReport Check<TObservation, TAction>(Func<IEnvironment<TObservation, TAction>> create, int seed = 0, int steps = 1000)
    {
        ArgumentNullException.ThrowIfNull(create);
        return Run(create(), create, seed, steps);
    }

    static EnvironmentCheckReport Run<TObservation, TAction>(IEnvironment<TObservation, TAction> env, Func<IEnvironment<TObservation, TAction>>? create, int seed, int steps)
    {
        if (steps < 10) throw new ArgumentOutOfRangeException(nameof(steps), steps, "steps must be at least 10.");
        var checks = new List<EnvironmentCheck>();
        string name = env.GetType().Name;
        void Add(string rule, string? failure, CheckOutcome outcome = CheckOutcome.Failed) =>
            checks.Add(new EnvironmentCheck(rule, failure is null ? CheckOutcome.Passed : outcome, failure));

        // 1. Spaces.
        Add("ObservationSpace and ActionSpace are set", env.ObservationSpace is null || env.ActionSpace is null
            ? "ObservationSpace or ActionSpace is null. Say what observations and actions are, e.g. new Discrete(4) or new Box<T>(low, high)." : null);
        if (env.ObservationSpace is null || env.ActionSpace is null) return new EnvironmentCheckReport(name, checks);

        // 2. Step before Reset (only with a factory: an instance may already have been reset).
        if (create is not null)
        {
            var fresh = create();
            var sample = fresh.ActionSpace.Sample(new Rng(seed));
            Add("Step before the first Reset throws InvalidOperationException", Throws<InvalidOperationException>(() => fresh.Step(sample),
                "Step worked before any Reset. An episode must start with Reset; throw InvalidOperationException(\"call Reset first\") otherwise."));
        }

        // 3. Reset.
        ResetResult<TObservation> first;
        try { first = env.Reset(seed); }
        catch (Exception e)
        {
            Add("Reset(seed) works", $"Reset({seed}) threw {e.GetType().Name}: {e.Message}");
            return new EnvironmentCheckReport(name, checks);
        }
        Add("Reset returns an observation inside ObservationSpace", ObservationProblem(env, first.Observation, "Reset"));
        var firstCopy = ObservationValues.Snapshot(first.Observation);
        bool sameStart = true;
        for (int i = 0; i < 4; i++) sameStart &= ObservationValues.BitwiseEqual(firstCopy, env.Reset(seed).Observation);
        Add("Reset with the same seed returns the same first observation", sameStart ? null
            : $"Reset({seed}) twice gave different observations. Reseed the environment's generator from the seed (new Rng(seed) or rng.Reseed(seed)), " +
              "and draw every random number from it (never System.Random or the clock).");

        // 4. A random rollout: observations in the space, finite rewards, flags sensible, observations not mutated later.
        var rollout = Rollout(env, seed, steps, out string? rolloutError);
        if (rolloutError is not null)
        {
            Add("Step accepts every action of ActionSpace", rolloutError);
            return new EnvironmentCheckReport(name, checks);
        }
        Add("Step accepts every action of ActionSpace", null);
        Add("Step returns observations inside ObservationSpace", rollout.ObservationProblem);
        Add("Rewards are finite numbers", rollout.RewardProblem);
        Add("An episode is not both terminated and truncated", rollout.BothFlags
            ? "A step reported Terminated and Truncated together. Report Terminated when a terminal state is reached and Truncated only when it is cut off otherwise."
            : null, CheckOutcome.Warning);
        Add("Returned observations are not changed by later steps", rollout.MutatedObservation
            ? "An observation returned earlier changed after later steps: the environment hands out the same array and overwrites it. " +
              "Return a new array (or an immutable struct) from Reset and Step, so agents can store observations."
            : null);

        // 5. Determinism: the same seed and the same actions give the same episode, bit for bit.
        var replay = Rollout(env, seed, steps, out string? replayError);
        string? determinism = replayError ?? Compare(rollout, replay);
        Add("The same seed and actions give the same trajectory, bit for bit", determinism is null ? null
            : determinism + " Draw all randomness from a generator seeded in Reset(seed).");

        // 6. Episodes end, and Step after the end is refused.
        if (rollout.EndedEpisodes == 0)
        {
            checks.Add(new EnvironmentCheck("Step after the end of an episode throws InvalidOperationException", CheckOutcome.Warning,
                $"No episode ended within {steps} random steps, so this could not be checked. If episodes can last forever, add a time limit (TimeLimit wrapper)."));
        }
        else
        {
            env.Reset(seed);
            var rng = new Rng(seed + 1);
            bool ended = false;
            for (int t = 0; t < steps && !ended; t++) ended = env.Step(env.ActionSpace.Sample(rng)).Done;
            if (ended)
                Add("Step after the end of an episode throws InvalidOperationException", Throws<InvalidOperationException>(() => env.Step(env.ActionSpace.Sample(rng)),
                    "Step worked after the episode had ended. Remember that it ended and throw InvalidOperationException(\"call Reset first\") until Reset is called."));
        }

        // 7. Actions outside the action space are refused, and the episode can go on afterwards.
        if (env.ActionSpace is Discrete discrete && typeof(TAction) == typeof(int))
        {
            env.Reset(seed);
            var bad = new[] { -1, discrete.N };
            string? refusal = null;
            foreach (int a in bad)
                refusal ??= Throws<ArgumentException>(() => env.Step((TAction)(object)a),
                    $"Step({a}) was accepted although the action space is {discrete}. Throw ArgumentOutOfRangeException(nameof(action), action, \"action must be in ...\").");
            Add("Actions outside ActionSpace are refused with ArgumentException (e.g. ArgumentOutOfRangeException)", refusal);
            string? goesOn = null;
            try { env.Step(env.ActionSpace.Sample(new Rng(seed))); }
            catch (Exception e) { goesOn = $"After refusing a bad action, a valid Step threw {e.GetType().Name}: {e.Message}. Check the action before changing any state."; }
            Add("A refused action leaves the episode usable", goesOn);
        }
        else
        {
            checks.Add(new EnvironmentCheck("Actions outside ActionSpace are refused", CheckOutcome.Warning,
                $"Not checked: the action space {env.ActionSpace} is not Discrete, so the checker does not know an invalid action."));
        }

        return new EnvironmentCheckReport(name, checks);
    }

    sealed class RolloutRecord<TObservation>
    {
        public List<TObservation> Observations { get; } = [];
        public List<double> Rewards { get; } = [];
        public List<(bool Terminated, bool Truncated)> Flags { get; } = [];
        public string? ObservationProblem;
        public string? RewardProblem;
        public bool BothFlags;
        public bool MutatedObservation;
        public int EndedEpisodes;
    }

    static RolloutRecord<TObservation> Rollout<TObservation, TAction>(IEnvironment<TObservation, TAction> env, int seed, int steps, out string? error)
    {
        var record = new RolloutRecord<TObservation>();
        var returned = new List<(TObservation Original, TObservation Copy)>();
        var rng = new Rng(seed);
        error = null;
        int t = 0;
        try
        {
            var observation = env.Reset(seed).Observation;
            Keep(observation);
            for (t = 1; t <= steps; t++)
            {
                var action = env.ActionSpace.Sample(rng);
                if (!env.ActionSpace.Contains(action))
                {
                    error = $"ActionSpace.Sample returned {action}, which ActionSpace.Contains rejects: the space is inconsistent.";
                    return record;
                }
                var result = env.Step(action);
                Keep(result.Observation);
                record.Rewards.Add(result.Reward);
                record.Flags.Add((result.Terminated, result.Truncated));
                if (!double.IsFinite(result.Reward))
                    record.RewardProblem ??= $"Step {t} returned the reward {result.Reward}. Rewards must be finite numbers (no NaN, no infinity).";
                record.BothFlags |= result.Terminated && result.Truncated;
                if (result.Done)
                {
                    record.EndedEpisodes++;
                    Keep(env.Reset().Observation);
                }
            }
        }
        catch (Exception e)
        {
            error = $"Step {t} threw {e.GetType().Name}: {e.Message}";
        }
        foreach (var (original, copy) in returned)
            if (!ObservationValues.BitwiseEqual(original, copy)) { record.MutatedObservation = true; break; }
        return record;

        void Keep(TObservation observation)
        {
            record.Observations.Add(ObservationValues.Snapshot(observation));
            returned.Add((observation, ObservationValues.Snapshot(observation)));
            record.ObservationProblem ??= ObservationProblem(env, observation, $"observation {record.Observations.Count - 1}");
        }
    }

    static string? Compare<TObservation>(RolloutRecord<TObservation> a, RolloutRecord<TObservation> b)
    {
        int n = Math.Min(a.Observations.Count, b.Observations.Count);
        for (int i = 0; i < n; i++)
            if (!ObservationValues.BitwiseEqual(a.Observations[i], b.Observations[i]))
                return $"Two runs with the same seed and actions first differ at observation {i}.";
        for (int i = 0; i < Math.Min(a.Rewards.Count, b.Rewards.Count); i++)
        {
            if (BitConverter.DoubleToInt64Bits(a.Rewards[i]) != BitConverter.DoubleToInt64Bits(b.Rewards[i]))
                return $"Two runs with the same seed and actions first differ in the reward of step {i + 1}.";
            if (a.Flags[i] != b.Flags[i])
                return $"Two runs with the same seed and actions first differ in terminated/truncated at step {i + 1}.";
        }
        return a.Observations.Count == b.Observations.Count ? null : "Two runs with the same seed and actions have different lengths.";
    }

    static string? ObservationProblem<TObservation, TAction>(IEnvironment<TObservation, TAction> env, TObservation observation, string where)
    {
        if (ObservationValues.FirstNonFinite(observation) is int i)
            return $"{where}: element {i} is NaN or infinite. Observations must be finite numbers.";
        if (env.ObservationSpace.Explain(observation) is string problem)
            return $"{where}: {problem} The observation space is {env.ObservationSpace}. Either the observation or the space is wrong.";
        return null;
    }

    static string? Throws<TException>(Action action, string explanationIfNot) where TException : Exception
    {
        try { action(); }
        catch (TException) { return null; }
        catch (Exception e) { return $"It threw {e.GetType().Name} ({e.Message}) instead of {typeof(TException).Name}."; }
        return explanationIfNot;
    }
}
