namespace CourseLib.Data;

/// <summary>
/// The course's <c>data/</c> folder: the digits, the character set, the trained Pong policy and its learning curve
/// (see data/README.md). Every loader of shipped data finds its file here.
/// </summary>
public static class DataFiles
{
    /// <summary>The environment variable that points at the data folder when it is not above the working directory or the library.</summary>
    public const string FolderVariable = "COURSELIB_DATA";

    /// <summary>
    /// The path of the file <paramref name="name"/> of the course's <c>data/</c> folder: in the folder named by the
    /// COURSELIB_DATA environment variable if it is set and has the file, else in a <c>data/</c> folder in the working
    /// directory or any folder above it, or above this library's location.
    /// </summary>
    /// <exception cref="FileNotFoundException">No such file in any of those places.</exception>
    public static string Find(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        var fromEnvironment = Environment.GetEnvironmentVariable(FolderVariable);
        if (!string.IsNullOrEmpty(fromEnvironment) && File.Exists(Path.Combine(fromEnvironment, name)))
            return Path.Combine(fromEnvironment, name);
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory, Path.GetDirectoryName(typeof(DataFiles).Assembly.Location) ?? "" })
        {
            for (var dir = new DirectoryInfo(start); dir != null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "data", name);
                if (File.Exists(candidate)) return candidate;
            }
        }
        throw new FileNotFoundException($"Cannot find data/{name} above {Directory.GetCurrentDirectory()} or the library; set {FolderVariable} to the course's data folder.", name);
    }

    /// <summary>The course's <c>data/</c> folder itself (the folder that holds digits.csv.gz), found as <see cref="Find"/> does.</summary>
    public static string Folder => Path.GetDirectoryName(Find("digits.csv.gz"))!;
}
