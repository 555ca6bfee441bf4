using CourseLib.Environments;
using CourseLib.Mdp;

namespace CourseLib.Tests.Mdp;

[Trait("Category", "unit")]
public class TrajectoryTests
{
    [Fact]
    public void A_rollout_records_T_plus_one_observations_T_actions_rewards_and_log_probabilities()
    {
        var lake = FrozenLake.FourByFour();
        var uniform = TabularPolicy.Uniform(lake.Mdp);
        var tau = Rollout.Sample(lake, uniform, new Rng(1), seed: 1);
        Assert.Equal(tau.Length + 1, tau.Observations.Length);
        Assert.Equal(tau.Length, tau.Rewards.Length);
        Assert.All(tau.LogProbabilities, l => Assert.Equal(Math.Log(0.25), l, 15));
        Assert.True(tau.Terminated ^ tau.Truncated);
        Assert.Equal(tau, Rollout.Sample(lake, uniform, new Rng(1), seed: 1) with { }, TrajectoryComparer.Instance);
    }

    [Fact]
    public void The_probabilities_of_all_short_trajectories_sum_to_one()
    {
        // Every trajectory of FrozenLake 4x4 (slippery) under a softmax policy, cut at 3 steps: Σ_τ p(τ) = 1.
        var lake = new FrozenLake(maxEpisodeSteps: 3);
        var mdp = lake.Mdp;
        var rng = new Rng(2);
        var preferences = new double[16, 4];
        for (int s = 0; s < 16; s++) for (int a = 0; a < 4; a++) preferences[s, a] = rng.NextGaussian();
        var policy = TabularPolicy.Softmax(preferences);
        double total = 0;
        int count = 0;
        void Extend(List<int> states, List<int> actions)
        {
            int s = states[^1];
            if (actions.Count == 3 || mdp.IsTerminal(s))
            {
                var tau = new Trajectory<int, int>(states.ToArray(), actions.ToArray(), new double[actions.Count], new double[actions.Count], mdp.IsTerminal(s), !mdp.IsTerminal(s));
                total += Math.Exp(TrajectoryProbability.LogProbability(mdp, policy, tau).Total);
                count++;
                return;
            }
            for (int a = 0; a < 4; a++)
                for (int next = 0; next < 16; next++)
                {
                    if (mdp.TransitionProbability(s, a, next) == 0) continue;
                    states.Add(next); actions.Add(a);
                    Extend(states, actions);
                    states.RemoveAt(states.Count - 1); actions.RemoveAt(actions.Count - 1);
                }
        }
        Extend([0], []);
        Assert.Equal(1.0, total, 12);
        Assert.True(count > 500);
    }

    [Fact]
    public void Log_p_tau_splits_into_initial_state_policy_and_dynamics_terms_and_matches_sampling_frequencies()
    {
        var lake = new FrozenLake(maxEpisodeSteps: 2);
        var policy = TabularPolicy.Softmax(new double[,] { { 0, 1, 2, 0 }, { 0, 0, 0, 0 }, { 0, 0, 0, 0 }, { 0, 0, 0, 0 },
            { 1, 0, 0, 0 }, { 0, 0, 0, 0 }, { 0, 0, 0, 0 }, { 0, 0, 0, 0 }, { 0, 0, 0, 0 }, { 0, 0, 0, 0 }, { 0, 0, 0, 0 }, { 0, 0, 0, 0 },
            { 0, 0, 0, 0 }, { 0, 0, 0, 0 }, { 0, 0, 0, 0 }, { 0, 0, 0, 0 } });
        var rng = new Rng(4);
        lake.Reset(seed: 4);
        var counts = new Dictionary<string, int>();
        Trajectory<int, int>? example = null;
        const int n = 40_000;
        for (int i = 0; i < n; i++)
        {
            var tau = Rollout.Sample(lake, policy, rng);
            string key = string.Join(",", tau.Observations) + "|" + string.Join(",", tau.Actions);
            counts[key] = counts.GetValueOrDefault(key) + 1;
            if (key == "0,1,2|2,2") example = tau;   // Right (to 1), Right (to 2)
        }
        Assert.NotNull(example);
        var terms = TrajectoryProbability.LogProbability(lake.Mdp, example!);
        Assert.Equal(0.0, terms.InitialState);                                   // p(s_0 = 0) = 1
        Assert.Equal(Math.Log(policy[0, 2]) + Math.Log(policy[1, 2]), terms.Policy, 12);
        Assert.Equal(2 * Math.Log(1.0 / 3), terms.Dynamics, 12);
        Assert.Equal(terms.Policy, TrajectoryProbability.LogProbability(lake.Mdp, policy, example!).Policy, 12);
        double p = Math.Exp(terms.Total), frequency = counts["0,1,2|2,2"] / (double)n;
        Assert.InRange(frequency, p - 5 * Math.Sqrt(p * (1 - p) / n), p + 5 * Math.Sqrt(p * (1 - p) / n));
    }

    sealed class TrajectoryComparer : IEqualityComparer<Trajectory<int, int>>
    {
        public static readonly TrajectoryComparer Instance = new();
        public bool Equals(Trajectory<int, int>? x, Trajectory<int, int>? y) =>
            x!.Observations.SequenceEqual(y!.Observations) && x.Actions.SequenceEqual(y.Actions) && x.Rewards.SequenceEqual(y.Rewards)
            && x.LogProbabilities.SequenceEqual(y.LogProbabilities) && x.Terminated == y.Terminated && x.Truncated == y.Truncated;
        public int GetHashCode(Trajectory<int, int> obj) => obj.Length;
    }
}
