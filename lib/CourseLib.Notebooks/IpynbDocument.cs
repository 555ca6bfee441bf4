using System.Text.Json;
using System.Text.Json.Nodes;

namespace CourseLib.Notebooks;

/// <summary>A notebook file that cannot be read, with a message that says what is wrong and where.</summary>
public sealed class NotebookFormatException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>One cell of a notebook.</summary>
public sealed class NotebookCell
{
    internal NotebookCell(JsonObject json, int number) { Json = json; Number = number; }

    /// <summary>The cell as stored (metadata included), changed in place when outputs are written.</summary>
    public JsonObject Json { get; }

    /// <summary>1-based position among all cells.</summary>
    public int Number { get; }

    /// <summary>"code", "markdown" or "raw".</summary>
    public string Kind => Json["cell_type"]!.GetValue<string>();

    /// <summary>True for a code cell.</summary>
    public bool IsCode => Kind == "code";

    /// <summary>The cell's text.</summary>
    public string Source
    {
        get => IpynbDocument.JoinText(Json["source"]);
        set => Json["source"] = IpynbDocument.SplitText(value);
    }

    /// <summary>The cell's metadata object (created when missing).</summary>
    public JsonObject Metadata => Json["metadata"] as JsonObject ?? (JsonObject)(Json["metadata"] = new JsonObject());

    /// <summary>The language of a code cell: Polyglot's kernel name, else the notebook's default, else csharp.</summary>
    public string Language(string notebookDefault)
    {
        var firstLine = Source.TrimStart().Split('\n')[0].Trim();
        if (firstLine.StartsWith("#!", StringComparison.Ordinal) && !firstLine.StartsWith("#!/", StringComparison.Ordinal))
            return firstLine[2..].Trim();
        return Metadata["polyglot_notebook"]?["kernelName"]?.GetValue<string>()
            ?? Metadata["dotnet_interactive"]?["language"]?.GetValue<string>()
            ?? notebookDefault;
    }

    /// <summary>The first non-empty line, for messages.</summary>
    public string FirstLine => Source.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.Length > 0) ?? "(empty cell)";
}

/// <summary>
/// A Jupyter notebook (nbformat 4) as Polyglot Notebooks stores it. Kept as JSON so that everything a tool does
/// not know about (cell ids, nbgrader metadata, ...) survives a round trip.
/// </summary>
public sealed class IpynbDocument
{
    readonly JsonObject _root;

    /// <summary>Where the notebook was read from (for messages).</summary>
    public string Path { get; }

    /// <summary>The cells in order.</summary>
    public IReadOnlyList<NotebookCell> Cells { get; }

    IpynbDocument(JsonObject root, string path)
    {
        _root = root;
        Path = path;
        var cells = (JsonArray)root["cells"]!;
        Cells = cells.Select((c, i) => new NotebookCell((JsonObject)c!, i + 1)).ToList();
    }

    /// <summary>The notebook's metadata object.</summary>
    public JsonObject Metadata => _root["metadata"] as JsonObject ?? (JsonObject)(_root["metadata"] = new JsonObject());

    /// <summary>The default language of code cells (Polyglot's defaultKernelName), csharp when unset.</summary>
    public string DefaultLanguage =>
        Metadata["polyglot_notebook"]?["kernelInfo"]?["defaultKernelName"]?.GetValue<string>() ?? "csharp";

    /// <summary>Reads and checks a notebook file.</summary>
    public static IpynbDocument Load(string path)
    {
        if (!File.Exists(path)) throw new NotebookFormatException($"{path}: no such notebook.");
        return Parse(File.ReadAllText(path), path);
    }

    /// <summary>Parses and checks notebook JSON; <paramref name="path"/> names it in messages.</summary>
    public static IpynbDocument Parse(string json, string path = "notebook")
    {
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(json, documentOptions: new JsonDocumentOptions { AllowTrailingCommas = true });
        }
        catch (JsonException e)
        {
            throw new NotebookFormatException($"{path} is not a valid notebook: its JSON is malformed at line {e.LineNumber + 1}, position {e.BytePositionInLine + 1} ({FirstSentence(e.Message)}).", e);
        }
        if (node is not JsonObject root)
            throw new NotebookFormatException($"{path} is not a valid notebook: the file must hold a JSON object with a \"cells\" array (nbformat 4).");
        if (root["nbformat"] is JsonValue format && format.TryGetValue<int>(out var major) && major != 4)
            throw new NotebookFormatException($"{path} is nbformat {major}; only nbformat 4 notebooks are supported.");
        if (root["cells"] is not JsonArray cells)
            throw new NotebookFormatException($"{path} is not a valid notebook: it has no \"cells\" array (nbformat 4 expected).");
        for (int i = 0; i < cells.Count; i++)
        {
            if (cells[i] is not JsonObject cell)
                throw new NotebookFormatException($"{path}: cell {i + 1} is not a JSON object.");
            var kind = (cell["cell_type"] as JsonValue)?.TryGetValue<string>(out var k) == true ? k : null;
            if (kind is not ("code" or "markdown" or "raw"))
                throw new NotebookFormatException($"{path}: cell {i + 1} has cell_type {(kind == null ? "missing" : $"\"{kind}\"")}; expected \"code\", \"markdown\" or \"raw\".");
            if (cell["source"] is not (JsonArray or JsonValue))
                throw new NotebookFormatException($"{path}: cell {i + 1} has no \"source\" (a string or a list of strings).");
        }
        return new IpynbDocument(root, path);
    }

    /// <summary>Removes all outputs and execution counts (the form the repository keeps notebooks in).</summary>
    public void ClearOutputs()
    {
        foreach (var cell in Cells.Where(c => c.IsCode))
        {
            cell.Json["outputs"] = new JsonArray();
            cell.Json["execution_count"] = null;
        }
    }

    /// <summary>The notebook as nbformat 4 JSON, indented as Jupyter and VS Code write it.</summary>
    public string ToJson() => _root.ToJsonString(new JsonSerializerOptions
    {
        WriteIndented = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    }) + "\n";

    /// <summary>Writes the notebook.</summary>
    public void Save(string path) => File.WriteAllText(path, ToJson());

    /// <summary>A deep copy.</summary>
    public IpynbDocument Clone() => new((JsonObject)_root.DeepClone(), Path);

    internal static string JoinText(JsonNode? node) => node switch
    {
        JsonArray lines => string.Concat(lines.Select(l => l?.GetValue<string>() ?? "")),
        JsonValue value when value.TryGetValue<string>(out var s) => s,
        _ => "",
    };

    /// <summary>Text as Jupyter stores it: a list of lines, each but the last ending in a newline.</summary>
    internal static JsonArray SplitText(string text)
    {
        var array = new JsonArray();
        int start = 0;
        while (start < text.Length)
        {
            int end = text.IndexOf('\n', start);
            if (end < 0) { array.Add(text[start..]); break; }
            array.Add(text[start..(end + 1)]);
            start = end + 1;
        }
        return array;
    }

    static string FirstSentence(string message)
    {
        var cut = message.IndexOf(". ", StringComparison.Ordinal);
        return cut > 0 ? message[..cut] : message.TrimEnd('.');
    }
}
