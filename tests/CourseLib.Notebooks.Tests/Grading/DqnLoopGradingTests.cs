using CourseLib.Notebooks.Grading;

namespace CourseLib.Notebooks.Tests.Grading;

/// <summary>
/// Grades notebook 06's "write the loop" exercise (<c>DqnUpdate</c>, checked by one update and by outcome on CartPole)
/// four ways, once: the instructor's solution, the released stub, an endless loop, and an update that calls the
/// library's own.
/// </summary>
public sealed class GradedDqnLoop : IAsyncLifetime
{
    public const string NotebookName = "06-deep-q-learning.ipynb";
    public const string Loop = "06-dqn-update";
    public static readonly string Folder = Path.Combine(Repository.Root, "out", "test-grading-dqn-loop");
    public GradeRun Run { get; private set; } = null!;

    public SubmissionResult this[string student] => Run.Submissions.Single(s => s.Student == student);

    public static IpynbDocument Instructor() => IpynbDocument.Load(Path.Combine(Repository.Root, "instructor", NotebookName));

    public async Task InitializeAsync()
    {
        if (Directory.Exists(Folder)) Directory.Delete(Folder, recursive: true);
        Hand("solved", Instructor());                                              // every exercise solved as the instructor did
        Hand("stub", IpynbDocument.Load(Path.Combine(Repository.Notebooks, NotebookName)));
        Hand("endless-loop", WithUpdate(Instructor(), """
            double DqnUpdate(Sequential q, Sequential target, optim.Optimizer optimizer, DqnMinibatch batch, double gamma,
                double maxGradientNorm)
            {
                while (true) { }
            }
            """));
        Hand("calls-reference", WithUpdate(Instructor(), """
            double DqnUpdate(Sequential q, Sequential target, optim.Optimizer optimizer, DqnMinibatch batch, double gamma,
                double maxGradientNorm) =>
                ConciseDqn.Update(q, target, optimizer, batch, gamma, maxGradientNorm);
            """));
        // A short cell limit keeps the endless loop's cost small: the right update's checks take a few seconds of work each.
        var grader = new Grader(new GradeOptions { CourseRoot = Repository.Root, Parallelism = 2, Seed = 606, CellTimeout = TimeSpan.FromSeconds(45) });
        Run = await grader.GradeAsync(Folder);
        File.WriteAllText(Path.Combine(Folder, "results.txt"), Run.ToTable());
    }

    public Task DisposeAsync() => Task.CompletedTask;

    static void Hand(string student, IpynbDocument notebook) => LoopSubmissions.Hand(Folder, student, notebook, NotebookName, "06");

    static IpynbDocument WithUpdate(IpynbDocument notebook, string source) => LoopSubmissions.WithSolution(notebook, "06", Loop, source);
}

[Collection("grading")]
[Trait("Category", "grading")]
public class DqnLoopGradingTests(GradedDqnLoop graded) : IClassFixture<GradedDqnLoop>
{
    static IReadOnlyList<ExerciseResult> LoopChecks(SubmissionResult s) => s.Exercises.Where(e => e.Exercise == GradedDqnLoop.Loop).ToList();

    static string Describe(SubmissionResult s) => LoopSubmissions.Describe(s);

    [Fact]
    public void The_instructors_update_scores_full_marks_on_the_one_update_and_the_outcome_checks()
    {
        var s = graded["solved"];
        Assert.Equal(SubmissionStatus.Graded, s.Status);
        Assert.True(s.Score == s.MaxScore, Describe(s));
        var loop = LoopChecks(s);
        Assert.Equal(2, loop.Count); // the visible check cell and the hidden one, each running both checks
        Assert.All(loop, e => Assert.Equal(ExerciseStatus.Passed, e.Status));
        Assert.All(loop, e => Assert.Contains(e.Checks, c => c.Name == "DqnCartPole"));
        Assert.All(loop, e => Assert.Contains(e.Checks, c => c.Name == "DqnUpdate"));
        Assert.Equal(0, s.Restarts);
        Assert.Empty(s.Flags);
    }

    [Fact]
    public void The_stub_scores_zero_as_not_implemented()
    {
        var s = graded["stub"];
        Assert.Equal(SubmissionStatus.Graded, s.Status);
        Assert.Equal(0, s.Score);
        Assert.All(LoopChecks(s), e => Assert.Equal(ExerciseStatus.NotImplemented, e.Status));
        Assert.Equal(graded["solved"].MaxScore, s.MaxScore);
    }

    [Fact]
    public void An_endless_loop_costs_only_its_own_exercise()
    {
        var s = graded["endless-loop"];
        Assert.Equal(SubmissionStatus.Graded, s.Status);
        var loop = LoopChecks(s);
        Assert.NotEmpty(loop);
        Assert.All(loop, e =>
        {
            Assert.Equal(0, e.Points);
            Assert.Equal(ExerciseStatus.Error, e.Status);
        });
        Assert.True(s.Score == s.MaxScore - loop.Sum(e => e.MaxPoints), Describe(s));
        Assert.All(s.Exercises.Where(e => e.Exercise != GradedDqnLoop.Loop && e.Status != ExerciseStatus.Manual),
            e => Assert.Equal(ExerciseStatus.Passed, e.Status));
        Assert.True(s.Restarts >= 1, Describe(s));
        Assert.Contains(loop, e => e.Feedback.Contains("time", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void An_update_that_calls_the_librarys_passes_and_is_flagged_for_the_instructor()
    {
        var s = graded["calls-reference"];
        Assert.Equal(SubmissionStatus.Graded, s.Status);
        Assert.True(s.Score == s.MaxScore, Describe(s));
        var flag = Assert.Single(s.Flags);
        Assert.Equal(GradedDqnLoop.Loop, flag.Exercise);
        Assert.Equal("ConciseDqn.Update", flag.Calls);
    }
}
