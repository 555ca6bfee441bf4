using CourseLib.Environments;
using CourseLib.Mdp;
using CourseLib.Training;
using CourseLib.ValueBased;

namespace CourseLib.Tests.ValueBased;

/// <summary>Notebook 05's solutions, written as a student would (the instructor's copy), and a typical mistake.</summary>
static class StudentSolutions
{
    public static void QLearningUpdate(double[,] q, int state, int action, double reward, int nextState, bool terminated, double alpha, double gamma)
    {
        double best = double.NegativeInfinity;
        for (int a = 0; a < q.GetLength(1); a++) best = Math.Max(best, q[nextState, a]);
        double y = terminated ? reward : reward + gamma * best;
        q[state, action] += alpha * (y - q[state, action]);
    }

    /// <summary>The typical mistake notebook 05 shows: the TD error's sign flipped, Q moves away from the target.</summary>
    public static void QLearningUpdateAwayFromTarget(double[,] q, int state, int action, double reward, int nextState, bool terminated, double alpha, double gamma)
    {
        double best = double.NegativeInfinity;
        for (int a = 0; a < q.GetLength(1); a++) best = Math.Max(best, q[nextState, a]);
        double y = terminated ? reward : reward + gamma * best;
        q[state, action] -= alpha * (y - q[state, action]);
    }

    public static int EpsilonGreedyChoice(double[] qValues, double epsilon, Rng rng)
    {
        if (rng.NextDouble() < epsilon) return rng.NextInt(qValues.Length);
        double max = qValues.Max();
        var best = Enumerable.Range(0, qValues.Length).Where(a => qValues[a] == max).ToArray();
        return best.Length == 1 ? best[0] : best[rng.NextInt(best.Length)];
    }

    public static double QLearningEpisode(IEnvironment<int, int> environment, double[,] q, double epsilon, double alpha, double gamma, Rng rng)
    {
        int state = environment.Reset().Observation;
        double total = 0;
        while (true)
        {
            var row = new double[q.GetLength(1)];
            for (int a = 0; a < row.Length; a++) row[a] = q[state, a];
            int action = EpsilonGreedyChoice(row, epsilon, rng);
            var step = environment.Step(action);
            QLearningUpdate(q, state, action, step.Reward, step.Observation, step.Terminated, alpha, gamma);
            total += step.Reward;
            if (step.Terminated || step.Truncated) return total;
            state = step.Observation;
        }
    }
}

[Trait("Category", "learning")]
public class QLearningTests
{
    static readonly TabularOptions Cliff = new() { Episodes = 150, LearningRate = 0.5, Discount = 1.0 };

    static double GreedyReturn(CliffWalking cliff, QTable q) => TabularRollout.Follow(cliff, q.GreedyPolicy(), seed: 0, maxSteps: 100).Return;

    [Fact]
    public void On_CliffWalking_the_greedy_path_after_150_episodes_returns_the_optimal_minus_13_in_at_least_9_of_seeds_0_to_9()
    {
        // Measured (--tabular-seeds cliff 1000, these settings): −13 after 75 episodes in 1,000 of 1,000 seeds.
        var cliff = new CliffWalking(maxEpisodeSteps: 200);
        var returns = Enumerable.Range(0, 10).Select(seed => GreedyReturn(cliff, QLearning.Train(cliff, new EpsilonGreedy(0.1), Cliff with { Seed = seed }).Agent)).ToArray();
        Assert.True(returns.Count(r => r == -13) >= 9, $"ε = 0.1, α = 0.5, 150 episodes, seeds 0-9: greedy returns {string.Join(", ", returns)}; −13 needed in 9 of 10");
        // the optimal path: up, 11 steps right along the row above the cliff, down
        var episode = TabularRollout.Follow(cliff, QLearning.Train(cliff, new EpsilonGreedy(0.1), Cliff).Agent.GreedyPolicy(), 0, 100);
        Assert.All(episode.States.Skip(1).SkipLast(1), s => Assert.Equal(2, cliff.PositionOf(s).Row));
    }

    [Fact]
    public void On_CliffWalking_SARSA_earns_more_online_than_Q_learning_because_it_learns_the_safer_path_in_9_of_seeds_0_to_9()
    {
        // Measured (--tabular-seeds sarsa 20): SARSA leads by 18.0 to 29.2 on seeds 0-19, its greedy path returns −15 or −17.
        var cliff = new CliffWalking();
        var options = new TabularOptions { Episodes = 500, LearningRate = 0.1, Discount = 1.0 };
        int leads = 0, safer = 0;
        var lines = new List<string>();
        for (int seed = 0; seed < 10; seed++)
        {
            var q = QLearning.Train(cliff, new EpsilonGreedy(0.1), options with { Seed = seed });
            var sarsa = Sarsa.Train(cliff, new EpsilonGreedy(0.1), options with { Seed = seed });
            double qOnline = q.Returns.TakeLast(200).Average(), sarsaOnline = sarsa.Returns.TakeLast(200).Average();
            double sarsaGreedy = GreedyReturn(cliff, sarsa.Agent);
            if (sarsaOnline > qOnline + 10) leads++;
            if (sarsaGreedy is >= -17 and <= -14) safer++;   // a longer, safer path than the optimal −13
            lines.Add($"seed {seed}: online Q {qOnline:F1}, SARSA {sarsaOnline:F1}, SARSA greedy {sarsaGreedy}");
        }
        Assert.True(leads >= 9 && safer >= 9, $"ε = 0.1, α = 0.1, 500 episodes, last 200; SARSA must lead by 10 online and walk a path of −14 to −17 in 9 of 10 seeds: {string.Join("; ", lines)}");
    }

    [Fact]
    public void On_FrozenLake_4x4_the_learned_greedy_policy_succeeds_within_0_02_of_the_optimum_in_8_of_seeds_0_to_9()
    {
        // Measured (--tabular-seeds lake 40): within 0.02 in 37 of 40 seeds (seeds 15, 16, 31 are not).
        var lake = FrozenLake.FourByFour();
        double optimum = lake.SuccessProbability(ValueIteration.Run(lake.Mdp, 1.0).GreedyPolicy);
        Assert.InRange(optimum, 0.82, 0.83);
        var learned = Enumerable.Range(0, 10).Select(seed => lake.SuccessProbability(QLearning.Train(lake, new DecayingEpsilonGreedy(1.0, 0.05, 10_000),
            new TabularOptions { Seed = seed, Episodes = 20_000, LearningRate = 0.05, Discount = 0.999 }).Agent.GreedyPolicy())).ToArray();
        Assert.All(learned, p => Assert.True(p <= optimum + 1e-9));
        Assert.True(learned.Count(p => p >= optimum - 0.02) >= 8,
            $"20,000 episodes, seeds 0-9: success probabilities {string.Join(", ", learned.Select(p => p.ToString("F3")))}, optimum {optimum:F3}; within 0.02 needed in 8 of 10");
    }

    [Fact]
    public void A_students_right_update_and_choice_give_the_reference_run_and_an_update_away_from_the_target_never_learns_on_seeds_0_to_9()
    {
        var cliff = new CliffWalking(maxEpisodeSteps: 200);
        int rightOptimal = 0, wrongOptimal = 0;
        for (int seed = 0; seed < 10; seed++)
        {
            var options = Cliff with { Seed = seed };
            var reference = QLearning.Train(cliff, new EpsilonGreedy(0.1), options);
            var student = QLearning.Train(cliff, new EpsilonGreedy(0.1), options,
                qLearningUpdate: StudentSolutions.QLearningUpdate, epsilonGreedyChoice: StudentSolutions.EpsilonGreedyChoice);
            Assert.Equal(reference.Returns, student.Returns);                      // exactly the reference's run
            Assert.Equal(reference.Agent.ToArray(), student.Agent.ToArray());
            var wrong = QLearning.Train(cliff, new EpsilonGreedy(0.1), options, qLearningUpdate: StudentSolutions.QLearningUpdateAwayFromTarget);
            if (GreedyReturn(cliff, student.Agent) == -13) rightOptimal++;
            if (GreedyReturn(cliff, wrong.Agent) == -13) wrongOptimal++;
        }
        Assert.True(rightOptimal >= 9 && wrongOptimal == 0,
            $"150 episodes, seeds 0-9: the right update reaches −13 in {rightOptimal} (9 needed), the update away from the target in {wrongOptimal} (0 allowed)");
    }

    [Fact]
    public void A_students_whole_episode_gives_the_reference_run_on_seeds_0_to_4()
    {
        foreach (var (environment, exploration) in new (IEnvironment<int, int>, Func<ExplorationStrategy>)[]
                 {
                     (new CliffWalking(maxEpisodeSteps: 200), () => new EpsilonGreedy(0.1)),
                     (FrozenLake.FourByFour(), () => new DecayingEpsilonGreedy(1.0, 0.05, 200)),
                 })
            for (int seed = 0; seed < 5; seed++)
            {
                var options = new TabularOptions { Seed = seed, Episodes = 300, LearningRate = 0.5, Discount = 0.99 };
                var reference = QLearning.Train(environment, exploration(), options);
                var student = QLearning.Train(environment, exploration(), options, qLearningEpisode: StudentSolutions.QLearningEpisode);
                var library = QLearning.Train(environment, exploration(), options, qLearningEpisode: QLearning.Episode);
                Assert.Equal(reference.Episodes, student.Episodes);                // returns, lengths and steps
                Assert.Equal(reference.Agent.ToArray(), student.Agent.ToArray());
                Assert.Equal(reference.Agent.ToArray(), library.Agent.ToArray());
            }
    }
}

[Trait("Category", "unit")]
public class TabularUnitTests
{
    [Fact]
    public void The_same_seed_gives_the_same_run_and_the_result_has_one_record_per_episode()
    {
        var options = new TabularOptions { Seed = 9, Episodes = 300 };
        var a = QLearning.Train(FrozenLake.FourByFour(), new EpsilonGreedy(0.2), options);
        var b = QLearning.Train(FrozenLake.FourByFour(), new EpsilonGreedy(0.2), options);
        Assert.Equal(a.Returns, b.Returns);
        Assert.Equal(a.Agent.ToArray(), b.Agent.ToArray());
        Assert.Equal(300, a.Episodes.Count);
        Assert.Equal(a.Episodes, a.History);
        Assert.Equal(a.Steps, a.Episodes.Sum(e => e.Length));
        Assert.Equal(a.Steps, a.Episodes[^1].Step);
        Assert.NotEqual(a.Returns, QLearning.Train(FrozenLake.FourByFour(), new EpsilonGreedy(0.2), options with { Seed = 10 }).Returns);
    }

    [Fact]
    public void The_update_is_the_seminars_in_place_on_one_entry()
    {
        var q = new double[,] { { 2, 0 }, { 1, 3 } };
        QLearning.Update(q, state: 0, action: 0, reward: -1, nextState: 1, terminated: false, alpha: 0.5, gamma: 0.9);
        Assert.Equal(2 + 0.5 * (-1 + 0.9 * 3 - 2), q[0, 0], 12);
        Assert.Equal(new double[,] { { q[0, 0], 0 }, { 1, 3 } }, q);
        QLearning.Update(q, 1, 1, reward: 5, nextState: 0, terminated: true, alpha: 1, gamma: 0.9);
        Assert.Equal(5.0, q[1, 1]);                                            // a terminal S': the target is R
        Assert.Equal("alpha", Assert.Throws<ArgumentOutOfRangeException>(() => QLearning.Update(q, 0, 0, 0, 0, false, 1.5, 0.9)).ParamName);
        Assert.Equal("discount", Assert.Throws<ArgumentOutOfRangeException>(() => QLearning.Update(q, 0, 0, 0, 0, false, 0.5, double.NaN)).ParamName);
        Assert.Equal("nextState", Assert.Throws<ArgumentOutOfRangeException>(() => QLearning.Update(q, 0, 0, 0, 2, false, 0.5, 0.9)).ParamName);
        Assert.Equal("action", Assert.Throws<ArgumentOutOfRangeException>(() => QLearning.Update(q, 0, 2, 0, 1, false, 0.5, 0.9)).ParamName);

        var s = new double[,] { { 2, 0 }, { 1, 3 } };
        Sarsa.Update(s, 0, 0, reward: -1, nextState: 1, nextAction: 0, terminated: false, alpha: 0.5, gamma: 0.9);
        Assert.Equal(2 + 0.5 * (-1 + 0.9 * 1 - 2), s[0, 0], 12);              // Q(S', A'), not the max
    }

    [Fact]
    public void A_truncated_episode_still_bootstraps_while_a_terminated_one_does_not()
    {
        // A one-state chain where every step is truncated after one step: Q → r/(1 − γ).
        var mdp = TabularMdp.FromArrays([1.0, 0.0], new double[,,] { { { 1, 0 } }, { { 0, 1 } } }, new double[,] { { 1 }, { 0 } }, [false, true]);
        var options = new TabularOptions { Episodes = 2_000, LearningRate = 0.1, Discount = 0.5 };
        var run = QLearning.Train(new TabularEnvironment(mdp, maxEpisodeSteps: 1), new EpsilonGreedy(0), options);
        Assert.Equal(2.0, run.Agent[0, 0], 3);
        // Going into the terminal state instead: Q → r.
        var ends = TabularMdp.FromArrays([1.0, 0.0], new double[,,] { { { 0, 1 } }, { { 0, 1 } } }, new double[,] { { 1 }, { 0 } }, [false, true]);
        var terminated = QLearning.Train(new TabularEnvironment(ends), new EpsilonGreedy(0), options);
        Assert.Equal(1.0, terminated.Agent[0, 0], 3);
        Assert.Equal(0.0, terminated.Agent[1, 0]); // Q(terminal, ·) = 0
    }

    [Fact]
    public void Options_out_of_range_are_rejected_by_name()
    {
        var cliff = new CliffWalking();
        foreach (var (options, name) in new (TabularOptions, string)[]
                 {
                     (new() { LearningRate = double.PositiveInfinity }, "LearningRate"), (new() { LearningRate = double.NaN }, "LearningRate"),
                     (new() { LearningRate = 0 }, "LearningRate"), (new() { Discount = 1.5 }, "Discount"), (new() { Discount = double.NaN }, "Discount"),
                     (new() { InitialValue = double.NegativeInfinity }, "InitialValue"), (new() { Episodes = -1 }, "Episodes"),
                     (new() { Evaluation = new EvaluationOptions { Episodes = 0 } }, "Episodes"),
                 })
        {
            var e = Assert.Throws<ArgumentOutOfRangeException>(() => QLearning.Train(cliff, new EpsilonGreedy(0.1), options));
            Assert.Equal(name, e.ParamName);
            Assert.Contains(name, e.Message);
        }
        foreach (var (options, name) in new (LinearQOptions, string)[]
                 {
                     (new() { LearningRate = double.PositiveInfinity }, "LearningRate"), (new() { Epsilon = -0.1 }, "Epsilon"),
                     (new() { Tilings = 0 }, "Tilings"), (new() { Discount = double.NaN }, "Discount"),
                 })
            Assert.Equal(name, Assert.Throws<ArgumentOutOfRangeException>(() => LinearQLearning.Train(new MountainCar(), options)).ParamName);
    }

    [Fact]
    public void A_students_choice_needs_epsilon_greedy_exploration_and_the_episode_is_not_mixed_with_the_pieces()
    {
        var cliff = new CliffWalking(maxEpisodeSteps: 50);
        var e = Assert.Throws<ArgumentException>(() => QLearning.Train(cliff, new Boltzmann(1), epsilonGreedyChoice: StudentSolutions.EpsilonGreedyChoice));
        Assert.Equal("epsilonGreedyChoice", e.ParamName);
        e = Assert.Throws<ArgumentException>(() => QLearning.Train(cliff, new EpsilonGreedy(0.1),
            qLearningUpdate: StudentSolutions.QLearningUpdate, qLearningEpisode: StudentSolutions.QLearningEpisode));
        Assert.Equal("qLearningEpisode", e.ParamName);
        var outOfRange = Assert.Throws<InvalidOperationException>(() => QLearning.Train(cliff, new EpsilonGreedy(0.1), epsilonGreedyChoice: (q, _, _) => q.Length));
        Assert.Contains("returned action 4", outOfRange.Message);
    }

    [Fact]
    public void The_stubs_train_with_the_reference()
    {
        var cliff = new CliffWalking(maxEpisodeSteps: 200);
        var options = new TabularOptions { Seed = 3, Episodes = 100 };
        var reference = QLearning.Train(cliff, new EpsilonGreedy(0.1), options);
        var stubs = QLearning.Train(cliff, new EpsilonGreedy(0.1), options,
            qLearningUpdate: (_, _, _, _, _, _, _, _) => throw new NotImplementedException(), epsilonGreedyChoice: (_, _, _) => throw new NotImplementedException());
        var episodeStub = QLearning.Train(cliff, new EpsilonGreedy(0.1), options, qLearningEpisode: (_, _, _, _, _, _) => throw new NotImplementedException());
        var sarsaReference = Sarsa.Train(cliff, new EpsilonGreedy(0.1), options);
        var sarsaStudent = Sarsa.Train(cliff, new EpsilonGreedy(0.1), options, epsilonGreedyChoice: StudentSolutions.EpsilonGreedyChoice);
        Assert.Equal(reference.Agent.ToArray(), stubs.Agent.ToArray());
        Assert.Equal(reference.Agent.ToArray(), episodeStub.Agent.ToArray());
        Assert.Equal(sarsaReference.Agent.ToArray(), sarsaStudent.Agent.ToArray());
    }

    [Fact]
    public void One_episode_from_a_given_table_changes_only_what_it_visited_and_returns_its_rewards()
    {
        var corridor = new GridWorld(new GridWorldOptions { Map = ["SFFG"], StepReward = -1, GoalReward = 0, MaxEpisodeSteps = 10 });
        corridor.Reset(0);
        var q = new double[4, 4];
        for (int s = 0; s < 3; s++) q[s, 2] = 1;                               // right is greedy: 3 steps to G
        double total = QLearning.Episode(corridor, q, epsilon: 0, alpha: 1, gamma: 1, new Rng(0));
        Assert.Equal(-1 + -1 + 0, total);
        Assert.Equal(new[] { -1 + 1.0, -1 + 1.0, 0.0 }, new[] { q[0, 2], q[1, 2], q[2, 2] });   // α = 1: Q(S, A) becomes R + max Q(S', ·) (old values)
        Assert.Throws<ArgumentException>(() => QLearning.Episode(corridor, new double[3, 4], 0, 1, 1, new Rng(0)));
    }

    [Fact]
    public void Evaluations_run_the_greedy_policy_on_a_copy_and_can_stop_training()
    {
        var cliff = new CliffWalking(maxEpisodeSteps: 200);
        var options = new TabularOptions { Seed = 1, Episodes = 500, Evaluation = new EvaluationOptions { EverySteps = 200, Episodes = 1, StopAtMeanReturn = -13 } };
        var run = QLearning.Train(cliff, new EpsilonGreedy(0.1), options);
        Assert.NotNull(run.SolvedAtStep);
        Assert.Equal(-13, run.Evaluations[^1].MeanReturn);
        Assert.True(run.Evaluations.Take(run.Evaluations.Count - 1).All(e => e.MeanReturn < -13));
        Assert.True(run.Episodes.Count < 500);
        Assert.Equal(run.SolvedAtStep, run.Steps);
        // evaluating does not change training: the same episodes as without
        var plain = QLearning.Train(cliff, new EpsilonGreedy(0.1), options with { Evaluation = EvaluationOptions.None });
        Assert.Equal(run.Returns, plain.Returns.Take(run.Episodes.Count));
    }
}

[Trait("Category", "unit")]
public class ExplorationTests
{
    [Fact]
    public void Epsilon_greedy_follows_its_probabilities_with_random_tie_breaking()
    {
        double[] q = [1, 5, 5, 0];
        var expected = EpsilonGreedy.Probabilities(q, 0.2);
        Assert.Equal(new[] { 0.05, 0.45, 0.45, 0.05 }, expected.Select(p => Math.Round(p, 12)));
        var rng = new Rng(1);
        var counts = new int[4];
        const int draws = 100_000;
        for (int i = 0; i < draws; i++) counts[EpsilonGreedy.Choose(q, 0.2, rng)]++;
        for (int a = 0; a < 4; a++) Assert.InRange(counts[a] / (double)draws, expected[a] - 0.006, expected[a] + 0.006);
    }

    [Fact]
    public void Epsilon_greedy_is_the_documented_procedure_on_the_same_generator()
    {
        // u = NextDouble(); u < ε → NextInt(|A|); otherwise greedy (NextInt(ties) only on a tie).
        double[] q = [0, 2, 1];
        var a = new Rng(42); var b = new Rng(42);
        for (int i = 0; i < 1000; i++)
        {
            int expected = b.NextDouble() < 0.3 ? b.NextInt(3) : 1;
            Assert.Equal(expected, EpsilonGreedy.Choose(q, 0.3, a));
        }
        Assert.Equal("epsilon", Assert.Throws<ArgumentOutOfRangeException>(() => EpsilonGreedy.Choose(q, 1.5, a)).ParamName);
        // the instructor's solution draws the same numbers
        var c = new Rng(7); var d = new Rng(7);
        for (int i = 0; i < 1000; i++) Assert.Equal(EpsilonGreedy.Choose([1, 1, 0], 0.2, c), StudentSolutions.EpsilonGreedyChoice([1, 1, 0], 0.2, d));
    }

    [Fact]
    public void Greedy_ties_are_broken_uniformly()
    {
        var rng = new Rng(3);
        var counts = new int[3];
        for (int i = 0; i < 30_000; i++) counts[Greedy.Action([7, 7, 7], rng)]++;
        Assert.All(counts, c => Assert.InRange(c, 9_500, 10_500));
        Assert.Equal(2, Greedy.Action([1, 0, 3], rng));
    }

    [Fact]
    public void Boltzmann_probabilities_are_the_softmax_of_q_over_temperature()
    {
        var p = new double[3];
        Boltzmann.Probabilities([1, 2, 3], 0.5, p);
        double z = Math.Exp(2) + Math.Exp(4) + Math.Exp(6);
        Assert.Equal(Math.Exp(2) / z, p[0], 12);
        Assert.Equal(Math.Exp(6) / z, p[2], 12);
        Boltzmann.Probabilities([1000, 0], 1, p.AsSpan(0, 2)); // stable for large values
        Assert.Equal(1.0, p[0], 12);
    }

    [Fact]
    public void Decaying_epsilon_falls_linearly_per_episode()
    {
        var strategy = new DecayingEpsilonGreedy(1.0, 0.1, 10);
        strategy.Begin(1, 2);
        Assert.Equal(1.0, strategy.Epsilon);
        for (int i = 0; i < 5; i++) strategy.EndEpisode();
        Assert.Equal(0.55, strategy.Epsilon, 12);
        for (int i = 0; i < 50; i++) strategy.EndEpisode();
        Assert.Equal(0.1, strategy.Epsilon);
    }

    [Fact]
    public void The_count_bonus_tries_every_action_first_then_prefers_the_least_tried()
    {
        var ucb = new UpperConfidenceBound(1.0);
        var q = new QTable(1, 3);
        ucb.Begin(1, 3);
        var rng = new Rng(0);
        var first = new HashSet<int>();
        for (int i = 0; i < 3; i++) { int a = ucb.ChooseAction(q, 0, rng); first.Add(a); ucb.Observe(0, a); }
        Assert.Equal(3, first.Count);
        ucb.Observe(0, 0); ucb.Observe(0, 0); ucb.Observe(0, 1);
        Assert.Equal(2, ucb.ChooseAction(q, 0, rng)); // equal Q, fewest tries
        Assert.Equal(3, ucb.Count(0, 0));
    }

    [Fact]
    public void A_q_table_is_a_view_of_its_array()
    {
        var values = new double[3, 2];
        var q = new QTable(values);
        q.Row(1)[1] = 4;
        Assert.Equal(4, values[1, 1]);
        values[2, 0] = -1;
        Assert.Equal(-1, q[2, 0]);
        Assert.Same(values, q.Values);
        Assert.Equal(new[] { 0.0, 4.0 }, QTable.Row(values, 1).ToArray());
        Assert.Equal(new double[,] { { 7, 7 }, { 7, 7 } }, new QTable(2, 2, 7).Values);
        Assert.Equal("state", Assert.Throws<ArgumentOutOfRangeException>(() => q.Row(3)).ParamName);
    }
}
