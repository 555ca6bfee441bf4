using CourseLib.ActorCritic;
using CourseLib.Environments;
using CourseLib.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace CourseLib.Tests.ActorCritic;

[Trait("Category", "unit")]
public class ActorCriticNetworkTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Snapshot_computes_what_the_torch_network_computes(bool sharedTrunk)
    {
        using var network = new ActorCriticNetwork(4, 3, [16, 8], sharedTrunk, seed: 3);
        var snapshot = network.Snapshot();
        var rng = new Rng(4);
        for (int k = 0; k < 20; k++)
        {
            var observation = Enumerable.Range(0, 4).Select(_ => (float)rng.Uniform(-2, 2)).ToArray();
            var fromTorch = new double[3];
            var fromSnapshot = new double[3];
            double valueTorch = network.Evaluate(observation, fromTorch);
            double valueSnapshot = snapshot.Evaluate(observation, fromSnapshot);
            Assert.Equal(valueTorch, valueSnapshot, 5);
            for (int a = 0; a < 3; a++) Assert.Equal(fromTorch[a], fromSnapshot[a], 5);
            Assert.Equal(1.0, fromSnapshot.Sum(), 9);
        }
    }

    [Fact]
    public void Same_seed_same_weights_and_the_first_policy_is_nearly_uniform()
    {
        using var a = new ActorCriticNetwork(4, 2, [64, 64], seed: 7);
        using var b = new ActorCriticNetwork(4, 2, [64, 64], seed: 7);
        foreach (var (x, y) in a.parameters().Zip(b.parameters()))
            Assert.Equal(x.data<float>().ToArray(), y.data<float>().ToArray());
        var p = new double[2];
        a.Evaluate([0.1f, -0.2f, 0.03f, 0.5f], p);
        Assert.InRange(p[0], 0.49, 0.51);
    }

    [Fact]
    public void Save_and_load_give_the_same_policy_and_values()
    {
        using var network = new ActorCriticNetwork(4, 2, [32], sharedTrunk: true, seed: 11);
        // Move the weights away from their initial values so that loading cannot pass by accident.
        using (no_grad()) foreach (var p in network.parameters()) p.add_(0.1f);
        var path = Path.Combine(Path.GetTempPath(), $"courselib-ac-{Guid.NewGuid():N}.bin");
        try
        {
            network.Save(path);
            using var loaded = ActorCriticNetwork.Load(path);
            Assert.True(loaded.SharedTrunk);
            Assert.Equal([32], loaded.HiddenSizes);
            float[] observation = [0.3f, 0.1f, -0.05f, -0.4f];
            var p1 = new double[2]; var p2 = new double[2];
            Assert.Equal(network.Evaluate(observation, p1), loaded.Evaluate(observation, p2), 6);
            Assert.Equal(p1, p2);
            File.WriteAllText(path, "not a network");
            Assert.Throws<InvalidDataException>(() => ActorCriticNetwork.Load(path));
        }
        finally { File.Delete(path); }
        Assert.Throws<FileNotFoundException>(() => ActorCriticNetwork.Load(path));
    }

    [Fact]
    public void Loss_by_hand_for_one_step()
    {
        // logits (0, ln 3): π = (1/4, 3/4); action 1, Â = 2, V = 1, G = 4, c_V = 0.5, c_H = 0.1.
        using var logits = tensor(new float[] { 0, MathF.Log(3) }).reshape(1, 2);
        var parts = ActorCriticLoss.Compute(logits, tensor(new float[] { 1 }), tensor(new long[] { 1 }),
            tensor(new float[] { 2 }), tensor(new float[] { 4 }), 0.5, 0.1);
        double policy = -Math.Log(0.75) * 2, value = 9, entropy = -(0.25 * Math.Log(0.25) + 0.75 * Math.Log(0.75));
        Assert.Equal(policy, parts.PolicyLoss.item<float>(), 5);
        Assert.Equal(value, parts.ValueLoss.item<float>(), 5);
        Assert.Equal(entropy, parts.Entropy.item<float>(), 5);
        Assert.Equal(policy + 0.5 * value - 0.1 * entropy, parts.Total.item<float>(), 5);
    }

    [Fact]
    public void Greedy_evaluation_of_a_fixed_network_is_reproducible_and_plays_the_most_probable_action()
    {
        using var network = new ActorCriticNetwork(4, 2, [8], seed: 1);
        using (no_grad()) foreach (var p in network.parameters()) p.mul_(5);   // a policy far from uniform
        var snapshot = network.Snapshot();
        var first = Evaluation.Run(new CartPole(), snapshot.GreedyAction, episodes: 5, seed: 3);
        var second = Evaluation.Run(new CartPole(), network.Snapshot().GreedyAction, episodes: 5, seed: 3);
        Assert.Equal(first.Returns, second.Returns);
        Assert.All(first.Returns, r => Assert.InRange(r, 1, 500));
        var rng = new Rng(2);
        for (int k = 0; k < 50; k++)
        {
            var observation = CartPoleObservation.FromSpan(Enumerable.Range(0, 4).Select(_ => (float)rng.Uniform(-2, 2)).ToArray());
            var values = new float[4];
            observation.CopyTo(values);
            Assert.Equal(network.GreedyAction(values), snapshot.GreedyAction(observation));
        }
    }

    [Fact]
    public void Bad_shapes_are_named()
    {
        Assert.Equal("actionCount", Assert.Throws<ArgumentOutOfRangeException>(() => new ActorCriticNetwork(4, 1, [8])).ParamName);
        Assert.Equal("hiddenSizes", Assert.Throws<ArgumentException>(() => new ActorCriticNetwork(4, 2, [])).ParamName);
        using var network = new ActorCriticNetwork(4, 2, [8]);
        Assert.Equal("observation", Assert.Throws<ArgumentException>(() => network.Snapshot().Evaluate(new float[3], new double[2])).ParamName);
    }
}
