namespace CourseLib.Exercises;

/// <summary>A batch of steps for the REINFORCE loss: log π(a_k|s_k), the weights w_k, and N episodes.</summary>
internal sealed record ReinforceBatch(double[] LogProbabilities, double[] Weights, int EpisodeCount);

/// <summary>One state's logits and the action taken.</summary>
internal sealed record LogitsAndAction(double[] Logits, int Action);

/// <summary>Policy logits, one row per step, and the action taken at each step.</summary>
internal sealed record LogitsAndActions(double[][] Logits, int[] Actions);

public static partial class Check
{
    /// <summary>
    /// Checks <c>double ReinforceLoss(double[] logProbabilities, double[] weights, int episodeCount)</c>: the REINFORCE
    /// surrogate loss L = −(1/N) Σ_k w_k·log π(a_k|s_k) over all steps k of a batch of N episodes (the sum over steps
    /// divided by the number of episodes).
    /// </summary>
    public static CheckReport ReinforceLoss(Func<double[], double[], int, double> reinforceLoss) =>
        ReinforceLossCheck.Run(b => reinforceLoss(CaseDraws.Copy(b.LogProbabilities), CaseDraws.Copy(b.Weights), b.EpisodeCount));

    /// <summary>
    /// Checks <c>double[] LogProbabilities(double[][] logits, int[] actions)</c>: log π(a_k|s_k) of the action taken at
    /// each step, from the policy's logits (a log-softmax that stays finite for logits like ±1000).
    /// </summary>
    public static CheckReport LogProbabilities(Func<double[][], int[], double[]> logProbabilities) =>
        LogProbabilitiesCheck.Run(b => logProbabilities(CaseDraws.Copy(b.Logits), CaseDraws.Copy(b.Actions)));

    /// <summary>
    /// Checks <c>double[] LogSoftmaxGradient(double[] logits, int action)</c>: the score function of a softmax policy,
    /// ∂ log π(a|s) / ∂z_b = [b = a] − π(b|s) for every logit z_b (REINFORCE's step pushes the logits along it).
    /// </summary>
    public static CheckReport LogSoftmaxGradient(Func<double[], int, double[]> logSoftmaxGradient) =>
        LogSoftmaxGradientCheck.Run(c => logSoftmaxGradient(CaseDraws.Copy(c.Logits), c.Action));

    static double[] Softmax(double[] z)
    {
        double max = z.Max();
        var e = z.Select(x => Math.Exp(x - max)).ToArray();
        double sum = e.Sum();
        return e.Select(x => x / sum).ToArray();
    }

    // ∂ log softmax(z)_a / ∂z_b = [b = a] − softmax(z)_b
    static double[] ReferenceLogSoftmaxGradient(double[] logits, int action) =>
        Softmax(logits).Select((p, b) => (b == action ? 1 : 0) - p).ToArray();

    static IEnumerable<CheckCase<LogitsAndAction>> GradientCases(Rng rng, bool hidden)
    {
        yield return new("equal logits: 1 − 1/|A| for the action, −1/|A| for the others", new([0, 0, 0, 0], 1));
        yield return new("one action only: nothing to change", new([2.5], 0));
        yield return new("a nearly certain action: a gradient near 0", new([10, 0, 0], 0));
        yield return new("an unlikely action: pushed up by nearly 1", new([0, 10, 0], 0));
        yield return new("large logits: subtract the largest before exp", new([1000, 999, -1000], 1));
        for (int i = 0; i < CaseDraws.Count(hidden, 40); i++)
        {
            int actions = rng.NextInt(2, 11);
            yield return new($"random state {i + 1}", new(CaseDraws.Vector(rng, actions, -5, 5), rng.NextInt(actions)));
        }
    }

    internal static readonly CheckDefinition<LogitsAndAction, double[]> LogSoftmaxGradientCheck = new()
    {
        Name = nameof(LogSoftmaxGradient),
        Title = "the score function ∇_z log π(a) = onehot(a) − softmax(z)",
        Cases = GradientCases,
        Describe = c => $"LogSoftmaxGradient({Show.Vector(c.Logits)}, action: {c.Action})",
        ExpectedText = c => Show.Vector(ReferenceLogSoftmaxGradient(c.Logits, c.Action)),
        Verify = (c, got) => Compare.Vector(ReferenceLogSoftmaxGradient(c.Logits, c.Action), got),
        Encode = Answers.Encode,
        Decode = Answers.DecodeVector,
        Mistakes =
        [
            new("The sign: ∂ log π(a)/∂z_a = 1 − π(a) is positive (raising a's own logit makes a more likely); the answers are π − onehot.",
                (c, got) => Compare.VectorsClose(ReferenceLogSoftmaxGradient(c.Logits, c.Action).Select(x => -x).ToArray(), got)),
            new("That is the gradient of π(a), not of log π(a): divide by π(a) (the log-derivative trick), which leaves onehot(a) − π.",
                (c, got) => Compare.VectorsClose(ReferenceLogSoftmaxGradient(c.Logits, c.Action).Select(x => x * Softmax(c.Logits)[c.Action]).ToArray(), got)),
            new("exp of a large logit overflows to ∞ (and ∞/∞ is NaN): subtract the largest logit before exponentiating.",
                (c, got) => got.Any(x => !double.IsFinite(x))),
            new("Every logit moves, not only the action's: the others get −π(b), because raising them makes a less likely.",
                (c, got) => Compare.VectorsClose(c.Logits.Select((_, b) => b == c.Action ? 1 - Softmax(c.Logits)[b] : 0).ToArray(), got)),
        ],
    };

    // L = −(1/N) Σ_k w_k log π(a_k|s_k)  (the library's ReinforceLoss.Compute)
    static double ReferenceReinforceLoss(double[] logProbabilities, double[] weights, int episodeCount) =>
        PolicyGradient.ReinforceLoss.Compute(logProbabilities, weights, episodeCount);

    // log softmax(z)[a] = z_a − m − log Σ_b exp(z_b − m), m = max_b z_b
    static double[] ReferenceLogProbabilities(double[][] logits, int[] actions)
    {
        var result = new double[actions.Length];
        for (int k = 0; k < actions.Length; k++)
        {
            double max = logits[k].Max(), sum = 0;
            foreach (var z in logits[k]) sum += Math.Exp(z - max);
            result[k] = logits[k][actions[k]] - max - Math.Log(sum);
        }
        return result;
    }

    static IEnumerable<CheckCase<ReinforceBatch>> ReinforceCases(Rng rng, bool hidden)
    {
        yield return new("one episode of one step: L = −w·log π", new([-0.5], [2], 1));
        yield return new("one episode: the sum over its steps", new([-0.1, -1.2, -0.7], [3, 2, 1], 1));
        yield return new("four episodes: divide by the number of episodes N = 4, not by the 8 steps",
            new([-0.2, -0.4, -1.1, -0.3, -2, -0.05, -0.6, -0.9], [1, -1, 0.5, 2, -0.5, 1.5, 1, 0.25], 4));
        yield return new("all weights 0: nothing to learn, the loss is 0", new([-0.3, -2.5], [0, 0], 1));
        yield return new("a certain action (log π = 0) contributes nothing", new([0, -1], [5, 1], 2));
        yield return new("negative weights (a worse-than-baseline action)", new([-0.7, -0.2], [-1.5, -3], 1));
        for (int i = 0; i < CaseDraws.Count(hidden, 40); i++)
        {
            int steps = rng.NextInt(1, 41), episodes = rng.NextInt(1, Math.Min(steps, 6) + 1);
            yield return new($"random batch {i + 1}", new(CaseDraws.Vector(rng, steps, -3, 0), CaseDraws.Vector(rng, steps, -2, 2), episodes));
        }
    }

    static IEnumerable<CheckCase<LogitsAndActions>> LogitCases(Rng rng, bool hidden)
    {
        yield return new("equal logits: log π = log(1/|A|)", new([[0, 0, 0, 0]], [2]));
        yield return new("one action only: log π = 0", new([[1.7]], [0]));
        yield return new("large logits: exp(1000) overflows, subtract the largest logit first", new([[1000, 0, -1000], [1000, 999, 0]], [1, 0]));
        yield return new("very negative logits: exp(−1000) underflows to 0", new([[-1000, -1001]], [1]));
        yield return new("several steps, each with its own action", new([[1, 2, 3], [0.5, -0.5, 0], [2, 2, -1]], [2, 0, 1]));
        for (int i = 0; i < CaseDraws.Count(hidden, 40); i++)
        {
            int steps = rng.NextInt(1, 21), actions = rng.NextInt(2, 7);
            var logits = CaseDraws.Rows(rng, steps, actions, -5, 5);
            var taken = Enumerable.Range(0, steps).Select(_ => rng.NextInt(actions)).ToArray();
            yield return new($"random batch {i + 1}", new(logits, taken));
        }
    }

    internal static readonly CheckDefinition<ReinforceBatch, double> ReinforceLossCheck = new()
    {
        Name = nameof(ReinforceLoss),
        Title = "the REINFORCE loss −(1/N) Σ_k w_k·log π(a_k|s_k)",
        Cases = ReinforceCases,
        Describe = b => $"ReinforceLoss({Show.Vector(b.LogProbabilities)}, {Show.Vector(b.Weights)}, episodeCount: {b.EpisodeCount})",
        ExpectedText = b => Show.Number(ReferenceReinforceLoss(b.LogProbabilities, b.Weights, b.EpisodeCount)),
        Verify = (b, got) => Compare.Scalar(ReferenceReinforceLoss(b.LogProbabilities, b.Weights, b.EpisodeCount), got),
        Encode = Answers.Encode,
        Decode = Answers.DecodeDouble,
        Mistakes =
        [
            new("The sign: the loss is −(1/N) Σ w·log π, so that gradient descent on it is gradient ascent on the expected return.",
                (b, got) => Compare.Close(-ReferenceReinforceLoss(b.LogProbabilities, b.Weights, b.EpisodeCount), got)),
            new("Divide the sum by the number of episodes N, not by the number of steps: the estimator averages over episodes.",
                (b, got) => Compare.Close(ReferenceReinforceLoss(b.LogProbabilities, b.Weights, b.EpisodeCount) * b.EpisodeCount / b.Weights.Length, got)),
            new("The sum over steps must be divided by the number of episodes N.",
                (b, got) => Compare.Close(ReferenceReinforceLoss(b.LogProbabilities, b.Weights, b.EpisodeCount) * b.EpisodeCount, got)),
            new("The loss weighs log-probabilities (log π), not probabilities: use the numbers as given, without exp.",
                (b, got) => Compare.Close(ReferenceReinforceLoss(b.LogProbabilities.Select(Math.Exp).ToArray(), b.Weights, b.EpisodeCount), got)),
        ],
    };

    internal static readonly CheckDefinition<LogitsAndActions, double[]> LogProbabilitiesCheck = new()
    {
        Name = nameof(LogProbabilities),
        Title = "log π(a|s) from logits (a stable log-softmax)",
        Cases = LogitCases,
        Describe = b => $"LogProbabilities({Show.Rows(b.Logits)}, {Show.Vector(b.Actions)})",
        ExpectedText = b => Show.Vector(ReferenceLogProbabilities(b.Logits, b.Actions)),
        Verify = (b, got) => Compare.Vector(ReferenceLogProbabilities(b.Logits, b.Actions), got),
        Encode = Answers.Encode,
        Decode = Answers.DecodeVector,
        Mistakes =
        [
            new("exp of a large logit overflows to ∞ (and ∞/∞ is NaN): subtract the row's largest logit before exponentiating, log π_a = z_a − m − log Σ_b exp(z_b − m).",
                (b, got) => got.Any(x => !double.IsFinite(x))),
            new("A logit is not yet a log-probability: subtract log Σ_b exp(z_b) (the log-softmax normalises the row).",
                (b, got) => Compare.VectorsClose(b.Actions.Select((a, k) => b.Logits[k][a]).ToArray(), got)),
            new("The answers look like probabilities π(a|s); the loss needs their logarithm.",
                (b, got) => Compare.VectorsClose(ReferenceLogProbabilities(b.Logits, b.Actions).Select(Math.Exp).ToArray(), got)),
        ],
    };
}
