namespace CourseLib.Frontiers;

/// <summary>
/// One task of a multi-task problem: a name, its kind, and a target per input (a class label for classification,
/// a number for regression).
/// </summary>
public sealed record LearningTask
{
    /// <summary>The task's name, e.g. "digit".</summary>
    public string Name { get; }
    /// <summary>Regression or classification.</summary>
    public TaskKind Kind { get; }
    /// <summary>The class labels 0..ClassCount−1 (classification), else null.</summary>
    public int[]? Labels { get; }
    /// <summary>The number of classes (classification), else 0.</summary>
    public int ClassCount { get; }
    /// <summary>The continuous targets (regression), else null.</summary>
    public float[]? Values { get; }

    LearningTask(string name, TaskKind kind, int[]? labels, int classCount, float[]? values)
    {
        Name = name; Kind = kind; Labels = labels; ClassCount = classCount; Values = values;
    }

    /// <summary>The number of targets (one per input).</summary>
    public int Count => Labels?.Length ?? Values!.Length;

    /// <summary>The network outputs the task needs: one logit per class, or one number.</summary>
    public int OutputCount => Kind == TaskKind.Classification ? ClassCount : 1;

    /// <summary>A classification task with labels in 0..<paramref name="classCount"/>−1 and a cross-entropy loss.</summary>
    public static LearningTask Classification(string name, int[] labels, int classCount)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(labels);
        if (classCount < 2) throw new ArgumentOutOfRangeException(nameof(classCount), classCount, "classCount must be at least 2.");
        for (int i = 0; i < labels.Length; i++)
            if (labels[i] < 0 || labels[i] >= classCount)
                throw new ArgumentOutOfRangeException(nameof(labels), labels[i], $"label {i} is {labels[i]}; labels must be in 0..{classCount - 1}.");
        return new LearningTask(name, TaskKind.Classification, (int[])labels.Clone(), classCount, null);
    }

    /// <summary>A regression task with continuous targets and a mean-squared-error loss.</summary>
    public static LearningTask Regression(string name, float[] values)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(values);
        for (int i = 0; i < values.Length; i++)
            if (!float.IsFinite(values[i])) throw new ArgumentOutOfRangeException(nameof(values), values[i], $"target {i} is not a finite number.");
        return new LearningTask(name, TaskKind.Regression, null, 0, (float[])values.Clone());
    }
}
