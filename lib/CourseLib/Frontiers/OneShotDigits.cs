using CourseLib.Data;

namespace CourseLib.Frontiers;

/// <summary>One-shot accuracies measured during Siamese training.</summary>
/// <param name="Update">Updates done.</param>
/// <param name="SeenAccuracy">One-shot accuracy on held-out images of the seen classes.</param>
/// <param name="UnseenAccuracy">One-shot accuracy on the unseen classes.</param>
public sealed record OneShotCheckpoint(int Update, double SeenAccuracy, double UnseenAccuracy);

/// <summary>The outcome of <see cref="OneShotDigits.Run"/>.</summary>
public sealed class OneShotDigitsResult : IDisposable
{
    internal OneShotDigitsResult(SiameseModel model, int[] seenClasses, int[] unseenClasses, OneShotResult unseen, OneShotResult seenHeldOut,
        OneShotResult unseenPixels, OneShotResult seenHeldOutPixels, IReadOnlyList<OneShotCheckpoint> checkpoints,
        float[][] unseenInputs, int[] unseenLabels, float[][] seenHeldOutInputs, int[] seenHeldOutLabels)
    {
        Model = model; SeenClasses = seenClasses; UnseenClasses = unseenClasses; Unseen = unseen; SeenHeldOut = seenHeldOut;
        UnseenPixels = unseenPixels; SeenHeldOutPixels = seenHeldOutPixels; Checkpoints = checkpoints;
        UnseenInputs = unseenInputs; UnseenLabels = unseenLabels; SeenHeldOutInputs = seenHeldOutInputs; SeenHeldOutLabels = seenHeldOutLabels;
    }

    /// <summary>The trained Siamese embedding.</summary>
    public SiameseModel Model { get; }
    /// <summary>The classes whose (training) images formed the pairs.</summary>
    public int[] SeenClasses { get; }
    /// <summary>The classes never shown in training.</summary>
    public int[] UnseenClasses { get; }
    /// <summary>One-shot classification of the unseen classes by nearest Siamese embedding.</summary>
    public OneShotResult Unseen { get; }
    /// <summary>One-shot classification of held-out images of the seen classes by nearest Siamese embedding.</summary>
    public OneShotResult SeenHeldOut { get; }
    /// <summary>The no-learning baseline: the same episodes on the unseen classes by nearest raw pixels.</summary>
    public OneShotResult UnseenPixels { get; }
    /// <summary>The no-learning baseline on the held-out images of the seen classes.</summary>
    public OneShotResult SeenHeldOutPixels { get; }
    /// <summary>Accuracies during training (empty unless tracking was asked for).</summary>
    public IReadOnlyList<OneShotCheckpoint> Checkpoints { get; }
    /// <summary>The network inputs of every image of the unseen classes.</summary>
    public float[][] UnseenInputs { get; }
    /// <summary>Their digits.</summary>
    public int[] UnseenLabels { get; }
    /// <summary>The network inputs of the held-out images of the seen classes.</summary>
    public float[][] SeenHeldOutInputs { get; }
    /// <summary>Their digits.</summary>
    public int[] SeenHeldOutLabels { get; }

    /// <summary>Frees the network.</summary>
    public void Dispose() => Model.Dispose();
}

/// <summary>
/// The seminar's one-shot experiment on the UCI digits: a Siamese network is trained with the contrastive loss on pairs
/// of the seen digits only (default 0–4; 75% of their images, the rest held out), then each class of the unseen digits
/// (5–9) gets a single labelled example and every other image is classified by its nearest example in the embedding.
/// </summary>
public static class OneShotDigits
{
    /// <summary>Runs the experiment.</summary>
    /// <param name="digits">The data set.</param>
    /// <param name="options">Siamese settings (seed included).</param>
    /// <param name="seenClasses">The digits used for training (default 0–4); all others are unseen.</param>
    /// <param name="episodes">One-shot episodes (random support sets) per evaluation. Default 20.</param>
    /// <param name="trackDuringTraining">Also measure both one-shot accuracies (5 episodes each) at every record.</param>
    /// <param name="contrastiveLoss">The loss to train with, MeanContrastiveLoss(distances, labels, margin) (notebook 10's exercise); null: <see cref="ContrastiveLoss.Mean"/>. See <see cref="SiameseTrainer.Train"/>.</param>
    /// <param name="cancellationToken">Stops training.</param>
    public static OneShotDigitsResult Run(Digits digits, SiameseOptions? options = null, IReadOnlyList<int>? seenClasses = null, int episodes = 20,
        bool trackDuringTraining = false, Func<double[], int[], double, double>? contrastiveLoss = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(digits);
        options ??= new SiameseOptions();
        var seen = (seenClasses ?? [0, 1, 2, 3, 4]).ToArray();
        if (seen.Length < 2 || seen.Any(c => c < 0 || c >= Digits.ClassCount) || seen.Distinct().Count() != seen.Length)
            throw new ArgumentException("seenClasses must be at least two distinct digits 0..9.", nameof(seenClasses));
        var unseen = Enumerable.Range(0, Digits.ClassCount).Except(seen).ToArray();
        if (unseen.Length < 2) throw new ArgumentException("at least two digits must stay unseen.", nameof(seenClasses));

        var (train, heldOut) = digits.Split(0.25, options.Seed);
        var trainIndices = Enumerable.Range(0, train.Count).Where(i => seen.Contains(train.Labels[i])).ToArray();
        var trainInputs = trainIndices.Select(i => DigitMeasures.Scaled(train.Images[i])).ToArray();
        var trainLabels = trainIndices.Select(i => train.Labels[i]).ToArray();
        var seenHeld = Enumerable.Range(0, heldOut.Count).Where(i => seen.Contains(heldOut.Labels[i])).ToArray();
        var seenHeldInputs = seenHeld.Select(i => DigitMeasures.Scaled(heldOut.Images[i])).ToArray();
        var seenHeldLabels = seenHeld.Select(i => heldOut.Labels[i]).ToArray();
        var unseenAll = Enumerable.Range(0, digits.Count).Where(i => unseen.Contains(digits.Labels[i])).ToArray();   // never trained on: all of them
        var unseenInputs = unseenAll.Select(i => DigitMeasures.Scaled(digits.Images[i])).ToArray();
        var unseenLabels = unseenAll.Select(i => digits.Labels[i]).ToArray();

        var checkpoints = new List<OneShotCheckpoint>();
        Action<SiameseRecord, SiameseModel>? track = trackDuringTraining
            ? (record, model) => checkpoints.Add(new OneShotCheckpoint(record.Update,
                OneShot.Evaluate(model.Embed(seenHeldInputs), seenHeldLabels, seen, episodes: 5, seed: 1).Accuracy,
                OneShot.Evaluate(model.Embed(unseenInputs), unseenLabels, unseen, episodes: 5, seed: 1).Accuracy))
            : null;
        var siamese = SiameseTrainer.Train(trainInputs, trainLabels, options, contrastiveLoss, track, cancellationToken);

        return new OneShotDigitsResult(siamese, seen, unseen,
            OneShot.Evaluate(siamese.Embed(unseenInputs), unseenLabels, unseen, episodes, seed: 1),
            OneShot.Evaluate(siamese.Embed(seenHeldInputs), seenHeldLabels, seen, episodes, seed: 1),
            OneShot.Evaluate(unseenInputs, unseenLabels, unseen, episodes, seed: 1),
            OneShot.Evaluate(seenHeldInputs, seenHeldLabels, seen, episodes, seed: 1),
            checkpoints, unseenInputs, unseenLabels, seenHeldInputs, seenHeldLabels);
    }
}
