using CourseLib.ValueBased.Deep;

namespace CourseLib.Tests.ValueBased.Deep;

[Trait("Category", "unit")]
public class ReplayBufferTests
{
    static void AddNumbered(IReplayMemory memory, int n, bool terminated = false) =>
        memory.Add([n, -n], n % 3, n * 10, [n + 1, -(n + 1)], terminated);

    [Fact]
    public void Wraps_around_and_overwrites_the_oldest_transitions_once_full()
    {
        var buffer = new ReplayBuffer(capacity: 3, observationLength: 2);
        for (int n = 0; n < 5; n++) AddNumbered(buffer, n);
        Assert.Equal(3, buffer.Count);
        // slots: 0 ← 3, 1 ← 4, 2 ← 2 (oldest surviving), next write goes to slot 2
        Assert.Equal(3f, buffer[0].Observation[0]);
        Assert.Equal(4f, buffer[1].Observation[0]);
        Assert.Equal(2f, buffer[2].Observation[0]);
        Assert.Equal(2, buffer.NextSlot);
        var (observation, action, reward, next, terminated, steps) = buffer[1];
        Assert.Equal(new float[] { 4, -4 }, observation);
        Assert.Equal(1, action);
        Assert.Equal(40f, reward);
        Assert.Equal(new float[] { 5, -5 }, next);
        Assert.False(terminated);
        Assert.Equal(1, steps);
    }

    [Fact]
    public void Samples_every_stored_transition_uniformly_and_copies_it_whole()
    {
        var buffer = new ReplayBuffer(capacity: 10, observationLength: 2);
        for (int n = 0; n < 4; n++) AddNumbered(buffer, n, terminated: n == 2);
        var batch = new ReplayBatch(1000, 2);
        var counts = new int[4];
        var rng = new Rng(3);
        for (int round = 0; round < 8; round++)
        {
            buffer.Sample(rng, batch);
            for (int i = 0; i < batch.Size; i++)
            {
                int n = (int)batch.Observation(i)[0];
                counts[n]++;
                Assert.Equal(batch.Indices[i], n);
                Assert.Equal(-n, batch.Observation(i)[1]);
                Assert.Equal(n + 1, batch.NextObservation(i)[0]);
                Assert.Equal(n * 10f, batch.Rewards[i]);
                Assert.Equal(n % 3, batch.Actions[i]);
                Assert.Equal(n == 2, batch.Terminated[i]);
                Assert.Equal(1f, batch.Weights[i]);
            }
        }
        Assert.All(counts, c => Assert.InRange(c, 1850, 2150)); // 8000 draws, 2000 expected each
    }

    [Fact]
    public void Rejects_bad_input_by_name()
    {
        Assert.Equal("capacity", Assert.Throws<ArgumentOutOfRangeException>(() => new ReplayBuffer(0, 2)).ParamName);
        var buffer = new ReplayBuffer(4, 2);
        Assert.Equal("observation", Assert.Throws<ArgumentException>(() => buffer.Add([1, 2, 3], 0, 0, [1, 2], false)).ParamName);
        Assert.Throws<InvalidOperationException>(() => buffer.Sample(new Rng(1), new ReplayBatch(2, 2)));
    }
}

[Trait("Category", "unit")]
public class SumTreeTests
{
    [Fact]
    public void Inner_nodes_hold_sums_and_updates_keep_them_exact()
    {
        var tree = new SumTree(5); // padded to 8 leaves
        double[] p = [1, 2, 3, 4, 5];
        for (int i = 0; i < p.Length; i++) tree[i] = p[i];
        Assert.Equal(15, tree.Total);
        tree[2] = 0.5;
        Assert.Equal(12.5, tree.Total);
        Assert.Equal(0.5, tree[2]);
    }

    [Fact]
    public void Find_returns_the_leaf_whose_slice_of_the_cumulative_sum_contains_the_value()
    {
        var tree = new SumTree(4);
        tree[0] = 1; tree[1] = 0; tree[2] = 2; tree[3] = 1; // slices [0,1) [1,1) [1,3) [3,4)
        Assert.Equal(0, tree.Find(0));
        Assert.Equal(0, tree.Find(0.999));
        Assert.Equal(2, tree.Find(1.0));   // leaf 1 has priority 0: never returned
        Assert.Equal(2, tree.Find(2.5));
        Assert.Equal(3, tree.Find(3.0));
        Assert.Equal(3, tree.Find(3.9999));
    }

    [Fact]
    public void Sampling_is_proportional_to_priority()
    {
        var tree = new SumTree(6);
        double[] p = [1, 2, 0, 4, 8, 1];
        for (int i = 0; i < p.Length; i++) tree[i] = p[i];
        var rng = new Rng(11);
        var counts = new int[6];
        const int draws = 160_000;
        for (int k = 0; k < draws; k++) counts[tree.Find(rng.NextDouble() * tree.Total)]++;
        Assert.Equal(0, counts[2]);
        for (int i = 0; i < p.Length; i++)
        {
            double expected = draws * p[i] / 16;
            Assert.InRange(counts[i], expected - 4 * Math.Sqrt(expected) - 1, expected + 4 * Math.Sqrt(expected) + 1);
        }
    }

    [Fact]
    public void Rejects_negative_priorities_and_indices_out_of_range()
    {
        var tree = new SumTree(3);
        Assert.Throws<ArgumentOutOfRangeException>(() => tree[0] = -1);
        Assert.Throws<ArgumentOutOfRangeException>(() => tree[3] = 1);
        Assert.Throws<InvalidOperationException>(() => tree.Find(0));
    }
}

[Trait("Category", "unit")]
public class PrioritizedReplayBufferTests
{
    [Fact]
    public void New_transitions_get_the_largest_priority_seen_so_far()
    {
        var memory = new PrioritizedReplayBuffer(8, 1, priorityExponent: 1);
        memory.Add([0], 0, 0, [0], false);
        memory.Add([1], 0, 0, [1], false);
        memory.UpdatePriorities([0, 1], [3f, 1f]);
        memory.Add([2], 0, 0, [2], false);
        Assert.Equal((3 + 1e-6) / (3 + 1e-6 + 1 + 1e-6 + 3 + 1e-6), memory.Probability(2), 9);
    }

    [Fact]
    public void Samples_in_proportion_to_priority_to_the_alpha_with_normalised_importance_weights()
    {
        const double alpha = 0.5, beta = 0.4;
        var memory = new PrioritizedReplayBuffer(4, 1, priorityExponent: alpha) { ImportanceExponent = beta };
        for (int n = 0; n < 4; n++) memory.Add([n], 0, 0, [n], false);
        float[] errors = [1, 4, 9, 16]; // p^α = 1, 2, 3, 4 (up to ε)
        memory.UpdatePriorities([0, 1, 2, 3], errors);
        var rng = new Rng(7);
        var batch = new ReplayBatch(100, 1);
        var counts = new int[4];
        for (int round = 0; round < 400; round++)
        {
            memory.Sample(rng, batch);
            float maxWeight = batch.Weights.Max();
            Assert.Equal(1f, maxWeight, 5);
            for (int i = 0; i < batch.Size; i++)
            {
                int slot = batch.Indices[i];
                counts[slot]++;
                Assert.Equal(slot, (int)batch.Observation(i)[0]);
            }
            // w_i ∝ (N P(i))^−β: compare two sampled slots' weights with the formula
            for (int i = 1; i < batch.Size; i++)
            {
                double expectedRatio = Math.Pow(memory.Probability(batch.Indices[i]) / memory.Probability(batch.Indices[0]), -beta);
                Assert.Equal(expectedRatio, batch.Weights[i] / batch.Weights[0], 4);
            }
        }
        for (int slot = 0; slot < 4; slot++)
        {
            double expected = 40_000 * (slot + 1) / 10.0;
            Assert.InRange(counts[slot], expected * 0.95, expected * 1.05);
        }
    }
}
