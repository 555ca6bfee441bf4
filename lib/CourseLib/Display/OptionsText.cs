using System.Collections;
using System.Globalization;
using System.Reflection;
using System.Text;

namespace CourseLib.Display;

/// <summary>
/// The members of a settings record as "Name = value, ...", with lists written as [a, b] rather than the list's
/// type name (a record's generated ToString prints a collection expression as "&lt;&gt;z__ReadOnlySingleElementList`1").
/// Sealed settings records call it from their PrintMembers.
/// </summary>
public static class OptionsText
{
    /// <summary>Appends the public instance properties of <paramref name="options"/>; true when it wrote any.</summary>
    public static bool PrintMembers(object options, StringBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(builder);
        var properties = options.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.GetIndexParameters().Length == 0 && p.Name != "EqualityContract").ToArray();
        for (int i = 0; i < properties.Length; i++)
        {
            if (i > 0) builder.Append(", ");
            builder.Append(properties[i].Name).Append(" = ").Append(Format(properties[i].GetValue(options)));
        }
        return properties.Length > 0;
    }

    static string Format(object? value) => value switch
    {
        null => "null",
        string s => s,
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        IEnumerable items => "[" + string.Join(", ", items.Cast<object?>().Select(Format)) + "]",
        _ => value.ToString() ?? "",
    };
}
