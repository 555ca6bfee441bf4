using System.Diagnostics;
using System.Globalization;
using CourseLib.Display;

namespace CourseLib.Training;

/// <summary>Where progress goes.</summary>
public enum ProgressMode
{
    /// <summary>A live bar in the notebook when a kernel is running, else the terminal (standard error).</summary>
    Automatic,
    /// <summary>The terminal (standard error) only.</summary>
    Terminal,
    /// <summary>Nowhere (tests, batch runs). Also chosen by the environment variable COURSELIB_PROGRESS=none.</summary>
    None,
}

/// <summary>
/// Progress of a long piece of work (training, evaluation): a bar with the latest figures, live in the notebook
/// (updated in place) or on the terminal. Algorithms create one with <see cref="Start(string, long, string)"/>, call <see cref="Report"/>
/// as they go (cheap: rendering is throttled), and dispose it when done.
/// </summary>
public sealed class TrainingProgress : IDisposable
{
    /// <summary>Overrides the destination for all progress (default: from COURSELIB_PROGRESS, else automatic).</summary>
    public static ProgressMode Mode { get; set; } =
        string.Equals(Environment.GetEnvironmentVariable("COURSELIB_PROGRESS"), "none", StringComparison.OrdinalIgnoreCase)
            ? ProgressMode.None : ProgressMode.Automatic;

    static readonly AsyncLocal<bool> Inner = new();

    /// <summary>
    /// Until disposed, bars started by this code and by what it runs (its tasks and parallel loops included) show
    /// nothing: for work that reports one bar for many inner runs (an ablation of 24 training runs).
    /// </summary>
    public static IDisposable SilenceInner()
    {
        bool before = Inner.Value;
        Inner.Value = true;
        return new Restore(() => Inner.Value = before);
    }

    sealed class Restore(Action restore) : IDisposable
    {
        public void Dispose() => restore();
    }

    static readonly TimeSpan NotebookInterval = TimeSpan.FromMilliseconds(300);
    static readonly TimeSpan TerminalInterval = TimeSpan.FromMilliseconds(200);
    static readonly TimeSpan RedirectedInterval = TimeSpan.FromSeconds(10);

    readonly Stopwatch _clock = Stopwatch.StartNew();
    readonly DisplayHandle? _notebook;
    readonly bool _terminal, _interactiveTerminal;
    TimeSpan _lastRender = TimeSpan.FromDays(-1);
    bool _finished;
    string? _outcome;

    /// <summary>What is being done, e.g. "REINFORCE on CartPole-v1".</summary>
    public string Title { get; }
    /// <summary>The amount of work in all (0: unknown).</summary>
    public long Total { get; }
    /// <summary>The unit of work, e.g. "steps".</summary>
    public string Unit { get; }
    /// <summary>Work done so far.</summary>
    public long Done { get; private set; }
    /// <summary>The latest figures reported.</summary>
    public IReadOnlyList<(string Name, double Value)> Figures { get; private set; } = Array.Empty<(string, double)>();
    /// <summary>Time since the start.</summary>
    public TimeSpan Elapsed => _clock.Elapsed;

    /// <summary>True when the bar is drawn somewhere (a notebook or the terminal), false for a silent one.</summary>
    internal bool Shows => _notebook != null || _terminal;

    TrainingProgress(string title, long total, string unit, ProgressMode mode)
    {
        Title = title; Total = total; Unit = unit;
        if (mode == ProgressMode.None) return;
        if (mode == ProgressMode.Automatic && Notebook.IsRunning)
            _notebook = Notebook.Display(new ProgressView(this));
        else
        {
            _terminal = true;
            _interactiveTerminal = !Console.IsErrorRedirected;
        }
    }

    /// <summary>Starts reporting progress of <paramref name="total"/> units of work.</summary>
    public static TrainingProgress Start(string title, long total, string unit = "steps")
    {
        ArgumentNullException.ThrowIfNull(title);
        if (total < 0) throw new ArgumentOutOfRangeException(nameof(total), total, "total must be 0 (unknown) or more.");
        return Start(title, total, unit, Mode);
    }

    /// <summary>Starts a bar drawn as <paramref name="mode"/> says (nowhere inside <see cref="SilenceInner"/>).</summary>
    internal static TrainingProgress Start(string title, long total, string unit, ProgressMode mode) =>
        new(title, total, unit, Inner.Value ? ProgressMode.None : mode);

    /// <summary>Reports that <paramref name="done"/> units are done, with the latest figures (e.g. ("return", 123.4)).</summary>
    public void Report(long done, params (string Name, double Value)[] figures)
    {
        Done = done;
        if (figures.Length > 0) Figures = figures;
        var now = _clock.Elapsed;
        var interval = _notebook != null ? NotebookInterval : _interactiveTerminal ? TerminalInterval : RedirectedInterval;
        if (now - _lastRender < interval && !(Total > 0 && done >= Total)) return;
        _lastRender = now;
        Render(final: false);
    }

    /// <summary>
    /// Ends the bar at <paramref name="done"/> units and says why it ended when that is short of the total, e.g.
    /// "stopped early: goal reached". Without a call to Finish, Dispose ends the bar at the last reported count
    /// ("done" when it reached the total, else "stopped at" it).
    /// </summary>
    public void Finish(long done, string? outcome = null)
    {
        Done = done;
        _outcome = outcome;
        Dispose();
    }

    /// <summary>Shows the final state.</summary>
    public void Dispose()
    {
        if (_finished) return;
        _finished = true;
        Render(final: true);
    }

    void Render(bool final)
    {
        if (_notebook != null) _notebook.Update(new ProgressView(this, final));
        else if (_terminal)
        {
            var line = Describe(final);
            if (_interactiveTerminal) Console.Error.Write("\r" + line.PadRight(Math.Min(Console.WindowWidth > 0 ? Console.WindowWidth - 1 : 100, 160)) + (final ? "\n" : ""));
            else Console.Error.WriteLine(line);
            if (final) OutputSink.Current?.Invoke(new ProgressView(this, final));
        }
    }

    /// <summary>One line: title, bar (a text bar unless <paramref name="textBar"/> is false), counts, time, figures and, at the end, how it ended.</summary>
    public string Describe(bool final = false, bool textBar = true)
    {
        var fraction = Total > 0 ? Math.Clamp((double)Done / Total, 0, 1) : 0;
        const int width = 24;
        var filled = (int)Math.Round(fraction * width);
        var bar = Total <= 0 ? ""
            : (textBar ? "[" + new string('#', filled) + new string('.', width - filled) + "] " : "")
              + (fraction * 100).ToString(fraction is > 0.99 and < 1 ? "0.0" : "0", CultureInfo.InvariantCulture) + "% ";
        var counts = Total > 0 ? $"{Done.ToString("N0", CultureInfo.InvariantCulture)}/{Total.ToString("N0", CultureInfo.InvariantCulture)} {Unit}" : $"{Done.ToString("N0", CultureInfo.InvariantCulture)} {Unit}";
        var figures = string.Concat(Figures.Select(f => $" · {f.Name} {Format(f.Value)}"));
        return $"{Title} {bar}{counts} · {Elapsed.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)} s{figures}{(final ? " · " + Ending() : "")}";
    }

    string Ending() =>
        _outcome ?? (Total > 0 && Done < Total ? $"stopped at {Done.ToString("N0", CultureInfo.InvariantCulture)} of {Total.ToString("N0", CultureInfo.InvariantCulture)} {Unit}" : "done");

    static string Format(double value) =>
        Math.Abs(value) >= 1000 || value == Math.Round(value) ? value.ToString("0.#", CultureInfo.InvariantCulture) : value.ToString("0.###", CultureInfo.InvariantCulture);

    sealed class ProgressView(TrainingProgress progress, bool final = false) : HtmlDisplayable
    {
        readonly string _text = progress.Describe(final, textBar: false); // the <progress> element is the bar
        readonly double _fraction = progress.Total > 0 ? Math.Clamp((double)progress.Done / progress.Total, 0, 1) : 0;

        public override string ToHtml() =>
            $"<div style=\"font-family:monospace;font-size:13px\"><progress value=\"{_fraction.ToString("0.000", CultureInfo.InvariantCulture)}\" max=\"1\" style=\"width:240px;vertical-align:middle\"></progress> {Escape(_text)}</div>";

        public override string ToString() => progress.Describe(final);
    }
}
