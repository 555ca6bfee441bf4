using System.Globalization;
using System.Text;

namespace CourseLib.Notebooks.Grading;

/// <summary>
/// The gradebook: one CSV row per student and exercise (a solution cell, with the points of all its checks, hidden
/// ones included), for a spreadsheet or an LMS import; an answer graded by hand is an exercise of its own, with status
/// manual and empty points (for the instructor to fill in). A submission with no exercise graded (unreadable,
/// unmatched, error) has one row with an empty exercise and 0 points, so every student appears.
/// </summary>
public static class Gradebook
{
    /// <summary>The header row.</summary>
    public const string Header = "student,notebook,exercise,points,max_points,status,submission_status,flagged";

    /// <summary>The CSV text (RFC 4180: comma separated, quoted where needed, CRLF line ends).</summary>
    public static string ToCsv(GradeRun run)
    {
        var csv = new StringBuilder(Header).Append("\r\n");
        foreach (var s in run.Submissions)
        {
            var student = s.Student ?? Path.GetFileNameWithoutExtension(s.Submission);
            var notebook = Path.GetFileName(s.Submission);
            var exercises = s.Exercises.GroupBy(e => e.Exercise ?? e.GradeId).ToList();
            if (exercises.Count == 0)
            {
                Row(csv, student, notebook, "", 0, s.MaxScore, s.Status.Name(), s.Status, false);
                continue;
            }
            foreach (var exercise in exercises)
            {
                var statuses = exercise.Select(e => e.Status).Distinct().ToList();
                var status = statuses.Count == 1 ? statuses[0]
                    : statuses.Contains(ExerciseStatus.Error) ? ExerciseStatus.Error : statuses.Contains(ExerciseStatus.Failed) ? ExerciseStatus.Failed : ExerciseStatus.PartlyPassed;
                // An answer graded by hand has no points yet: the instructor fills them in.
                double? points = status == ExerciseStatus.Manual ? null : exercise.Sum(e => e.Points);
                Row(csv, student, notebook, exercise.Key, points, exercise.Sum(e => e.MaxPoints), status.Name(), s.Status,
                    s.Flags.Any(f => f.Exercise == exercise.Key));
            }
        }
        return csv.ToString();
    }

    static void Row(StringBuilder csv, string student, string notebook, string exercise, double? points, double max, string status, SubmissionStatus submissionStatus, bool flagged)
    {
        csv.Append(Field(student)).Append(',').Append(Field(notebook)).Append(',').Append(Field(exercise)).Append(',')
            .Append(points is { } p ? Math.Round(p, 2).ToString(CultureInfo.InvariantCulture) : "").Append(',')
            .Append(Math.Round(max, 2).ToString(CultureInfo.InvariantCulture)).Append(',')
            .Append(status).Append(',').Append(submissionStatus.Name()).Append(',').Append(flagged ? "yes" : "no").Append("\r\n");
    }

    /// <summary>A field, quoted when it holds a comma, a quote or a line break; a leading =, +, - or @ is escaped so a spreadsheet does not run it as a formula.</summary>
    internal static string Field(string value)
    {
        if (value.Length > 0 && "=+-@".Contains(value[0])) value = "'" + value;
        return value.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + value.Replace("\"", "\"\"") + "\"" : value;
    }
}
