using CourseLib.Notebooks.Grading;

namespace CourseLib.Notebooks.Tests.Grading;

/// <summary>Grades every seminar notebook's instructor's copy and its released student's copy once (two at a time).</summary>
public sealed class GradedSeminarNotebooks : IAsyncLifetime
{
    public static readonly string Folder = Path.Combine(Repository.Root, "out", "test-grading-seminar");
    public GradeRun Run { get; private set; } = null!;

    public static IReadOnlyList<string> InstructorCopies => Release.InstructorCopies(Path.Combine(Repository.Root, "instructor"));

    public async Task InitializeAsync()
    {
        if (Directory.Exists(Folder)) Directory.Delete(Folder, recursive: true);
        foreach (var source in InstructorCopies)
        {
            var name = Path.GetFileName(source);
            File.Copy(source, Path.Combine(Directory.CreateDirectory(Path.Combine(Folder, "instructor")).FullName, name));
            File.Copy(Path.Combine(Repository.Notebooks, name), Path.Combine(Directory.CreateDirectory(Path.Combine(Folder, "student")).FullName, name));
        }
        // Limits far above what the instructors' copies need: `dotnet test` runs the library's learning tests beside
        // these (load 20+ on 2 cores), where a worker's start alone can take more than the default minute, and what is
        // tested here is the scores, not the limits (GraderTests test those).
        var grader = new Grader(new GradeOptions
        {
            CourseRoot = Repository.Root, Parallelism = 2, Seed = 2025,
            StartTimeout = TimeSpan.FromMinutes(4), CellTimeout = TimeSpan.FromMinutes(4), Timeout = TimeSpan.FromMinutes(20),
        });
        Run = await grader.GradeAsync(Folder);
        File.WriteAllText(Path.Combine(Folder, "results.txt"), Run.ToTable());
    }

    public Task DisposeAsync() => Task.CompletedTask;
}

[Collection("grading")]
[Trait("Category", "grading")]
public class SeminarExercisesTests(GradedSeminarNotebooks graded) : IClassFixture<GradedSeminarNotebooks>
{
    [Fact]
    public void Every_seminar_notebook_from_01_on_has_an_instructors_copy()
    {
        // A seminar notebook gets its exercises (at least two, see ReleaseTests) when it lands; 00-setup has none.
        var seminar = SeminarNotebooks.List(Repository.Notebooks).Select(Path.GetFileName).Where(n => !n!.StartsWith("00", StringComparison.Ordinal)).ToList();
        var withExercises = GradedSeminarNotebooks.InstructorCopies.Select(Path.GetFileName).ToHashSet();
        Assert.All(seminar, n => Assert.True(withExercises.Contains(n), $"{n} has no instructor's copy with graded exercises (instructor/{n})."));
    }

    [Fact]
    public void The_instructors_copies_score_full_marks()
    {
        var copies = graded.Run.Submissions.Where(s => s.Student == "instructor").ToList();
        Assert.Equal(GradedSeminarNotebooks.InstructorCopies.Count, copies.Count);
        Assert.All(copies, s =>
        {
            Assert.True(s.Score == s.MaxScore, $"{Path.GetFileName(s.Submission)}: {s.Score} / {s.MaxScore}\n" + string.Join("\n", s.Exercises.Where(e => e.Status != ExerciseStatus.Passed).Select(e => $"{e.GradeId}: {e.Feedback}")));
            Assert.True(s.MaxScore >= 4);
            Assert.Contains(s.Exercises, e => e.Hidden);
            Assert.Equal(0, s.Restarts);
        });
    }

    [Fact]
    public void The_released_students_copies_compile_and_score_zero_as_not_implemented()
    {
        var copies = graded.Run.Submissions.Where(s => s.Student == "student").ToList();
        Assert.Equal(GradedSeminarNotebooks.InstructorCopies.Count, copies.Count);
        Assert.All(copies, s =>
        {
            Assert.Equal(SubmissionStatus.Graded, s.Status);
            Assert.Equal(0, s.Score);
            // Every check is still the stub; every open question is listed for the instructor, unanswered.
            Assert.All(s.Exercises, e => Assert.True(
                e.Status == ExerciseStatus.NotImplemented || (e.Status == ExerciseStatus.Manual && e.Answer == Release.MarkdownStub),
                $"{Path.GetFileName(s.Submission)} {e.GradeId}: {e.Status}: {e.Feedback}"));
            Assert.Equal(0, s.Restarts);
        });
    }

    [Fact]
    public void Open_questions_are_listed_with_their_model_answers_and_their_points_pending()
    {
        foreach (var s in graded.Run.Submissions.Where(s => s.Student == "instructor"))
        {
            var name = Path.GetFileName(s.Submission);
            var questions = s.Exercises.Where(e => e.Status == ExerciseStatus.Manual).ToList();
            Assert.Equal(questions.Sum(e => e.MaxPoints), s.PendingPoints);
            Assert.All(questions, e =>
            {
                Assert.Equal(0, e.Points);
                Assert.False(string.IsNullOrWhiteSpace(e.ModelAnswer), $"{name} {e.GradeId}: no model answer");
                Assert.DoesNotContain("SOLUTION", e.ModelAnswer);
            });
            // Every seminar notebook asks two or three questions.
            Assert.InRange(questions.Count, 2, 3);
        }
    }
}
