using System.Runtime.CompilerServices;

namespace CourseLib.Training;

/// <summary>
/// Tells whether the TorchSharp assembly in this process carries the course's keep-alive step
/// (<c>build/TorchSharpKeepAlive</c>): every <c>Scalar</c> and <c>Tensor</c> whose native handle is read stays reachable
/// until its thread has read many more handles, so a finalizer on another thread cannot free it while libtorch still
/// uses it (TorchSharp 0.107 lets that happen; dotnet/TorchSharp#1434). Every build in this repository applies it.
/// </summary>
public static class TorchSharpSafety
{
    /// <summary>The type that the build step adds to TorchSharp.dll.</summary>
    public const string MarkerType = "TorchSharp.NativeCallKeepAlive";

    /// <summary>True when the loaded TorchSharp.dll was rewritten by the build step.</summary>
    public static bool IsApplied { get; } = typeof(TorchSharp.torch).Assembly.GetType(MarkerType) is not null;

    /// <summary>Says, once, on standard error, when this process loaded an unpatched TorchSharp.dll.</summary>
#pragma warning disable CA2255   // a library's module initializer is the point: the warning must show wherever TorchSharp loads
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void WarnIfMissing()
    {
        if (IsApplied) return;
        Console.Error.WriteLine(
            $"CourseLib: {typeof(TorchSharp.torch).Assembly.Location} lacks the keep-alive step, so TorchSharp may fail at random " +
            "('Unknown scalar type', 'Expected false to be true') when collections run. Build inside the CourseLib repository " +
            "(dotnet build), which applies build/TorchSharpKeepAlive to every output.");
    }
}
