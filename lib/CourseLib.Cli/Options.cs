using System.CommandLine;
using System.Globalization;

namespace CourseLib.Cli;

/// <summary>The kinds of option values the commands take, each parsed the same way (invariant culture) and validated with a message naming the option and the valid range.</summary>
static class Options
{
    /// <summary>The longest time limit accepted: 30 days (a TimeSpan holds far more; nothing needs it).</summary>
    public const double MaxSeconds = 30 * 24 * 3600;

    /// <summary>A number of seconds, greater than 0 and at most <see cref="MaxSeconds"/>; null when not given.</summary>
    public static Option<double?> Seconds(string name, string description) => new(name)
    {
        Description = description,
        HelpName = "SECONDS",
        CustomParser = result =>
        {
            var text = result.Tokens.Single().Value;
            if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds > 0 && seconds <= MaxSeconds)
                return seconds;
            result.AddError($"{name} must be a positive number of seconds (at most {MaxSeconds.ToString(CultureInfo.InvariantCulture)}), not \"{text}\".");
            return null;
        },
    };

    /// <summary>A whole number from 1 to <see cref="int.MaxValue"/>; null when not given.</summary>
    public static Option<int?> Positive(string name, string helpName, string description) => new(name)
    {
        Description = description,
        HelpName = helpName,
        CustomParser = result =>
        {
            var text = result.Tokens.Single().Value;
            if (int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n > 0) return n;
            result.AddError($"{name} must be a whole number from 1 to {int.MaxValue}, not \"{text}\".");
            return null;
        },
    };

    /// <summary>A path (a file or a folder), made absolute from the working directory; null when not given.</summary>
    public static Option<string?> Path(string name, string helpName, string description) => new(name)
    {
        Description = description,
        HelpName = helpName,
        CustomParser = result =>
        {
            var text = result.Tokens.Single().Value;
            if (text.Trim().Length > 0 && text.IndexOf('\0') < 0) return System.IO.Path.GetFullPath(text);
            result.AddError($"{name} needs a path, not \"{text}\".");
            return null;
        },
    };

    /// <summary>A switch.</summary>
    public static Option<bool> Flag(string name, string description) => new(name) { Description = description };

    /// <summary>Notebook names or paths (zero or more).</summary>
    public static Argument<string[]> Notebooks(string helpName, string description)
    {
        var argument = new Argument<string[]>(helpName) { Description = description, Arity = ArgumentArity.ZeroOrMore };
        argument.Validators.Add(result => RefuseOptions(result, result.Tokens.Select(t => t.Value)));
        return argument;
    }

    /// <summary>One path (a file or a folder).</summary>
    public static Argument<string> OnePath(string helpName, string description)
    {
        var argument = new Argument<string>(helpName) { Description = description };
        argument.Validators.Add(result => RefuseOptions(result, result.Tokens.Select(t => t.Value)));
        return argument;
    }

    /// <summary>
    /// An argument that looks like an option is a mistyped option, not a file (the parser would take it as one): a
    /// usage error. A file whose name starts with "-" can be given as ./-name.
    /// </summary>
    static void RefuseOptions(System.CommandLine.Parsing.ArgumentResult result, IEnumerable<string> values)
    {
        foreach (var value in values.Where(v => v.StartsWith('-') && v.Length > 1))
            result.AddError($"unknown option \"{value}\" (a file whose name starts with - is ./{value}).");
    }
}
