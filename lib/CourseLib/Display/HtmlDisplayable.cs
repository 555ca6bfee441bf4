using System.Net;

namespace CourseLib.Display;

/// <summary>
/// Base class for anything the course shows richly in a notebook (charts, environment frames, progress bars,
/// reports). Derive and override <see cref="ToHtml"/>. The .NET Interactive formatter finds the rendering by
/// convention (<see cref="TypeFormatterSourceAttribute"/>), so the library needs no reference to the engine and
/// works in the stock Polyglot Notebooks engine and in the course's own runner alike.
/// </summary>
[TypeFormatterSource(typeof(HtmlFormatterSource), PreferredMimeTypes = new[] { "text/html" })]
public abstract class HtmlDisplayable
{
    /// <summary>An HTML fragment that renders the object (scripts allowed).</summary>
    public abstract string ToHtml();

    /// <summary>Escapes text for inclusion in HTML.</summary>
    protected static string Escape(string text) => WebUtility.HtmlEncode(text);
}

/// <summary>A fragment of HTML to show as it is.</summary>
public sealed class Html(string html) : HtmlDisplayable
{
    /// <inheritdoc />
    public override string ToHtml() => html;

    /// <inheritdoc />
    public override string ToString() => html;
}

/// <summary>
/// Matched by name by .NET Interactive's formatter (its convention-based formatter sources): it reads
/// <see cref="FormatterSourceType"/> and <see cref="PreferredMimeTypes"/> through reflection.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = true)]
public sealed class TypeFormatterSourceAttribute(Type formatterSourceType) : Attribute
{
    /// <summary>The type whose <c>CreateTypeFormatters()</c> yields the formatters.</summary>
    public Type FormatterSourceType { get; } = formatterSourceType;

    /// <summary>The MIME types the engine should prefer for the annotated type.</summary>
    public string[]? PreferredMimeTypes { get; set; }
}

/// <summary>Creates the text/html formatter for <see cref="HtmlDisplayable"/> (found by convention).</summary>
public sealed class HtmlFormatterSource
{
    /// <summary>The formatters, by convention: objects with MimeType and Format(object, TextWriter).</summary>
    public IEnumerable<object> CreateTypeFormatters()
    {
        yield return new HtmlFormatter();
    }
}

/// <summary>Writes an <see cref="HtmlDisplayable"/>'s HTML (the engine compiles a call to <see cref="Format"/>).</summary>
public sealed class HtmlFormatter
{
    /// <summary>The MIME type this formatter writes.</summary>
    public string MimeType => "text/html";

    /// <summary>Writes the HTML of <paramref name="instance"/>; false when it is not displayable.</summary>
    public bool Format(object instance, TextWriter writer)
    {
        if (instance is not HtmlDisplayable displayable) return false;
        writer.Write(displayable.ToHtml());
        return true;
    }
}
