using CourseLib.Networks;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace CourseLib.PolicyGradient;

/// <summary>The nonlinearity between an <see cref="Mlp"/>'s layers.</summary>
public enum MlpActivation
{
    /// <summary>tanh(x).</summary>
    Tanh,
    /// <summary>max(0, x).</summary>
    Relu,
}

/// <summary>
/// A multilayer perceptron: x → act(W₁x + b₁) → … → W_L h + b_L (no activation on the output).
/// Weights are initialised from a <see cref="Rng"/> (uniform in ±1/√fan-in, like PyTorch's default for linear
/// layers, by the shared <see cref="UniformInitialisation"/>), so the same seed gives the same network regardless of torch's global random state.
/// </summary>
public sealed class Mlp : nn.Module<Tensor, Tensor>
{
    readonly ModuleList<Linear> layers = new();

    /// <summary>Input size, hidden sizes, output size, in order.</summary>
    public IReadOnlyList<int> LayerSizes { get; }

    /// <summary>The nonlinearity after each hidden layer.</summary>
    public MlpActivation Activation { get; }

    /// <summary>An MLP with the given sizes, initialised from <paramref name="seed"/>.</summary>
    public Mlp(int inputs, IReadOnlyList<int> hidden, int outputs, MlpActivation activation = MlpActivation.Tanh, long seed = 0)
        : base(nameof(Mlp))
    {
        if (inputs < 1) throw new ArgumentOutOfRangeException(nameof(inputs), inputs, "inputs must be at least 1.");
        if (outputs < 1) throw new ArgumentOutOfRangeException(nameof(outputs), outputs, "outputs must be at least 1.");
        ArgumentNullException.ThrowIfNull(hidden);
        foreach (var h in hidden)
            if (h < 1) throw new ArgumentOutOfRangeException(nameof(hidden), h, "every hidden layer needs at least 1 unit.");
        LayerSizes = [inputs, .. hidden, outputs];
        Activation = activation;
        var rng = new Rng(seed);
        for (int l = 0; l + 1 < LayerSizes.Count; l++)
        {
            var layer = nn.Linear(LayerSizes[l], LayerSizes[l + 1]);
            UniformInitialisation.Linear(layer, rng);
            layers.Add(layer);
        }
        RegisterComponents();
    }

    /// <summary>The linear layers, input side first.</summary>
    public IReadOnlyList<Linear> Layers => layers.ToList();

    /// <summary>The linear layer number <paramref name="index"/> (0 = the input side).</summary>
    public Linear Layer(int index) => layers[index];

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        var x = input;
        for (int l = 0; l < layers.Count; l++)
        {
            var y = layers[l].forward(x);
            if (l + 1 < layers.Count) y = Activation == MlpActivation.Tanh ? y.tanh() : y.relu();
            x = y;
        }
        return x;
    }

    /// <summary>True when every weight and bias is a finite number.</summary>
    public bool AllParametersFinite()
    {
        using var _ = no_grad();
        foreach (var p in parameters())
            using (var finite = p.isfinite().all())
                if (!finite.item<bool>()) return false;
        return true;
    }

    const string Magic = "CourseLib.Mlp/1";

    /// <summary>Writes the architecture and then the weights (TorchSharp's state format) to <paramref name="writer"/>.</summary>
    public void Write(BinaryWriter writer)
    {
        writer.Write(Magic);
        writer.Write(LayerSizes.Count);
        foreach (var size in LayerSizes) writer.Write(size);
        writer.Write((int)Activation);
        save(writer);
    }

    /// <summary>Reads an MLP written by <see cref="Write"/>.</summary>
    public static Mlp Read(BinaryReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        string magic;
        try { magic = reader.ReadString(); }
        catch (EndOfStreamException) { throw new InvalidDataException($"Not a saved CourseLib MLP: the header '{Magic}' is missing."); }
        if (magic != Magic) throw new InvalidDataException($"Not a saved CourseLib MLP: header '{magic}', expected '{Magic}'.");
        int count = reader.ReadInt32();
        if (count < 2 || count > 64) throw new InvalidDataException($"Corrupt MLP file: {count} layer sizes.");
        var sizes = new int[count];
        for (int i = 0; i < count; i++) sizes[i] = reader.ReadInt32();
        var activation = (MlpActivation)reader.ReadInt32();
        var mlp = new Mlp(sizes[0], sizes[1..^1], sizes[^1], activation);
        mlp.load(reader);
        return mlp;
    }
}
