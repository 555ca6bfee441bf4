using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace CourseLib.Notebooks.Grading;

/// <summary>A solution cell that names a library function computing what the exercise asks for.</summary>
/// <param name="Exercise">The solution cell's grade_id.</param>
/// <param name="Check">The check that tests it.</param>
/// <param name="Calls">The library function it names ("Returns.Discounted").</param>
/// <param name="Line">The line of the solution cell where it does (1-based).</param>
public sealed record ReferenceFlag(string Exercise, string Check, string Calls, int Line)
{
    /// <summary>What the flag says: the solution calls the reference (the only kind so far).</summary>
    public FlagKind Kind => FlagKind.CallsReference;

    /// <summary>For the report.</summary>
    public override string ToString() =>
        $"solution \"{Exercise}\" calls {Calls} (line {Line}), which computes what Check.{Check} asks for: review it (academic honesty; the points stand).";
}

/// <summary>
/// Flags solutions that call the course library instead of computing the answer: a syntax check of a solution
/// cell for the exercise's reference and the other public library functions that compute the same thing. The
/// library is public by design (the notebooks use it), so this cannot be prevented, only shown to the instructor,
/// who decides. It reads names, not meaning: <c>Returns.Discounted(...)</c>, <c>CourseLib.Mdp.Returns.Discounted</c>,
/// a method group, and a bare <c>Discounted(...)</c> after <c>using static CourseLib.Mdp.Returns;</c> are found;
/// code that reaches the function by reflection or an alias of the type is not.
/// </summary>
public static class ReferenceCalls
{
    /// <summary>Each check's reference and the other public functions that give its answers (type.member).</summary>
    public static readonly IReadOnlyDictionary<string, string[]> ByCheck = new Dictionary<string, string[]>(StringComparer.Ordinal)
    {
        ["DiscountedReturn"] = ["Returns.Discounted", "Returns.DiscountedReturns", "Returns.Total"],
        ["DiscountedReturns"] = ["Returns.DiscountedReturns", "Returns.Discounted", "GeneralizedAdvantage.LambdaReturns"],
        ["RewardToGo"] = ["Returns.DiscountedReturns", "Advantages.TotalReturn"],
        ["ReinforceLoss"] = ["ReinforceLoss.Compute", "ReinforceLoss.FromLogits", "Reinforce.Step"],
        ["ReinforceStep"] = ["Reinforce.Step", "Reinforce.Train", "ReinforceLoss.FromLogits", "ReinforceLoss.Compute"],
        ["ReinforceCartPole"] = ["Reinforce.Step", "Reinforce.Train", "ReinforceLoss.FromLogits", "ReinforceLoss.Compute"],
        ["LogProbabilities"] = ["ReinforceLoss.FromLogits", "Softmax.Of", "Softmax.Write", "Softmax.LogSumExp", "TabularPolicy.Softmax"],
        ["LogSoftmaxGradient"] = ["ClassificationAsBandit.LogSoftmaxGradient", "Softmax.Of", "Softmax.Write", "Softmax.LogSumExp", "TabularPolicy.Softmax"],
        ["QFromV"] = ["Bellman.QFromV"],
        ["ExpectationBackup"] = ["Bellman.ExpectationBackup"],
        ["OptimalityBackup"] = ["Bellman.OptimalityBackup", "Bellman.QFromV", "Bellman.VFromQGreedy"],
        ["TdTarget"] = ["TdTarget.QLearning", "TdTarget.Dqn"],
        ["QLearningUpdate"] = ["QLearning.Update", "TdTarget.QLearning"],
        ["QLearningEpisode"] = ["QLearning.Episode", "QLearning.Train", "Sarsa.Train"],
        ["QLearningCliffWalking"] = ["QLearning.Episode", "QLearning.Train", "Sarsa.Train"],
        ["EpsilonGreedy"] = ["EpsilonGreedy.Choose", "EpsilonGreedy.Probabilities"],
        ["HuberLoss"] = ["HuberLoss.Value", "HuberLoss.Mean"],
        ["DqnTargets"] = ["TdTarget.DqnTargets", "TdTarget.Dqn", "TdTarget.QLearning"],
        ["DoubleDqnTargets"] = ["TdTarget.DoubleDqnTargets", "TdTarget.Dqn"],
        ["DqnUpdate"] = ["ConciseDqn.Update", "ConciseDqn.Train", "DqnAgent.Update", "Dqn.Train"],
        ["DqnCartPole"] = ["ConciseDqn.Update", "ConciseDqn.Train", "DqnAgent.Update", "Dqn.Train"],
        ["TdErrors"] = ["TemporalDifference.Errors", "TemporalDifference.Error", "TdTarget.Error"],
        ["GeneralizedAdvantage"] = ["GeneralizedAdvantage.Estimate", "GeneralizedAdvantage.LambdaReturns"],
        ["FeatureExpectations"] = ["MaxEntIrl.FeatureExpectations", "MaxEntIrl.ExpertFeatureExpectations"],
        ["UncertaintyWeightedLoss"] = ["UncertaintyWeightedLoss.Total", "UncertaintyWeightedLoss.Term"],
        ["OptimalLogSigma"] = ["UncertaintyWeightedLoss.OptimalLogSigma"],
        ["ContrastiveLoss"] = ["ContrastiveLoss.Mean", "ContrastiveLoss.Pair"],
        ["NearestClass"] = ["OneShot.NearestClass"],
        ["Eszsl"] = ["Eszsl.Fit"],
        ["ZeroShotPredict"] = ["Eszsl.Predict", "Eszsl.Scores"],
    };

    /// <summary>The flags of one solution cell, tested by <paramref name="checks"/>.</summary>
    public static IReadOnlyList<ReferenceFlag> Find(string exercise, string solutionSource, IEnumerable<string> checks)
    {
        var wanted = checks.Distinct(StringComparer.Ordinal)
            .SelectMany(check => ByCheck.TryGetValue(check, out var members) ? members.Select(m => (Check: check, Member: m)) : [])
            .ToList();
        if (wanted.Count == 0) return [];
        var root = CSharpSyntaxTree.ParseText(solutionSource, new CSharpParseOptions(kind: SourceCodeKind.Script)).GetRoot();
        // Methods the cell declares itself (its own DiscountedReturn) are not the library's.
        var declared = root.DescendantNodes().OfType<MethodDeclarationSyntax>().Select(m => m.Identifier.Text)
            .Concat(root.DescendantNodes().OfType<LocalFunctionStatementSyntax>().Select(f => f.Identifier.Text)).ToHashSet(StringComparer.Ordinal);
        var staticImports = root.DescendantNodes().OfType<UsingDirectiveSyntax>()
            .Where(u => u.StaticKeyword.IsKind(SyntaxKind.StaticKeyword) && u.Name != null)
            .Select(u => LastIdentifier(u.Name!)).ToHashSet(StringComparer.Ordinal);

        var flags = new List<ReferenceFlag>();
        void Flag(string check, string member, SyntaxNode at)
        {
            if (flags.Any(f => f.Calls == member)) return;
            flags.Add(new ReferenceFlag(exercise, check, member, at.GetLocation().GetLineSpan().StartLinePosition.Line + 1));
        }
        foreach (var access in root.DescendantNodes().OfType<MemberAccessExpressionSyntax>())
        {
            var type = LastIdentifier(access.Expression);
            foreach (var (check, member) in wanted)
                if (member == $"{type}.{access.Name.Identifier.Text}") Flag(check, member, access);
        }
        foreach (var name in root.DescendantNodes().OfType<IdentifierNameSyntax>())
        {
            if (name.Parent is MemberAccessExpressionSyntax m && m.Name == name) continue; // seen above
            if (declared.Contains(name.Identifier.Text)) continue;
            foreach (var (check, member) in wanted)
            {
                var dot = member.IndexOf('.');
                if (staticImports.Contains(member[..dot]) && member[(dot + 1)..] == name.Identifier.Text) Flag(check, member, name);
            }
        }
        return flags;
    }

    static string LastIdentifier(SyntaxNode node) => node switch
    {
        IdentifierNameSyntax id => id.Identifier.Text,
        QualifiedNameSyntax q => q.Right.Identifier.Text,
        AliasQualifiedNameSyntax a => a.Name.Identifier.Text,
        MemberAccessExpressionSyntax m => m.Name.Identifier.Text,
        GenericNameSyntax g => g.Identifier.Text,
        _ => "",
    };
}
