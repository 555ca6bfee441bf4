using System.Reflection;
using System.Runtime.CompilerServices;

namespace CourseLib.Display;

/// <summary>
/// What the course adjusts when its notebooks run in a Jupyter front end (JupyterLab, Jupyter Notebook, VS Code's
/// Jupyter extension) through the .NET Interactive kernel `.net-csharp`: figures carry plotly.js
/// (<see cref="Charts.PlotlyJs"/>), and compiler warnings about assembly versions are not shown as cell output.
/// </summary>
public static class JupyterFrontend
{
    static readonly Lazy<bool> Running = new(() =>
    {
        var forced = Environment.GetEnvironmentVariable("COURSELIB_FRONTEND");
        if (!string.IsNullOrEmpty(forced)) return string.Equals(forced, "jupyter", StringComparison.OrdinalIgnoreCase);
        // The kernel process is `dotnet-interactive jupyter ... {connection_file}`: its first argument is "jupyter".
        var args = Environment.GetCommandLineArgs();
        return args.Length > 1 && args[1] == "jupyter";
    });

    /// <summary>True inside the .NET Interactive kernel started by Jupyter (or when COURSELIB_FRONTEND=jupyter).</summary>
    public static bool IsRunning => Running.Value;

    /// <summary>
    /// Runs when CourseLib is first used. In the Jupyter kernel, every submission's compiler warnings are printed
    /// as cell output, and a cell that touches TorchSharp's overloads prints "warning CS1701: Assuming assembly
    /// reference 'System.Runtime.Numerics, Version=8.0.0.0' ... matches ... Version=10.0.0.0": TorchSharp is built
    /// for .NET 8, and the unification is harmless (the .NET SDK silences CS1701 in every project; `#pragma` cannot,
    /// as the warning has no location). So the C# kernel's later submissions compile at warning level 1, which
    /// drops CS1701/CS1702 (level 2) and keeps the level-1 warnings. Outside Jupyter this does nothing.
    /// </summary>
#pragma warning disable CA2255 // a library module initializer: intended, and a no-op outside the Jupyter kernel
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void QuietAssemblyVersionWarnings()
    {
        if (!IsRunning) return;
        try
        {
            var contextType = Type.GetType("Microsoft.DotNet.Interactive.KernelInvocationContext, Microsoft.DotNet.Interactive");
            var context = contextType?.GetProperty("Current", BindingFlags.Public | BindingFlags.Static)?.GetValue(null);
            var kernel = context == null ? null : contextType!.GetProperty("HandlingKernel")?.GetValue(context);
            var field = kernel?.GetType().GetField("_scriptOptions", BindingFlags.NonPublic | BindingFlags.Instance);
            var options = field?.GetValue(kernel);
            var withLevel = options?.GetType().GetMethod("WithWarningLevel", new[] { typeof(int) });
            if (withLevel != null) field!.SetValue(kernel, withLevel.Invoke(options, new object[] { 1 }));
        }
        catch (Exception e) when (e is TargetInvocationException or MemberAccessException or ArgumentException or InvalidOperationException)
        {
            // Another engine version: the warning shows, nothing else changes.
        }
    }
}
