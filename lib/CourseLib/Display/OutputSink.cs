namespace CourseLib.Display;

/// <summary>
/// Receives what a notebook would show when no notebook engine is running: a C# file-based app made by
/// `courselib export` sets it to record its HTML report (the app's runtime lives in CourseLib.Notebooks, which the
/// library does not reference, hence a delegate). <see cref="Notebook.Display"/> and the final state of a
/// <see cref="Training.TrainingProgress"/> go to it as well as to the terminal.
/// </summary>
public static class OutputSink
{
    /// <summary>Records an output of the running part of the program (null: the terminal only).</summary>
    public static Action<object>? Current { get; set; }
}
