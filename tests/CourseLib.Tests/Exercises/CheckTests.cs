using System.Text.Json.Nodes;
using CourseLib.ActorCritic;
using CourseLib.Exercises;
using CourseLib.Frontiers;
using CourseLib.InverseRl;
using CourseLib.Mdp;
using MathNet.Numerics.LinearAlgebra;

namespace CourseLib.Tests.Exercises;

/// <summary>
/// Each check passes the reference, fails known mistakes with their hint and with the failing input, expected and
/// returned value, and says "not implemented" for the student's stub.
/// </summary>
[Collection("exercise checks")]
[Trait("Category", "unit")]
public class CheckTests
{
    static void Passes(CheckReport report)
    {
        Assert.True(report.Passed, report.ToString());
        Assert.Equal(report.TotalCases, report.PassedCases);
        Assert.True(report.TotalCases >= 20, $"only {report.TotalCases} cases");
    }

    static void FailsWithHint(CheckReport report, string hint)
    {
        Assert.Equal(CheckStatus.Failed, report.Status);
        Assert.NotEmpty(report.Failures);
        Assert.NotNull(report.Hint);
        Assert.Contains(hint, report.Hint);
    }

    // ---- returns ----

    static double DiscountedReturn(double[] rewards, double gamma)
    {
        double g = 0, weight = 1;
        foreach (var r in rewards) { g += weight * r; weight *= gamma; }
        return g;
    }

    [Fact]
    public void DiscountedReturn_passes_the_library_and_an_independent_solution()
    {
        Passes(Check.DiscountedReturn((r, g) => Returns.Discounted(r, g)));
        Passes(Check.DiscountedReturn(DiscountedReturn));
    }

    [Fact]
    public void DiscountedReturn_names_the_failing_input_as_a_call_with_expected_and_got_and_hints_the_mistake()
    {
        var report = Check.DiscountedReturn((rewards, gamma) => gamma * DiscountedReturn(rewards, gamma));
        FailsWithHint(report, "The first reward is not discounted");
        var first = report.Failures[0];
        Assert.Equal("one step: the return is the reward", first.Case);
        Assert.Equal("DiscountedReturn([2.5], gamma: 0.9)", first.Input);
        Assert.Equal("2.5", first.Expected);
        Assert.Equal("2.25", first.Got);
        Assert.Contains("expected 2.5, got 2.25", report.ToString());
        Assert.Contains("<table", report.ToHtml());
        FailsWithHint(Check.DiscountedReturn((rewards, _) => rewards.Sum()), "γ seems to be ignored");
    }

    [Fact]
    public void The_students_stub_is_not_implemented_not_an_error()
    {
        var report = Check.DiscountedReturn((_, _) => throw new NotImplementedException());
        Assert.Equal(CheckStatus.NotImplemented, report.Status);
        Assert.Empty(report.Failures);
        Assert.Contains("not implemented yet", report.ToString());
        Assert.Equal(0, report.Fraction);
    }

    [Fact]
    public void An_exception_is_a_failed_case_with_its_message()
    {
        var report = Check.DiscountedReturn((rewards, gamma) => rewards.Length == 0 ? throw new IndexOutOfRangeException("no rewards") : DiscountedReturn(rewards, gamma));
        Assert.Equal(CheckStatus.Failed, report.Status);
        Assert.Equal(report.TotalCases - 1, report.PassedCases);
        Assert.Equal("empty episode: nothing to add up", report.Failures.Single().Case);
        Assert.Equal("threw IndexOutOfRangeException: no rewards", report.Failures.Single().Got);
    }

    [Fact]
    public void DiscountedReturns_and_RewardToGo_pass_the_library_and_catch_prefix_sums_and_shifts()
    {
        Passes(Check.DiscountedReturns((r, g) => Returns.DiscountedReturns(r, g)));
        Passes(Check.RewardToGo(r => Returns.DiscountedReturns(r, 1)));
        FailsWithHint(Check.DiscountedReturns((r, g) => Returns.DiscountedReturns(r.Reverse().ToArray(), g).Reverse().ToArray()), "what is still to come");
        FailsWithHint(Check.RewardToGo(r => Returns.DiscountedReturns(r, 1).Select((g, t) => g - r[t]).ToArray()), "includes r_t itself");
        FailsWithHint(Check.RewardToGo(r => Enumerable.Repeat(r.Sum(), r.Length).ToArray()), "whole episode's return");
        var wrongLength = Check.RewardToGo(r => new double[r.Length + 1]);
        Assert.Contains("expected length", wrongLength.Failures[0].Got);
    }

    // ---- policy gradient ----

    static double[] LogSoftmaxAt(double[][] logits, int[] actions) =>
        actions.Select((a, k) =>
        {
            double m = logits[k].Max();
            return logits[k][a] - m - Math.Log(logits[k].Sum(z => Math.Exp(z - m)));
        }).ToArray();

    [Fact]
    public void LogProbabilities_and_LogSoftmaxGradient_pass_a_solution_and_catch_sign_and_overflow()
    {
        Passes(Check.LogProbabilities(LogSoftmaxAt));
        var naive = Check.LogProbabilities((logits, actions) => actions.Select((a, k) => Math.Log(Math.Exp(logits[k][a]) / logits[k].Sum(Math.Exp))).ToArray());
        FailsWithHint(naive, "overflows");
        Assert.Contains(naive.Failures, f => f.Case.StartsWith("large logits", StringComparison.Ordinal));
        FailsWithHint(Check.LogProbabilities((logits, actions) => actions.Select((a, k) => logits[k][a]).ToArray()), "not yet a log-probability");

        static double[] Softmax(double[] z) { var e = z.Select(x => Math.Exp(x - z.Max())).ToArray(); return e.Select(x => x / e.Sum()).ToArray(); }
        Passes(Check.LogSoftmaxGradient((z, a) => Softmax(z).Select((p, b) => (b == a ? 1 : 0) - p).ToArray()));
        FailsWithHint(Check.LogSoftmaxGradient((z, a) => Softmax(z).Select((p, b) => p - (b == a ? 1 : 0)).ToArray()), "The sign");
    }

    // ---- exploration ----

    static int EpsilonGreedy(double[] q, double epsilon, Rng rng)
    {
        if (rng.NextDouble() < epsilon) return rng.NextInt(q.Length);
        double max = q.Max();
        var best = Enumerable.Range(0, q.Length).Where(a => q[a] == max).ToArray();
        return best[rng.NextInt(best.Length)];
    }

    [Fact]
    public void EpsilonGreedy_passes_random_tie_breaking_and_catches_first_argmax_and_exploration_without_the_greedy_action()
    {
        Passes(Check.EpsilonGreedy(EpsilonGreedy));
        var firstMax = Check.EpsilonGreedy((q, e, rng) => rng.NextDouble() < e ? rng.NextInt(q.Length) : Array.IndexOf(q, q.Max()));
        Assert.True(firstMax.Hint?.Contains("Ties") == true, firstMax.ToString());
        Assert.Contains(firstMax.Failures, f => f.Case.Contains("tied", StringComparison.Ordinal));
        FailsWithHint(Check.EpsilonGreedy((q, e, rng) =>
        {
            double max = q.Max();
            var best = Enumerable.Range(0, q.Length).Where(a => q[a] == max).ToArray();
            var rest = Enumerable.Range(0, q.Length).Where(a => q[a] != max).ToArray();
            return rest.Length > 0 && rng.NextDouble() < e ? rest[rng.NextInt(rest.Length)] : best[rng.NextInt(best.Length)];
}), "the greedy one included");
        var outOfRange = Check.EpsilonGreedy((q, _, _) => q.Length);
        Assert.Contains("were not an action index", outOfRange.Failures[0].Got);
    }

    // ---- temporal difference ----

    [Fact]
    public void TdTarget_QLearningUpdate_Huber_and_DQN_targets_pass_solutions_and_catch_terminal_and_max_mistakes()
    {
        static double Target(double r, double g, double[] next, bool done) => done ? r : r + g * next.Max();
        Passes(Check.TdTarget(Target));
        FailsWithHint(Check.TdTarget((r, g, next, _) => r + g * next.Max()), "terminal s' has no future");
        FailsWithHint(Check.TdTarget((r, g, next, done) => done ? r : r + g * Math.Max(0, next.Max())), "start at the first value");

        Passes(Check.QLearningUpdate((q, s, a, r, s2, done, alpha, g) =>
        {
            var next = Enumerable.Range(0, q.GetLength(1)).Select(b => q[s2, b]).ToArray();
            q[s, a] += alpha * (Target(r, g, next, done) - q[s, a]);
        }));
        var wrongSign = Check.QLearningUpdate((q, s, a, r, s2, done, alpha, g) =>
        {
            var next = Enumerable.Range(0, q.GetLength(1)).Select(b => q[s2, b]).ToArray();
            q[s, a] -= alpha * (Target(r, g, next, done) - q[s, a]);
        });
        FailsWithHint(wrongSign, "sign of the TD error");

        Passes(Check.HuberLoss(d => Math.Abs(d) <= 1 ? 0.5 * d * d : Math.Abs(d) - 0.5));
        FailsWithHint(Check.HuberLoss(d => 0.5 * d * d), "linear");

        Passes(Check.DqnTargets((r, g, next, done) => r.Select((x, i) => Target(x, g, next[i], done[i])).ToArray()));
        static double[] DoubleDqn(double[] r, double g, double[][] target, double[][] online, bool[] done) =>
            r.Select((x, i) => done[i] ? x : x + g * target[i][Array.IndexOf(online[i], online[i].Max())]).ToArray();
        Passes(Check.DoubleDqnTargets(DoubleDqn));
        FailsWithHint(Check.DoubleDqnTargets((r, g, target, _, done) => r.Select((x, i) => Target(x, g, target[i], done[i])).ToArray()), "plain DQN");
    }

    // ---- Bellman ----

    [Fact]
    public void Bellman_checks_pass_the_library_and_catch_ignored_terminals_and_max_versus_mean()
    {
        Passes(Check.QFromV(Bellman.QFromV));
        Passes(Check.ExpectationBackup(Bellman.ExpectationBackup));
        Passes(Check.OptimalityBackup(Bellman.OptimalityBackup));
        FailsWithHint(Check.ExpectationBackup((mdp, v, _, g) => Bellman.OptimalityBackup(mdp, v, g)), "the answers take the best action");
        FailsWithHint(Check.QFromV((mdp, v, g) =>
        {
            var q = new double[mdp.StateCount, mdp.ActionCount];
            for (int s = 0; s < mdp.StateCount; s++)
                for (int a = 0; a < mdp.ActionCount; a++)
                {
                    double next = 0;
                    foreach (var t in mdp.Transitions(s, a)) next += t.Probability * v[t.NextState];
                    q[s, a] = mdp.ExpectedReward(s, a) + g * next;
                }
            return q;
        }), "terminal s' has no future");
    }

    // ---- actor-critic ----

    static double[] Gae(double[] r, double[] v, double[] next, bool[] term, bool[] trunc, double g, double l) => Gae(r, v, next, term, trunc, g, l, crossEpisodes: false);

    static double[] Gae(double[] r, double[] v, double[] next, bool[] term, bool[] trunc, double g, double l, bool crossEpisodes)
    {
        var a = new double[r.Length];
        double following = 0;
        for (int t = r.Length - 1; t >= 0; t--)
        {
            double delta = r[t] + (term[t] ? 0 : g * next[t]) - v[t];
            following = a[t] = delta + ((term[t] || trunc[t]) && !crossEpisodes ? 0 : g * l * following);
        }
        return a;
    }

    [Fact]
    public void GeneralizedAdvantage_passes_a_solution_and_catches_crossing_episodes_and_bootstrapping_terminals()
    {
        Passes(Check.GeneralizedAdvantage(Gae));
        FailsWithHint(Check.GeneralizedAdvantage((r, v, n, term, trunc, g, l) => Gae(r, v, n, term, trunc, g, l, crossEpisodes: true)), "must not cross an episode boundary");
        FailsWithHint(Check.GeneralizedAdvantage((r, v, n, term, trunc, g, l) => Gae(r, v, n, term, trunc, g, l).Select((a, t) => a + v[t]).ToArray()), "λ-returns");
    }

    // ---- frontiers ----

    [Fact]
    public void Contrastive_and_ESZSL_pass_solutions_and_catch_swapped_labels_and_regularisers()
    {
        static double Contrastive(double[] d, int[] y, double m) =>
            d.Select((x, k) => (1 - y[k]) * 0.5 * x * x + y[k] * 0.5 * Math.Pow(Math.Max(0, m - x), 2)).Average();
        Passes(Check.ContrastiveLoss(Contrastive));
        FailsWithHint(Check.ContrastiveLoss((d, y, m) => Contrastive(d, y.Select(v => 1 - v).ToArray(), m)), "the other way round");

        static Matrix<double> Eszsl(Matrix<double> x, Matrix<double> y, Matrix<double> s, double gamma, double lambda) =>
            (x * x.Transpose() + gamma * Matrix<double>.Build.DenseIdentity(x.RowCount)).Solve(x * y * s.Transpose())
            * (s * s.Transpose() + lambda * Matrix<double>.Build.DenseIdentity(s.RowCount)).Inverse();
        Passes(Check.Eszsl(Eszsl));
        FailsWithHint(Check.Eszsl((x, y, s, gamma, lambda) => Eszsl(x, y, s, lambda, gamma)), "swapped");
    }

    [Fact]
    public void Actor_critic_checks_pass_the_library()
    {
        Passes(Check.TdErrors((r, v, n, term, g) => TemporalDifference.Errors(r, v, n, term, g)));
        Passes(Check.GeneralizedAdvantage((r, v, n, term, trunc, g, l) => GeneralizedAdvantage.Estimate(r, v, n, term, trunc, g, l)));
        FailsWithHint(Check.TdErrors((r, v, n, term, g) => r.Select((x, t) => x + g * n[t] - v[t]).ToArray()), "terminal state has value 0");
    }

    [Fact]
    public void Frontier_checks_pass_the_library_and_catch_their_mistakes()
    {
        Passes(Check.UncertaintyWeightedLoss((l, s, k) => UncertaintyWeightedLoss.Total(l, s, k)));
        FailsWithHint(Check.UncertaintyWeightedLoss((l, s, k) => l.Select((x, i) => UncertaintyWeightedLoss.Factor(k[i]) * Math.Exp(-2 * s[i]) * x).Sum()), "log σ_i term");
        Passes(Check.OptimalLogSigma(UncertaintyWeightedLoss.OptimalLogSigma));
        FailsWithHint(Check.OptimalLogSigma((l, k) => 2 * UncertaintyWeightedLoss.OptimalLogSigma(l, k)), "log σ², not log σ");
        Passes(Check.ContrastiveLoss((d, y, m) => ContrastiveLoss.Mean(d, y, m)));
        Passes(Check.NearestClass((q, support, classes) => OneShot.NearestClass(q, support, classes)));
        FailsWithHint(Check.NearestClass((q, support, classes) => Enumerable.Range(0, support.Length).MinBy(i => ContrastiveLoss.Distance(q, support[i]))), "not its index");
        Passes(Check.Eszsl(Eszsl.Fit));
        Passes(Check.ZeroShotPredict(Eszsl.Predict));
    }

    [Fact]
    public void Inverse_rl_checks_pass_solutions_and_catch_overflow_and_normalising()
    {
        static double[] SoftValue(double[,] q) => Enumerable.Range(0, q.GetLength(0)).Select(s =>
        {
            var row = Enumerable.Range(0, q.GetLength(1)).Select(a => q[s, a]).ToArray();
            return row.Max() + Math.Log(row.Sum(x => Math.Exp(x - row.Max())));
        }).ToArray();
        Passes(Check.SoftValue(SoftValue));
        FailsWithHint(Check.SoftValue(q => Enumerable.Range(0, q.GetLength(0)).Select(s => Math.Log(Enumerable.Range(0, q.GetLength(1)).Sum(a => Math.Exp(q[s, a])))).ToArray()), "overflows");
        static double[] Mu(double[,] f, double[] d) => Enumerable.Range(0, f.GetLength(1)).Select(k => Enumerable.Range(0, f.GetLength(0)).Sum(s => d[s] * f[s, k])).ToArray();
        Passes(Check.FeatureExpectations(Mu));
        Passes(Check.FeatureExpectations((f, d) => MaxEntIrl.FeatureExpectations(new StateFeatures(f, Enumerable.Range(0, f.GetLength(1)).Select(k => $"f{k}").ToArray()), d)));
        FailsWithHint(Check.FeatureExpectations((f, d) => Mu(f, d).Select(x => x / d.Sum()).ToArray()), "do not divide");
    }

    // ---- the machinery ----

    [Fact]
    public void The_registry_judges_answers_like_the_notebook_and_rejects_answers_that_do_not_fit_the_cases()
    {
        var notebook = Check.DiscountedReturn((r, g) => 0);
        var answers = new JsonArray(Enumerable.Range(0, notebook.TotalCases).Select(_ => (JsonNode)new JsonObject { ["v"] = 0 }).ToArray());
        var judged = JsonNode.Parse(CheckRegistry.Evaluate("DiscountedReturn", Grading.DefaultSeed, false, answers.ToJsonString()))!;
        Assert.Equal("failed", judged["status"]!.GetValue<string>());
        Assert.Equal(notebook.PassedCases, judged["passed_cases"]!.GetValue<int>());
        Assert.Equal(notebook.ToString(), judged["text"]!.GetValue<string>());

        var tooFew = JsonNode.Parse(CheckRegistry.Evaluate("DiscountedReturn", 7, false, "[{\"v\": 0}]"))!;
        Assert.Equal("error", tooFew["status"]!.GetValue<string>());
        Assert.Equal("error", JsonNode.Parse(CheckRegistry.Evaluate("DiscountedReturn", 7, false, "not json"))!["status"]!.GetValue<string>());
        Assert.Throws<ArgumentException>(() => CheckRegistry.Evaluate("NoSuchCheck", 7, false, "[]"));
        Assert.Contains("EpsilonGreedy", CheckRegistry.Names);
        Assert.Equal(CheckRegistry.Names.Count, CheckRegistry.Names.Distinct().Count());
    }

    [Fact]
    public void Under_the_grader_a_check_draws_from_the_graders_seed_and_prints_its_raw_answers_on_one_line()
    {
        int visibleCases = Check.DiscountedReturn(DiscountedReturn).TotalCases;
        var output = new StringWriter();
        var previous = Console.Out;
        Environment.SetEnvironmentVariable(Grading.SeedVariable, "424242");
        Environment.SetEnvironmentVariable(Grading.HiddenVariable, "1");
        try
        {
            Console.SetOut(output);
            var report = Check.DiscountedReturn(DiscountedReturn);
            Assert.True(report.Passed);
            Assert.True(report.Hidden);
            Assert.Equal(424242, report.Seed);
            Assert.True(report.TotalCases > 2 * visibleCases); // the larger hidden set
        }
        finally
        {
            Console.SetOut(previous);
            Environment.SetEnvironmentVariable(Grading.SeedVariable, null);
            Environment.SetEnvironmentVariable(Grading.HiddenVariable, null);
        }
        var line = output.ToString().Split('\n').Single(l => l.StartsWith(Grading.AnswersMarker, StringComparison.Ordinal));
        var payload = JsonNode.Parse(line[Grading.AnswersMarker.Length..])!;
        Assert.Equal("DiscountedReturn", payload["check"]!.GetValue<string>());
        Assert.Equal(424242, payload["seed"]!.GetValue<int>());
        Assert.True(payload["hidden"]!.GetValue<bool>());
        // The grader's judgement of the printed answers: all pass.
        var judged = JsonNode.Parse(CheckRegistry.Evaluate("DiscountedReturn", 424242, true, payload["answers"]!.ToJsonString()))!;
        Assert.Equal("passed", judged["status"]!.GetValue<string>());
        // A different seed draws different cases: the same answers do not fit them.
        var otherSeed = JsonNode.Parse(CheckRegistry.Evaluate("DiscountedReturn", 1, true, payload["answers"]!.ToJsonString()))!;
        Assert.NotEqual("passed", otherSeed["status"]!.GetValue<string>());
    }

    [Fact]
    public void Cases_are_the_same_for_the_same_seed_and_differ_between_seeds()
    {
        // The drawn cases themselves, as the student would type them back in.
        static List<string> Returns(int seed, bool hidden = false) =>
            Check.DiscountedReturnCheck.Cases(new Rng(seed), hidden).Select(c => Check.DiscountedReturnCheck.Describe(c.Input)).ToList();
        static List<string> Greedy(int seed) =>
            Check.EpsilonGreedyCheck.Cases(new Rng(seed), false).Select(c => Check.EpsilonGreedyCheck.Describe(c.Input)).ToList();
        Assert.Equal(Returns(5), Returns(5));
        Assert.Equal(Greedy(5), Greedy(5));
        Assert.True(Returns(5).Count >= 20, $"only {Returns(5).Count} cases");
        // Edge cases come first and are the same for every seed; the random cases after them differ between seeds.
        int same = Returns(5).Zip(Returns(6)).Count(p => p.First == p.Second);
        Assert.True(same < Returns(5).Count / 2, $"{same} of {Returns(5).Count} cases are the same for seeds 5 and 6");
        Assert.NotEqual(Greedy(5), Greedy(6));
        // The grader's hidden run draws more cases than the student's visible run.
        Assert.True(Returns(5, hidden: true).Count > Returns(5).Count);
    }

    [Fact]
    public void The_summary_lists_the_latest_result_of_each_check()
    {
        Check.HuberLoss(_ => throw new NotImplementedException());
        Check.HuberLoss(d => Math.Abs(d) <= 1 ? 0.5 * d * d : Math.Abs(d) - 0.5);
        var summary = Check.Summary();
        var huber = summary.Reports.Single(r => r.Name == "HuberLoss");
        Assert.True(huber.Passed);
        Assert.Contains("✔ Check.HuberLoss", summary.ToString());
        Assert.Contains("<table", summary.ToHtml());
    }
}

/// <summary>The checks read process-wide environment variables (grading mode): one test at a time.</summary>
[CollectionDefinition("exercise checks", DisableParallelization = true)]
public sealed class ExerciseChecksCollection;
