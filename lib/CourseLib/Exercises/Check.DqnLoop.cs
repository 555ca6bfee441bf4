using CourseLib.Environments;
using CourseLib.Training;
using CourseLib.ValueBased.Deep;
using TorchSharp;
using static TorchSharp.torch;
using Sequential = TorchSharp.Modules.Sequential;

namespace CourseLib.Exercises;

/// <summary>
/// One DQN update to check: a small Q-network and a target network with other weights (layer sizes, seeds), a
/// minibatch of transitions, γ, the gradient-norm limit and plain SGD's learning rate (SGD, not Adam, so that the
/// step shows the gradient's size: Adam's first step is ±η whatever the gradient).
/// </summary>
internal sealed record DqnUpdateCase(int[] Sizes, int NetworkSeed, int TargetSeed, double[][] Observations, int[] Actions, double[] Rewards,
    double[][] NextObservations, bool[] Terminated, double Gamma, double MaxGradientNorm, double LearningRate);

/// <summary>A training run of the outcome check: CartPole-v1 with the student's update from a training seed, and the grader's evaluation seed.</summary>
internal sealed record DqnTrainingRun(int Seed, long TotalSteps, int EvaluationSeed);

public static partial class Check
{
    /// <summary>
    /// Checks <c>double DqnUpdate(Sequential q, Sequential target, optim.Optimizer optimizer, DqnMinibatch batch, double gamma,
    /// double maxGradientNorm)</c>, one DQN update with TorchSharp (notebook 06's "write the loop" exercise): targets
    /// y = r + γ (1 − terminated) max_a' Q(s', a'; θ⁻) from the target network without a gradient, the mean Huber loss
    /// of Q(s, a; θ) − y (<c>smooth_l1_loss</c>), <c>zero_grad</c>, <c>backward</c>, <c>clip_grad_norm_</c> at
    /// maxGradientNorm, <c>step</c>; it returns the loss before the step. Each case gives a small float32 network (with
    /// gradients left over from an earlier backward pass, as in training), a target network with other weights, a
    /// minibatch and plain SGD, and compares the returned loss and every parameter of both networks afterwards with the
    /// reference, <see cref="ConciseDqn.Update(Sequential, Sequential, optim.Optimizer, DqnMinibatch, double, double)"/>.
    /// </summary>
    public static CheckReport DqnUpdate(Func<Sequential, Sequential, optim.Optimizer, DqnMinibatch, double, double, double> dqnUpdate)
    {
        ArgumentNullException.ThrowIfNull(dqnUpdate);
        return DqnUpdateCheck.Run(c => RunDqnUpdate(c, dqnUpdate));
    }

    /// <summary>
    /// The outcome check of the same exercise: trains CartPole-v1 with <see cref="ConciseDqn"/> and the student's
    /// <c>DqnUpdate</c> as its update, with <see cref="DqnCartPoleOptions"/> from a training seed drawn from the check's
    /// seed, for at most <see cref="DqnCartPoleBudget"/> steps, stopping once the greedy policy averages 195 over 10
    /// evaluation episodes (evaluated every 1,000 steps). The network of the best evaluation (the one that stopped the
    /// run, else the best within the budget) goes to the grader as weights, which plays 20
    /// fresh episodes (seeds it drew itself) with the greedy action, computed by its own code, and passes a mean return
    /// ≥ <see cref="DqnCartPoleThreshold"/>. A run takes 1–8 s (most stop after 2,000–4,000 steps).
    /// </summary>
    public static CheckReport DqnCartPole(Func<Sequential, Sequential, optim.Optimizer, DqnMinibatch, double, double, double> dqnUpdate)
    {
        ArgumentNullException.ThrowIfNull(dqnUpdate);
        return DqnCartPoleCheck.Run(run => TrainDqnCartPole(run, dqnUpdate));
    }

    /// <summary>
    /// The outcome check's training budget in environment steps. Measured with the reference update on the course
    /// machine (benchmarks' <c>--dqn-loop-seeds 10000 40</c>: the check's training and the grader's evaluation, seeds
    /// 0–39; <c>path=concise</c> shows where each run stopped): 36 runs stopped at an evaluation ≥ 195, 30 of them within
    /// 4,000 steps; four (seeds 4, 12, 24, 27) did not within the budget and kept their best network. On 20 fresh
    /// episodes all 40 scored ≥ 150 (the lowest 154.2) and 35 ≥ 195. A run took 1.3–7.7 s with two side by side on the
    /// two cores. (With 20,000 steps: the same 40 of 40 ≥ 150, and runs up to 23 s.)
    /// </summary>
    public const long DqnCartPoleBudget = 10_000;

    /// <summary>
    /// The mean return over 20 fresh greedy episodes the outcome check asks for: 100, about five times a random
    /// policy's 22 (reached by the reference in 40 of 40 seeds, the lowest at 154.2: see
    /// <see cref="DqnCartPoleBudget"/>).
    /// </summary>
    public const double DqnCartPoleThreshold = 100;

    /// <summary>
    /// The settings the outcome check trains with: <see cref="DqnOptions.CartPoleTuned"/> as plain DQN (1-step targets,
    /// no double Q: the exercise's update), the target network refreshed every 100 steps, and greedy evaluations every
    /// 1,000 steps (10 episodes, seeds 10,000+) that stop the run at a mean of 195.
    /// </summary>
    public static DqnOptions DqnCartPoleOptions { get; } = DqnOptions.CartPoleTuned with
    {
        DoubleQ = false, NSteps = 1, TargetUpdateInterval = 100,
        Evaluation = new EvaluationOptions { EverySteps = 1_000, Episodes = 10, Seed = 10_000, StopAtMeanReturn = 195 },
    };

    // ---- the unit check: one update

    static Sequential DqnNetwork(int[] sizes, int seed) => ConciseDqn.Network(sizes[0], sizes[^1], sizes[1..^1], seed);

    static double[] RunDqnUpdate(DqnUpdateCase c, Func<Sequential, Sequential, optim.Optimizer, DqnMinibatch, double, double, double> update)
    {
        using var threads = TorchThreads.One();
        using var q = DqnNetwork(c.Sizes, c.NetworkSeed);
        using var target = DqnNetwork(c.Sizes, c.TargetSeed);
        using (var scope = torch.NewDisposeScope())
            (q.forward(torch.ones(1, c.Sizes[0])).sum() * 3).backward();   // gradients of an earlier update are still there
        using var optimizer = optim.SGD(q.parameters(), c.LearningRate);
        double loss;
        using (var scope = torch.NewDisposeScope())
        {
            int n = c.Sizes[0];
            var batch = new DqnMinibatch(
                torch.tensor(c.Observations.SelectMany(o => o).Select(x => (float)x).ToArray()).reshape(-1, n),
                torch.tensor(c.Actions.Select(a => (long)a).ToArray()),
                torch.tensor(c.Rewards.Select(r => (float)r).ToArray()),
                torch.tensor(c.NextObservations.SelectMany(o => o).Select(x => (float)x).ToArray()).reshape(-1, n),
                torch.tensor(c.Terminated.Select(d => d ? 1f : 0f).ToArray()));
            loss = update(q, target, optimizer, batch, c.Gamma, c.MaxGradientNorm);
        }
        var answer = new List<double> { loss };
        using (torch.no_grad())
            foreach (var p in q.parameters().Concat(target.parameters()))
                using (var values = p.detach().to_type(ScalarType.Float64).contiguous())
                    answer.AddRange(values.data<double>().ToArray());
        return answer.ToArray();
    }

    static double[] ReferenceDqnUpdate(DqnUpdateCase c) => RunDqnUpdate(c, ConciseDqn.Update);

    /// <summary>An update with one of the usual mistakes (for the hints).</summary>
    static double[] WrongDqnUpdate(DqnUpdateCase c, bool zeroGradients = true, bool step = true, bool clip = true, bool onlineTargets = false,
        bool ignoreTerminated = false, bool squaredError = false) => RunDqnUpdate(c, (q, target, optimizer, batch, gamma, maxGradientNorm) =>
    {
        using var scope = torch.NewDisposeScope();
        Tensor y;
        using (torch.no_grad())
        {
            var nextQ = (onlineTargets ? q : target).forward(batch.NextObservations).max(1).values;
            y = batch.Rewards + gamma * nextQ * (ignoreTerminated ? torch.ones_like(batch.Terminated) : 1 - batch.Terminated);
        }
        var predicted = q.forward(batch.Observations).gather(1, batch.Actions.unsqueeze(1)).squeeze(1);
        var loss = squaredError ? nn.functional.mse_loss(predicted, y) : nn.functional.smooth_l1_loss(predicted, y);
        if (zeroGradients) optimizer.zero_grad();
        loss.backward();
        if (clip) nn.utils.clip_grad_norm_(q.parameters(), maxGradientNorm);
        if (step) optimizer.step();
        return loss.item<float>();
    });

    static int DqnParameterCount(int[] sizes) => 2 * ParameterCount(sizes);

    // float32 networks: a right update computed in another order differs from the reference by float rounding.
    static bool Close32(double expected, double got) => Math.Abs(expected - got) <= 1e-5 * (1 + Math.Abs(expected));

    static string ShowDqnUpdate(DqnUpdateCase c, IReadOnlyList<double> answer)
    {
        int online = ParameterCount(c.Sizes);
        return $"loss {Show.Number(answer[0])}, q's parameters after the update {Show.Vector(answer.Skip(1).Take(online).ToArray())}, " +
               $"target's {Show.Vector(answer.Skip(1 + online).ToArray())}";
    }

    static Mismatch? VerifyDqnUpdate(DqnUpdateCase c, double[] got)
    {
        int parameters = DqnParameterCount(c.Sizes), online = ParameterCount(c.Sizes);
        if (got.Length != 1 + parameters)
            return new Mismatch($"the loss and the {parameters} parameters of both networks", $"{got.Length} numbers");
        var expected = ReferenceDqnUpdate(c);
        if (!Close32(expected[0], got[0]))
        {
            var (e, g) = Show.Pair(expected[0], got[0]);
            return new Mismatch($"the loss before the step {e}", $"{g}");
        }
        for (int i = 1; i < expected.Length; i++)
            if (!Close32(expected[i], got[i]))
            {
                var (e, g) = Show.Pair(expected[i], got[i]);
                string where = i <= online ? $"q's parameter {i - 1}" : $"the target network's parameter {i - 1 - online} (the update must not change θ⁻)";
                return new Mismatch(ShowDqnUpdate(c, expected), $"{ShowDqnUpdate(c, got)} (first difference at {where}: expected {e}, got {g})");
            }
        return null;
    }

    static IEnumerable<CheckCase<DqnUpdateCase>> DqnUpdateCases(Rng rng, bool hidden)
    {
        DqnUpdateCase Random(int[] sizes, int batch, double terminatedShare, double maxGradientNorm, double learningRate) =>
            new(sizes, rng.NextInt(1_000_000), rng.NextInt(1_000_000), CaseDraws.Rows(rng, batch, sizes[0], -1, 1),
                Enumerable.Range(0, batch).Select(_ => rng.NextInt(sizes[^1])).ToArray(), CaseDraws.Vector(rng, batch, -1, 2),
                CaseDraws.Rows(rng, batch, sizes[0], -1, 1), CaseDraws.Flags(rng, batch, terminatedShare), CaseDraws.Gamma(rng),
                maxGradientNorm, learningRate);
        yield return new("a batch of 4 transitions, 2 → 8 → 2 networks, none terminal, no clipping in effect", Random([2, 8, 2], 4, 0, 100, 0.5));
        yield return new("every transition terminal: y = r, the target network plays no part", Random([3, 6, 2], 5, 1, 100, 0.5));
        yield return new("rewards of 5 to 10: large TD errors, where the Huber loss is linear", Random([2, 6, 2], 6, 0.3, 100, 0.1) with
        {
            Rewards = CaseDraws.Vector(rng, 6, 5, 10),
        });
        yield return new("a gradient-norm limit of 0.05: clip_grad_norm_ rescales the gradient", Random([4, 8, 3], 8, 0.25, 0.05, 0.5));
        yield return new("gradients of an earlier update are still there: zero them before backward()", Random([2, 5, 2], 4, 0.25, 100, 1.0));
        yield return new("two hidden layers, three actions", Random([4, 6, 5, 3], 8, 0.25, 1, 0.5));
        for (int i = 0; i < CaseDraws.Count(hidden, 6); i++)
        {
            int inputs = rng.NextInt(2, 6), actions = rng.NextInt(2, 5);
            int[] sizes = rng.NextDouble() < 0.5 ? [inputs, rng.NextInt(3, 10), actions] : [inputs, rng.NextInt(3, 8), rng.NextInt(3, 8), actions];
            yield return new($"random batch {i + 1}", Random(sizes, rng.NextInt(1, 17), CaseDraws.Pick(rng, 0.0, 0.2, 0.5),
                CaseDraws.Pick(rng, 0.1, 1.0, 10.0), CaseDraws.Pick(rng, 0.1, 0.5, 1.0)));
        }
    }

    static bool LooksLike(DqnUpdateCase c, double[] got, Func<double[]> wrong) =>
        got.Length == 1 + DqnParameterCount(c.Sizes) && wrong() is var w && Enumerable.Range(0, w.Length).All(i => Close32(w[i], got[i]));

    internal static readonly CheckDefinition<DqnUpdateCase, double[]> DqnUpdateCheck = new()
    {
        Name = nameof(DqnUpdate),
        Title = "one DQN update with TorchSharp: y from the target network, mean Huber(Q(s, a) − y), zero_grad, backward, clip_grad_norm_, step",
        Cases = DqnUpdateCases,
        Describe = c => $"DqnUpdate(q: network {string.Join(" → ", c.Sizes)} (seed {c.NetworkSeed}), target: the same shape (seed {c.TargetSeed}), " +
                        $"SGD lr {Show.Number(c.LearningRate)}, batch: observations {Show.Rows(c.Observations)}, actions {Show.Vector(c.Actions)}, " +
                        $"rewards {Show.Vector(c.Rewards)}, nextObservations {Show.Rows(c.NextObservations)}, terminated {Show.Vector(c.Terminated)}, " +
                        $"gamma: {Show.Number(c.Gamma)}, maxGradientNorm: {Show.Number(c.MaxGradientNorm)})",
        ExpectedText = c => ShowDqnUpdate(c, ReferenceDqnUpdate(c)),
        Verify = VerifyDqnUpdate,
        Encode = Answers.Encode,
        Decode = DecodeBoundedVector,
        Mistakes =
        [
            new("The targets come from the target network: y = r + γ (1 − terminated) max_a' target.forward(s')[a'], not from q (and without a gradient: no_grad).",
                (c, got) => LooksLike(c, got, () => WrongDqnUpdate(c, onlineTargets: true))),
            new("A terminal transition has no future: multiply γ max Q(s', ·; θ⁻) by (1 − terminated).",
                (c, got) => !c.Terminated.All(d => !d) && LooksLike(c, got, () => WrongDqnUpdate(c, ignoreTerminated: true))),
            new("The loss is the mean Huber loss of δ = Q(s, a; θ) − y (nn.functional.smooth_l1_loss), not the squared error.",
                (c, got) => LooksLike(c, got, () => WrongDqnUpdate(c, squaredError: true))),
            new("Call optimizer.zero_grad() before loss.backward(): backward() adds to the gradients already there (from the previous update).",
                (c, got) => LooksLike(c, got, () => WrongDqnUpdate(c, zeroGradients: false))),
            new("Clip the gradient between backward() and step(): nn.utils.clip_grad_norm_(q.parameters(), maxGradientNorm).",
                (c, got) => LooksLike(c, got, () => WrongDqnUpdate(c, clip: false))),
            new("The parameters did not change: call optimizer.step() after loss.backward().",
                (c, got) => LooksLike(c, got, () => WrongDqnUpdate(c, step: false))),
        ],
    };

    // ---- the outcome check: train CartPole with the student's update

    static IEnumerable<CheckCase<DqnTrainingRun>> DqnTrainingRuns(Rng rng, bool hidden)
    {
        int seed = rng.NextInt(1, 1_000_000), evaluationSeed = rng.NextInt(1_000_000, 2_000_000);
        yield return new($"CartPole-v1, training seed {seed}, at most {DqnCartPoleBudget:N0} steps", new(seed, DqnCartPoleBudget, evaluationSeed));
    }

    /// <summary>
    /// Trains as the outcome check does and returns the weights of the network at its best evaluation: the one that
    /// stopped the run, or, if none reached the goal within the budget, the best one seen (DQN's greedy policy swings
    /// between evaluations; keeping the best is what a practitioner does, SB3's EvalCallback for one).
    /// </summary>
    internal static double[] TrainDqnCartPole(DqnTrainingRun run, Func<Sequential, Sequential, optim.Optimizer, DqnMinibatch, double, double, double> update)
    {
        double[] best = [];
        double bestReturn = double.NegativeInfinity;
        var result = ConciseDqn.TrainWithUpdate(new CartPole(), DqnCartPoleOptions with { Seed = run.Seed }, run.TotalSteps, new CartPole(), update,
            (q, record) =>
            {
                if (record.MeanReturn <= bestReturn) return;
                (bestReturn, best) = (record.MeanReturn, Weights(q));
            });
        using var trained = result.Agent;
        return best.Length > 0 ? best : Weights(trained);
    }

    static double[] Weights(Sequential q)
    {
        var weights = new List<double>();
        using (torch.no_grad())
            foreach (var p in q.parameters())
                using (var values = p.detach().to_type(ScalarType.Float64).contiguous())
                    weights.AddRange(values.data<double>().ToArray());
        return weights.ToArray();
    }

    /// <summary>The network the outcome check trains: CartPole's 4 observations → the hidden ReLU layers of <see cref="DqnCartPoleOptions"/> → 2 action values.</summary>
    static int[] DqnCartPoleSizes => [CartPoleObservation.Length, .. DqnCartPoleOptions.HiddenLayers, 2];

    /// <summary>
    /// The grader's own evaluation of trained weights (no torch, nothing of the submission's code): the greedy action of
    /// the ReLU network (weights in torch's order: each Linear's weight [out, in] row by row, then its bias), on 20
    /// CartPole-v1 episodes reset from evaluationSeed, evaluationSeed + 1, …
    /// </summary>
    internal static double[] DqnGreedyReturns(double[] weights, int evaluationSeed, int episodes = 20)
    {
        var sizes = DqnCartPoleSizes;
        var w = weights.Select(v => (float)v).ToArray();   // the network's own precision, float32
        var activations = sizes.Select(n => new float[n]).ToArray();
        int Act(CartPoleObservation observation)
        {
            observation.CopyTo(activations[0]);
            int offset = 0;
            for (int l = 0; l + 1 < sizes.Length; l++)
            {
                int inputs = sizes[l], outputs = sizes[l + 1], bias = offset + inputs * outputs;
                Networks.DenseForward.Affine(w.AsSpan(offset, inputs * outputs), w.AsSpan(bias, outputs), activations[l], activations[l + 1]);
                if (l + 2 < sizes.Length) Networks.DenseForward.Relu(activations[l + 1]);
                offset = bias + outputs;
            }
            var values = activations[^1];
            return Array.IndexOf(values, values.Max());
        }
        return Evaluation.Run(new CartPole(), Act, new EvaluationOptions { Episodes = episodes, Seed = evaluationSeed }).Returns;
    }

    static Mismatch? VerifyDqnOutcome(DqnTrainingRun run, double[] weights)
    {
        int expected = ParameterCount(DqnCartPoleSizes);
        string wanted = $"a Q-network whose greedy policy has a mean return ≥ {DqnCartPoleThreshold} over 20 fresh episodes";
        if (weights.Length != expected) return new Mismatch(wanted, $"{weights.Length} weights (the {string.Join(" → ", DqnCartPoleSizes)} network has {expected})");
        if (weights.Any(w => !double.IsFinite(w))) return new Mismatch(wanted, "weights that are NaN or infinite (the training diverged)");
        var returns = DqnGreedyReturns(weights, run.EvaluationSeed);
        return returns.Average() >= DqnCartPoleThreshold ? null : new Mismatch(wanted, Outcome(returns));
    }

    internal static readonly CheckDefinition<DqnTrainingRun, double[]> DqnCartPoleCheck = new()
    {
        Name = nameof(DqnCartPole),
        Title = $"DQN with your update balances CartPole: a greedy mean return ≥ {DqnCartPoleThreshold} over 20 fresh episodes within {DqnCartPoleBudget:N0} steps",
        Cases = DqnTrainingRuns,
        Describe = run => $"ConciseDqn.Train(new CartPole(), Check.DqnCartPoleOptions with {{ Seed = {run.Seed} }}, steps: {run.TotalSteps}, " +
                          $"evaluationEnvironment: new CartPole(), update: DqnUpdate), then 20 greedy episodes from seed {run.EvaluationSeed}",
        ExpectedText = _ => $"a Q-network whose greedy policy has a mean return ≥ {DqnCartPoleThreshold} over 20 fresh episodes",
        Verify = VerifyDqnOutcome,
        Encode = Answers.Encode,
        Decode = DecodeBoundedVector,
        Mistakes =
        [
            new("The greedy policy is no better than pushing at random (a mean return below 30): check that the update calls zero_grad, backward and step, " +
                "that y comes from the target network and uses (1 − terminated), and that the loss compares Q(s, a; θ) of the actions taken with y.",
                (run, weights) => weights.Length == ParameterCount(DqnCartPoleSizes) && weights.All(double.IsFinite)
                    && DqnGreedyReturns(weights, run.EvaluationSeed).Average() < 30),
        ],
    };
}
