using CourseLib.Display;
using CourseLib.Mdp;

namespace CourseLib.Environments;

/// <summary>
/// An environment that samples a <see cref="TabularMdp"/>: Reset draws s0 ~ p(s0), Step draws
/// s' ~ p(·|s,a) and pays r(s,a,s'). Observations are state numbers. The episode terminates on entering a
/// terminal state and is truncated after <see cref="MaxEpisodeSteps"/> steps (when set).
/// </summary>
public class TabularEnvironment : HtmlDisplayable, IEnvironment<int, int>
{
    readonly Rng _rng = new(0);
    readonly Discrete _actionSpace;
    int _state, _steps;
    bool _needsReset = true;

    /// <summary>An environment for <paramref name="mdp"/>, truncated after <paramref name="maxEpisodeSteps"/> steps (null: never).</summary>
    public TabularEnvironment(TabularMdp mdp, int? maxEpisodeSteps = null)
    {
        ArgumentNullException.ThrowIfNull(mdp);
        if (maxEpisodeSteps is <= 0)
            throw new ArgumentOutOfRangeException(nameof(maxEpisodeSteps), maxEpisodeSteps, "maxEpisodeSteps must be at least 1 (or null for no time limit).");
        Mdp = mdp;
        MaxEpisodeSteps = maxEpisodeSteps;
        ObservationSpace = new Discrete(mdp.StateCount);
        _actionSpace = new Discrete(mdp.ActionCount);
        _rng.Reseed(Environment.TickCount64);
    }

    /// <summary>The MDP this environment samples: p(s0), p(s'|s,a), r and the terminal states, for dynamic programming.</summary>
    public TabularMdp Mdp { get; }

    /// <summary>Episode length at which Step reports Truncated (null: no time limit).</summary>
    public int? MaxEpisodeSteps { get; }

    /// <summary>Steps taken in the current episode.</summary>
    public int ElapsedSteps => _steps;

    /// <summary>The current state.</summary>
    public int State => _state;

    /// <inheritdoc />
    public Space<int> ObservationSpace { get; }

    /// <inheritdoc />
    public Space<int> ActionSpace => _actionSpace;

    /// <summary>Draws s0 ~ p(s0). With a seed the random generator restarts from it.</summary>
    public ResetResult<int> Reset(int? seed = null)
    {
        if (seed is int s) _rng.Reseed(s);
        return new ResetResult<int>(ResetTo(Mdp.SampleInitialState(_rng)));
    }

    /// <summary>Starts an episode in the given state (for experiments and tests; Reset draws it from p(s0)).</summary>
    public int ResetTo(int state)
    {
        if ((uint)state >= (uint)Mdp.StateCount)
            throw new ArgumentOutOfRangeException(nameof(state), state, $"state must be in 0..{Mdp.StateCount - 1} ({Mdp.StateCount} states).");
        if (Mdp.IsTerminal(state))
            throw new ArgumentException($"state {state} is terminal: an episode cannot start there.", nameof(state));
        _state = state;
        _steps = 0;
        _needsReset = false;
        return state;
    }

    /// <summary>Draws s' ~ p(·|s,a) and returns it with r(s,a,s'); terminated when s' is terminal.</summary>
    public StepResult<int> Step(int action)
    {
        if ((uint)action >= (uint)Mdp.ActionCount)
            throw new ArgumentOutOfRangeException(nameof(action), action, $"action must be in {_actionSpace}{DescribeActions()}.");
        if (_needsReset)
            throw new InvalidOperationException("Step was called after the episode ended (or before the first Reset): call Reset first.");
        var transition = Mdp.SampleTransition(_state, action, _rng);
        _state = transition.NextState;
        _steps++;
        bool terminated = Mdp.TerminalFlags[_state];
        bool truncated = !terminated && _steps >= MaxEpisodeSteps;
        _needsReset = terminated || truncated;
        return new StepResult<int>(_state, transition.Reward, terminated, truncated);
    }

    /// <summary>A short HTML summary of the MDP and the current state (grid worlds draw themselves instead).</summary>
    public override string ToHtml() =>
        $"<div><b>{Escape(GetType().Name)}</b>: {Escape(Mdp.ToString())}, current state {_state}, step {_steps}" +
        $"{(MaxEpisodeSteps is int m ? $" of at most {m}" : "")}.</div>";

    string DescribeActions() =>
        Mdp.ActionNames is { } names ? " (" + string.Join(", ", names.Select((n, i) => $"{i} = {n}")) + ")" : "";
}
