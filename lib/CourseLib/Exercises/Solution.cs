using System.Reflection;
using System.Runtime.CompilerServices;

namespace CourseLib.Exercises;

/// <summary>
/// Lets a student's exercise function drive training, and the notebook still run before it is written. A trainer
/// that takes a piece an exercise writes (a reward-to-go, a TD target, an advantage, ...) wraps it with
/// <c>Solution.OrReference(student, reference)</c>: the first call tries the student's function; if that is still the
/// stub (it throws <see cref="NotImplementedException"/>), this call and every later one use the library's reference,
/// and one line says so ("RewardToGo is not written yet: training with the library's Returns.RewardToGo"). Otherwise
/// every call uses the student's function, wrong or right, and one line says that too, so a wrong solution shows in
/// the learning curve. Any other exception from the student's code propagates, as it should.
/// </summary>
public static class Solution
{
    /// <summary>
    /// Where the one-line notes go (default, or set to null: standard output as it is when the note is written, which a
    /// notebook shows under the running cell; the kernel gives each cell its own <see cref="Console.Out"/>).
    /// </summary>
    [System.Diagnostics.CodeAnalysis.AllowNull]
    public static TextWriter Notes { get => _notes ?? Console.Out; set => _notes = value; }
    static TextWriter? _notes;

    /// <summary>Says whether a trainer will use the student's function: true when calling it does not throw <see cref="NotImplementedException"/>.</summary>
    public static bool IsWritten(Action call)
    {
        ArgumentNullException.ThrowIfNull(call);
        try { call(); return true; }
        catch (NotImplementedException) { return false; }
    }

    /// <summary>
    /// The name the one-line notes give a student's function: its method's own name (a notebook's RewardToGo, or a
    /// variant such as a teaching cell's mistake; a file-based app's local function <c>&lt;Main&gt;g__Name|0_5</c> by
    /// Name), else the exercise's (<paramref name="exercise"/>, for a lambda).
    /// </summary>
    public static string NameOf(Delegate function, string exercise)
    {
        ArgumentNullException.ThrowIfNull(function);
        string name = function.Method.Name;
        int local = name.IndexOf("g__", StringComparison.Ordinal);
        if (local >= 0 && name.IndexOf('|', local) is int end and > 0) name = name[(local + 3)..end];
        return name.Length > 0 && name.All(c => char.IsLetterOrDigit(c) || c == '_') ? name : exercise;
    }

    /// <summary>See the class summary; for a function of 1 argument.</summary>
    public static Func<T1, TResult> OrReference<T1, TResult>(Func<T1, TResult>? student, Func<T1, TResult> reference,
        [CallerArgumentExpression(nameof(student))] string name = "")
    {
        ArgumentNullException.ThrowIfNull(reference);
        if (student is null) return reference;
        var choice = new Choice(name, reference.Method);
        return (a1) => choice.UseReference ? reference(a1) : choice.Try(() => student(a1), () => reference(a1));
    }

    /// <summary>See the class summary; for an action of 1 argument.</summary>
    public static Action<T1> OrReference<T1>(Action<T1>? student, Action<T1> reference,
        [CallerArgumentExpression(nameof(student))] string name = "")
    {
        ArgumentNullException.ThrowIfNull(reference);
        if (student is null) return reference;
        var choice = new Choice(name, reference.Method);
        return (a1) =>
        {
            if (choice.UseReference) reference(a1);
            else choice.Try(() => { student(a1); return true; }, () => { reference(a1); return true; });
        };
    }

    /// <summary>See the class summary; for a function of 2 arguments.</summary>
    public static Func<T1, T2, TResult> OrReference<T1, T2, TResult>(Func<T1, T2, TResult>? student, Func<T1, T2, TResult> reference,
        [CallerArgumentExpression(nameof(student))] string name = "")
    {
        ArgumentNullException.ThrowIfNull(reference);
        if (student is null) return reference;
        var choice = new Choice(name, reference.Method);
        return (a1, a2) => choice.UseReference ? reference(a1, a2) : choice.Try(() => student(a1, a2), () => reference(a1, a2));
    }

    /// <summary>See the class summary; for an action of 2 arguments.</summary>
    public static Action<T1, T2> OrReference<T1, T2>(Action<T1, T2>? student, Action<T1, T2> reference,
        [CallerArgumentExpression(nameof(student))] string name = "")
    {
        ArgumentNullException.ThrowIfNull(reference);
        if (student is null) return reference;
        var choice = new Choice(name, reference.Method);
        return (a1, a2) =>
        {
            if (choice.UseReference) reference(a1, a2);
            else choice.Try(() => { student(a1, a2); return true; }, () => { reference(a1, a2); return true; });
        };
    }

    /// <summary>See the class summary; for a function of 3 arguments.</summary>
    public static Func<T1, T2, T3, TResult> OrReference<T1, T2, T3, TResult>(Func<T1, T2, T3, TResult>? student, Func<T1, T2, T3, TResult> reference,
        [CallerArgumentExpression(nameof(student))] string name = "")
    {
        ArgumentNullException.ThrowIfNull(reference);
        if (student is null) return reference;
        var choice = new Choice(name, reference.Method);
        return (a1, a2, a3) => choice.UseReference ? reference(a1, a2, a3) : choice.Try(() => student(a1, a2, a3), () => reference(a1, a2, a3));
    }

    /// <summary>See the class summary; for an action of 3 arguments.</summary>
    public static Action<T1, T2, T3> OrReference<T1, T2, T3>(Action<T1, T2, T3>? student, Action<T1, T2, T3> reference,
        [CallerArgumentExpression(nameof(student))] string name = "")
    {
        ArgumentNullException.ThrowIfNull(reference);
        if (student is null) return reference;
        var choice = new Choice(name, reference.Method);
        return (a1, a2, a3) =>
        {
            if (choice.UseReference) reference(a1, a2, a3);
            else choice.Try(() => { student(a1, a2, a3); return true; }, () => { reference(a1, a2, a3); return true; });
        };
    }

    /// <summary>See the class summary; for a function of 4 arguments.</summary>
    public static Func<T1, T2, T3, T4, TResult> OrReference<T1, T2, T3, T4, TResult>(Func<T1, T2, T3, T4, TResult>? student, Func<T1, T2, T3, T4, TResult> reference,
        [CallerArgumentExpression(nameof(student))] string name = "")
    {
        ArgumentNullException.ThrowIfNull(reference);
        if (student is null) return reference;
        var choice = new Choice(name, reference.Method);
        return (a1, a2, a3, a4) => choice.UseReference ? reference(a1, a2, a3, a4) : choice.Try(() => student(a1, a2, a3, a4), () => reference(a1, a2, a3, a4));
    }

    /// <summary>See the class summary; for an action of 4 arguments.</summary>
    public static Action<T1, T2, T3, T4> OrReference<T1, T2, T3, T4>(Action<T1, T2, T3, T4>? student, Action<T1, T2, T3, T4> reference,
        [CallerArgumentExpression(nameof(student))] string name = "")
    {
        ArgumentNullException.ThrowIfNull(reference);
        if (student is null) return reference;
        var choice = new Choice(name, reference.Method);
        return (a1, a2, a3, a4) =>
        {
            if (choice.UseReference) reference(a1, a2, a3, a4);
            else choice.Try(() => { student(a1, a2, a3, a4); return true; }, () => { reference(a1, a2, a3, a4); return true; });
        };
    }

    /// <summary>See the class summary; for a function of 5 arguments.</summary>
    public static Func<T1, T2, T3, T4, T5, TResult> OrReference<T1, T2, T3, T4, T5, TResult>(Func<T1, T2, T3, T4, T5, TResult>? student, Func<T1, T2, T3, T4, T5, TResult> reference,
        [CallerArgumentExpression(nameof(student))] string name = "")
    {
        ArgumentNullException.ThrowIfNull(reference);
        if (student is null) return reference;
        var choice = new Choice(name, reference.Method);
        return (a1, a2, a3, a4, a5) => choice.UseReference ? reference(a1, a2, a3, a4, a5) : choice.Try(() => student(a1, a2, a3, a4, a5), () => reference(a1, a2, a3, a4, a5));
    }

    /// <summary>See the class summary; for an action of 5 arguments.</summary>
    public static Action<T1, T2, T3, T4, T5> OrReference<T1, T2, T3, T4, T5>(Action<T1, T2, T3, T4, T5>? student, Action<T1, T2, T3, T4, T5> reference,
        [CallerArgumentExpression(nameof(student))] string name = "")
    {
        ArgumentNullException.ThrowIfNull(reference);
        if (student is null) return reference;
        var choice = new Choice(name, reference.Method);
        return (a1, a2, a3, a4, a5) =>
        {
            if (choice.UseReference) reference(a1, a2, a3, a4, a5);
            else choice.Try(() => { student(a1, a2, a3, a4, a5); return true; }, () => { reference(a1, a2, a3, a4, a5); return true; });
        };
    }

    /// <summary>See the class summary; for a function of 6 arguments.</summary>
    public static Func<T1, T2, T3, T4, T5, T6, TResult> OrReference<T1, T2, T3, T4, T5, T6, TResult>(Func<T1, T2, T3, T4, T5, T6, TResult>? student, Func<T1, T2, T3, T4, T5, T6, TResult> reference,
        [CallerArgumentExpression(nameof(student))] string name = "")
    {
        ArgumentNullException.ThrowIfNull(reference);
        if (student is null) return reference;
        var choice = new Choice(name, reference.Method);
        return (a1, a2, a3, a4, a5, a6) => choice.UseReference ? reference(a1, a2, a3, a4, a5, a6) : choice.Try(() => student(a1, a2, a3, a4, a5, a6), () => reference(a1, a2, a3, a4, a5, a6));
    }

    /// <summary>See the class summary; for an action of 6 arguments.</summary>
    public static Action<T1, T2, T3, T4, T5, T6> OrReference<T1, T2, T3, T4, T5, T6>(Action<T1, T2, T3, T4, T5, T6>? student, Action<T1, T2, T3, T4, T5, T6> reference,
        [CallerArgumentExpression(nameof(student))] string name = "")
    {
        ArgumentNullException.ThrowIfNull(reference);
        if (student is null) return reference;
        var choice = new Choice(name, reference.Method);
        return (a1, a2, a3, a4, a5, a6) =>
        {
            if (choice.UseReference) reference(a1, a2, a3, a4, a5, a6);
            else choice.Try(() => { student(a1, a2, a3, a4, a5, a6); return true; }, () => { reference(a1, a2, a3, a4, a5, a6); return true; });
        };
    }

    /// <summary>See the class summary; for a function of 7 arguments.</summary>
    public static Func<T1, T2, T3, T4, T5, T6, T7, TResult> OrReference<T1, T2, T3, T4, T5, T6, T7, TResult>(Func<T1, T2, T3, T4, T5, T6, T7, TResult>? student, Func<T1, T2, T3, T4, T5, T6, T7, TResult> reference,
        [CallerArgumentExpression(nameof(student))] string name = "")
    {
        ArgumentNullException.ThrowIfNull(reference);
        if (student is null) return reference;
        var choice = new Choice(name, reference.Method);
        return (a1, a2, a3, a4, a5, a6, a7) => choice.UseReference ? reference(a1, a2, a3, a4, a5, a6, a7) : choice.Try(() => student(a1, a2, a3, a4, a5, a6, a7), () => reference(a1, a2, a3, a4, a5, a6, a7));
    }

    /// <summary>See the class summary; for an action of 7 arguments.</summary>
    public static Action<T1, T2, T3, T4, T5, T6, T7> OrReference<T1, T2, T3, T4, T5, T6, T7>(Action<T1, T2, T3, T4, T5, T6, T7>? student, Action<T1, T2, T3, T4, T5, T6, T7> reference,
        [CallerArgumentExpression(nameof(student))] string name = "")
    {
        ArgumentNullException.ThrowIfNull(reference);
        if (student is null) return reference;
        var choice = new Choice(name, reference.Method);
        return (a1, a2, a3, a4, a5, a6, a7) =>
        {
            if (choice.UseReference) reference(a1, a2, a3, a4, a5, a6, a7);
            else choice.Try(() => { student(a1, a2, a3, a4, a5, a6, a7); return true; }, () => { reference(a1, a2, a3, a4, a5, a6, a7); return true; });
        };
    }

    /// <summary>See the class summary; for a function of 8 arguments.</summary>
    public static Func<T1, T2, T3, T4, T5, T6, T7, T8, TResult> OrReference<T1, T2, T3, T4, T5, T6, T7, T8, TResult>(Func<T1, T2, T3, T4, T5, T6, T7, T8, TResult>? student, Func<T1, T2, T3, T4, T5, T6, T7, T8, TResult> reference,
        [CallerArgumentExpression(nameof(student))] string name = "")
    {
        ArgumentNullException.ThrowIfNull(reference);
        if (student is null) return reference;
        var choice = new Choice(name, reference.Method);
        return (a1, a2, a3, a4, a5, a6, a7, a8) => choice.UseReference ? reference(a1, a2, a3, a4, a5, a6, a7, a8) : choice.Try(() => student(a1, a2, a3, a4, a5, a6, a7, a8), () => reference(a1, a2, a3, a4, a5, a6, a7, a8));
    }

    /// <summary>See the class summary; for an action of 8 arguments.</summary>
    public static Action<T1, T2, T3, T4, T5, T6, T7, T8> OrReference<T1, T2, T3, T4, T5, T6, T7, T8>(Action<T1, T2, T3, T4, T5, T6, T7, T8>? student, Action<T1, T2, T3, T4, T5, T6, T7, T8> reference,
        [CallerArgumentExpression(nameof(student))] string name = "")
    {
        ArgumentNullException.ThrowIfNull(reference);
        if (student is null) return reference;
        var choice = new Choice(name, reference.Method);
        return (a1, a2, a3, a4, a5, a6, a7, a8) =>
        {
            if (choice.UseReference) reference(a1, a2, a3, a4, a5, a6, a7, a8);
            else choice.Try(() => { student(a1, a2, a3, a4, a5, a6, a7, a8); return true; }, () => { reference(a1, a2, a3, a4, a5, a6, a7, a8); return true; });
        };
    }

    sealed class Choice(string name, MethodInfo reference)
    {
        const int Unknown = 0, Student = 1, Reference = 2;
        int _state;

        public bool UseReference => Volatile.Read(ref _state) == Reference;

        public T Try<T>(Func<T> student, Func<T> reference)
        {
            if (Volatile.Read(ref _state) == Student) return student();
            T result;
            try { result = student(); }
            catch (NotImplementedException)
            {
                if (Interlocked.CompareExchange(ref _state, Reference, Unknown) == Unknown)
                    Notes.WriteLine($"{Name} is not written yet: training with the library's {ReferenceName}.");
                return reference();
            }
            if (Interlocked.CompareExchange(ref _state, Student, Unknown) == Unknown)
                Notes.WriteLine($"Training with your {Name}.");
            return result;
        }

        string Name => string.IsNullOrWhiteSpace(name) ? "the exercise's function" : name;

        string ReferenceName => reference.DeclaringType is { } type && !type.Name.Contains('<')
            ? $"{type.Name}.{reference.Name}" : "reference";
    }
}
