using CourseLib.Environments;
using CourseLib.PolicyGradient;
using CourseLib.Training;
using TorchSharp;
using static TorchSharp.torch;

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
    /// Checks <c>Tensor SurrogateLoss(Tensor logProbabilities, Tensor weights, int episodeCount)</c>: the REINFORCE
    /// surrogate loss L = −(1/N) Σ_k w_k·log π(a_k|s_k) over all steps k of a batch of N episodes (the sum over steps
    /// divided by the number of episodes), as a TorchSharp function that autograd can differentiate: the check compares
    /// the loss and its gradient ∂L/∂log π_k = −w_k/N (what training follows) with the reference,
    /// <see cref="PolicyGradient.ReinforceLoss.Compute(TorchSharp.torch.Tensor, TorchSharp.torch.Tensor, int)"/>.
    /// </summary>
    public static CheckReport ReinforceLoss(Func<Tensor, Tensor, int, Tensor> surrogateLoss)
    {
        ArgumentNullException.ThrowIfNull(surrogateLoss);
        return ReinforceLossCheck.Run(b => LossAndGradient(surrogateLoss, b));
    }

    /// <summary>
    /// Checks <c>double[] LogProbabilities(double[][] logits, int[] actions)</c>: log π(a_k|s_k) of the action taken at
    /// each step, from the policy's logits (a log-softmax that stays finite for logits like ±1000).
    /// </summary>
    public static CheckReport LogProbabilities(Func<double[][], int[], double[]> logProbabilities) =>
        LogProbabilitiesCheck.Run(b => logProbabilities(CaseDraws.Copy(b.Logits), CaseDraws.Copy(b.Actions)));

    /// <summary>
    /// Checks <c>double[] LogSoftmaxGradient(double[] logits, int action)</c>: the score function of a softmax policy,
    /// ∂ log π(a|s) / ∂z_b = [b = a] − π(b|s) for every logit z_b (REINFORCE's step pushes the logits along it).
    /// Reference: <see cref="ClassificationAsBandit.LogSoftmaxGradient"/>.
    /// </summary>
    public static CheckReport LogSoftmaxGradient(Func<double[], int, double[]> logSoftmaxGradient) =>
        LogSoftmaxGradientCheck.Run(c => logSoftmaxGradient(CaseDraws.Copy(c.Logits), c.Action));

    static double[] Softmax(double[] z) => Networks.Softmax.Of(z);

    // ∂ log softmax(z)_a / ∂z_b = [b = a] − softmax(z)_b  (the library's, which trains notebook 03's classifier)
    static double[] ReferenceLogSoftmaxGradient(double[] logits, int action) => ClassificationAsBandit.LogSoftmaxGradient(logits, action);

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
        for (int k = 0; k < actions.Length; k++) result[k] = logits[k][actions[k]] - Networks.Softmax.LogSumExp(logits[k]);
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

    // The loss and its gradient with respect to each log-probability, [L, ∂L/∂log π_0, …] (NaN: no gradient reached it).
    static double[] LossAndGradient(Func<Tensor, Tensor, int, Tensor> surrogateLoss, ReinforceBatch b)
    {
        using var threads = TorchThreads.One();
        using var scope = torch.NewDisposeScope();
        var logProbabilities = torch.tensor(b.LogProbabilities, ScalarType.Float64).requires_grad_();
        var weights = torch.tensor(b.Weights, ScalarType.Float64);
        var loss = surrogateLoss(logProbabilities, weights, b.EpisodeCount)
            ?? throw new InvalidOperationException("SurrogateLoss returned null: return the loss as a tensor.");
        if (loss.numel() != 1)
            throw new InvalidOperationException($"SurrogateLoss returned a tensor of shape [{string.Join(", ", loss.shape)}]; the loss is one number (sum over the steps).");
        var answer = new double[1 + b.Weights.Length];
        answer[0] = loss.ToDouble();
        Array.Fill(answer, double.NaN, 1, b.Weights.Length);
        if (loss.requires_grad)
        {
            loss.backward();
            if (logProbabilities.grad is { } gradient) gradient.data<double>().ToArray().CopyTo(answer, 1);
        }
        return answer;
    }

    // [L, ∂L/∂log π_k = −w_k/N]
    static double[] ReferenceLossAndGradient(ReinforceBatch b) =>
        [ReferenceReinforceLoss(b.LogProbabilities, b.Weights, b.EpisodeCount), .. b.Weights.Select(w => -w / b.EpisodeCount)];

    static string ShowLossAndGradient(IReadOnlyList<double> answer) =>
        $"L = {Show.Number(answer[0])}, ∂L/∂logProbabilities = {Show.Vector(answer.Skip(1).ToArray())}";

    static Mismatch? VerifyLossAndGradient(ReinforceBatch b, double[] got)
    {
        var expected = ReferenceLossAndGradient(b);
        if (got.Length != expected.Length)
            return new Mismatch(ShowLossAndGradient(expected), $"{got.Length} numbers (the check expected the loss and {b.Weights.Length} gradients)");
        if (!Compare.Close(expected[0], got[0]))
        {
            var (e, g) = Show.Pair(expected[0], got[0]);
            return new Mismatch($"L = {e}", $"L = {g}");
        }
        if (got.Skip(1).Any(double.IsNaN))
            return new Mismatch(ShowLossAndGradient(expected), $"L = {Show.Number(got[0])} without a gradient: backward() does not reach logProbabilities");
        return Compare.VectorsClose(expected, got) ? null : new Mismatch(ShowLossAndGradient(expected), ShowLossAndGradient(got));
    }

    static bool Transformed(ReinforceBatch b, double[] got, Func<double[], double[]> weights, Func<double[], double[]>? logProbabilities = null)
    {
        var changed = new ReinforceBatch(logProbabilities?.Invoke(b.LogProbabilities) ?? b.LogProbabilities, weights(b.Weights), b.EpisodeCount);
        return got.Length == 1 + b.Weights.Length && Compare.Close(ReferenceLossAndGradient(changed)[0], got[0]);
    }

    internal static readonly CheckDefinition<ReinforceBatch, double[]> ReinforceLossCheck = new()
    {
        Name = nameof(ReinforceLoss),
        Title = "the REINFORCE loss −(1/N) Σ_k w_k·log π(a_k|s_k) on tensors, and its gradient",
        Cases = ReinforceCases,
        Describe = b => $"SurrogateLoss(tensor({Show.Vector(b.LogProbabilities)}), tensor({Show.Vector(b.Weights)}), episodeCount: {b.EpisodeCount})",
        ExpectedText = b => ShowLossAndGradient(ReferenceLossAndGradient(b)),
        Verify = VerifyLossAndGradient,
        Encode = Answers.Encode,
        Decode = Answers.DecodeVector,
        Mistakes =
        [
            new("The sign: the loss is −(1/N) Σ w·log π, so that gradient descent on it is gradient ascent on the expected return.",
                (b, got) => Transformed(b, got, w => w.Select(x => -x).ToArray())),
            new("Divide the sum by the number of episodes N, not by the number of steps (no .mean()): the estimator averages over episodes.",
                (b, got) => Transformed(b, got, w => w.Select(x => x * b.EpisodeCount / b.Weights.Length).ToArray())),
            new("The sum over steps must be divided by the number of episodes N.",
                (b, got) => Transformed(b, got, w => w.Select(x => x * b.EpisodeCount).ToArray())),
            new("The loss weighs log-probabilities (log π), not probabilities: use the tensor as given, without exp().",
                (b, got) => Transformed(b, got, w => w, lp => lp.Select(Math.Exp).ToArray())),
            new("No gradient reaches logProbabilities: build the loss from tensor operations on it (e.g. (weights * logProbabilities).sum()), not from .item<>() or arrays, so that backward() can follow it.",
                (b, got) => got.Length == 1 + b.Weights.Length && got.Skip(1).Any(double.IsNaN)),
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

/// <summary>
/// One REINFORCE update to check: a small policy network (layer sizes, initialised from a seed), a batch of steps
/// (observations, actions, weights, N episodes) and plain SGD's learning rate.
/// </summary>
internal sealed record StepCase(int[] Sizes, int NetworkSeed, double[][] Observations, int[] Actions, double[] Weights, int EpisodeCount, double LearningRate);

/// <summary>A training run of the outcome check: CartPole-v1 with a training seed and budget, then fresh evaluation episodes.</summary>
internal sealed record TrainingRun(int Seed, long TotalSteps, int EvaluationSeed);

public static partial class Check
{
    /// <summary>
    /// Checks <c>double ReinforceStep(Mlp network, optim.Optimizer optimizer, Tensor observations, Tensor actions, Tensor weights, int episodeCount)</c>,
    /// one REINFORCE update with TorchSharp's autograd: log π(a_k|s_k) from the network's logits (log_softmax, then gather
    /// the taken actions), the loss L = −(1/N) Σ_k w_k log π(a_k|s_k), <c>zero_grad</c>, <c>backward</c>, <c>step</c>; it
    /// returns L before the step. Each case gives a small float64 network (with gradients left over from an earlier
    /// backward pass, as in training), a batch and plain SGD, and compares the returned loss and every parameter after
    /// the step with the reference update, <see cref="PolicyGradient.Reinforce.Step"/>.
    /// </summary>
    public static CheckReport ReinforceStep(Func<Mlp, optim.Optimizer, Tensor, Tensor, Tensor, int, double> reinforceStep)
    {
        ArgumentNullException.ThrowIfNull(reinforceStep);
        return ReinforceStepCheck.Run(c => RunStep(c, reinforceStep));
    }

    /// <summary>
    /// The outcome check of notebook 02's "write the loop" exercise: trains a CartPole-v1 policy with the student's
    /// <c>ReinforceStep</c> as the update (everything else as <see cref="ReinforceOptions"/>' defaults: 4 → 128 tanh → 2,
    /// Adam 1e-2, batches of ≥ 5,000 steps, reward-to-go) from a training seed drawn from the check's seed, for at most
    /// <see cref="CartPoleBudget"/> steps, stopping early once the greedy policy reaches a mean of 475 on 20 evaluation
    /// episodes (evaluated every 10,000 steps: <see cref="CartPoleTrainingEvaluation"/>). The trained policy's weights go
    /// to the grader, which plays 20 fresh episodes (seeds it drew itself) with the greedy action and passes a mean
    /// return ≥ <see cref="CartPoleThreshold"/> (CartPole-v0's "solved").
    /// <para>Budget, measured on the course machine (benchmarks' <c>--reinforce-seeds 150000 40 every=10000 stop=475</c>,
    /// seeds 0–39, the reference update): see <see cref="CartPoleBudget"/>. One run takes 1–5 s of CPU time, well inside
    /// the grader's 60 s cell limit.</para>
    /// </summary>
    public static CheckReport ReinforceCartPole(Func<Mlp, optim.Optimizer, Tensor, Tensor, Tensor, int, double> reinforceStep)
    {
        ArgumentNullException.ThrowIfNull(reinforceStep);
        return ReinforceCartPoleCheck.Run(run => TrainCartPole(run, reinforceStep));
    }

    /// <summary>
    /// The outcome check's training budget in environment steps. Measured with the reference update on the course machine
    /// (seeds 0–39, <c>--reinforce-seeds 150000 40 every=10000 stop=475</c>): every seed reached 475 and stopped, the
    /// latest after 132,883 steps, and the stopped policies scored 448.8–500 on 20 fresh episodes, so ≥ 195 in 40 of 40
    /// (the brief asks for ≥ 9 of 10). Without the early stop, the policy after a fixed 100,000 steps scored ≥ 195 in only
    /// 35 of 40 seeds (seeds 20–59): plain REINFORCE's policy still swings between updates.
    /// </summary>
    public const long CartPoleBudget = 150_000;

    /// <summary>The mean return over 20 fresh greedy episodes the outcome check asks for.</summary>
    public const double CartPoleThreshold = 195;

    /// <summary>How the outcome check's training evaluates its greedy policy: every 10,000 steps, 20 episodes (seeds 10,000+), stop at a mean of 475.</summary>
    public static EvaluationOptions CartPoleTrainingEvaluation { get; } = new() { EverySteps = 10_000, Episodes = 20, Seed = 10_000, StopAtMeanReturn = 475 };

    // ---- the unit check: one update

    static Mlp StepNetwork(StepCase c)
    {
        var network = new Mlp(c.Sizes[0], c.Sizes[1..^1], c.Sizes[^1], MlpActivation.Tanh, c.NetworkSeed);
        network.to(ScalarType.Float64);
        // Gradients from an earlier backward pass are still there, as in training: an update must zero them first.
        using var scope = torch.NewDisposeScope();
        var x = torch.ones(1, c.Sizes[0], ScalarType.Float64);
        (network.forward(x).sum() * 3).backward();
        return network;
    }

    static double[] RunStep(StepCase c, Func<Mlp, optim.Optimizer, Tensor, Tensor, Tensor, int, double> step)
    {
        using var threads = TorchThreads.One();
        using var network = StepNetwork(c);
        using var optimizer = optim.SGD(network.parameters(), c.LearningRate);
        double loss;
        using (var scope = torch.NewDisposeScope())
        {
            var observations = torch.tensor(c.Observations.SelectMany(o => o).ToArray(), ScalarType.Float64).reshape(c.Observations.Length, c.Sizes[0]);
            var actions = torch.tensor(c.Actions.Select(a => (long)a).ToArray(), ScalarType.Int64);
            var weights = torch.tensor(c.Weights, ScalarType.Float64);
            loss = step(network, optimizer, observations, actions, weights, c.EpisodeCount);
        }
        var answer = new List<double> { loss };
        using (torch.no_grad())
            foreach (var p in network.parameters())
                using (var values = p.detach().to_type(ScalarType.Float64).contiguous())
                    answer.AddRange(values.data<double>().ToArray());
        return answer.ToArray();
    }

    // The reference update (PolicyGradient.Reinforce.Step) and some wrong ones, for the hints.
    static double[] ReferenceStep(StepCase c) => RunStep(c, (n, o, x, a, w, e) => PolicyGradient.Reinforce.Step(n, o, x, a, w, e));

    static double[] WrongStep(StepCase c, bool zeroGradients = true, bool step = true, bool probabilities = false) => RunStep(c, (network, optimizer, x, a, w, episodes) =>
    {
        using var scope = torch.NewDisposeScope();
        var logPolicy = torch.nn.functional.log_softmax(network.forward(x), 1);
        var taken = logPolicy.gather(1, a.reshape(-1, 1)).reshape(-1);
        if (probabilities) taken = taken.exp();
        var loss = (taken * w).sum().neg() / episodes;
        if (zeroGradients) optimizer.zero_grad();
        loss.backward();
        if (step) optimizer.step();
        return loss.ToDouble();
    });

    static int ParameterCount(int[] sizes) => Enumerable.Range(0, sizes.Length - 1).Sum(l => (sizes[l] + 1) * sizes[l + 1]);

    static string ShowStep(IReadOnlyList<double> answer) => $"loss {Show.Number(answer[0])}, parameters after the step {Show.Vector(answer.Skip(1).ToArray())}";

    static Mismatch? VerifyStep(StepCase c, double[] got)
    {
        int parameters = ParameterCount(c.Sizes);
        if (got.Length != 1 + parameters)
            return new Mismatch($"the loss and {parameters} parameters", $"{got.Length} numbers");
        var expected = ReferenceStep(c);
        if (!Compare.Close(expected[0], got[0]))
        {
            var (e, g) = Show.Pair(expected[0], got[0]);
            return new Mismatch($"the loss before the step {e}", $"{g}");
        }
        for (int i = 1; i < expected.Length; i++)
            if (!Compare.Close(expected[i], got[i]))
            {
                var (e, g) = Show.Pair(expected[i], got[i]);
                return new Mismatch(ShowStep(expected), $"{ShowStep(got)} (first difference at parameter {i - 1}: expected {e}, got {g})");
            }
        return null;
    }

    static IEnumerable<CheckCase<StepCase>> StepCases(Rng rng, bool hidden)
    {
        StepCase Random(int inputs, int hiddenUnits, int actions, int steps, int episodes, double learningRate) =>
            new([inputs, hiddenUnits, actions], rng.NextInt(1_000_000), CaseDraws.Rows(rng, steps, inputs, -1, 1),
                Enumerable.Range(0, steps).Select(_ => rng.NextInt(actions)).ToArray(), CaseDraws.Vector(rng, steps, -2, 2), episodes, learningRate);
        yield return new("one episode of three steps, 2 → 4 → 2 network", Random(2, 4, 2, 3, 1, 0.5));
        yield return new("three episodes, nine steps: divide by N = 3, not by the 9 steps", Random(3, 5, 2, 9, 3, 0.5));
        yield return new("three actions, two episodes", Random(4, 6, 3, 6, 2, 0.2));
        yield return new("all weights negative: every taken action becomes less likely", new([2, 3, 2], 7, [[0.5, -0.5], [1, 0], [-1, 0.25]], [0, 1, 1], [-1, -0.5, -2], 1, 0.5));
        yield return new("gradients of an earlier update are still there: zero them before backward()", Random(2, 3, 2, 4, 2, 1.0));
        for (int i = 0; i < CaseDraws.Count(hidden, 8); i++)
        {
            int steps = rng.NextInt(1, 21);
            yield return new($"random batch {i + 1}", Random(rng.NextInt(2, 7), rng.NextInt(3, 9), rng.NextInt(2, 5), steps,
                rng.NextInt(1, Math.Min(steps, 5) + 1), CaseDraws.Pick(rng, 0.1, 0.5, 1.0)));
        }
    }

    // The answer is what a known mistake gives (computed only for answers of the right length).
    static bool LooksLike(StepCase c, double[] got, Func<double[]> wrong) =>
        got.Length == 1 + ParameterCount(c.Sizes) && Compare.VectorsClose(wrong(), got);

    internal static readonly CheckDefinition<StepCase, double[]> ReinforceStepCheck = new()
    {
        Name = nameof(ReinforceStep),
        Title = "one REINFORCE update with autograd: log_softmax, gather, −(1/N) Σ w log π, zero_grad, backward, step",
        Cases = StepCases,
        Describe = c => $"ReinforceStep(network {string.Join(" → ", c.Sizes)} (seed {c.NetworkSeed}, float64), SGD lr {Show.Number(c.LearningRate)}, " +
                        $"observations {Show.Rows(c.Observations)}, actions {Show.Vector(c.Actions)}, weights {Show.Vector(c.Weights)}, episodeCount: {c.EpisodeCount})",
        ExpectedText = c => ShowStep(ReferenceStep(c)),
        Verify = VerifyStep,
        Encode = Answers.Encode,
        Decode = DecodeBoundedVector,
        Mistakes =
        [
            new("The sign: the loss is −(1/N) Σ w·log π; the step moved the parameters the other way (gradient descent on it is ascent on J).",
                (c, got) => LooksLike(c, got, () => ReferenceStep(c with { Weights = c.Weights.Select(w => -w).ToArray() }))),
            new("Divide the sum by the number of episodes N (episodeCount), not by the number of steps: no .mean() over the steps.",
                (c, got) => LooksLike(c, got, () => ReferenceStep(c with { Weights = c.Weights.Select(w => w * c.EpisodeCount / c.Weights.Length).ToArray() }))),
            new("The sum over the steps must be divided by the number of episodes N (episodeCount).",
                (c, got) => LooksLike(c, got, () => ReferenceStep(c with { Weights = c.Weights.Select(w => w * c.EpisodeCount).ToArray() }))),
            new("Call optimizer.zero_grad() before loss.backward(): backward() adds to the gradients already there (from the previous update).",
                (c, got) => LooksLike(c, got, () => WrongStep(c, zeroGradients: false))),
            new("The parameters did not change: call optimizer.step() after loss.backward().",
                (c, got) => LooksLike(c, got, () => WrongStep(c, step: false))),
            new("The loss weighs log-probabilities: log_softmax of the logits, then gather the taken actions (not softmax, not exp).",
                (c, got) => LooksLike(c, got, () => WrongStep(c, probabilities: true))),
        ],
    };

    // ---- the outcome check: train CartPole with the student's update

    static IEnumerable<CheckCase<TrainingRun>> TrainingRuns(Rng rng, bool hidden)
    {
        for (int i = 0; i < (hidden ? 2 : 1); i++)
        {
            int seed = rng.NextInt(1, 1_000_000), evaluationSeed = rng.NextInt(1_000_000, 2_000_000);
            yield return new($"CartPole-v1, training seed {seed}, {CartPoleBudget:N0} steps", new(seed, CartPoleBudget, evaluationSeed));
        }
    }

    static double[] TrainCartPole(TrainingRun run, Func<Mlp, optim.Optimizer, Tensor, Tensor, Tensor, int, double> step)
    {
        var result = PolicyGradient.Reinforce.TrainWithStep(
            new ReinforceOptions { Seed = run.Seed, TotalSteps = run.TotalSteps, Evaluation = CartPoleTrainingEvaluation }, step);
        using var policy = result.Agent;
        var weights = new List<double>();
        using (torch.no_grad())
            foreach (var p in policy.Network.parameters())
                using (var values = p.detach().to_type(ScalarType.Float64).contiguous())
                    weights.AddRange(values.data<double>().ToArray());
        return weights.ToArray();
    }

    /// <summary>The policy the outcome check trains: CartPole's 4 observations → 128 tanh → 2 logits (ReinforceOptions' defaults).</summary>
    static readonly int[] CartPolePolicySizes = [CartPoleObservation.Length, 128, 2];

    /// <summary>
    /// The grader's own evaluation of trained weights (no torch, nothing of the submission's code): the greedy action of
    /// the 4 → 128 tanh → 2 network, on 20 CartPole-v1 episodes reset from evaluationSeed, evaluationSeed + 1, …
    /// </summary>
    internal static double[] GreedyReturns(double[] weights, int evaluationSeed, int episodes = 20)
    {
        int inputs = CartPolePolicySizes[0], hidden = CartPolePolicySizes[1], actions = CartPolePolicySizes[2];
        int w2 = inputs * hidden + hidden, b2 = w2 + actions * hidden;
        var h = new double[hidden];
        var x = new float[inputs];
        var environment = new CartPole();
        int Act(CartPoleObservation observation)
        {
            observation.CopyTo(x);
            for (int j = 0; j < hidden; j++)
            {
                double z = weights[inputs * hidden + j];
                for (int i = 0; i < inputs; i++) z += weights[j * inputs + i] * x[i];
                h[j] = Math.Tanh(z);
            }
            int best = 0;
            double bestLogit = double.NegativeInfinity;
            for (int a = 0; a < actions; a++)
            {
                double z = weights[b2 + a];
                for (int j = 0; j < hidden; j++) z += weights[w2 + a * hidden + j] * h[j];
                if (z > bestLogit) { bestLogit = z; best = a; }
            }
            return best;
        }
        return Evaluation.Run(environment, Act, new EvaluationOptions { Episodes = episodes, Seed = evaluationSeed }).Returns;
    }

    static string Outcome(double[] returns) =>
        $"a mean return of {Show.Number(Math.Round(returns.Average(), 1))} over {returns.Length} fresh greedy episodes (lowest {returns.Min()}, highest {returns.Max()})";

    static Mismatch? VerifyOutcome(TrainingRun run, double[] weights)
    {
        int expected = ParameterCount(CartPolePolicySizes);
        string wanted = $"a policy with a mean return ≥ {CartPoleThreshold} over 20 fresh greedy episodes";
        if (weights.Length != expected) return new Mismatch(wanted, $"{weights.Length} weights (the 4 → 128 → 2 policy has {expected})");
        if (weights.Any(w => !double.IsFinite(w))) return new Mismatch(wanted, "weights that are NaN or infinite (the training diverged)");
        var returns = GreedyReturns(weights, run.EvaluationSeed);
        return returns.Average() >= CartPoleThreshold ? null : new Mismatch(wanted, Outcome(returns));
    }

    internal static readonly CheckDefinition<TrainingRun, double[]> ReinforceCartPoleCheck = new()
    {
        Name = nameof(ReinforceCartPole),
        Title = $"REINFORCE with your update balances CartPole: a mean return ≥ {CartPoleThreshold} over 20 fresh episodes within {CartPoleBudget:N0} steps",
        Cases = TrainingRuns,
        Describe = run => $"Reinforce.Train(new CartPole(), new ReinforceOptions {{ Seed = {run.Seed}, TotalSteps = {run.TotalSteps}, Evaluation = (every 10,000 steps, stop at 475) }}, " +
                          $"step: ReinforceStep, evaluationEnvironment: new CartPole()), then 20 greedy episodes from seed {run.EvaluationSeed}",
        ExpectedText = _ => $"a policy with a mean return ≥ {CartPoleThreshold} over 20 fresh greedy episodes",
        Verify = VerifyOutcome,
        Encode = Answers.Encode,
        Decode = DecodeBoundedVector,
        Mistakes =
        [
            new("The policy is no better than pushing at random (a mean return below 30): check the sign of the loss, and that the update calls zero_grad, backward and step.",
                (run, weights) => weights.Length == ParameterCount(CartPolePolicySizes) && weights.All(double.IsFinite)
                    && GreedyReturns(weights, run.EvaluationSeed).Average() < 30),
        ],
    };

    /// <summary>A vector answer of at most <see cref="Answers.MaxMatrixEntries"/> numbers (a forged answer is a wrong one, never a huge allocation).</summary>
    static double[] DecodeBoundedVector(System.Text.Json.Nodes.JsonNode? node)
    {
        if (node is System.Text.Json.Nodes.JsonArray array && array.Count > Answers.MaxMatrixEntries)
            throw new FormatException($"a vector of {array.Count} numbers, more than {Answers.MaxMatrixEntries}");
        return Answers.DecodeVector(node);
    }
}
