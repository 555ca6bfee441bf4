using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;
using CourseLib.Notebooks;
using CourseLib.Notebooks.Grading;

namespace CourseLib.Cli;

/// <summary>
/// The `courselib` command line (System.CommandLine): a thin front end over the notebook engine, release, export
/// and the grader. Every command has its own help (<c>courselib grade --help</c>), every help lists the exit codes
/// (<see cref="ExitCodes"/>), and every usage error exits with <see cref="ExitCodes.UsageError"/> and a message that
/// starts with "courselib: " on standard error.
/// </summary>
public static class CommandLine
{
    /// <summary>The program's name in messages and help.</summary>
    public const string Name = "courselib";

    /// <summary>Runs the command line; returns the exit code (<see cref="ExitCodes"/>).</summary>
    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken = default)
    {
        // `courselib help [COMMAND]` is `courselib [COMMAND] --help`; `courselib` alone shows the help, as a usage error.
        if (args is ["help", .. var rest]) args = [.. rest, "--help"];
        if (args.Length == 0)
        {
            await RunAsync(["--help"], stdout, stderr, cancellationToken);
            return ExitCodes.UsageError;
        }
        var root = Root(stdout, stderr);
        // No response files (@file): a path that starts with @ is a path.
        var parse = root.Parse(args, new ParserConfiguration { ResponseFileTokenReplacer = null });
        if (parse.Action is ParseErrorAction)
        {
            foreach (var error in parse.Errors) stderr.WriteLine($"{Name}: {error.Message}");
            var command = parse.CommandResult.Command;
            stderr.WriteLine($"{Name}: see `{Name}{(command == root ? "" : " " + command.Name)} --help`.");
            return ExitCodes.UsageError;
        }
        var invocation = new InvocationConfiguration
        {
            Output = stdout,
            Error = stderr,
            // Failures are ours to map to exit codes (below); Ctrl+C ends the process as it always did.
            EnableDefaultExceptionHandler = false,
            ProcessTerminationTimeout = null,
        };
        try
        {
            return await parse.InvokeAsync(invocation, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception e) when (e is NotebookFormatException or FileNotFoundException or DirectoryNotFoundException or ArgumentException)
        {
            stderr.WriteLine($"{Name}: {e.Message}");
            return ExitCodes.UsageError;
        }
        catch (GraderException e)
        {
            stderr.WriteLine($"{Name}: {e.Message}");
            return ExitCodes.GraderFailed;
        }
        catch (ExerciseFormatException e)
        {
            stderr.WriteLine($"{Name}: {e.Message}");
            // While grading, a malformed instructor's copy is the grader's failure; while releasing, the copy's.
            return parse.CommandResult.Command.Name == GradeCommand.Name ? ExitCodes.GraderFailed : ExitCodes.InvalidExercises;
        }
        // The grading worker crashes as it always did (the grader reports how: "crashed (aborted)", with the exception).
        catch (Exception e) when (parse.CommandResult.Command.Name != GradeWorker.Command)
        {
            stderr.WriteLine($"{Name}: internal error, please report it: {e}");
            return ExitCodes.InternalError;
        }
    }

    /// <summary>The command tree, writing to <paramref name="stdout"/> and <paramref name="stderr"/>.</summary>
    static Command Root(TextWriter stdout, TextWriter stderr)
    {
        // A plain command named courselib (a RootCommand would be named after the executable, CourseLib.Cli).
        var root = new Command(Name, "Runs, releases, exports and grades the course's notebooks.")
        {
            new HelpOption(),
            NotebookCommands.List(stdout),
            NotebookCommands.Run(stdout, stderr),
            ReleaseCommand.Create(stdout, stderr),
            NotebookCommands.Export(stdout, stderr),
            NotebookCommands.JupyterSetup(stdout, stderr),
            GradeCommand.Create(stdout, stderr),
            GradeWorkerCommand(),
        };
        foreach (var help in root.Options.OfType<HelpOption>())
            if (help.Action is HelpAction action)
            {
                help.Recursive = true;
                action.MaxWidth = 120;
                help.Action = new HelpWithExitCodes(action, root);
            }
        return root;
    }

    /// <summary>The grading worker (started by the grader, one per submission; not for people, so not in the help).</summary>
    static Command GradeWorkerCommand()
    {
        var worker = new Command(GradeWorker.Command, "The grader's child process (started by `grade`).") { Hidden = true };
        worker.SetAction((_, _) => GradeWorker.RunAsync());
        return worker;
    }

    /// <summary>The default help, then (for the root) what a NOTEBOOK is and where the docs are, then the exit codes.</summary>
    sealed class HelpWithExitCodes(HelpAction help, Command root) : SynchronousCommandLineAction
    {
        public override bool ClearsParseErrors => true;

        public override int Invoke(ParseResult parseResult)
        {
            int code = help.Invoke(parseResult);
            var output = parseResult.InvocationConfiguration.Output;
            if (parseResult.CommandResult.Command == root)
            {
                output.WriteLine("Notes:");
                output.WriteLine("  A NOTEBOOK is a path, or the start of a seminar notebook's name (\"02\", \"02-reinforce\").");
                output.WriteLine($"  `{Name} COMMAND --help` shows a command's options. See docs/exercises.md for the exercise format and the grader.");
                output.WriteLine();
            }
            output.WriteLine("Exit codes:");
            foreach (var (exit, meaning) in ExitCodes.All) output.WriteLine($"  {exit}  {meaning}");
            return code;
        }
    }

    /// <summary>A line of a notebook for a progress message: its first line, cut to 70 characters.</summary>
    internal static string Shorten(string line) => line.Length > 70 ? line[..67] + "..." : line;
}
