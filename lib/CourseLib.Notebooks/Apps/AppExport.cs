using System.Text;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace CourseLib.Notebooks.Apps;

/// <summary>
/// Writes a seminar notebook as a C# file-based app (`dotnet run apps/02-reinforce.cs`): the notebook without a
/// notebook engine. The markdown becomes block comments and the code cells become the program, in the same order;
/// each cell starts with <c>App.Cell(n)</c>, and a cell's last expression (what a notebook shows) is passed to
/// <c>App.Show</c>. <see cref="App"/> prints every output on the terminal and writes them with the text into one
/// HTML report beside the app. Deterministic: the same notebook gives the same file, byte for byte.
/// </summary>
public static partial class AppExport
{
    /// <summary>The folder of the apps, relative to the repository root.</summary>
    public const string Folder = "apps";

    /// <summary>The app's file name for the notebook at <paramref name="notebookPath"/> (02-reinforce.ipynb → 02-reinforce.cs).</summary>
    public static string FileName(string notebookPath) => Path.GetFileNameWithoutExtension(notebookPath) + ".cs";

    /// <summary>The C# source of the app made from <paramref name="notebook"/> (named <paramref name="name"/>, e.g. 02-reinforce).</summary>
    public static string Export(IpynbDocument notebook, string name)
    {
        var usings = new List<string>();
        var body = new StringBuilder();
        var firstMarkdown = notebook.Cells.FirstOrDefault(c => c.Kind == "markdown")?.Source ?? name;
        var title = firstMarkdown.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.StartsWith('#'))?.TrimStart('#').Trim() ?? name;
        int codeCells = 0;
        foreach (var cell in notebook.Cells)
        {
            if (cell.Kind == "markdown")
            {
                body.Append("\n/*\n").Append(cell.Source.TrimEnd().Replace("*/", "*\\/", StringComparison.Ordinal)).Append("\n*/\n");
                continue;
            }
            if (!cell.IsCode) continue;
            var language = cell.Language(notebook.DefaultLanguage);
            if (language is not ("csharp" or "C#"))
                throw new NotebookFormatException($"{notebook.Path}: cell {cell.Number} is {language}; an app can only hold C# cells.");
            codeCells++;
            var code = Program(cell, notebook.Path, usings);
            body.Append('\n').Append($"App.Cell({cell.Number});\n");
            if (code.Length > 0) body.Append(code).Append('\n');
        }

        var text = new StringBuilder();
        text.Append($"// {title}\n");
        text.Append($"// The seminar notebook notebooks/{name}.ipynb as a C# file-based app: the markdown is in comments, the cells\n");
        text.Append("// are the program in the same order. Run it from anywhere inside the repository (.NET 10 SDK):\n");
        text.Append($"//     dotnet run {Folder}/{name}.cs\n");
        text.Append($"// Every output a notebook would show goes to the terminal and, with the text, into {Folder}/{name}.html.\n");
        text.Append("// Exercises: write the function where it says YOUR CODE HERE; its check below prints the result.\n");
        text.Append($"// Made by `courselib export` from notebooks/{name}.ipynb: edit the notebook, then export again.\n");
        // The apps reference the library as source projects, so they build with the repository's Directory.Build.*:
        // TorchSharp's native library is made loadable on this system (build/TorchSharpNative.targets).
        text.Append("#:project ../lib/CourseLib/CourseLib.csproj\n");
        text.Append("#:project ../lib/CourseLib.Notebooks/CourseLib.Notebooks.csproj\n");
        foreach (var property in Properties) text.Append($"#:property {property}\n");
        text.Append('\n');
        foreach (var u in usings) text.Append(u).Append('\n');
        text.Append("using CourseLib.Notebooks.Apps;\n");
        text.Append("using static CourseLib.Notebooks.Apps.App;   // display(...), as in a notebook\n");
        text.Append('\n');
        text.Append($"App.Start(\"{name}\", cells: {codeCells});\n");
        text.Append(body);
        text.Append("\nApp.Finish();\n");
        return text.ToString();
    }

    /// <summary>
    /// The MSBuild properties every app sets: reflection-based System.Text.Json (PublishAot is on by default for
    /// file-based apps and turns it off), the optimised build of the library, notebook-style code without the
    /// warnings a script does not give (nullable annotations, unused local functions), and one build folder for all
    /// apps (artifacts/apps/): each app's own folder would get its own 1.1 GB copy of libtorch.
    /// </summary>
    public static readonly string[] Properties =
    {
        "PublishAot=false",
        "Configuration=Release",
        "OutDir=$(RepoRoot)artifacts/apps/",
        "Nullable=disable",
        "NoWarn=$(NoWarn);CS8321;CS0168;CS0219",
    };

    /// <summary>Writes every seminar notebook of <paramref name="notebooksFolder"/> as an app into <paramref name="appsFolder"/>; returns (path, changed).</summary>
    public static IReadOnlyList<(string Path, bool Changed)> Run(string notebooksFolder, string appsFolder, IEnumerable<string>? names = null)
    {
        var sources = names?.ToList() is { Count: > 0 } chosen
            ? chosen.Select(n => SeminarNotebooks.Resolve(n, notebooksFolder)).ToList()
            : SeminarNotebooks.List(notebooksFolder).ToList();
        var apps = sources.Select(s => (Path: System.IO.Path.Combine(appsFolder, FileName(s)), Text: Export(IpynbDocument.Load(s), System.IO.Path.GetFileNameWithoutExtension(s)))).ToList();
        Directory.CreateDirectory(appsFolder);
        var written = new List<(string, bool)>();
        foreach (var (path, text) in apps)
        {
            bool changed = !File.Exists(path) || File.ReadAllText(path) != text;
            if (changed) File.WriteAllText(path, text);
            written.Add((path, changed));
        }
        return written;
    }

    /// <summary>The cell as program code: without #r lines and using directives (collected into <paramref name="usings"/>), its last expression shown.</summary>
    static string Program(NotebookCell cell, string notebookPath, List<string> usings)
    {
        var kept = new List<string>();
        foreach (var line in cell.Source.Replace("\r\n", "\n").Split('\n'))
        {
            var trimmed = line.Trim();
            if (trimmed.StartsWith("#r ", StringComparison.Ordinal) || trimmed.StartsWith("#!", StringComparison.Ordinal)) continue;
            var directive = UsingDirective().Match(line);
            if (directive.Success)
            {
                var text = directive.Groups["directive"].Value;
                if (!usings.Contains(text)) usings.Add(text);
                if (directive.Groups["comment"].Value is { Length: > 0 } comment) kept.Add(comment); // keep what it says
                continue;
            }
            kept.Add(line);
        }
        var code = string.Join("\n", kept).Trim('\n').TrimEnd();
        if (code.Length == 0) return "";

        var tree = CSharpSyntaxTree.ParseText(code, new CSharpParseOptions(LanguageVersion.Latest, kind: SourceCodeKind.Script));
        var root = (CompilationUnitSyntax)tree.GetRoot();
        var type = root.Members.FirstOrDefault(m => m is BaseTypeDeclarationSyntax or DelegateDeclarationSyntax);
        if (type != null)
            throw new NotebookFormatException($"{notebookPath}: cell {cell.Number} declares a type ({type.ToString().Split('\n')[0].Trim()}); an app's types must follow its statements, so move it into the library.");
        if (root.Members.LastOrDefault() is GlobalStatementSyntax { Statement: ExpressionStatementSyntax { SemicolonToken.IsMissing: true } last })
        {
            // The notebook shows a cell's last expression (written without a semicolon): the app shows it too.
            var expression = last.Expression;
            var start = expression.SpanStart;
            var end = expression.Span.End;
            code = code[..start] + "App.Show(" + code[start..end] + ");" + code[end..];
        }
        return code;
    }

    [GeneratedRegex(@"^(?<directive>using\s+(static\s+)?[\w.]+(\s*=\s*[\w.<>, ]+)?\s*;)\s*(?<comment>//.*)?$")]
    private static partial Regex UsingDirective();
}
