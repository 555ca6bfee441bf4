using CourseLib.Environments;
using CourseLib.Mdp;

namespace CourseLib.Tests.Mdp;

[Trait("Category", "unit")]
public class DynamicProgrammingTests
{
    [Fact]
    public void Policy_evaluation_matches_the_closed_form_of_a_two_state_mdp()
    {
        // V(0) = 1 + γ·½·V(0)  ⇒  V(0) = 1 / (1 − γ/2)
        var mdp = TabularMdpTests.CoinFlip();
        var v = PolicyEvaluation.Solve(mdp, [0, 0], 0.9);
        Assert.Equal(1 / (1 - 0.45), v[0], 12);
        Assert.Equal(0.0, v[1]);
    }

    [Fact]
    public void Deterministic_frozen_lake_has_V_star_of_start_equal_to_gamma_to_the_fifth()
    {
        // The shortest path S→G takes 6 steps; the reward 1 arrives on the 6th: V*(0) = γ^5.
        var lake = FrozenLake.FourByFour(isSlippery: false);
        var result = ValueIteration.Run(lake.Mdp, 0.9);
        Assert.Equal(Math.Pow(0.9, 5), result.Values[0], 12);
        Assert.Equal(1.0, lake.SuccessProbability(result.GreedyPolicy));
    }

    [Fact]
    public void Slippery_frozen_lake_4x4_has_the_published_optimal_values()
    {
        // γ = 0.99: V*(start) = 0.5420 and V*(14) = 0.8628 (the widely reproduced table for FrozenLake-v1).
        var lake = FrozenLake.FourByFour();
        var result = ValueIteration.Run(lake.Mdp, 0.99, 1e-10);
        Assert.Equal(0.5420, result.Values[0], 4);
        Assert.Equal(0.8628, result.Values[14], 4);
        // The optimal actions away from holes and the goal: Left Up Up Up / Left · Left · / Up Down Left · / · Right Down ·
        int[] expected = [0, 3, 3, 3, 0, -1, 0, -1, 3, 1, 0, -1, -1, 2, 1, -1];
        for (int s = 0; s < 16; s++) if (expected[s] >= 0) Assert.Equal(expected[s], result.GreedyPolicy[s]);
        Assert.True(Bellman.OptimalityResidual(lake.Mdp, result.Values, 0.99) < 1e-9);
    }

    [Fact]
    public void Optimal_frozen_lake_policy_reaches_the_goal_with_probability_14_17_eventually_and_0_740_within_100_steps()
    {
        // What we test: with γ = 1 value iteration computes the maximal probability of ever reaching G, 14/17 = 0.8235;
        // the greedy policy's exact success probability is the same; within Gymnasium's 100-step time limit it is 0.7402
        // (the "about 74 %" usually quoted for FrozenLake-v1).
        var lake = FrozenLake.FourByFour();
        var result = ValueIteration.Run(lake.Mdp, 1.0, 1e-12);
        Assert.Equal(14.0 / 17, result.Values[0], 9);
        Assert.Equal(14.0 / 17, lake.SuccessProbability(result.GreedyPolicy), 12);
        double withinTimeLimit = lake.SuccessProbability(result.GreedyPolicy, horizon: 100);
        Assert.Equal(0.7402, withinTimeLimit, 4);

        // The environment agrees: play 20,000 episodes with the 100-step limit.
        int successes = 0;
        const int episodes = 20_000;
        lake.Reset(seed: 7);
        for (int i = 0; i < episodes; i++)
        {
            int s = lake.Reset().Observation;
            while (true)
            {
                var step = lake.Step(result.GreedyPolicy[s]);
                s = step.Observation;
                if (step.Done) { if (step.Reward == 1) successes++; break; }
            }
        }
        Assert.InRange(successes / (double)episodes, withinTimeLimit - 0.015, withinTimeLimit + 0.015);   // ±5 standard errors
    }

    [Fact]
    public void The_uniform_random_policy_succeeds_on_frozen_lake_4x4_about_1_4_percent_of_the_time()
    {
        var lake = FrozenLake.FourByFour();
        var uniform = TabularPolicy.Uniform(lake.Mdp);
        double success = lake.SuccessProbability(uniform);
        Assert.Equal(0.01394, success, 5);
        // For FrozenLake, V^π with γ = 1 is the success probability (reward 1 only on reaching G).
        Assert.Equal(success, PolicyEvaluation.Solve(lake.Mdp, uniform, 1.0)[0], 12);
    }

    [Fact]
    public void Cliff_walking_optimal_return_is_minus_13()
    {
        var cliff = new CliffWalking();
        var result = ValueIteration.Run(cliff.Mdp, 1.0);
        Assert.Equal(-13.0, result.Values[cliff.StateAt(3, 0)], 12);
        Assert.Equal(0, result.GreedyPolicy[cliff.StateAt(3, 0)]);   // Up, then along the edge of the cliff
        Assert.Equal(-13.0, PolicyEvaluation.Solve(cliff.Mdp, result.GreedyPolicy, 1.0)[cliff.StateAt(3, 0)], 9);
    }

    [Fact]
    public void Exact_and_iterative_policy_evaluation_agree_and_have_zero_bellman_residual()
    {
        var lake = FrozenLake.EightByEight();
        var rng = new Rng(5);
        var policy = new double[lake.Mdp.StateCount, lake.Mdp.ActionCount];
        for (int s = 0; s < policy.GetLength(0); s++)
        {
            double sum = 0;
            for (int a = 0; a < policy.GetLength(1); a++) sum += policy[s, a] = rng.NextDouble() + 0.01;
            for (int a = 0; a < policy.GetLength(1); a++) policy[s, a] /= sum;
        }
        var exact = PolicyEvaluation.Solve(lake.Mdp, policy, 0.95);
        var iterative = PolicyEvaluation.Iterate(lake.Mdp, policy, 0.95, 1e-13);
        for (int s = 0; s < exact.Length; s++) Assert.Equal(exact[s], iterative[s], 10);
        Assert.True(Bellman.Residual(lake.Mdp, exact, policy, 0.95) < 1e-12);
        Assert.True(Bellman.Residual(lake.Mdp, exact.Select(x => x + 0.01).ToArray(), policy, 0.95) > 1e-4);
    }

    [Fact]
    public void V_is_the_policy_average_of_Q_and_Q_from_V_is_one_step_of_lookahead()
    {
        var lake = FrozenLake.FourByFour();
        var uniform = TabularPolicy.Uniform(lake.Mdp);
        var v = PolicyEvaluation.Solve(lake.Mdp, uniform, 0.9);
        var q = Bellman.QFromV(lake.Mdp, v, 0.9);
        var again = Bellman.VFromQ(q, uniform);
        for (int s = 0; s < v.Length; s++) Assert.Equal(v[s], again[s], 12);
        // Q(14, Right) by hand: 1/3 each to G (reward 1, terminal), 10 (Up), 14 (Down: the edge, stay).
        Assert.Equal(1.0 / 3 + 0.9 * (v[10] + v[14]) / 3, q[14, 2], 12);
    }

    [Fact]
    public void Gamma_one_with_a_policy_that_never_ends_is_refused_with_the_states_named()
    {
        var lake = FrozenLake.FourByFour(isSlippery: false);
        var alwaysLeft = new int[16];
        var e = Assert.Throws<ArgumentException>(() => PolicyEvaluation.Solve(lake.Mdp, alwaysLeft, 1.0));
        Assert.Contains("never ends an episode from state(s) 0", e.Message);
        Assert.Equal(0.0, lake.SuccessProbability(alwaysLeft));
    }

    [Fact]
    public void Bad_policies_are_rejected_with_their_shape_or_row()
    {
        var mdp = FrozenLake.FourByFour().Mdp;
        Assert.Contains("[16, 4]", Assert.Throws<ArgumentException>(() => PolicyEvaluation.Solve(mdp, new double[16, 3], 0.9)).Message);
        var bad = TabularPolicy.Uniform(mdp);
        bad[3, 0] = 0.5;
        Assert.Contains("π(·|s=3) sums to 1.25", Assert.Throws<ArgumentException>(() => PolicyEvaluation.Solve(mdp, bad, 0.9)).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => ValueIteration.Run(mdp, 1.1));
    }
}

[Trait("Category", "unit")]
public class PolicyIterationTests
{
    [Fact]
    public void Policy_iteration_reaches_the_same_optimal_values_as_value_iteration()
    {
        foreach (var world in new GridWorld[] { FrozenLake.FourByFour(), FrozenLake.EightByEight(), new CliffWalking() })
        {
            var pi = PolicyIteration.Run(world.Mdp, 0.95);
            var vi = ValueIteration.Run(world.Mdp, 0.95, 1e-12);
            for (int s = 0; s < world.Mdp.StateCount; s++) Assert.Equal(vi.Values[s], pi.Values[s], 8);
            Assert.True(pi.Iterations < 20);
        }
    }
}
