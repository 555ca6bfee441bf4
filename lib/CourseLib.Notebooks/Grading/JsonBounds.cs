using System.Text;
using System.Text.Json;

namespace CourseLib.Notebooks.Grading;

/// <summary>
/// A cheap look at JSON from a worker before the grader builds a document of it: the worker's output is the
/// submission's, and a short line can hold millions of tiny values (each a node of a hundred bytes once parsed).
/// Counting tokens with a streaming reader allocates nothing.
/// </summary>
internal static class JsonBounds
{
    /// <summary>True when <paramref name="utf8"/> is one JSON value of at most <paramref name="maxTokens"/> tokens, nested at most <paramref name="maxDepth"/> deep.</summary>
    public static bool Within(ReadOnlySpan<byte> utf8, int maxTokens, int maxDepth)
    {
        var reader = new Utf8JsonReader(utf8, new JsonReaderOptions { MaxDepth = maxDepth });
        int tokens = 0;
        try
        {
            while (reader.Read())
                if (++tokens > maxTokens) return false;
        }
        catch (JsonException) { return false; }
        return tokens > 0;
    }

    /// <summary>The same for text.</summary>
    public static bool Within(string text, int maxTokens, int maxDepth) => Within(Encoding.UTF8.GetBytes(text), maxTokens, maxDepth);
}
