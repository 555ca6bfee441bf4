using CourseLib.Environments;
using CourseLib.Mdp;

namespace CourseLib.Tests.Mdp;

[Trait("Category", "unit")]
public class TabularMdpTests
{
    /// <summary>State 0: action 0 pays 1 and ends w.p. 1/2 (else stays); action 1 pays 0 and ends. State 1 terminal.</summary>
    internal static TabularMdp CoinFlip() => new(
        [1.0, 0.0],
        new IReadOnlyList<Transition>[,]
        {
            { [new(0, 0.5, 1), new(1, 0.5, 1)], [new(1, 1, 0)] },
            { [new(1, 1, 0)], [new(1, 1, 0)] },
        },
        [false, true]);

    [Fact]
    public void Every_course_mdp_has_distributions_that_sum_to_one()
    {
        foreach (var env in new GridWorld[] { FrozenLake.FourByFour(), FrozenLake.EightByEight(), FrozenLake.FourByFour(isSlippery: false), new CliffWalking() })
        {
            var mdp = env.Mdp;
            Assert.Equal(1.0, mdp.InitialDistribution.Sum(), 12);
            var p = mdp.TransitionArray();
            for (int s = 0; s < mdp.StateCount; s++)
            for (int a = 0; a < mdp.ActionCount; a++)
            {
                double sum = 0;
                for (int n = 0; n < mdp.StateCount; n++) sum += p[s, a, n];
                Assert.Equal(1.0, sum, 12);
            }
        }
    }

    [Fact]
    public void Probabilities_that_do_not_sum_to_one_are_rejected_with_the_state_and_action()
    {
        var e = Assert.Throws<ArgumentException>(() => new TabularMdp([1.0, 0.0],
            new IReadOnlyList<Transition>[,] { { [new(0, 0.5, 0), new(1, 0.4, 0)] }, { [new(1, 1, 0)] } }, [false, true]));
        Assert.Contains("p(·|s=0, a=0) sums to 0.9", e.Message);
        Assert.Equal("transitions", e.ParamName);
    }

    [Fact]
    public void Bad_parts_are_rejected_with_plain_messages()
    {
        Assert.Contains("outside 0..1", Assert.Throws<ArgumentException>(() => new TabularMdp([1.0, 0.0],
            new IReadOnlyList<Transition>[,] { { [new(2, 1, 0)] }, { [new(1, 1, 0)] } }, [false, true])).Message);
        Assert.Contains("p(s0) sums to 0.5", Assert.Throws<ArgumentException>(() => new TabularMdp([0.5, 0.0],
            new IReadOnlyList<Transition>[,] { { [new(1, 1, 0)] }, { [new(1, 1, 0)] } }, [false, true])).Message);
        Assert.Contains("finite", Assert.Throws<ArgumentException>(() => new TabularMdp([1.0, 0.0],
            new IReadOnlyList<Transition>[,] { { [new(1, 1, double.NaN)] }, { [new(1, 1, 0)] } }, [false, true])).Message);
        Assert.Contains("isTerminal has 1 entries", Assert.Throws<ArgumentException>(() => new TabularMdp([1.0, 0.0],
            new IReadOnlyList<Transition>[,] { { [new(1, 1, 0)] }, { [new(1, 1, 0)] } }, [false])).Message);
    }

    [Fact]
    public void Dense_arrays_and_expected_rewards_agree_with_the_transition_lists()
    {
        var mdp = CoinFlip();
        Assert.Equal(0.5, mdp.TransitionProbability(0, 0, 0));
        Assert.Equal(0.5, mdp.TransitionProbability(0, 0, 1));
        Assert.Equal(1.0, mdp.ExpectedReward(0, 0));
        Assert.Equal(0.0, mdp.ExpectedReward(0, 1));
        var rebuilt = TabularMdp.FromArrays([1.0, 0.0], mdp.TransitionArray(), mdp.RewardArray(), [false, true]);
        Assert.Equal(mdp.TransitionArray(), rebuilt.TransitionArray());
        Assert.Equal(mdp.RewardArray(), rebuilt.RewardArray());
    }

    [Fact]
    public void Sampled_transitions_follow_p()
    {
        var mdp = FrozenLake.FourByFour().Mdp;
        var rng = new Rng(3);
        var counts = new int[mdp.StateCount];
        const int n = 60_000;
        for (int i = 0; i < n; i++) counts[mdp.SampleTransition(4, 2, rng).NextState]++;   // state 4, action Right: to 5, 0 or 8
        for (int s = 0; s < mdp.StateCount; s++)
            Assert.InRange(counts[s] / (double)n - mdp.TransitionProbability(4, 2, s), -0.01, 0.01);   // 5 standard errors
    }
}
