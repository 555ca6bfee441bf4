using CourseLib.ValueBased;
using CourseLib.ValueBased.Deep;

namespace CourseLib.Exercises;

/// <summary>One transition's reward, γ, Q(s', ·) and whether s' is terminal.</summary>
internal sealed record TargetCase(double Reward, double Gamma, double[] NextQValues, bool Terminated);

/// <summary>A Q table and one transition to learn from, with the step size α and γ.</summary>
internal sealed record QUpdateCase(double[,] Q, int State, int Action, double Reward, int NextState, bool Terminated, double Alpha, double Gamma);

/// <summary>A batch of transitions for DQN: rewards, γ, the target network's Q(s', ·), the online network's Q(s', ·), terminal flags.</summary>
internal sealed record DqnBatch(double[] Rewards, double Gamma, double[][] NextQTarget, double[][] NextQOnline, bool[] Terminated);

public static partial class Check
{
    /// <summary>
    /// Checks <c>double TdTarget(double reward, double gamma, double[] nextQValues, bool terminated)</c>: Q-learning's
    /// target y = r + γ·max_a' Q(s', a'), or y = r when s' is terminal.
    /// </summary>
    public static CheckReport TdTarget(Func<double, double, double[], bool, double> tdTarget) =>
        TdTargetCheck.Run(c => tdTarget(c.Reward, c.Gamma, CaseDraws.Copy(c.NextQValues), c.Terminated));

    /// <summary>
    /// Checks <c>void QLearningUpdate(double[,] q, int state, int action, double reward, int nextState, bool terminated, double alpha, double gamma)</c>:
    /// one Q-learning step in place, Q(s,a) ← Q(s,a) + α·(y − Q(s,a)) with y the TD target; no other entry changes.
    /// </summary>
    public static CheckReport QLearningUpdate(Action<double[,], int, int, double, int, bool, double, double> qLearningUpdate) =>
        QLearningUpdateCheck.Run(c =>
        {
            var q = CaseDraws.Copy(c.Q);
            qLearningUpdate(q, c.State, c.Action, c.Reward, c.NextState, c.Terminated, c.Alpha, c.Gamma);
            return q;
        });

    /// <summary>
    /// Checks <c>double[] DqnTargets(double[] rewards, double gamma, double[][] nextQTarget, bool[] terminated)</c>: DQN's
    /// targets for a batch, y_i = r_i + γ·max_a Q_target(s'_i, a) with the <em>target</em> network's values, or y_i = r_i
    /// when s'_i is terminal.
    /// </summary>
    public static CheckReport DqnTargets(Func<double[], double, double[][], bool[], double[]> dqnTargets) =>
        DqnTargetsCheck.Run(b => dqnTargets(CaseDraws.Copy(b.Rewards), b.Gamma, CaseDraws.Copy(b.NextQTarget), CaseDraws.Copy(b.Terminated)));

    /// <summary>
    /// Checks <c>double[] DoubleDqnTargets(double[] rewards, double gamma, double[][] nextQTarget, double[][] nextQOnline, bool[] terminated)</c>:
    /// Double DQN's targets, y_i = r_i + γ·Q_target(s'_i, argmax_a Q_online(s'_i, a)) (the online network chooses, the
    /// target network evaluates), or y_i = r_i when s'_i is terminal.
    /// </summary>
    public static CheckReport DoubleDqnTargets(Func<double[], double, double[][], double[][], bool[], double[]> doubleDqnTargets) =>
        DoubleDqnTargetsCheck.Run(b => doubleDqnTargets(CaseDraws.Copy(b.Rewards), b.Gamma, CaseDraws.Copy(b.NextQTarget), CaseDraws.Copy(b.NextQOnline), CaseDraws.Copy(b.Terminated)));

    /// <summary>
    /// Checks <c>double HuberLoss(double delta)</c>: the Huber loss of a TD error δ, ½δ² when |δ| ≤ 1 and |δ| − ½
    /// otherwise.
    /// </summary>
    public static CheckReport HuberLoss(Func<double, double> huberLoss) => HuberLossCheck.Run(huberLoss);

    // The references are the library's: TdTarget.QLearning, TdTarget.Dqn, QLearning.Update, HuberLoss.Value.
    static double ReferenceTdTarget(double reward, double gamma, double[] nextQ, bool terminated) =>
        ValueBased.TdTarget.QLearning(reward, gamma, nextQ, terminated);

    static double[,] ReferenceQLearningUpdate(QUpdateCase c)
    {
        var q = CaseDraws.Copy(c.Q);
        ValueBased.QLearning.Update(q, c.State, c.Action, c.Reward, c.NextState, c.Terminated, c.Alpha, c.Gamma);
        return q;
    }

    static double ReferenceHuber(double delta) => ValueBased.Deep.HuberLoss.Value(delta);

    static IEnumerable<CheckCase<TargetCase>> TargetCases(Rng rng, bool hidden)
    {
        yield return new("terminal s': no future, the target is the reward", new(1, 0.9, [5, 7, 6], true));
        yield return new("γ = 0: only the reward counts", new(-1, 0, [3, 4], false));
        yield return new("the best next action counts (max, not mean)", new(0.5, 0.9, [1, 4, 2], false));
        yield return new("all next values negative: the max is negative too (do not start the max at 0)", new(0, 0.5, [-3, -1, -2], false));
        yield return new("γ = 1", new(2, 1, [0.5, 0.25], false));
        yield return new("one action", new(1.5, 0.99, [10], false));
        for (int i = 0; i < CaseDraws.Count(hidden, 50); i++)
        {
            int actions = rng.NextInt(1, 7);
            yield return new($"random transition {i + 1}", new(CaseDraws.Uniform(rng, -2, 2), CaseDraws.Gamma(rng), CaseDraws.Vector(rng, actions, -5, 5), rng.NextDouble() < 0.25));
        }
    }

    static IEnumerable<CheckCase<QUpdateCase>> QUpdateCases(Rng rng, bool hidden)
    {
        double[,] Table(int states, int actions) => CaseDraws.Matrix(rng, states, actions, -2, 2, 1);
        yield return new("terminal s': Q(s,a) moves towards the reward alone", new(Table(3, 2), 0, 1, 1, 2, true, 0.5, 0.9));
        yield return new("α = 0: nothing changes", new(Table(3, 2), 1, 0, 2, 2, false, 0, 0.9));
        yield return new("α = 1: Q(s,a) becomes the target", new(Table(3, 2), 2, 1, -1, 0, false, 1, 0.9));
        yield return new("a self-loop (s' = s): the target reads the old row", new(Table(2, 3), 1, 2, 0.5, 1, false, 0.5, 0.9));
        yield return new("γ = 0", new(Table(2, 2), 0, 0, 3, 1, false, 0.1, 0));
        for (int i = 0; i < CaseDraws.Count(hidden, 40); i++)
        {
            int states = rng.NextInt(2, 7), actions = rng.NextInt(2, 5);
            yield return new($"random update {i + 1}", new(Table(states, actions), rng.NextInt(states), rng.NextInt(actions), CaseDraws.Uniform(rng, -2, 2),
                rng.NextInt(states), rng.NextDouble() < 0.2, CaseDraws.Pick(rng, 0.1, 0.2, 0.5, 1.0), CaseDraws.Gamma(rng)));
        }
    }

    static IEnumerable<CheckCase<DqnBatch>> DqnCases(Rng rng, bool hidden)
    {
        yield return new("all terminal: the targets are the rewards", new([1, -1], 0.99, [[3, 4], [5, 6]], [[1, 2], [3, 4]], [true, true]));
        yield return new("none terminal", new([0, 1], 0.9, [[1, 2], [-1, 0.5]], [[2, 1], [0.5, -1]], [false, false]));
        yield return new("the online network picks a' (Double DQN), the target network values it", new([0], 1, [[10, 0, 5]], [[0, 1, 2]], [false]));
        yield return new("negative next values", new([0.5], 0.5, [[-3, -1]], [[-1, -3]], [false]));
        yield return new("γ = 0", new([2, 3], 0, [[9, 9], [9, 9]], [[1, 0], [0, 1]], [false, false]));
        for (int i = 0; i < CaseDraws.Count(hidden, 30); i++)
        {
            int size = rng.NextInt(1, 33), actions = rng.NextInt(2, 7);
            yield return new($"random batch {i + 1}", new(CaseDraws.Vector(rng, size, -2, 2), CaseDraws.Gamma(rng),
                CaseDraws.Rows(rng, size, actions, -5, 5), CaseDraws.Rows(rng, size, actions, -5, 5), CaseDraws.Flags(rng, size, 0.2)));
        }
    }

    static string ShowQ(QUpdateCase c) =>
        $"QLearningUpdate(q: {Show.Matrix(c.Q)}, state: {c.State}, action: {c.Action}, reward: {Show.Number(c.Reward)}, nextState: {c.NextState}, terminated: {Show.Bool(c.Terminated)}, alpha: {Show.Number(c.Alpha)}, gamma: {Show.Number(c.Gamma)})";

    internal static readonly CheckDefinition<TargetCase, double> TdTargetCheck = new()
    {
        Name = nameof(TdTarget),
        Title = "Q-learning's TD target r + γ·max_a' Q(s', a')",
        Cases = TargetCases,
        Describe = c => $"TdTarget(reward: {Show.Number(c.Reward)}, gamma: {Show.Number(c.Gamma)}, nextQValues: {Show.Vector(c.NextQValues)}, terminated: {Show.Bool(c.Terminated)})",
        ExpectedText = c => Show.Number(ReferenceTdTarget(c.Reward, c.Gamma, c.NextQValues, c.Terminated)),
        Verify = (c, got) => Compare.Scalar(ReferenceTdTarget(c.Reward, c.Gamma, c.NextQValues, c.Terminated), got),
        Encode = Answers.Encode,
        Decode = Answers.DecodeDouble,
        Mistakes =
        [
            new("A terminal s' has no future: when terminated is true the target is just r (Q of a terminal state is 0).",
                (c, got) => c.Terminated && Compare.Close(ReferenceTdTarget(c.Reward, c.Gamma, c.NextQValues, false), got)),
            new("The running maximum must start at the first value (or −∞), not at 0: all next values can be negative.",
                (c, got) => !c.Terminated && Compare.Close(c.Reward + c.Gamma * Math.Max(0, c.NextQValues.Max()), got)),
            new("Q-learning bootstraps with the best next action, max_a' Q(s', a'); the answers use the mean (that is Expected SARSA with a uniform policy).",
                (c, got) => !c.Terminated && Compare.Close(c.Reward + c.Gamma * c.NextQValues.Average(), got)),
        ],
    };

    internal static readonly CheckDefinition<QUpdateCase, double[,]> QLearningUpdateCheck = new()
    {
        Name = nameof(QLearningUpdate),
        Title = "one Q-learning update Q(s,a) ← Q(s,a) + α·(y − Q(s,a))",
        Cases = QUpdateCases,
        Describe = ShowQ,
        ExpectedText = c => Show.Matrix(ReferenceQLearningUpdate(c)),
        Verify = (c, got) => Compare.Matrix(ReferenceQLearningUpdate(c), got),
        Encode = Answers.Encode,
        Decode = Answers.DecodeMatrix,
        Mistakes =
        [
            new("A terminal s' has no future: when terminated is true the target is just the reward.",
                (c, got) => c.Terminated && Compare.Matrix(ReferenceQLearningUpdate(c with { Terminated = false }), got) == null),
            new("The step goes towards the target: Q(s,a) + α·(y − Q(s,a)); the answers move away from it (sign of the TD error).",
                (c, got) =>
                {
                    var away = CaseDraws.Copy(c.Q);
                    var next = Enumerable.Range(0, away.GetLength(1)).Select(a => c.Q[c.NextState, a]).ToArray();
                    away[c.State, c.Action] -= c.Alpha * (ReferenceTdTarget(c.Reward, c.Gamma, next, c.Terminated) - c.Q[c.State, c.Action]);
                    return c.Alpha != 0 && Compare.Matrix(away, got) == null;
                }),
            new("Only the entry Q(s, a) of the transition changes; the answers changed other entries too (or wrote to the wrong one).",
                (c, got) =>
                {
                    for (int s = 0; s < c.Q.GetLength(0); s++)
                        for (int a = 0; a < c.Q.GetLength(1); a++)
                            if ((s != c.State || a != c.Action) && got[s, a] != c.Q[s, a]) return true;
                    return false;
                }),
        ],
    };

    internal static readonly CheckDefinition<DqnBatch, double[]> DqnTargetsCheck = new()
    {
        Name = nameof(DqnTargets),
        Title = "DQN's targets with a target network, r + γ·(1 − done)·max_a Q_target(s', a)",
        Cases = DqnCases,
        Describe = b => $"DqnTargets(rewards: {Show.Vector(b.Rewards)}, gamma: {Show.Number(b.Gamma)}, nextQTarget: {Show.Rows(b.NextQTarget)}, terminated: {Show.Vector(b.Terminated)})",
        ExpectedText = b => Show.Vector(DqnReference(b, doubleDqn: false)),
        Verify = (b, got) => Compare.Vector(DqnReference(b, doubleDqn: false), got),
        Encode = Answers.Encode,
        Decode = Answers.DecodeVector,
        Mistakes =
        [
            new("A terminal s' has no future: where terminated is true the target is just the reward.",
                (b, got) => Compare.VectorsClose(DqnReference(b with { Terminated = new bool[b.Rewards.Length] }, doubleDqn: false), got)),
            new("The running maximum must start at the first value (or −∞), not at 0: next values can all be negative.",
                (b, got) => Compare.VectorsClose(b.Rewards.Select((r, i) => b.Terminated[i] ? r : r + b.Gamma * Math.Max(0, b.NextQTarget[i].Max())).ToArray(), got)),
        ],
    };

    internal static readonly CheckDefinition<DqnBatch, double[]> DoubleDqnTargetsCheck = new()
    {
        Name = nameof(DoubleDqnTargets),
        Title = "Double DQN's targets r + γ·Q_target(s', argmax_a Q_online(s', a))",
        Cases = DqnCases,
        Describe = b => $"DoubleDqnTargets(rewards: {Show.Vector(b.Rewards)}, gamma: {Show.Number(b.Gamma)}, nextQTarget: {Show.Rows(b.NextQTarget)}, nextQOnline: {Show.Rows(b.NextQOnline)}, terminated: {Show.Vector(b.Terminated)})",
        ExpectedText = b => Show.Vector(DqnReference(b, doubleDqn: true)),
        Verify = (b, got) => Compare.Vector(DqnReference(b, doubleDqn: true), got),
        Encode = Answers.Encode,
        Decode = Answers.DecodeVector,
        Mistakes =
        [
            new("That is plain DQN's target: in Double DQN the online network chooses a' = argmax_a Q_online(s', a) and the target network evaluates Q_target(s', a').",
                (b, got) => Compare.VectorsClose(DqnReference(b, doubleDqn: false), got)),
            new("The roles are swapped: the online network chooses the action, the target network gives its value.",
                (b, got) => Compare.VectorsClose(DqnReference(b with { NextQTarget = b.NextQOnline, NextQOnline = b.NextQTarget }, doubleDqn: true), got)),
            new("A terminal s' has no future: where terminated is true the target is just the reward.",
                (b, got) => Compare.VectorsClose(DqnReference(b with { Terminated = new bool[b.Rewards.Length] }, doubleDqn: true), got)),
        ],
    };

    // The batch references are the ones Dqn.Train falls back to: TdTarget.DqnTargets and TdTarget.DoubleDqnTargets.
    static double[] DqnReference(DqnBatch b, bool doubleDqn) => doubleDqn
        ? ValueBased.TdTarget.DoubleDqnTargets(b.Rewards, b.Gamma, b.NextQTarget, b.NextQOnline, b.Terminated)
        : ValueBased.TdTarget.DqnTargets(b.Rewards, b.Gamma, b.NextQTarget, b.Terminated);

    static IEnumerable<CheckCase<double>> HuberCases(Rng rng, bool hidden)
    {
        yield return new("δ = 0", 0);
        yield return new("small error: ½δ²", 0.5);
        yield return new("small negative error: ½δ²", -0.3);
        yield return new("|δ| = 1 exactly: both pieces give ½", 1);
        yield return new("|δ| = 1 exactly, negative", -1);
        yield return new("large error: linear, |δ| − ½", 3);
        yield return new("large negative error: |δ| − ½", -4.5);
        yield return new("a huge error stays linear", 1e6);
        for (int i = 0; i < CaseDraws.Count(hidden, 40); i++)
            yield return new($"random error {i + 1}", CaseDraws.Uniform(rng, -5, 5));
    }

    internal static readonly CheckDefinition<double, double> HuberLossCheck = new()
    {
        Name = nameof(HuberLoss),
        Title = "the Huber loss: ½δ² for |δ| ≤ 1, |δ| − ½ beyond",
        Cases = HuberCases,
        Describe = d => $"HuberLoss({Show.Number(d)})",
        ExpectedText = d => Show.Number(ReferenceHuber(d)),
        Verify = (d, got) => Compare.Scalar(ReferenceHuber(d), got),
        Encode = Answers.Encode,
        Decode = Answers.DecodeDouble,
        Mistakes =
        [
            new("Beyond |δ| = 1 the Huber loss is linear, |δ| − ½; the answers stay quadratic (that is the squared error, whose gradient explodes for large errors).",
                (d, got) => Math.Abs(d) > 1 && Compare.Close(0.5 * d * d, got)),
            new("The linear piece is |δ| − ½, so that both pieces meet at |δ| = 1 (½ each); the answers leave out the − ½.",
                (d, got) => Math.Abs(d) > 1 && Compare.Close(Math.Abs(d), got)),
            new("The quadratic piece is ½δ², with the ½; the answers use δ².",
                (d, got) => Math.Abs(d) <= 1 && d != 0 && Compare.Close(d * d, got)),
            new("The loss is never negative: use |δ| in the linear piece.",
                (d, got) => d < -1 && Compare.Close(d - 0.5, got)),
        ],
    };
}
