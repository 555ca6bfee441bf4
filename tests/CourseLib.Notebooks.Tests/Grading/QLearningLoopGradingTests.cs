using CourseLib.Notebooks.Grading;

namespace CourseLib.Notebooks.Tests.Grading;

/// <summary>
/// Grades notebook 05's "write the loop" exercise (<c>QLearningEpisode</c>, checked by one step and by outcome on
/// CliffWalking) three ways, once: the instructor's solution, the released stub, and an endless loop.
/// </summary>
public sealed class GradedQLearningLoop : IAsyncLifetime
{
    public const string NotebookName = "05-q-learning-and-exploration.ipynb";
    public const string Loop = "05-q-learning-episode";
    public static readonly string Folder = Path.Combine(Repository.Root, "out", "test-grading-qlearning-loop");
    public GradeRun Run { get; private set; } = null!;

    public SubmissionResult this[string student] => Run.Submissions.Single(s => s.Student == student);

    public static IpynbDocument Instructor() => IpynbDocument.Load(Path.Combine(Repository.Root, "instructor", NotebookName));

    public async Task InitializeAsync()
    {
        if (Directory.Exists(Folder)) Directory.Delete(Folder, recursive: true);
        Hand("solved", Instructor());                                              // every exercise solved as the instructor did
        Hand("stub", IpynbDocument.Load(Path.Combine(Repository.Notebooks, NotebookName)));
        Hand("endless-loop", WithLoop(Instructor(), """
            double QLearningEpisode(IEnvironment<int, int> environment, double[,] q, double epsilon, double alpha, double gamma, Rng rng)
            {
                int state = environment.Reset().Observation;
                while (true) { }
            }
            """));
        // A short cell limit keeps the run small: the right loop's checks take well under a second of work each.
        var grader = new Grader(new GradeOptions { CourseRoot = Repository.Root, Parallelism = 2, Seed = 505, CellTimeout = TimeSpan.FromSeconds(30) });
        Run = await grader.GradeAsync(Folder);
        File.WriteAllText(Path.Combine(Folder, "results.txt"), Run.ToTable());
    }

    public Task DisposeAsync() => Task.CompletedTask;

    static void Hand(string student, IpynbDocument notebook) => LoopSubmissions.Hand(Folder, student, notebook, NotebookName, "05");

    static IpynbDocument WithLoop(IpynbDocument notebook, string source) => LoopSubmissions.WithSolution(notebook, "05", Loop, source);
}

[Collection("grading")]
[Trait("Category", "grading")]
public class QLearningLoopGradingTests(GradedQLearningLoop graded) : IClassFixture<GradedQLearningLoop>
{
    static IReadOnlyList<ExerciseResult> LoopChecks(SubmissionResult s) => s.Exercises.Where(e => e.Exercise == GradedQLearningLoop.Loop).ToList();

    static string Describe(SubmissionResult s) => LoopSubmissions.Describe(s);

    [Fact]
    public void The_instructors_loop_scores_full_marks_on_the_one_step_and_the_outcome_checks()
    {
        var s = graded["solved"];
        Assert.Equal(SubmissionStatus.Graded, s.Status);
        Assert.True(s.Score == s.MaxScore, Describe(s));
        var loop = LoopChecks(s);
        Assert.Equal(3, loop.Count); // the one-step check, the CliffWalking outcome check, and the hidden run of both
        Assert.All(loop, e => Assert.Equal(ExerciseStatus.Passed, e.Status));
        Assert.Contains(loop, e => e.Checks.Any(c => c.Name == "QLearningCliffWalking"));
        Assert.Equal(0, s.Restarts);
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
        // Every other exercise keeps its full points; the stopped cell restarted the worker.
        Assert.True(s.Score == s.MaxScore - loop.Sum(e => e.MaxPoints), Describe(s));
        Assert.All(s.Exercises.Where(e => e.Exercise != GradedQLearningLoop.Loop && e.Status != ExerciseStatus.Manual),
            e => Assert.Equal(ExerciseStatus.Passed, e.Status));
        Assert.True(s.Restarts >= 1, Describe(s));
        Assert.Contains(loop, e => e.Feedback.Contains("time", StringComparison.OrdinalIgnoreCase));
    }
}
