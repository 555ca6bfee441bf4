using System.Text.Json.Nodes;
using CourseLib.Environments;
using CourseLib.Exercises;
using CourseLib.Training;
using CourseLib.ValueBased.Deep;
using TorchSharp;
using static TorchSharp.torch;
using Sequential = TorchSharp.Modules.Sequential;

using static CourseLib.Tests.Exercises.CheckAssert;

namespace CourseLib.Tests.Exercises;

/// <summary>
/// Notebook 06's "write the loop" exercise: the unit check of one DQN update (right answers pass, each usual mistake
/// fails with its hint) and the outcome check that trains CartPole with the student's update and hands the weights
/// to the grader, who evaluates them itself.
/// </summary>
[Collection("exercise checks")]
public class DqnLoopCheckTests
{
    /// <summary>The instructor's solution, as notebook 06 writes it.</summary>
    static double DqnUpdate(Sequential q, Sequential target, optim.Optimizer optimizer, DqnMinibatch batch, double gamma, double maxGradientNorm)
    {
        using var scope = NewDisposeScope();
        Tensor y;
        using (no_grad())
            y = batch.Rewards + gamma * target.forward(batch.NextObservations).max(1).values * (1 - batch.Terminated);
        var predicted = q.forward(batch.Observations).gather(1, batch.Actions.unsqueeze(1)).squeeze(1);
        var loss = nn.functional.smooth_l1_loss(predicted, y);
        optimizer.zero_grad();
        loss.backward();
        nn.utils.clip_grad_norm_(q.parameters(), maxGradientNorm);
        optimizer.step();
        return loss.item<float>();
    }

    // The same with the usual knobs for mistakes.
    static Func<Sequential, Sequential, optim.Optimizer, DqnMinibatch, double, double, double> Update(bool zeroGradients = true, bool clip = true,
        bool onlineTargets = false, bool ignoreTerminated = false, bool squaredError = false, bool step = true) =>
        (q, target, optimizer, batch, gamma, maxGradientNorm) =>
        {
            using var scope = NewDisposeScope();
            Tensor y;
            using (no_grad())
            {
                var nextQ = (onlineTargets ? q : target).forward(batch.NextObservations).max(1).values;
                y = ignoreTerminated ? batch.Rewards + gamma * nextQ : batch.Rewards + gamma * nextQ * (1 - batch.Terminated);
            }
            var predicted = q.forward(batch.Observations).gather(1, batch.Actions.unsqueeze(1)).squeeze(1);
            var loss = squaredError ? nn.functional.mse_loss(predicted, y) : nn.functional.smooth_l1_loss(predicted, y);
            if (zeroGradients) optimizer.zero_grad();
            loss.backward();
            if (clip) nn.utils.clip_grad_norm_(q.parameters(), maxGradientNorm);
            if (step) optimizer.step();
            return loss.item<float>();
        };

    [Trait("Category", "unit")]
    [Fact]
    public void DqnUpdate_passes_the_update_written_two_ways_and_names_each_usual_mistake()
    {
        Passes(Check.DqnUpdate(DqnUpdate));
        Passes(Check.DqnUpdate(ConciseDqn.Update));
        // The Huber loss written out by hand: a right answer computed in another order (float rounding only).
        Passes(Check.DqnUpdate((q, target, optimizer, batch, gamma, maxNorm) =>
        {
            using var scope = NewDisposeScope();
            Tensor y;
            using (no_grad())
                y = batch.Rewards + gamma * (1 - batch.Terminated) * target.forward(batch.NextObservations).max(1).values;
            var delta = q.forward(batch.Observations).gather(1, batch.Actions.unsqueeze(1)).squeeze(1) - y;
            var loss = where(delta.abs() <= 1, 0.5 * delta * delta, delta.abs() - 0.5).mean();
            optimizer.zero_grad();
            loss.backward();
            nn.utils.clip_grad_norm_(q.parameters(), maxNorm);
            optimizer.step();
            return loss.item<float>();
        }));
        FailsWithHint(Check.DqnUpdate(Update(onlineTargets: true)), "from the target network");
        FailsWithHint(Check.DqnUpdate(Update(ignoreTerminated: true)), "(1 − terminated)");
        FailsWithHint(Check.DqnUpdate(Update(squaredError: true)), "smooth_l1_loss");
        FailsWithHint(Check.DqnUpdate(Update(zeroGradients: false)), "zero_grad");
        FailsWithHint(Check.DqnUpdate(Update(clip: false)), "clip_grad_norm_");
        FailsWithHint(Check.DqnUpdate(Update(step: false)), "optimizer.step()");
        Assert.Equal(CheckStatus.NotImplemented, Check.DqnUpdate((q, t, o, b, g, m) => throw new NotImplementedException()).Status);
    }

    [Trait("Category", "unit")]
    [Fact]
    public void DqnUpdate_says_when_the_target_network_changed()
    {
        var report = Check.DqnUpdate((q, target, optimizer, batch, gamma, maxNorm) =>
        {
            double loss = DqnUpdate(q, target, optimizer, batch, gamma, maxNorm);
            target.load_state_dict(q.state_dict());   // θ⁻ ← θ inside the update: the loop's job, every TargetUpdateInterval steps
            return loss;
        });
        Assert.Equal(CheckStatus.Failed, report.Status);
        Assert.Contains("the target network's parameter", report.Failures[0].Got);
    }

    [Trait("Category", "unit")]
    [Fact]
    public void DqnCartPole_says_not_implemented_for_the_stub_and_the_grader_judges_weights_itself()
    {
        Assert.Equal(CheckStatus.NotImplemented, Check.DqnCartPole((q, t, o, b, g, m) => throw new NotImplementedException()).Status);
        var run = Check.DqnCartPoleCheck.Cases(new Rng(1), false).Single().Input;
        int parameters = 4 * 128 + 128 + 128 * 128 + 128 + 128 * 2 + 2;
        Assert.Contains("weights", Check.DqnCartPoleCheck.Verify(run, [1, 2, 3])!.Got);
        Assert.Contains("NaN", Check.DqnCartPoleCheck.Verify(run, Enumerable.Repeat(double.NaN, parameters).ToArray())!.Got);
        // An untrained network (all weights 0: every action worth 0, always action 0) does not balance the pole.
        var untrained = Check.DqnCartPoleCheck.Verify(run, new double[parameters]);
        Assert.NotNull(untrained);
        Assert.Contains("mean return", untrained!.Got);
        // Forged answers through the registry (what the grader does): a wrong case, never an exception.
        var judged = JsonNode.Parse(CheckRegistry.Evaluate("DqnCartPole", 1, false, new JsonArray(new JsonObject { ["v"] = new JsonArray(1.0, 2.0) }).ToJsonString()))!;
        Assert.Equal("failed", judged["status"]!.GetValue<string>());
    }

    [Trait("Category", "unit")]
    [Fact]
    public void The_graders_own_forward_pass_gives_the_torch_networks_greedy_actions()
    {
        // The grader evaluates weights with plain C#; it must act as the network it was given.
        using var threads = TorchThreads.One();
        manual_seed(3);
        using var q = ConciseDqn.Network(4, 2, Check.DqnCartPoleOptions.HiddenLayers);
        var weights = q.parameters().SelectMany(p => p.detach().to_type(ScalarType.Float64).contiguous().data<double>().ToArray()).ToArray();
        var torchReturns = ConciseDqn.Evaluate(q, new CartPole(), new EvaluationOptions { Episodes = 5, Seed = 77 }).Returns;
        Assert.Equal(torchReturns, Check.DqnGreedyReturns(weights, 77, episodes: 5));
    }

    [Trait("Category", "unit")]
    [Fact]
    public void Training_with_a_right_update_is_the_reference_run_step_for_step()
    {
        // Notebook 06 says so: the instructor's DqnUpdate trains exactly as the library's update (the same losses, bit for bit).
        TrainingProgress.Mode = ProgressMode.None;
        var options = Check.DqnCartPoleOptions with { Seed = 3, Evaluation = EvaluationOptions.None };
        var reference = ConciseDqn.Train(new CartPole(), options, 2_500);
        var yours = ConciseDqn.Train(new CartPole(), options, 2_500, update: DqnUpdate);
        using (reference.Agent)
        using (yours.Agent)
        {
            Assert.Equal(1_500, yours.History.Count);
            Assert.Equal(reference.History.Select(u => u.Loss), yours.History.Select(u => u.Loss));
            Assert.Equal(reference.Returns, yours.Returns);
        }
        // The exercise's update is plain DQN with the Huber loss: other settings are refused, naming them.
        var e = Assert.Throws<ArgumentException>(() => ConciseDqn.Train(new CartPole(), options with { DoubleQ = true }, 10, update: DqnUpdate));
        Assert.Contains("DoubleQ", e.Message);
    }

    /// <summary>
    /// The outcome check end to end: the instructor's update passes (measured: 40 of 40 seeds ≥ 100 on the grader's 20
    /// fresh episodes, see <see cref="Check.DqnCartPoleBudget"/>); an update that never steps fails, with the hint.
    /// </summary>
    [Trait("Category", "learning")]
    [Fact]
    public void DqnCartPole_passes_the_right_update_and_fails_one_that_never_steps()
    {
        Passes(Check.DqnCartPole(DqnUpdate), 1);
        var wrong = Check.DqnCartPole(Update(step: false));
        FailsWithHint(wrong, "no better than pushing at random");
        Assert.Contains("mean return", wrong.Failures[0].Got);
    }
}
