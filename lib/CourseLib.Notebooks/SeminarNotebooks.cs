namespace CourseLib.Notebooks;

/// <summary>Finds the course's folders and its seminar notebooks (numbered NN-name.ipynb, in seminar order).</summary>
public static class SeminarNotebooks
{
    /// <summary>The repository root: the nearest folder above <paramref name="start"/> (default: working directory) holding CourseLib.sln.</summary>
    public static string FindRoot(string? start = null)
    {
        for (var dir = new DirectoryInfo(start ?? Directory.GetCurrentDirectory()); dir != null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "CourseLib.sln"))) return dir.FullName;
        throw new DirectoryNotFoundException($"No CourseLib.sln in {start ?? Directory.GetCurrentDirectory()} or above: run from inside the course repository.");
    }

    /// <summary>The seminar notebooks in <paramref name="folder"/>, in order: files named like 01-name.ipynb.</summary>
    public static IReadOnlyList<string> List(string folder) =>
        Directory.Exists(folder)
            ? Directory.GetFiles(folder, "*.ipynb")
                .Where(f => char.IsDigit(Path.GetFileName(f)[0]))
                .OrderBy(f => Path.GetFileName(f), StringComparer.Ordinal)
                .ToList()
            : Array.Empty<string>();

    /// <summary>
    /// Resolves what a user typed: a path to a notebook, or a name or number prefix of a seminar notebook
    /// ("02", "02-reinforce", "02-reinforce.ipynb").
    /// </summary>
    public static string Resolve(string nameOrPath, string notebooksFolder)
    {
        if (File.Exists(nameOrPath)) return Path.GetFullPath(nameOrPath);
        var matches = List(notebooksFolder).Where(f => Path.GetFileName(f).StartsWith(nameOrPath, StringComparison.Ordinal)).ToList();
        return matches.Count switch
        {
            1 => matches[0],
            0 => throw new FileNotFoundException($"No notebook \"{nameOrPath}\": not a file, and no seminar notebook in {notebooksFolder} starts with it."),
            _ => throw new ArgumentException($"\"{nameOrPath}\" matches several notebooks: {string.Join(", ", matches.Select(Path.GetFileName))}.", nameof(nameOrPath)),
        };
    }
}
