using System.Text.RegularExpressions;

namespace CourseLib.Notebooks.Grading;

/// <summary>
/// The course as students may have it (<c>courselib release --student-dist DIR</c>): a copy of the repository
/// without <c>instructor/</c>, without the test suite (its fixtures and tests hold solutions of the exercises), and
/// without any other file that holds a solution: a notebook with a solution region (<c>// BEGIN SOLUTION</c>, or a
/// model answer's <c>&lt;!-- BEGIN SOLUTION --&gt;</c>) or a hidden check, or a file outside the library with a line of an instructor's solution. The solution
/// file keeps only the library's projects, so the copy builds. Publish this folder (e.g. as the GitHub Classroom
/// template repository), never the repository itself.
/// </summary>
public static class StudentDistribution
{
    /// <summary>Folders never copied: the solutions, the tests, CI (it checks release against instructor/), build outputs, git.</summary>
    public static readonly IReadOnlySet<string> ExcludedFolders = new HashSet<string>(StringComparer.Ordinal)
    {
        "instructor", "tests", ".ci", ".git", "bin", "obj", "artifacts", "out", "TestResults", "BenchmarkDotNet.Artifacts", ".vs", "node_modules",
    };

    static readonly Regex SolutionMarker = new(@"^\s*""?\s*(//|#+|<!--)\s*(BEGIN|END) SOLUTION\b", RegexOptions.Multiline | RegexOptions.CultureInvariant);

    /// <summary>What was written and what was left out (relative paths, '/' separated), with the reason.</summary>
    public sealed record Result(IReadOnlyList<string> Written, IReadOnlyList<(string Path, string Reason)> LeftOut);

    /// <summary>Writes the distribution of the course at <paramref name="courseRoot"/> into <paramref name="target"/> (which must be empty or missing, and outside the course).</summary>
    public static Result Write(string courseRoot, string target)
    {
        CheckTarget(courseRoot, target);
        courseRoot = Path.GetFullPath(courseRoot);
        target = Path.GetFullPath(target);
        var written = new List<string>();
        var leftOut = new List<(string, string)>();
        var solutionLines = SolutionLines(Path.Combine(courseRoot, "instructor"));
        Copy(courseRoot, courseRoot, target, solutionLines, written, leftOut);
        return new Result(written, leftOut);
    }

    /// <summary>Throws <see cref="ArgumentException"/> unless <paramref name="target"/> is outside the course and new or empty.</summary>
    public static void CheckTarget(string courseRoot, string target)
    {
        courseRoot = Path.GetFullPath(courseRoot);
        target = Path.GetFullPath(target);
        if (Path.GetRelativePath(courseRoot, target) is var relative && !relative.StartsWith("..", StringComparison.Ordinal) && !Path.IsPathRooted(relative))
            throw new ArgumentException($"The student distribution must be written outside the course ({target} is inside {courseRoot}).", nameof(target));
        if (Directory.Exists(target) && Directory.EnumerateFileSystemEntries(target).Any())
            throw new ArgumentException($"{target} is not empty: give a new or empty folder.", nameof(target));
    }

    /// <summary>
    /// The lines of the instructors' solution regions and model answers long enough to be telling (30 characters or more, trimmed):
    /// a file outside the library that holds one holds (part of) a solution. The library itself is exempt: its
    /// public functions are the references, by design (the notebooks call them).
    /// </summary>
    public static IReadOnlySet<string> SolutionLines(string instructorFolder)
    {
        var lines = new HashSet<string>(StringComparer.Ordinal);
        foreach (var path in Release.InstructorCopies(instructorFolder))
            foreach (var cell in IpynbDocument.Load(path).Cells)
                foreach (var line in ExerciseCell.SolutionLines(cell.Source))
                    if (line.Length >= 30) lines.Add(line);
        return lines;
    }

    static void Copy(string root, string folder, string target, IReadOnlySet<string> solutionLines, List<string> written, List<(string, string)> leftOut)
    {
        foreach (var file in Directory.GetFiles(folder).Order(StringComparer.Ordinal))
        {
            var relative = Path.GetRelativePath(root, file).Replace('\\', '/');
            if (new FileInfo(file).LinkTarget != null) { leftOut.Add((relative, "a symbolic link")); continue; }
            var why = WhyLeftOut(file, relative.StartsWith("lib/", StringComparison.Ordinal) ? null : solutionLines);
            if (why != null) { leftOut.Add((relative, why)); continue; }
            var destination = Path.Combine(target, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            if (Path.GetFileName(file).EndsWith(".sln", StringComparison.Ordinal))
                File.WriteAllText(destination, WithoutExcludedProjects(File.ReadAllText(file)));
            else File.Copy(file, destination);
            written.Add(relative);
        }
        foreach (var sub in Directory.GetDirectories(folder).Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileName(sub);
            var relative = Path.GetRelativePath(root, sub).Replace('\\', '/');
            if (ExcludedFolders.Contains(name)) { leftOut.Add((relative + "/", name is "instructor" or "tests" ? "solutions or tests of the exercises" : "not part of the course")); continue; }
            if (new DirectoryInfo(sub).LinkTarget != null) { leftOut.Add((relative + "/", "a symbolic link")); continue; }
            Copy(root, sub, target, solutionLines, written, leftOut);
        }
    }

    /// <summary>Why a file may not go to students, or null: a notebook with a solution region or a hidden check, or a file holding a line of <paramref name="solutionLines"/>.</summary>
    public static string? WhyLeftOut(string file, IReadOnlySet<string>? solutionLines)
    {
        if (new FileInfo(file).Length > 64L << 20) return null; // data, not text with solutions
        string text;
        try { text = File.ReadAllText(file); }
        catch (IOException) { return "unreadable"; }
        if (text.Contains('\0')) return null; // binary
        if (solutionLines?.FirstOrDefault(l => text.Contains(l, StringComparison.Ordinal)) is { } line)
            return $"holds a line of an instructor's solution: {line}";
        if (file.EndsWith(".ipynb", StringComparison.Ordinal))
        {
            if (SolutionMarker.IsMatch(text.Replace("\\n", "\n"))) return "holds a solution region (BEGIN SOLUTION)";
            try
            {
                var notebook = IpynbDocument.Parse(text, file);
                if (notebook.Cells.Any(c => c.Metadata["courselib"]?["hidden"]?.GetValue<bool>() == true)) return "holds a hidden check";
                // Whatever the file's layout: a cell with a marker line.
                if (notebook.Cells.Any(c => SolutionMarker.IsMatch(c.Source))) return "holds a solution region (BEGIN SOLUTION)";
            }
            catch (NotebookFormatException) { }
        }
        return null;
    }

    /// <summary>The solution file without the projects (and solution folders) of the excluded folders.</summary>
    internal static string WithoutExcludedProjects(string sln)
    {
        var project = new Regex("^Project\\(\"[^\"]*\"\\) = \"[^\"]*\", \"([^\"]*)\", \"(\\{[^}]*\\})\"\\s*$", RegexOptions.Multiline);
        var dropped = new List<string>();
        foreach (Match m in project.Matches(sln))
        {
            var first = m.Groups[1].Value.Replace('\\', '/').Split('/')[0];
            if (ExcludedFolders.Contains(first)) dropped.Add(m.Groups[2].Value);
        }
        var lines = sln.Split('\n').ToList();
        var kept = new List<string>();
        for (int i = 0; i < lines.Count; i++)
        {
            var m = project.Match(lines[i].TrimEnd('\r'));
            if (m.Success && dropped.Contains(m.Groups[2].Value))
            {
                while (i < lines.Count && !lines[i].TrimEnd('\r').Equals("EndProject", StringComparison.Ordinal)) i++;
                continue;
            }
            if (dropped.Any(id => lines[i].Contains(id, StringComparison.OrdinalIgnoreCase))) continue;
            kept.Add(lines[i]);
        }
        return string.Join('\n', kept);
    }
}
