using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace CourseLib.Notebooks.Grading;

/// <summary>
/// Writes notebook JSON the way Jupyter's nbformat (Python's json module with indent=1, ensure_ascii=False) does,
/// which is how the course's notebooks are committed: one-space indentation, keys in their order, non-ASCII text
/// as it is, a final newline. Released students' copies therefore differ from the instructor's copy only where
/// release changed something.
/// </summary>
public static class NotebookJson
{
    /// <summary>The JSON text of <paramref name="root"/> in nbformat's layout.</summary>
    public static string Write(JsonNode root)
    {
        var text = new StringBuilder();
        Write(text, root, 0);
        return text.Append('\n').ToString();
    }

    static void Write(StringBuilder text, JsonNode? node, int depth)
    {
        switch (node)
        {
            case null:
                text.Append("null");
                break;
            case JsonObject o when o.Count == 0:
                text.Append("{}");
                break;
            case JsonObject o:
                text.Append("{\n");
                int i = 0;
                foreach (var (key, value) in o)
                {
                    text.Append(' ', depth + 1);
                    WriteString(text, key);
                    text.Append(": ");
                    Write(text, value, depth + 1);
                    text.Append(++i < o.Count ? ",\n" : "\n");
                }
                text.Append(' ', depth).Append('}');
                break;
            case JsonArray a when a.Count == 0:
                text.Append("[]");
                break;
            case JsonArray a:
                text.Append("[\n");
                for (int k = 0; k < a.Count; k++)
                {
                    text.Append(' ', depth + 1);
                    Write(text, a[k], depth + 1);
                    text.Append(k + 1 < a.Count ? ",\n" : "\n");
                }
                text.Append(' ', depth).Append(']');
                break;
            case JsonValue v:
                switch (v.GetValueKind())
                {
                    case JsonValueKind.String: WriteString(text, v.GetValue<string>()); break;
                    case JsonValueKind.True: text.Append("true"); break;
                    case JsonValueKind.False: text.Append("false"); break;
                    case JsonValueKind.Null: text.Append("null"); break;
                    default: text.Append(v.ToJsonString()); break;
                }
                break;
        }
    }

    /// <summary>A string as Python's json.dumps(ensure_ascii=False) writes it.</summary>
    static void WriteString(StringBuilder text, string s)
    {
        text.Append('"');
        foreach (char c in s)
        {
            switch (c)
            {
                case '"': text.Append("\\\""); break;
                case '\\': text.Append("\\\\"); break;
                case '\n': text.Append("\\n"); break;
                case '\r': text.Append("\\r"); break;
                case '\t': text.Append("\\t"); break;
                case '\b': text.Append("\\b"); break;
                case '\f': text.Append("\\f"); break;
                default:
                    if (c < 0x20) text.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    else text.Append(c);
                    break;
            }
        }
        text.Append('"');
    }
}
