using CourseLib.Cli;
using CourseLib.Notebooks.Grading;

var code = await CommandLine.RunAsync(args, Console.Out, Console.Error);
// The grading worker ends here even if code it ran left threads behind.
if (args.Length > 0 && args[0] == GradeWorker.Command) Environment.Exit(code);
return code;
