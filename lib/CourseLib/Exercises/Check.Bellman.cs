using System.Text;
using CourseLib.Mdp;

namespace CourseLib.Exercises;

/// <summary>A small MDP with a value function, a policy and γ.</summary>
internal sealed record MdpCase(TabularMdp Mdp, double[] Values, double[,] Policy, double Gamma);

public static partial class Check
{
    /// <summary>
    /// Checks <c>double[,] QFromV(TabularMdp mdp, double[] values, double gamma)</c>: Q(s,a) = r(s,a) + γ·Σ_s' p(s'|s,a)·V(s'),
    /// with Q = 0 in terminal states and V(s') counted as 0 for a terminal s'. Reference: <see cref="Bellman.QFromV"/>.
    /// </summary>
    public static CheckReport QFromV(Func<TabularMdp, double[], double, double[,]> qFromV) =>
        QFromVCheck.Run(c => qFromV(c.Mdp, CaseDraws.Copy(c.Values), c.Gamma));

    /// <summary>
    /// Checks <c>double[] ExpectationBackup(TabularMdp mdp, double[] values, double[,] policy, double gamma)</c>: the Bellman
    /// expectation backup (T^π V)(s) = Σ_a π(a|s)·[r(s,a) + γ·Σ_s' p(s'|s,a)·V(s')] (0 in terminal states).
    /// Reference: <see cref="Bellman.ExpectationBackup"/>.
    /// </summary>
    public static CheckReport ExpectationBackup(Func<TabularMdp, double[], double[,], double, double[]> expectationBackup) =>
        ExpectationBackupCheck.Run(c => expectationBackup(c.Mdp, CaseDraws.Copy(c.Values), CaseDraws.Copy(c.Policy), c.Gamma));

    /// <summary>
    /// Checks <c>double[] OptimalityBackup(TabularMdp mdp, double[] values, double gamma)</c>: the Bellman optimality backup
    /// (T* V)(s) = max_a [r(s,a) + γ·Σ_s' p(s'|s,a)·V(s')] (0 in terminal states), one sweep of value iteration.
    /// Reference: <see cref="Bellman.OptimalityBackup"/>.
    /// </summary>
    public static CheckReport OptimalityBackup(Func<TabularMdp, double[], double, double[]> optimalityBackup) =>
        OptimalityBackupCheck.Run(c => optimalityBackup(c.Mdp, CaseDraws.Copy(c.Values), c.Gamma));

    /// <summary>A random MDP: sparse random dynamics, rewards in [−1, 1], the last <paramref name="terminals"/> states terminal (absorbing, reward 0).</summary>
    static TabularMdp RandomMdp(Rng rng, int states, int actions, int terminals)
    {
        var p = new double[states, actions, states];
        var r = new double[states, actions];
        var terminal = Enumerable.Range(0, states).Select(s => s >= states - terminals).ToArray();
        for (int s = 0; s < states; s++)
            for (int a = 0; a < actions; a++)
            {
                if (terminal[s]) { p[s, a, s] = 1; continue; }
                r[s, a] = CaseDraws.Uniform(rng, -1, 1, 1);
                int outcomes = rng.NextInt(1, Math.Min(3, states) + 1);
                var weights = Enumerable.Range(0, outcomes).Select(_ => (double)rng.NextInt(1, 5)).ToArray();
                for (int k = 0; k < outcomes; k++) p[s, a, rng.NextInt(states)] += weights[k] / weights.Sum();
            }
        var start = new double[states];
        start[0] = 1;
        return TabularMdp.FromArrays(start, p, r, terminal);
    }

    static double[,] RandomPolicy(Rng rng, int states, int actions)
    {
        var policy = new double[states, actions];
        for (int s = 0; s < states; s++)
        {
            var w = Enumerable.Range(0, actions).Select(_ => (double)rng.NextInt(0, 4)).ToArray();
            if (w.Sum() == 0) w[rng.NextInt(actions)] = 1;
            for (int a = 0; a < actions; a++) policy[s, a] = w[a] / w.Sum();
        }
        return policy;
    }

    static IEnumerable<CheckCase<MdpCase>> MdpCases(Rng rng, bool hidden)
    {
        // A deterministic chain 0 → 1 → 2 (terminal): action 0 moves right with reward 1, action 1 stays with reward 0.
        var chainP = new double[3, 2, 3];
        var chainR = new double[3, 2];
        chainP[0, 0, 1] = 1; chainP[0, 1, 0] = 1; chainR[0, 0] = 1;
        chainP[1, 0, 2] = 1; chainP[1, 1, 1] = 1; chainR[1, 0] = 1;
        chainP[2, 0, 2] = 1; chainP[2, 1, 2] = 1;
        var chain = TabularMdp.FromArrays([1, 0, 0], chainP, chainR, [false, false, true]);
        var halfHalf = new double[,] { { 0.5, 0.5 }, { 0.5, 0.5 }, { 0.5, 0.5 } };
        yield return new("a chain 0 → 1 → 2 (terminal), V = 0", new(chain, [0, 0, 0], halfHalf, 0.9));
        yield return new("a terminal state's value counts as 0, whatever V holds for it", new(chain, [1, 2, 100], halfHalf, 0.9));
        yield return new("γ = 0: only the immediate reward", new(chain, [5, 5, 5], halfHalf, 0));
        yield return new("γ = 1", new(chain, [3, -1, 0], new double[,] { { 1, 0 }, { 0, 1 }, { 1, 0 } }, 1));
        for (int i = 0; i < CaseDraws.Count(hidden, 25); i++)
        {
            int states = rng.NextInt(2, 7), actions = rng.NextInt(1, 4), terminals = rng.NextInt(0, Math.Min(2, states - 1) + 1);
            var mdp = RandomMdp(rng, states, actions, terminals);
            yield return new($"random MDP {i + 1}", new(mdp, CaseDraws.Vector(rng, states, -3, 3, 1), RandomPolicy(rng, states, actions), CaseDraws.Gamma(rng)));
        }
    }

    static string ShowMdp(TabularMdp mdp)
    {
        var text = new StringBuilder($"an MDP with {mdp.StateCount} states and {mdp.ActionCount} actions");
        var terminal = Enumerable.Range(0, mdp.StateCount).Where(mdp.IsTerminal).ToList();
        if (terminal.Count > 0) text.Append($", terminal: {string.Join(", ", terminal)}");
        text.Append("; transitions (s, a) → [s' with p], r:");
        for (int s = 0; s < mdp.StateCount; s++)
        {
            if (mdp.IsTerminal(s)) continue;
            for (int a = 0; a < mdp.ActionCount; a++)
            {
                var outcomes = new List<string>();
                foreach (var t in mdp.Transitions(s, a)) outcomes.Add($"{t.NextState} with {Show.Number(t.Probability)}");
                text.Append($" ({s}, {a}) → [{string.Join(", ", outcomes)}], r = {Show.Number(mdp.ExpectedReward(s, a))};");
            }
        }
        return text.ToString().TrimEnd(';');
    }

    internal static readonly CheckDefinition<MdpCase, double[,]> QFromVCheck = new()
    {
        Name = nameof(QFromV),
        Title = "Q from V: Q(s,a) = r(s,a) + γ·Σ_s' p(s'|s,a)·V(s')",
        Cases = MdpCases,
        Describe = c => $"QFromV({ShowMdp(c.Mdp)}, values: {Show.Vector(c.Values)}, gamma: {Show.Number(c.Gamma)})",
        ExpectedText = c => Show.Matrix(Bellman.QFromV(c.Mdp, c.Values, c.Gamma)),
        Verify = (c, got) => Compare.Matrix(Bellman.QFromV(c.Mdp, c.Values, c.Gamma), got),
        Encode = Answers.Encode,
        Decode = Answers.DecodeMatrix,
        Mistakes =
        [
            new("A terminal s' has no future: count V(s') as 0 when s' is terminal (and Q(s, ·) = 0 in a terminal s), whatever the array holds.",
                (c, got) => Compare.Matrix(QIgnoringTerminals(c), got) == null),
        ],
    };

    internal static readonly CheckDefinition<MdpCase, double[]> ExpectationBackupCheck = new()
    {
        Name = nameof(ExpectationBackup),
        Title = "the Bellman expectation backup T^π V",
        Cases = MdpCases,
        Describe = c => $"ExpectationBackup({ShowMdp(c.Mdp)}, values: {Show.Vector(c.Values)}, policy: {Show.Matrix(c.Policy)}, gamma: {Show.Number(c.Gamma)})",
        ExpectedText = c => Show.Vector(Bellman.ExpectationBackup(c.Mdp, c.Values, c.Policy, c.Gamma)),
        Verify = (c, got) => Compare.Vector(Bellman.ExpectationBackup(c.Mdp, c.Values, c.Policy, c.Gamma), got),
        Encode = Answers.Encode,
        Decode = Answers.DecodeVector,
        Mistakes =
        [
            new("The expectation backup averages over actions with π(a|s); the answers take the best action (that is the optimality backup).",
                (c, got) => Compare.VectorsClose(Bellman.OptimalityBackup(c.Mdp, c.Values, c.Gamma), got)),
            new("A terminal s' has no future: count V(s') as 0 when s' is terminal, whatever the array holds.",
                (c, got) => Compare.VectorsClose(Bellman.VFromQ(QIgnoringTerminals(c), c.Policy), got)),
        ],
    };

    internal static readonly CheckDefinition<MdpCase, double[]> OptimalityBackupCheck = new()
    {
        Name = nameof(OptimalityBackup),
        Title = "the Bellman optimality backup T* V",
        Cases = MdpCases,
        Describe = c => $"OptimalityBackup({ShowMdp(c.Mdp)}, values: {Show.Vector(c.Values)}, gamma: {Show.Number(c.Gamma)})",
        ExpectedText = c => Show.Vector(Bellman.OptimalityBackup(c.Mdp, c.Values, c.Gamma)),
        Verify = (c, got) => Compare.Vector(Bellman.OptimalityBackup(c.Mdp, c.Values, c.Gamma), got),
        Encode = Answers.Encode,
        Decode = Answers.DecodeVector,
        Mistakes =
        [
            new("The optimality backup takes the best action, max_a; the answers average over actions.",
                (c, got) => Compare.VectorsClose(Bellman.VFromQ(Bellman.QFromV(c.Mdp, c.Values, c.Gamma), TabularPolicy.Uniform(c.Mdp)), got)),
            new("A terminal s' has no future: count V(s') as 0 when s' is terminal (and the backup is 0 in a terminal s), whatever the array holds.",
                (c, got) => Compare.VectorsClose(Bellman.VFromQGreedy(QIgnoringTerminals(c)), got)),
            new("The running maximum must start at the first action's value (or −∞), not at 0: all action values can be negative.",
                (c, got) => Compare.VectorsClose(Bellman.VFromQGreedy(Bellman.QFromV(c.Mdp, c.Values, c.Gamma)).Select(v => Math.Max(0, v)).ToArray(), got)),
        ],
    };

    /// <summary>Q(s,a) computed as if no state were terminal (the common mistake).</summary>
    static double[,] QIgnoringTerminals(MdpCase c)
    {
        var q = new double[c.Mdp.StateCount, c.Mdp.ActionCount];
        for (int s = 0; s < c.Mdp.StateCount; s++)
            for (int a = 0; a < c.Mdp.ActionCount; a++)
            {
                double next = 0;
                foreach (var t in c.Mdp.Transitions(s, a)) next += t.Probability * c.Values[t.NextState];
                q[s, a] = c.Mdp.ExpectedReward(s, a) + c.Gamma * next;
            }
        return q;
    }
}
