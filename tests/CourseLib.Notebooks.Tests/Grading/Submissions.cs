using CourseLib.Notebooks.Grading;

namespace CourseLib.Notebooks.Tests.Grading;

/// <summary>The grading fixture (an instructor's copy with two exercises) and submissions made from it.</summary>
static class Submissions
{
    public static readonly string InstructorFolder = Path.Combine(Repository.Root, "tests", "CourseLib.Notebooks.Tests", "Fixtures", "Grading", "instructor");
    public static readonly string InstructorCopy = Path.Combine(InstructorFolder, "99-grading-fixture.ipynb");
    public const string FileName = "99-grading-fixture.ipynb";

    /// <summary>The second fixture: one exercise whose answers are matrices (Check.QFromV).</summary>
    public const string MatrixFileName = "98-matrix-fixture.ipynb";

    public static IpynbDocument Instructor() => IpynbDocument.Load(InstructorCopy);

    /// <summary>The matrix fixture with its solution cell's source replaced (as handed in: no hidden checks to remove).</summary>
    public static IpynbDocument SolvedMatrix(string source)
    {
        var document = IpynbDocument.Load(Path.Combine(InstructorFolder, MatrixFileName)).Clone();
        document.Cells.Single(c => ExerciseCell.Read(c, "fixture")?.GradeId == "q-from-v").Source = source;
        return document;
    }

    /// <summary>The instructor's copy as a student hands it in under another file name, with every grade_id edited: no instructor's copy matches it.</summary>
    public static IpynbDocument WithEditedGradeIds()
    {
        var document = Solved();
        foreach (var cell in document.Cells)
            if (cell.Json["metadata"]?["nbgrader"]?["grade_id"] is { } id) cell.Json["metadata"]!["nbgrader"]!["grade_id"] = id.GetValue<string>() + "-mine";
        return IpynbDocument.Parse(document.ToJson(), "homework.ipynb");
    }

    public static IpynbDocument StudentCopy() => Release.StudentCopy(Instructor());

    /// <summary>The instructor's copy with the given solution cells' sources replaced (grade_id → source).</summary>
    public static IpynbDocument Solved(params (string GradeId, string Source)[] solutions)
    {
        var document = Instructor().Clone();
        foreach (var (gradeId, source) in solutions)
        {
            var cell = document.Cells.Single(c => ExerciseCell.Read(c, "fixture")?.GradeId == gradeId);
            cell.Source = source;
        }
        return WithoutHidden(document);
    }

    /// <summary>What a student hands in: the student's copy's layout (no hidden checks), with these cells' sources.</summary>
    static IpynbDocument WithoutHidden(IpynbDocument document)
    {
        var copy = document.Clone();
        foreach (var cell in copy.Cells.Where(c => ExerciseCell.Read(c, "fixture")?.Kind == ExerciseCellKind.HiddenCheck).ToList())
            ((System.Text.Json.Nodes.JsonArray)cell.Json.Parent!).Remove(cell.Json);
        return IpynbDocument.Parse(copy.ToJson(), document.Path);
    }

    public static string DiscountedReturn(string body) => $"double DiscountedReturn(double[] rewards, double gamma)\n{{\n{body}\n}}";

    public const string RightDiscountedReturn = "    double g = 0;\n    for (int t = rewards.Length - 1; t >= 0; t--) g = rewards[t] + gamma * g;\n    return g;";

    /// <summary>A common mistake: every reward discounted once too often.</summary>
    public const string DiscountsFirstReward = "    double g = 0;\n    for (int t = rewards.Length - 1; t >= 0; t--) g = gamma * (rewards[t] + g);\n    return g;";

    public static string DiscountedReturns(string body) => $"double[] DiscountedReturns(double[] rewards, double gamma)\n{{\n{body}\n}}";

    /// <summary>Right except for an empty episode, where it throws.</summary>
    public const string DiscountedReturnsFailsOnEmpty = "    if (rewards.Length == 0) throw new ArgumentException(\"an empty episode\");\n    var returns = new double[rewards.Length];\n    double g = 0;\n    for (int t = rewards.Length - 1; t >= 0; t--) returns[t] = g = rewards[t] + gamma * g;\n    return returns;";
}
