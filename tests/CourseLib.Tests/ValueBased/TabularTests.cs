using CourseLib.Environments;
using CourseLib.Mdp;
using CourseLib.ValueBased;

namespace CourseLib.Tests.ValueBased;

public class QLearningTests
{
    static readonly TabularHyperparameters CliffSettings = new() { LearningRate = 0.5, Discount = 1.0 };

    [Trait("Category", "learning")]
    [Fact]
    public void On_CliffWalking_the_greedy_policy_after_500_episodes_walks_the_cliff_edge_for_return_minus_13()
    {
        var cliff = new CliffWalking();
        var run = QLearning.Train(cliff, 500, new EpsilonGreedy(0.1), CliffSettings, seed: 1);
        var episode = TabularRollout.Follow(cliff, run.Q.GreedyPolicy(), seed: 0, maxSteps: 100); // deterministic: one episode is exact
        Assert.True(episode.Terminated);
        Assert.True(episode.Return == -13, $"seed 1, 500 episodes: the greedy episode returned {episode.Return}, the optimum −13");
        // the optimal path: up, 11 steps right along the row above the cliff, down
        Assert.All(episode.States.Skip(1).SkipLast(1), s => Assert.Equal(2, cliff.PositionOf(s).Row));
    }

    [Trait("Category", "learning")]
    [Fact]
    public void On_CliffWalking_SARSA_earns_more_online_than_Q_learning_because_it_learns_the_safer_path()
    {
        var cliff = new CliffWalking();
        var hp = CliffSettings with { LearningRate = 0.1 };
        double qOnline = 0, sarsaOnline = 0, sarsaGreedy = 0;
        for (int seed = 0; seed < 5; seed++)
        {
            qOnline += QLearning.Train(cliff, 500, new EpsilonGreedy(0.1), hp, seed).EpisodeReturns.TakeLast(200).Average() / 5;
            var sarsa = Sarsa.Train(cliff, 500, new EpsilonGreedy(0.1), hp, seed);
            sarsaOnline += sarsa.EpisodeReturns.TakeLast(200).Average() / 5;
            sarsaGreedy += TabularRollout.Follow(cliff, sarsa.Q.GreedyPolicy(), 0, 100).Return / 5;
        }
        Assert.True(sarsaOnline > qOnline + 10, $"seeds 0-4, 500 episodes, last 200: SARSA online {sarsaOnline:F1}, Q-learning online {qOnline:F1}; SARSA must lead by 10");
        Assert.InRange(sarsaGreedy, -17, -14); // a longer, safer path than the optimal −13
    }

    [Trait("Category", "learning")]
    [Fact]
    public void On_FrozenLake_4x4_the_learned_greedy_policy_succeeds_within_0_02_of_the_optimum()
    {
        var lake = FrozenLake.FourByFour();
        double optimum = lake.SuccessProbability(ValueIteration.Run(lake.Mdp, 1.0).GreedyPolicy);
        var run = QLearning.Train(lake, 20_000, new DecayingEpsilonGreedy(1.0, 0.05, 10_000),
            new TabularHyperparameters { LearningRate = 0.05, Discount = 0.999 }, seed: 2);
        double learned = lake.SuccessProbability(run.Q.GreedyPolicy());
        Assert.InRange(optimum, 0.82, 0.83);
        Assert.True(learned >= optimum - 0.02 && learned <= optimum + 1e-9, $"seed 2, 20,000 episodes: success probability {learned:F3}, optimum {optimum:F3}; within 0.02 needed");
    }

    [Trait("Category", "unit")]
    [Fact]
    public void The_same_seed_gives_the_same_run()
    {
        var a = QLearning.Train(FrozenLake.FourByFour(), 300, new EpsilonGreedy(0.2), seed: 9);
        var b = QLearning.Train(FrozenLake.FourByFour(), 300, new EpsilonGreedy(0.2), seed: 9);
        Assert.Equal(a.EpisodeReturns, b.EpisodeReturns);
        Assert.Equal(a.Q.ToArray(), b.Q.ToArray());
    }

    [Trait("Category", "unit")]
    [Fact]
    public void The_update_rule_and_target_are_the_seminars()
    {
        Assert.Equal(-1 + 0.9 * 3, QLearning.Target(-1, 0.9, [1, 3, 2], terminated: false), 12);
        Assert.Equal(-1.0, QLearning.Target(-1, 0.9, [1, 3, 2], terminated: true));
        Assert.Equal(2 + 0.5 * (6 - 2), QLearning.Update(2, 6, 0.5), 12);
        Assert.Equal("learningRate", Assert.Throws<ArgumentOutOfRangeException>(() => QLearning.Update(0, 1, 0)).ParamName);
    }

    [Trait("Category", "unit")]
    [Fact]
    public void A_truncated_episode_still_bootstraps_while_a_terminated_one_does_not()
    {
        // A one-state chain where every step is truncated after one step: Q → r/(1 − γ).
        var mdp = TabularMdp.FromArrays([1.0, 0.0], new double[,,] { { { 1, 0 } }, { { 0, 1 } } }, new double[,] { { 1 }, { 0 } }, [false, true]);
        var truncated = new TabularEnvironment(mdp, maxEpisodeSteps: 1);
        var run = QLearning.Train(truncated, 2_000, new EpsilonGreedy(0), new TabularHyperparameters { LearningRate = 0.1, Discount = 0.5 });
        Assert.Equal(2.0, run.Q[0, 0], 3);
        // Going into the terminal state instead: Q → r.
        var ends = TabularMdp.FromArrays([1.0, 0.0], new double[,,] { { { 0, 1 } }, { { 0, 1 } } }, new double[,] { { 1 }, { 0 } }, [false, true]);
        var terminated = QLearning.Train(new TabularEnvironment(ends), 2_000, new EpsilonGreedy(0), new TabularHyperparameters { LearningRate = 0.1, Discount = 0.5 });
        Assert.Equal(1.0, terminated.Q[0, 0], 3);
        Assert.Equal(0.0, terminated.Q[1, 0]); // Q(terminal, ·) = 0
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
}
