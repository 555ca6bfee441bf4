using CourseLib.InverseRl;
using CourseLib.Mdp;

namespace CourseLib.Tests.InverseRl;

public class GailTests
{
    static double[,] RandomTable(Rng rng, int rows, int columns, double low, double high)
    {
        var t = new double[rows, columns];
        for (int i = 0; i < rows; i++) for (int j = 0; j < columns; j++) t[i, j] = rng.Uniform(low, high);
        return t;
    }

    [Trait("Category", "unit")]
    [Fact]
    public void The_discriminator_gradient_matches_finite_differences_of_its_loss()
    {
        var rng = new Rng(1);
        var w = RandomTable(rng, 5, 3, -3, 3);
        var expert = RandomTable(rng, 5, 3, 0, 1);
        var policy = RandomTable(rng, 5, 3, 0, 1);
        var gradient = Discriminator.LossGradient(w, expert, policy, weightDecay: 0.1);
        for (int s = 0; s < 5; s++)
        for (int a = 0; a < 3; a++)
        {
            const double h = 1e-6;
            var plus = (double[,])w.Clone(); plus[s, a] += h;
            var minus = (double[,])w.Clone(); minus[s, a] -= h;
            double numeric = (Discriminator.Loss(plus, expert, policy, 0.1) - Discriminator.Loss(minus, expert, policy, 0.1)) / (2 * h);
            Assert.Equal(numeric, gradient[s, a], 7);
        }
    }

    [Trait("Category", "unit")]
    [Fact]
    public void Trained_without_a_penalty_the_discriminator_reaches_rho_E_over_rho_E_plus_rho_pi()
    {
        var rng = new Rng(2);
        var expert = RandomTable(rng, 4, 2, 0.1, 1);
        var policy = RandomTable(rng, 4, 2, 0.1, 1);
        var w = new double[4, 2];
        for (int step = 0; step < 5000; step++)
        {
            var g = Discriminator.LossGradient(w, expert, policy);
            for (int s = 0; s < 4; s++) for (int a = 0; a < 2; a++) w[s, a] -= 2 * g[s, a];
        }
        var d = Discriminator.Probabilities(w);
        for (int s = 0; s < 4; s++)
            for (int a = 0; a < 2; a++) Assert.Equal(expert[s, a] / (expert[s, a] + policy[s, a]), d[s, a], 6);
    }

    [Trait("Category", "unit")]
    [Fact]
    public void The_three_reward_forms_have_their_signs_and_the_logit_is_their_sum()
    {
        var w = new double[,] { { 0, 2, -2, 40, -40 } };
        var positive = Discriminator.Reward(w, GailRewardForm.NegativeLogOneMinusD);
        var negative = Discriminator.Reward(w, GailRewardForm.LogD);
        var logit = Discriminator.Reward(w, GailRewardForm.Logit);
        Assert.Equal(Math.Log(2), positive[0, 0], 12);
        Assert.Equal(-Math.Log(2), negative[0, 0], 12);
        for (int i = 0; i < 5; i++)
        {
            double d = Discriminator.Sigmoid(w[0, i]);
            Assert.True(positive[0, i] >= 0 && negative[0, i] <= 0);
            Assert.Equal(logit[0, i], positive[0, i] + negative[0, i], 9);
            if (Math.Abs(w[0, i]) < 10)
            {
                Assert.Equal(-Math.Log(1 - d), positive[0, i], 9);
                Assert.Equal(Math.Log(d), negative[0, i], 9);
            }
            Assert.True(double.IsFinite(positive[0, i]) && double.IsFinite(negative[0, i]));
        }
    }

    [Trait("Category", "unit")]
    [Fact]
    public void With_eta_lambda_one_the_policy_step_is_soft_policy_iteration_and_converges_to_the_soft_optimal_policy()
    {
        // What we test: repeating the step with η·λ = 1 reaches the fixed point π ∝ exp(Q_soft/λ), where the soft Bellman
        // equation V(s) = λ log Σ_a exp(Q(s,a)/λ) holds.
        var world = MaxEntIrlTests.Tiny();
        var mdp = world.TrueMdp;
        var reward = mdp.RewardArray();
        const double lambda = 0.5, gamma = 0.9;
        var preferences = new double[mdp.StateCount, mdp.ActionCount];
        for (int i = 0; i < 200; i++) preferences = Gail.PolicyStep(mdp, preferences, reward, gamma, 1 / lambda, lambda);
        var pi = TabularPolicy.Softmax(preferences);
        var adjusted = new double[mdp.StateCount, mdp.ActionCount];
        for (int s = 0; s < mdp.StateCount; s++) for (int a = 0; a < mdp.ActionCount; a++) adjusted[s, a] = reward[s, a] - lambda * Math.Log(pi[s, a]);
        var v = PolicyEvaluation.Solve(Relabel.WithStateActionReward(mdp, adjusted), pi, gamma);
        var q = Bellman.QFromV(mdp, v, gamma);
        for (int s = 0; s < mdp.StateCount; s++)
        {
            if (mdp.IsTerminal(s)) continue;
            double softMax = lambda * Math.Log(Enumerable.Range(0, mdp.ActionCount).Sum(a => Math.Exp(q[s, a] / lambda)));
            Assert.Equal(softMax, v[s], 8);
        }
    }

    [Trait("Category", "learning")]
    [Fact]
    public void Gail_matches_the_experts_occupancy_measure_and_return()
    {
        // What we test: 30 demonstrations (Boltzmann expert, τ = 0.5) in the default lava world; GAIL with its defaults
        // (log D reward, 150 rounds of 16 episodes), seed 1. The policy's exact occupancy measure is within total-variation
        // distance 0.2 of the expert's (measured 0.117; the 30 demonstrations themselves are 0.109 away, the random policy
        // 0.70) and its return under the true reward reaches 0.95 of the expert's improvement over the random policy
        // (measured 1.00). GAIL never sees the true reward.
        var world = new LavaWorld();
        var expert = world.Expert(0.95, 0.5);
        var env = world.CreateEnvironment();
        var demos = Demonstrations.Sample(env, expert, 30, seed: 1);
        var result = Gail.Train(env, demos, seed: 1);

        var expertOccupancy = Occupancy.Exact(world.Dynamics, expert, 0.95, world.Options.MaxEpisodeSteps);
        double distance = Occupancy.TotalVariation(Occupancy.Exact(world.Dynamics, result.Policy, 0.95, world.Options.MaxEpisodeSteps), expertOccupancy);
        double random = Occupancy.TotalVariation(Occupancy.Exact(world.Dynamics, TabularPolicy.Uniform(world.Dynamics), 0.95, world.Options.MaxEpisodeSteps), expertOccupancy);
        Assert.True(distance <= 0.2, $"TV(GAIL, expert) = {distance:F3}");
        Assert.True(random >= 0.6, $"TV(random, expert) = {random:F3}");
        double score = MaxEntIrlTests.NormalisedScore(world, result.Policy, expert);
        Assert.True(score >= 0.95, $"30 demonstrations (seed 1), GAIL seed 1: normalised score {score:F3}, 0.95 needed");
        // The discriminator ends up unable to tell them apart: D ≈ 1/2 on both sides.
        Assert.InRange(result.ExpertScores[^1], 0.4, 0.6);
        Assert.InRange(result.PolicyScores[^1], 0.35, 0.6);
        Assert.Equal(150, result.OccupancyDistances.Length);
    }

    [Trait("Category", "unit")]
    [Fact]
    public void Same_seed_same_gail_run_and_bad_options_are_rejected()
    {
        var world = MaxEntIrlTests.Tiny();
        var env = world.CreateEnvironment();
        var demos = Demonstrations.Sample(env, world.Expert(0.9, 0.3), 5, seed: 1);
        var options = new GailOptions { Iterations = 5 };
        var a = Gail.Train(env, demos, options, seed: 4);
        var b = Gail.Train(env, demos, options, seed: 4);
        Assert.Equal(a.DiscriminatorLosses, b.DiscriminatorLosses);
        Assert.Throws<ArgumentOutOfRangeException>(() => Gail.Train(env, demos, options with { Gamma = 1 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => Gail.Train(env, demos, options with { PolicyStepSize = 2, EntropyWeight = 1 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => Gail.Train(env, demos, options with { RolloutsPerIteration = 0 }));
        Assert.Throws<ArgumentException>(() => Discriminator.Loss(new double[2, 2], new double[2, 3], new double[2, 2]));
    }
}
