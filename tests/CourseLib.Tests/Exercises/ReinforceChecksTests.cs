using System.Text.Json.Nodes;
using CourseLib.Exercises;
using CourseLib.PolicyGradient;
using TorchSharp;
using static TorchSharp.torch;

using static CourseLib.Tests.Exercises.CheckAssert;

namespace CourseLib.Tests.Exercises;

/// <summary>
/// Notebook 02's checks on TorchSharp functions: the surrogate loss (its value and its gradient), one REINFORCE update
/// (the "write the loop" exercise's unit check), and the outcome check that trains CartPole with the student's update
/// and hands the weights to the grader, who evaluates them itself.
/// </summary>
[Collection("exercise checks")]
public class ReinforceChecksTests
{
    static Tensor SurrogateLoss(Tensor logProbabilities, Tensor weights, int episodeCount) => -(weights * logProbabilities).sum() / episodeCount;

    static double ReinforceStep(Mlp network, optim.Optimizer optimizer, Tensor observations, Tensor actions, Tensor weights, int episodeCount)
    {
        using var scope = NewDisposeScope();
        var logProbabilities = nn.functional.log_softmax(network.forward(observations), 1).gather(1, actions.reshape(-1, 1)).reshape(-1);
        var loss = -(weights * logProbabilities).sum() / episodeCount;
        optimizer.zero_grad();
        loss.backward();
        optimizer.step();
        return loss.ToDouble();
    }

    // A step with the usual knobs for mistakes.
    static Func<Mlp, optim.Optimizer, Tensor, Tensor, Tensor, int, double> Step(bool zeroGradients = true, bool mean = false, double sign = -1) =>
        (network, optimizer, observations, actions, weights, episodeCount) =>
        {
            using var scope = NewDisposeScope();
            var logProbabilities = nn.functional.log_softmax(network.forward(observations), 1).gather(1, actions.reshape(-1, 1)).reshape(-1);
            var loss = sign * (mean ? (weights * logProbabilities).mean() : (weights * logProbabilities).sum() / episodeCount);
            if (zeroGradients) optimizer.zero_grad();
            loss.backward();
            optimizer.step();
            return loss.ToDouble();
        };

    [Trait("Category", "unit")]
    [Fact]
    public void ReinforceLoss_passes_a_tensor_solution_and_catches_sign_averaging_and_a_detached_loss()
    {
        Passes(Check.ReinforceLoss(SurrogateLoss), 40);
        Passes(Check.ReinforceLoss((l, w, n) => ReinforceLoss.Compute(l, w, n)), 40);
        FailsWithHint(Check.ReinforceLoss((l, w, n) => (w * l).sum() / n), "The sign");
        FailsWithHint(Check.ReinforceLoss((l, w, n) => -(w * l).mean()), "not by the number of steps");
        FailsWithHint(Check.ReinforceLoss((l, w, n) => -(w * l.exp()).sum() / n), "not probabilities");
        // Right value, no gradient: training could not follow it.
        var detached = Check.ReinforceLoss((l, w, n) => tensor(-(w * l).sum().ToDouble() / n));
        FailsWithHint(detached, "No gradient reaches logProbabilities");
        Assert.Contains("without a gradient", detached.Failures[0].Got);
        var vector = Check.ReinforceLoss((l, w, n) => -(w * l) / n);
        Assert.Contains("one number", vector.Failures[0].Got);
        Assert.Equal(CheckStatus.NotImplemented, Check.ReinforceLoss((l, w, n) => throw new NotImplementedException()).Status);
    }

    [Trait("Category", "unit")]
    [Fact]
    public void ReinforceStep_passes_the_update_and_catches_sign_averaging_stale_gradients_and_a_missing_step()
    {
        Passes(Check.ReinforceStep(ReinforceStep));
        Passes(Check.ReinforceStep((n, o, x, a, w, e) => Reinforce.Step(n, o, x, a, w, e)));
        FailsWithHint(Check.ReinforceStep(Step(sign: +1)), "The sign");
        FailsWithHint(Check.ReinforceStep(Step(mean: true)), "not by the number of steps");
        FailsWithHint(Check.ReinforceStep(Step(zeroGradients: false)), "zero_grad");
        FailsWithHint(Check.ReinforceStep((network, optimizer, x, a, w, e) =>
        {
            using var scope = NewDisposeScope();
            var loss = -(w * nn.functional.log_softmax(network.forward(x), 1).gather(1, a.reshape(-1, 1)).reshape(-1)).sum() / e;
            optimizer.zero_grad();
            loss.backward();
            return loss.ToDouble();
        }), "optimizer.step()");
        var report = Check.ReinforceStep((n, o, x, a, w, e) => throw new NotImplementedException());
        Assert.Equal(CheckStatus.NotImplemented, report.Status);
    }

    [Trait("Category", "unit")]
    [Fact]
    public void ReinforceCartPole_says_not_implemented_for_the_stub_and_the_grader_judges_weights_itself()
    {
        Assert.Equal(CheckStatus.NotImplemented, Check.ReinforceCartPole((n, o, x, a, w, e) => throw new NotImplementedException()).Status);
        var run = Check.ReinforceCartPoleCheck.Cases(new Rng(1), false).Single().Input;
        // Weights of the wrong size, or NaN, are a wrong answer, judged without running anything of the submission.
        Assert.Contains("weights", Check.ReinforceCartPoleCheck.Verify(run, [1, 2, 3])!.Got);
        var nan = Enumerable.Repeat(double.NaN, 4 * 128 + 128 + 128 * 2 + 2).ToArray();
        Assert.Contains("NaN", Check.ReinforceCartPoleCheck.Verify(run, nan)!.Got);
        // An untrained policy (all weights 0: always action 0) does not balance the pole.
        var zeros = new double[nan.Length];
        var untrained = Check.ReinforceCartPoleCheck.Verify(run, zeros);
        Assert.NotNull(untrained);
        Assert.Contains("mean return", untrained!.Got);
        // Forged answers through the registry (what the grader does): a wrong case, never an exception.
        var judged = JsonNode.Parse(CheckRegistry.Evaluate("ReinforceCartPole", 1, false, new JsonArray(new JsonObject { ["v"] = new JsonArray(1.0, 2.0) }).ToJsonString()))!;
        Assert.Equal("failed", judged["status"]!.GetValue<string>());
    }

    /// <summary>
    /// The outcome check end to end: the reference update and the instructor's solution pass (their training reaches
    /// 475 on its evaluation episodes and the grader's 20 fresh episodes give ≥ 195: measured 40 of 40 seeds, see
    /// <see cref="Check.CartPoleBudget"/>); the loss with its sign flipped fails, with the hint.
    /// </summary>
    [Trait("Category", "learning")]
    [Fact]
    public void ReinforceCartPole_passes_the_right_update_and_fails_a_wrong_sign_within_150000_steps()
    {
        Passes(Check.ReinforceCartPole(ReinforceStep), 1);
        var wrong = Check.ReinforceCartPole(Step(sign: +1));
        FailsWithHint(wrong, "no better than pushing at random");
        Assert.Contains("mean return", wrong.Failures[0].Got);
    }
}
