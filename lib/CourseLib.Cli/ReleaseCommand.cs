using System.CommandLine;
using System.Text.Json.Nodes;
using CourseLib.Notebooks;
using CourseLib.Notebooks.Grading;

namespace CourseLib.Cli;

/// <summary><c>release [NAME ...]</c>: the students' copies from the instructors' copies, and the student distribution.</summary>
static class ReleaseCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var names = Options.Notebooks("NAME", "Instructors' copies to release (default: every instructor/NN-*.ipynb).");
        var check = Options.Flag("--check", $"Write nothing; exit {ExitCodes.NotUpToDate} when a student's copy is not what release would write.");
        var fromStudents = Options.Flag("--from-students", "First fold edits made to the students' copies (e.g. teaching cells changed in a merge) back into the instructors' copies, keeping solutions, model answers and hidden checks.");
        var studentDist = new Option<string?>("--student-dist")
        {
            Description = "Then write the course as students may have it to DIR (new or empty, outside the course): no instructor/, no tests, nothing holding a solution, a model answer or a hidden check.",
            HelpName = "DIR",
        };
        var command = new Command("release", "Make the students' copies (notebooks/NN-name.ipynb) from the instructors' copies (instructor/NN-name.ipynb): solutions become stubs, model answers \"YOUR ANSWER HERE\", hidden checks are removed.")
        {
            names, check, fromStudents, studentDist,
        };
        command.Validators.Add(result =>
        {
            if (result.GetValue(check) && result.GetResult(studentDist) != null)
                result.AddError("--student-dist writes files; it cannot go with --check.");
        });
        command.SetAction(result => ReleaseNotebooks(result.GetValue(names) ?? [], result.GetValue(check), result.GetValue(fromStudents), result.GetValue(studentDist), stdout, stderr));
        return command;
    }

    static int ReleaseNotebooks(string[] names, bool checkOnly, bool fromStudents, string? studentDist, TextWriter stdout, TextWriter stderr)
    {
        var root = SeminarNotebooks.FindRoot();
        if (studentDist != null)
        {
            try { StudentDistribution.CheckTarget(root, studentDist); }
            catch (ArgumentException e) { return UsageError(stderr, e.Message); }
        }
        var instructor = Path.Combine(root, "instructor");
        var students = Path.Combine(root, "notebooks");
        IReadOnlyList<string> Sources() => names.Length == 0 ? Release.InstructorCopies(instructor) : names.Select(n => SeminarNotebooks.Resolve(n, instructor)).ToList();
        if (checkOnly)
        {
            var sources = Sources();
            var stale = sources.Where(s =>
            {
                var target = Path.Combine(students, Path.GetFileName(s));
                return !File.Exists(target) || File.ReadAllText(target) != Release.StudentCopyJson(IpynbDocument.Load(s));
            }).ToList();
            foreach (var s in stale) stderr.WriteLine($"{CommandLine.Name}: notebooks/{Path.GetFileName(s)} is not what release makes of instructor/{Path.GetFileName(s)}; run `{CommandLine.Name} release`.");
            if (stale.Count == 0) stdout.WriteLine($"all {sources.Count} student copies are up to date.");
            return stale.Count == 0 ? ExitCodes.Success : ExitCodes.NotUpToDate;
        }
        if (fromStudents)
        {
            // All first, so that a refused notebook leaves every instructor's copy as it was.
            var updated = Sources().Select(s => (Path: s, Json: NotebookJson.Write(JsonNode.Parse(
                Release.UpdateInstructorCopy(IpynbDocument.Load(s), IpynbDocument.Load(Path.Combine(students, Path.GetFileName(s)))).ToJson())!))).ToList();
            foreach (var (path, json) in updated)
            {
                bool changed = File.ReadAllText(path) != json;
                if (changed) File.WriteAllText(path, json);
                stdout.WriteLine($"{(changed ? "updated  " : "unchanged")} {Path.GetRelativePath(root, path)}");
            }
        }
        var written = Release.Run(instructor, students, names);
        foreach (var (path, changed) in written)
            stdout.WriteLine($"{(changed ? "wrote    " : "unchanged")} {Path.GetRelativePath(root, path)}");
        if (written.Count == 0) stdout.WriteLine($"no instructors' copies in {Path.GetRelativePath(root, instructor)}/.");
        if (studentDist != null)
        {
            StudentDistribution.Result dist;
            try { dist = StudentDistribution.Write(root, studentDist); }
            catch (ArgumentException e) { return UsageError(stderr, e.Message); }
            foreach (var (path, reason) in dist.LeftOut) stdout.WriteLine($"left out  {path} ({reason})");
            stdout.WriteLine($"wrote the student distribution to {Path.GetFullPath(studentDist)} ({dist.Written.Count} files).");
        }
        return ExitCodes.Success;
    }

    static int UsageError(TextWriter stderr, string message)
    {
        stderr.WriteLine($"{CommandLine.Name}: {message}");
        return ExitCodes.UsageError;
    }
}
