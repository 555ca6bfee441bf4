using System.Reflection;

namespace CourseLib.Display;

/// <summary>
/// Shows objects from inside a notebook cell, and updates them in place (live progress, animations). Talks to the
/// .NET Interactive engine through reflection, so the library has no dependency on it; outside a notebook,
/// <see cref="Display"/> writes the object's text to the console.
/// </summary>
public static class Notebook
{
    static readonly Lazy<Bridge?> Engine = new(Bridge.Find);

    /// <summary>True when running inside a .NET Interactive kernel that can display objects.</summary>
    public static bool IsRunning => Engine.Value?.Context() != null;

    /// <summary>Displays <paramref name="value"/> below the running cell; the handle updates it in place.</summary>
    public static DisplayHandle Display(object value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var bridge = Engine.Value;
        var context = bridge?.Context();
        if (bridge == null || context == null)
        {
            Console.WriteLine(value is HtmlDisplayable ? value.ToString() : value);
            OutputSink.Current?.Invoke(value);
            return new DisplayHandle(null, null);
        }
        var displayed = bridge.Display.Invoke(null, new[] { context, value, Array.Empty<string>() });
        return new DisplayHandle(displayed, displayed?.GetType().GetMethod("Update", new[] { typeof(object) }));
    }

    sealed class Bridge
    {
        public required PropertyInfo Current { get; init; }
        public required MethodInfo Display { get; init; }

        public object? Context()
        {
            try { return Current.GetValue(null); }
            catch (TargetInvocationException) { return null; }
        }

        public static Bridge? Find()
        {
            var assembly = AppDomain.CurrentDomain.GetAssemblies()
                .FirstOrDefault(a => a.GetName().Name == "Microsoft.DotNet.Interactive");
            var contextType = assembly?.GetType("Microsoft.DotNet.Interactive.KernelInvocationContext");
            var extensions = assembly?.GetType("Microsoft.DotNet.Interactive.KernelInvocationContextExtensions");
            var current = contextType?.GetProperty("Current", BindingFlags.Public | BindingFlags.Static);
            var display = extensions?.GetMethod("Display", new[] { contextType!, typeof(object), typeof(string[]) });
            return current != null && display != null ? new Bridge { Current = current, Display = display } : null;
        }
    }
}

/// <summary>A displayed object that can be replaced in place.</summary>
public sealed class DisplayHandle
{
    readonly object? _displayed;
    readonly MethodInfo? _update;

    internal DisplayHandle(object? displayed, MethodInfo? update) { _displayed = displayed; _update = update; }

    /// <summary>True when the object is shown in a notebook (updates are visible).</summary>
    public bool IsLive => _displayed != null && _update != null;

    /// <summary>Replaces the displayed object with <paramref name="value"/>.</summary>
    public void Update(object value)
    {
        if (IsLive) _update!.Invoke(_displayed, new[] { value });
    }
}
