using CourseLib.Data;
using CourseLib.Exercises;
using CourseLib.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace CourseLib.PolicyGradient;

/// <summary>Options for training a digit classifier, by REINFORCE or by cross-entropy.</summary>
public sealed record DigitsClassifierOptions
{
    // ToString writes lists as [a, b] (the generated one prints a collection expression's type name).
    bool PrintMembers(System.Text.StringBuilder builder) => CourseLib.Display.OptionsText.PrintMembers(this, builder);

    /// <summary>Hidden layer sizes of the MLP 64 → … → 10. Default one layer of 64 units.</summary>
    public IReadOnlyList<int> HiddenSizes { get; init; } = [64];

    /// <summary>The hidden layers' nonlinearity. Default tanh.</summary>
    public MlpActivation Activation { get; init; } = MlpActivation.Tanh;

    /// <summary>Adam's learning rate. Default 3e-3.</summary>
    public double LearningRate { get; init; } = 3e-3;

    /// <summary>Images per update (one-step episodes per batch). Default 64.</summary>
    public int BatchSize { get; init; } = 64;

    /// <summary>Number of updates (gradient steps). Default 3000.</summary>
    public int Updates { get; init; } = 3000;

    /// <summary>Measure held-out accuracy every this many updates (and after the last). Default 50.</summary>
    public int EvaluateEvery { get; init; } = 50;

    /// <summary>REINFORCE only: subtract the batch's mean reward from the rewards (a baseline). Default true.</summary>
    public bool MeanRewardBaseline { get; init; } = true;

    /// <summary>Seeds the network's initial weights, the order of the images and (REINFORCE) the sampled classes. Default 0.</summary>
    public int Seed { get; init; }

    /// <summary>Throws an exception naming the first setting outside its range.</summary>
    public void Validate()
    {
        Require.LayerSizes(HiddenSizes, nameof(HiddenSizes));
        if (!Enum.IsDefined(Activation)) throw new ArgumentOutOfRangeException(nameof(Activation), Activation, "Activation must be Tanh or Relu.");
        Require.Positive(LearningRate, nameof(LearningRate));
        Require.AtLeast(BatchSize, 1, nameof(BatchSize));
        Require.AtLeast(Updates, 1, nameof(Updates));
        Require.AtLeast(EvaluateEvery, 1, nameof(EvaluateEvery));
    }
}

/// <summary>
/// A trained classifier and its held-out accuracy measured along the way. (Not the RL trainers' one result shape,
/// <see cref="TrainingResult{TAgent, TRecord}"/>: that records environment episodes and evaluations on fresh episodes,
/// while this run is measured by accuracy on a labelled held-out set, and its cross-entropy twin has no episodes or
/// rewards at all. The same shape for both keeps the two runs comparable point by point.)
/// </summary>
/// <param name="Policy">π_θ(class | image).</param>
/// <param name="Updates">The update numbers at which accuracy was measured (0 = before training).</param>
/// <param name="HeldOutAccuracy">Fraction of held-out images whose most probable class is right, at each of <paramref name="Updates"/>.</param>
/// <param name="MeanReward">REINFORCE: mean reward of the batches since the previous measurement; cross-entropy: mean π(y|x) of those batches.</param>
public sealed record ClassifierTrainingResult(CategoricalPolicy Policy, int[] Updates, double[] HeldOutAccuracy, double[] MeanReward)
{
    /// <summary>The last measured held-out accuracy.</summary>
    public double FinalAccuracy => HeldOutAccuracy[^1];
}

/// <summary>
/// Classification as a one-step RL problem (a contextual bandit): the state is an image x, the action a class a,
/// the reward r = 1 if a = y else 0, the policy π_θ(a|x) = softmax(MLP_θ(x)). The 0/1 reward has no useful
/// derivative in θ, but its expectation J(θ) = E_x E_{a~π}[r] = E_x[π_θ(y|x)] does, and REINFORCE estimates it
/// from rewards alone: ∇J ≈ (1/B) Σ_i (r_i − b) ∇ log π_θ(a_i|x_i). Cross-entropy training instead uses the label
/// directly: ∇ (−log π_θ(y|x)). Both train the same network on the same batches.
/// </summary>
public static class ClassificationAsBandit
{
    /// <summary>
    /// Trains π_θ from rewards only: sample a class for each image, reward 1 if right, REINFORCE step. The step pushes the
    /// logits z_i of each image along the score function ∇_z log π(a_i|x_i) = onehot(a_i) − softmax(z_i), scaled by
    /// (r_i − b)/B, and backpropagates that into the network:
    /// ∂L/∂z_i = −(r_i − b)/B · (onehot(a_i) − softmax(z_i)) for L = −(1/B) Σ_i (r_i − b) log π(a_i|x_i).
    /// </summary>
    /// <param name="train">The images to learn from.</param>
    /// <param name="heldOut">The images accuracy is measured on.</param>
    /// <param name="options">Settings (null: <see cref="DigitsClassifierOptions"/>' defaults).</param>
    /// <param name="logSoftmaxGradient">
    /// The score function <c>double[] LogSoftmaxGradient(double[] logits, int action)</c> (notebook 03's exercise). Null, or
    /// while it is the exercise's stub: the reference, <see cref="LogSoftmaxGradient"/> (see <see cref="Solution"/>.OrReference).
    /// </param>
    /// <param name="cancellationToken">Stops training between updates.</param>
    public static ClassifierTrainingResult TrainWithReinforce(Digits train, Digits heldOut, DigitsClassifierOptions? options = null,
        Func<double[], int, double[]>? logSoftmaxGradient = null, CancellationToken cancellationToken = default) =>
        Train(train, heldOut, options ?? new DigitsClassifierOptions(), reinforce: true,
            logSoftmaxGradient is null ? LogSoftmaxGradient : Solution.OrReference(logSoftmaxGradient, LogSoftmaxGradient, Solution.NameOf(logSoftmaxGradient, "LogSoftmaxGradient")),
            cancellationToken);

    /// <summary>
    /// The score function of a softmax policy, ∂ log π(a|x) / ∂z_b = 1[b = a] − softmax(z)_b for every logit z_b: up for
    /// the class that was tried, down for the others in proportion to their probability (softmax computed stably, after
    /// subtracting the largest logit).
    /// </summary>
    public static double[] LogSoftmaxGradient(double[] logits, int action)
    {
        ArgumentNullException.ThrowIfNull(logits);
        if (action < 0 || action >= logits.Length)
            throw new ArgumentOutOfRangeException(nameof(action), action, $"action must be in 0..{logits.Length - 1}.");
        var gradient = Networks.Softmax.Of(logits);
        for (int b = 0; b < logits.Length; b++) gradient[b] = (b == action ? 1 : 0) - gradient[b];
        return gradient;
    }


    /// <summary>Trains π_θ by ordinary supervised learning: minimise the cross-entropy −log π_θ(y|x).</summary>
    public static ClassifierTrainingResult TrainWithCrossEntropy(Digits train, Digits heldOut, DigitsClassifierOptions? options = null,
        CancellationToken cancellationToken = default) =>
        Train(train, heldOut, options ?? new DigitsClassifierOptions(), reinforce: false, null, cancellationToken);

    static ClassifierTrainingResult Train(Digits train, Digits heldOut, DigitsClassifierOptions options, bool reinforce,
        Func<double[], int, double[]>? scoreFunction, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(heldOut);
        options.Validate();
        using var threads = TorchThreads.One();
        int seed = options.Seed;
        var policy = new CategoricalPolicy(Digits.PixelCount, options.HiddenSizes, Digits.ClassCount, options.Activation, seed);
        using var optimizer = optim.Adam(policy.Network.parameters(), options.LearningRate);
        using var images = Images(train);
        var rng = new Rng(seed);
        var order = Enumerable.Range(0, train.Count).ToArray();
        int position = order.Length;
        var updates = new List<int> { 0 };
        var accuracy = new List<double> { Accuracy(policy, heldOut) };
        var meanReward = new List<double> { double.NaN };
        double rewardSum = 0;
        int rewardCount = 0;
        var pixels = new float[Digits.PixelCount];
        using var progress = TrainingProgress.Start(reinforce ? "REINFORCE on digits (reward 1 if right)" : "Cross-entropy on digits", options.Updates, "updates");

        for (int update = 1; update <= options.Updates; update++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            // A batch of images, without replacement within an epoch.
            var batch = new long[options.BatchSize];
            for (int i = 0; i < batch.Length; i++)
            {
                if (position == order.Length) { rng.Shuffle<int>(order); position = 0; }
                batch[i] = order[position++];
            }
            using var scope = NewDisposeScope();
            var x = images.index_select(0, tensor(batch));
            var labels = batch.Select(i => train.Labels[i]).ToArray();
            if (reinforce)
            {
                // Act: a_i ~ π_θ(·|x_i); reward r_i = 1[a_i = y_i]; weights r_i − mean(r).
                var actions = new int[batch.Length];
                var rewards = new double[batch.Length];
                for (int i = 0; i < batch.Length; i++)
                {
                    for (int p = 0; p < pixels.Length; p++) pixels[p] = train.Images[batch[i]][p] / 16f;
                    actions[i] = policy.Sample(pixels, rng);
                    rewards[i] = actions[i] == labels[i] ? 1 : 0;
                }
                rewardSum += rewards.Sum(); rewardCount += rewards.Length;
                double baseline = options.MeanRewardBaseline ? rewards.Average() : 0;
                // ∂L/∂z_i = −(r_i − b)/B · ∇_z log π(a_i|x_i), then backpropagation through the network.
                var logits = policy.Network.forward(x);
                var z = logits.detach().to_type(ScalarType.Float64).data<double>().ToArray();
                var upstream = new float[z.Length];
                for (int i = 0; i < batch.Length; i++)
                {
                    var score = scoreFunction!(z[(i * Digits.ClassCount)..((i + 1) * Digits.ClassCount)], actions[i]);
                    if (score is null || score.Length != Digits.ClassCount)
                        throw new InvalidOperationException($"LogSoftmaxGradient returned {(score is null ? "null" : $"{score.Length} values")}: it must return one value per logit ({Digits.ClassCount}).");
                    double scale = -(rewards[i] - baseline) / batch.Length;
                    for (int c = 0; c < Digits.ClassCount; c++) upstream[i * Digits.ClassCount + c] = (float)(scale * score[c]);
                }
                if (upstream.Any(g => !float.IsFinite(g)))
                    throw new InvalidOperationException($"REINFORCE update {update}: the score function gave NaN or infinite values. Lower the learning rate.");
                optimizer.zero_grad();
                logits.backward([tensor(upstream).reshape(batch.Length, Digits.ClassCount)]);
                optimizer.step();
                if (!policy.Network.AllParametersFinite())
                    throw new InvalidOperationException($"REINFORCE update {update}: the weights became NaN or infinite. Lower the learning rate.");
            }
            else
            {
                var logits = policy.Network.forward(x);
                var target = tensor(labels.Select(l => (long)l).ToArray());
                var loss = nn.functional.cross_entropy(logits, target);
                using (no_grad())
                {
                    var p = nn.functional.softmax(logits, 1).gather(1, target.reshape(-1, 1));
                    rewardSum += p.sum().item<float>(); rewardCount += batch.Length;
                }
                double lossValue = loss.item<float>();
                if (!double.IsFinite(lossValue))
                    throw new InvalidOperationException($"Cross-entropy update {update}: the loss became {lossValue}. Lower the learning rate.");
                optimizer.zero_grad();
                loss.backward();
                optimizer.step();
            }
            policy.Refresh();

            if (update % options.EvaluateEvery == 0 || update == options.Updates)
            {
                updates.Add(update);
                accuracy.Add(Accuracy(policy, heldOut));
                meanReward.Add(rewardSum / rewardCount);
                rewardSum = 0; rewardCount = 0;
                progress.Report(update, ("held-out accuracy", accuracy[^1]), ("mean reward", meanReward[^1]));
            }
        }
        return new ClassifierTrainingResult(policy, updates.ToArray(), accuracy.ToArray(), meanReward.ToArray());
    }

    /// <summary>The images as a [count, 64] tensor with pixels scaled to [0, 1].</summary>
    public static Tensor Images(Digits digits)
    {
        ArgumentNullException.ThrowIfNull(digits);
        var flat = new float[digits.Count * Digits.PixelCount];
        for (int i = 0; i < digits.Count; i++)
            for (int p = 0; p < Digits.PixelCount; p++) flat[i * Digits.PixelCount + p] = digits.Images[i][p] / 16f;
        return tensor(flat).reshape(digits.Count, Digits.PixelCount);
    }

    /// <summary>The 0/1 objective: the fraction of images whose most probable class is the label.</summary>
    public static double Accuracy(CategoricalPolicy policy, Digits digits)
    {
        ArgumentNullException.ThrowIfNull(policy);
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var predicted = policy.Network.forward(Images(digits)).argmax(1).data<long>().ToArray();
        int right = 0;
        for (int i = 0; i < predicted.Length; i++) if (predicted[i] == digits.Labels[i]) right++;
        return (double)right / digits.Count;
    }

    /// <summary>The smooth objective REINFORCE climbs: E_x E_{a~π}[1[a = y]] = mean over images of π_θ(y|x).</summary>
    public static double ExpectedReward(CategoricalPolicy policy, Digits digits)
    {
        ArgumentNullException.ThrowIfNull(policy);
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var p = nn.functional.softmax(policy.Network.forward(Images(digits)), 1);
        var labels = tensor(digits.Labels.Select(l => (long)l).ToArray()).reshape(-1, 1);
        return p.gather(1, labels).mean().item<float>();
    }
}
