namespace CourseLib.Notebooks.Grading;

/// <summary>One submitted notebook, and whose it is.</summary>
/// <param name="Path">The notebook's full path.</param>
/// <param name="Student">The student (the submission's folder, or the file's name in a folder of files), or null for a single file.</param>
internal sealed record SubmissionFile(string Path, string? Student)
{
    /// <summary>
    /// The submissions in <paramref name="path"/>: one notebook, or a folder (each .ipynb in it is one student's,
    /// named after the file; each subfolder is one student's, named after the folder, with one or more notebooks;
    /// hidden folders and Jupyter's checkpoints are skipped). In order of name.
    /// </summary>
    public static IReadOnlyList<SubmissionFile> Discover(string path)
    {
        if (File.Exists(path)) return [new(System.IO.Path.GetFullPath(path), null)];
        if (!Directory.Exists(path)) throw new GraderException($"{path}: no such notebook or folder.");
        var found = new List<SubmissionFile>();
        foreach (var file in Directory.GetFiles(path, "*.ipynb").Order(StringComparer.Ordinal))
            found.Add(new(System.IO.Path.GetFullPath(file), System.IO.Path.GetFileNameWithoutExtension(file)));
        foreach (var folder in Directory.GetDirectories(path).Order(StringComparer.Ordinal))
        {
            if (System.IO.Path.GetFileName(folder).StartsWith('.')) continue;
            foreach (var file in Directory.GetFiles(folder, "*.ipynb", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
                if (!file.Contains(".ipynb_checkpoints", StringComparison.Ordinal))
                    found.Add(new(System.IO.Path.GetFullPath(file), System.IO.Path.GetFileName(folder)));
        }
        return found;
    }
}
