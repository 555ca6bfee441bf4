using CourseLib.ValueBased.Deep;
using TorchSharp;
using static TorchSharp.torch;

namespace CourseLib.Tests.ValueBased.Deep;

/// <summary>The hand-written forward and backward passes against TorchSharp's autograd on the same weights.</summary>
[Trait("Category", "unit")]
public class QNetworkTests
{
    public static TheoryData<bool, int, bool> Architectures => new()
    {
        { false, 1, false }, // plain DQN
        { true, 1, false },  // dueling
        { false, 5, false }, // distributional
        { true, 5, true },   // dueling + distributional + noisy (all of Rainbow's network)
        { false, 1, true },  // noisy
    };

    [Theory]
    [MemberData(nameof(Architectures))]
    public void Forward_and_gradients_match_autograd(bool dueling, int atoms, bool noisy)
    {
        const int batch = 7, inputs = 4, actions = 3;
        var rng = new Rng(21);
        using var network = new QNetwork(inputs, actions, [6, 5], rng, dueling, atoms, noisy);
        network.ResampleNoise(rng);
        using var workspace = network.CreateWorkspace(batch);
        var x = Enumerable.Range(0, batch * inputs).Select(_ => (float)rng.NextGaussian()).ToArray();
        var outputGradient = Enumerable.Range(0, batch * network.OutputLength).Select(_ => (float)rng.NextGaussian()).ToArray();
        x.CopyTo(workspace.Input.Span);
        network.Forward(workspace);
        outputGradient.CopyTo(workspace.OutputGradient.Span);
        network.Backward(workspace);

        using var scope = NewDisposeScope();
        var leaves = new Dictionary<Parameter, Tensor>();
        Tensor Leaf(Parameter p) => leaves[p] = tensor(p.Value.Span.ToArray()).reshape(p.Shape).requires_grad_();
        Tensor Linear(DenseLayer layer, Tensor input)
        {
            Tensor w = Leaf(layer.WeightMean), b = Leaf(layer.BiasMean);
            if (layer.Noisy)
            {
                // ε recovered from the weights in use: W = μ + σ ⊙ ε.
                var ws = Leaf(layer.WeightSigma!); var bs = Leaf(layer.BiasSigma!);
                var we = (tensor(layer.Weight.Span.ToArray()).reshape(layer.Outputs, layer.Inputs) - w.detach()) / ws.detach();
                var be = (tensor(layer.Bias.Span.ToArray()) - b.detach()) / bs.detach();
                w = w + ws * we; b = b + bs * be;
            }
            return input.matmul(w.t()) + b;
        }
        var layers = network.Layers().ToArray();
        var h = tensor(x).reshape(batch, inputs);
        for (int l = 0; l < network.HiddenLayers.Count; l++) h = nn.functional.relu(Linear(layers[l], h));
        var head = Linear(layers[network.HiddenLayers.Count], h).reshape(batch, actions, atoms);
        var output = dueling
            ? Linear(layers[network.HiddenLayers.Count + 1], h).reshape(batch, 1, atoms) + head - head.mean([1], keepdim: true)
            : head;
        var expected = output.reshape(-1).data<float>().ToArray();
        var actual = workspace.Output.Span.ToArray();
        for (int i = 0; i < expected.Length; i++) Assert.Equal(expected[i], actual[i], 4);

        (output.reshape(-1) * tensor(outputGradient)).sum().backward();
        foreach (var (parameter, leaf) in leaves)
        {
            var want = leaf.grad!.reshape(-1).data<float>().ToArray();
            var got = parameter.Gradient.Span.ToArray();
            Assert.Equal(want.Length, got.Length);
            for (int i = 0; i < want.Length; i++) Assert.True(Math.Abs(want[i] - got[i]) < 1e-4, $"{parameter.Name}[{i}]: autograd {want[i]}, by hand {got[i]}");
        }
        Assert.Equal(network.Parameters.Count, leaves.Count);

        // Acting computes the same outputs in plain C#.
        var one = new float[network.OutputLength];
        for (int b = 0; b < batch; b++)
        {
            network.ForwardOne(x.AsSpan(b * inputs, inputs), one);
            for (int k = 0; k < one.Length; k++) Assert.Equal(workspace.OutputRow(b)[k], one[k], 4);
        }
    }

    [Fact]
    public void A_target_network_is_an_exact_copy_and_a_soft_update_moves_it_part_way()
    {
        var rng = new Rng(2);
        using var online = new QNetwork(4, 2, [8], rng);
        using var target = new QNetwork(4, 2, [8], rng);
        Assert.NotEqual(online.Parameters[0].Value.Span[0], target.Parameters[0].Value.Span[0]);
        float before = target.Parameters[0].Value.Span[0];
        target.UpdateFrom(online, rate: 0.25);
        Assert.Equal(before + 0.25f * (online.Parameters[0].Value.Span[0] - before), target.Parameters[0].Value.Span[0], 6);
        target.UpdateFrom(online);
        for (int k = 0; k < online.Parameters.Count; k++)
            Assert.Equal(online.Parameters[k].Value.Span.ToArray(), target.Parameters[k].Value.Span.ToArray());
    }

    [Fact]
    public void Bad_shapes_are_rejected_by_name()
    {
        Assert.Equal("hiddenLayers", Assert.Throws<ArgumentOutOfRangeException>(() => new QNetwork(4, 2, [8, 0], new Rng(1))).ParamName);
        using var network = new QNetwork(4, 2, [8], new Rng(1));
        Assert.Equal("observation", Assert.Throws<ArgumentException>(() => network.ForwardOne(new float[3], new float[2])).ParamName);
    }
}

[Trait("Category", "unit")]
public class AdamTests
{
    [Fact]
    public void Matches_torch_Adam_with_gradient_norm_clipping()
    {
        var rng = new Rng(4);
        var initial = new[] { Enumerable.Range(0, 37).Select(_ => (float)rng.NextGaussian()).ToArray(), Enumerable.Range(0, 5).Select(_ => (float)rng.NextGaussian()).ToArray() };
        var parameters = initial.Select((v, k) => { var p = new Parameter($"p{k}", v.Length); v.CopyTo(p.Value.Span); return p; }).ToArray();
        var adam = new Adam(parameters, learningRate: 0.01);
        var leaves = initial.Select(v => nn.Parameter(tensor(v))).ToArray();
        var reference = optim.Adam(leaves, lr: 0.01);
        for (int step = 0; step < 5; step++)
        {
            var gradients = initial.Select(v => v.Select(_ => (float)(rng.NextGaussian() * (step + 1))).ToArray()).ToArray();
            for (int k = 0; k < parameters.Length; k++) gradients[k].CopyTo(parameters[k].Gradient.Span);
            double norm = adam.Step(maxGradientNorm: 3.0);

            reference.zero_grad();
            using (var loss = leaves.Select((leaf, k) => (leaf * tensor(gradients[k])).sum()).Aggregate((a, b) => a + b)) loss.backward();
            double torchNorm = nn.utils.clip_grad_norm_(leaves, 3.0);
            reference.step();
            Assert.True(Math.Abs(torchNorm - norm) < 1e-5 * torchNorm, $"norm: torch {torchNorm}, ours {norm}");
            for (int k = 0; k < parameters.Length; k++)
            {
                var want = leaves[k].data<float>().ToArray();
                var got = parameters[k].Value.Span.ToArray();
                for (int i = 0; i < want.Length; i++) Assert.True(Math.Abs(want[i] - got[i]) < 1e-5, $"step {step}, p{k}[{i}]: torch {want[i]}, ours {got[i]}");
            }
        }
        Assert.Equal(5, adam.StepCount);
        foreach (var p in parameters) p.Dispose();
    }
}
