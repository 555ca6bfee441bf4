// 02 · REINFORCE: the policy gradient
// The seminar notebook notebooks/02-reinforce.ipynb as a C# file-based app: the markdown is in comments, the cells
// are the program in the same order. Run it from anywhere inside the repository (.NET 10 SDK):
//     dotnet run apps/02-reinforce.cs
// Every output a notebook would show goes to the terminal and, with the text, into apps/02-reinforce.html.
// Exercises: write the function where it says YOUR CODE HERE; its check below prints the result.
// Made by `courselib export` from notebooks/02-reinforce.ipynb: edit the notebook, then export again.
#:project ../lib/CourseLib/CourseLib.csproj
#:project ../lib/CourseLib.Notebooks/CourseLib.Notebooks.csproj
#:property PublishAot=false
#:property Configuration=Release
#:property OutDir=$(RepoRoot)artifacts/apps/
#:property Nullable=disable
#:property NoWarn=$(NoWarn);CS8321;CS0168;CS0219

using System.IO;
using CourseLib;
using CourseLib.Charts;
using CourseLib.Environments;
using CourseLib.Mdp;
using CourseLib.PolicyGradient;
using CourseLib.Training;
using TorchSharp;
using static TorchSharp.torch;
using CourseLib.Exercises;
using CourseLib.Notebooks.Apps;
using static CourseLib.Notebooks.Apps.App;   // display(...), as in a notebook

App.Start("02-reinforce", cells: 26);

/*
# 02 · REINFORCE: the policy gradient

We want the parameters θ of a stochastic policy π_θ(a|s) that maximise the expected total reward

$$J(\theta) = \mathbb{E}_{\tau \sim p_\theta(\tau)}\Big[\sum_t r(s_t, a_t)\Big].$$

The environment is a black box: we can *sample* trajectories τ = (s₀, a₀, s₁, a₁, …) from it, but we cannot
differentiate its dynamics. This notebook derives the gradient that needs only samples (REINFORCE), checks on a
tiny MDP that it is right, looks at its variance, and trains policies with it: CartPole from its state, Pong
from pixels.
*/

App.Cell(2);
// Tensor, nn, optim: the exercises write TorchSharp code
// Tiny networks train fastest on one thread
// (measured: about 5x faster than two threads on a shared 2-core machine).
torch.set_num_threads(1);

/*
## The likelihood of a trajectory

A trajectory is produced by the start distribution, the policy and the dynamics in turn:

$$p_\theta(\tau) = p(s_0)\prod_{t} \pi_\theta(a_t \mid s_t)\, p(s_{t+1} \mid s_t, a_t)$$

$$\log p_\theta(\tau) = \log p(s_0) + \sum_t \log p(s_{t+1} \mid s_t, a_t) + \sum_t \log \pi_\theta(a_t \mid s_t).$$

The first two terms (the dynamics) do not depend on θ, so

$$\nabla_\theta \log p_\theta(\tau) = \sum_t \nabla_\theta \log \pi_\theta(a_t \mid s_t).$$

The unknown dynamics drop out of the gradient. Let's see the two parts on a tiny MDP (3 states, 2 actions, 3 steps)
with a tabular softmax policy π_θ(a|s) = exp θ[s,a] / Σ_b exp θ[s,b]: changing θ changes only the policy part.
*/

App.Cell(4);
var mdp = TinyMdp.Example();
double[,] theta = { { 0.2, -0.3 }, { 0.5, 0.1 }, { -0.4, 0.3 } };
var tau = TabularPolicyGradient.Sample(mdp, theta, new Rng(1));
var (dynamics, policyPart) = TabularPolicyGradient.LogProbability(mdp, theta, tau);
var atZero = TabularPolicyGradient.LogProbability(mdp, new double[3, 2], tau);
App.Show($"τ: states [{string.Join(", ", tau.States)}], actions [{string.Join(", ", tau.Actions)}], " +
$"rewards [{string.Join(", ", tau.Rewards)}]\n" +
$"θ as above: log p(τ) = {dynamics:F3} (dynamics) + {policyPart:F3} (policy)\n" +
$"θ = 0:      log p(τ) = {atZero.Dynamics:F3} (dynamics) + {atZero.Policy:F3} (policy)");

/*
## The log-derivative trick and reward-to-go

Because ∇p = p ∇log p,

$$\nabla_\theta J = \int \nabla_\theta p_\theta(\tau)\, R(\tau)\, d\tau = \mathbb{E}_{\tau \sim p_\theta}\Big[\Big(\sum_t \nabla_\theta \log \pi_\theta(a_t\mid s_t)\Big) \Big(\sum_t r_t\Big)\Big].$$

An action cannot change rewards that came before it, so each ∇log π(a_t|s_t) needs only the **reward-to-go**
$r_t(\tau) = \sum_{k \ge t} r_k$. REINFORCE as in the seminar:

1. sample N trajectories τ_i by running π_θ;
2. $\nabla_\theta J \approx \frac{1}{N} \sum_i \sum_t r_t(\tau_i)\, \nabla_\theta \log \pi_\theta(a_{i,t} \mid s_{i,t})$;
3. $\theta \leftarrow \theta + \alpha \nabla_\theta J$.

With automatic differentiation we write down the *loss* whose gradient is −∇J, with the weights held constant:
$L(\theta) = -\frac{1}{N}\sum_i\sum_t r_t(\tau_i) \log \pi_\theta(a_{i,t}\mid s_{i,t})$ (`ReinforceLoss`).

The library has one function for $r_t(\tau)$: `Returns.DiscountedReturns(rewards, γ)`, the return from step $t$ on. Section 3 of the
seminar calls it the discounted return $G_t$ and discounts with $\gamma < 1$; REINFORCE here uses $\gamma = 1$.
*/

App.Cell(6);
var rewards = new double[] { 1, 1, 1, 1 };
var toGo = Returns.DiscountedReturns(rewards, 1);      // the reward-to-go (γ = 1): [4, 3, 2, 1]
var logPi = new double[] { -0.7, -0.2, -1.1, -0.4 };    // log π(a_t|s_t) of the actions taken
App.Show($"reward-to-go [{string.Join(", ", toGo)}], loss of this one episode: " +
$"{ReinforceLoss.Compute(logPi, toGo, episodeCount: 1):F2}");

/*
## Exercises: the pieces of REINFORCE

Each exercise has a check below the solution cell: run it after your solution. It calls your function on edge cases and random inputs, compares with the library's reference, and shows a failing input (as a call you can paste into a cell) with the expected and the returned value. Until you solve it, it says *not implemented yet*. The training cells after an exercise pass your function to the trainer, which uses the library's own until yours is written (a line under the cell says which), so the notebook runs either way. See `docs/exercises.md` for how exercises are graded.

### Exercise 1 (3 points): the reward-to-go

Write `RewardToGo(rewards)`: for every step $t$ of an episode, the sum of the rewards from $t$ to the end,

$$r_t(\tau) = \sum_{k=t}^{T-1} r_k.$$

It is the weight of $\nabla_\theta \log \pi_\theta(a_t \mid s_t)$ in the estimator: rewards before step $t$ cannot be caused by $a_t$. An empty episode gives an empty array. (Library: `Returns.DiscountedReturns(rewards, 1)`.) Your function drives training below: the CartPole runs pass it to `Reinforce.Train`.
*/

App.Cell(8);
// Check.*: the exercises' checks

App.Cell(9);
double[] RewardToGo(double[] rewards)
{
    // YOUR CODE HERE
    throw new NotImplementedException();
}

App.Cell(10);
App.Show(Check.RewardToGo(RewardToGo));

/*
### Exercise 2 (3 points): the REINFORCE loss, on tensors

Write `SurrogateLoss(logProbabilities, weights, episodeCount)`: the loss whose gradient is $-\nabla_\theta J$,

$$L = -\frac{1}{N} \sum_k w_k \log \pi_\theta(a_k \mid s_k),$$

over all steps $k$ of a batch of $N$ episodes (`episodeCount`), given the tensor of $\log \pi_\theta(a_k \mid s_k)$ and the tensor of weights $w_k$ (reward-to-go, or an advantage). Note the sign and what it is divided by.

Why tensors: training does not use $L$'s value, it uses its gradient. `Reinforce.Train` hands your function the log-probabilities that the policy network computed, calls `backward()` on what it returns, and TorchSharp's autograd follows your operations back to θ: $\partial L / \partial \log \pi_k = -w_k / N$, which the chain rule turns into $-\frac{1}{N}\sum_k w_k \nabla_\theta \log \pi_\theta(a_k \mid s_k)$. So build $L$ from tensor operations (`*`, `.sum()`, `/`): a number taken out with `.item<double>()`, or an array, has no gradient. The check compares your loss and its gradient with the reference. (Library: `ReinforceLoss.Compute`.)
*/

App.Cell(12);
Tensor SurrogateLoss(Tensor logProbabilities, Tensor weights, int episodeCount)
{
    // YOUR CODE HERE
    throw new NotImplementedException();
}

App.Cell(13);
App.Show(Check.ReinforceLoss(SurrogateLoss));

/*
## Is the estimator right?

On the tiny MDP we can compute J(θ) exactly by summing over all 6³ = 216 trajectories, and its gradient by finite
differences, without using the log-derivative trick at all. Every variant of the estimator below has this gradient
as its mean; they differ in how much a single estimate scatters:

| estimator | weight of ∇log π(a_t\|s_t) |
|---|---|
| total return | R(τ) = Σ_k r_k |
| reward-to-go | r_t(τ) = Σ_{k≥t} r_k |
| reward-to-go − mean | r_t(τ) − E[r_t(τ)] (a baseline that depends on t only) |
| reward-to-go − value | r_t(τ) − V_t(s_t) (the state's true value: what a perfect critic would give) |

A baseline b(s_t) does not bias the estimate, because $\mathbb{E}_{a\sim\pi}[\nabla \log \pi(a|s)\, b(s)] = b(s)\, \nabla \sum_a \pi(a|s) = 0$.
*/

App.Cell(15);
var exact = TabularPolicyGradient.ExactGradient(mdp, theta);
var estimators = Enum.GetValues<GradientEstimator>();
var stats = estimators.Select(e => TabularPolicyGradient.Statistics(mdp, theta, e, samples: 50_000, seed: 1))
    .ToArray();
var components = Enumerable.Range(0, 6).Select(i => (State: i / 2, Action: i % 2)).ToArray();
string Row(string name, Func<int, int, string> cell) =>
    $"{name,-21}" + string.Concat(components.Select(c => $"{cell(c.State, c.Action),17}"));
// Each mean of 50,000 estimates with ± its standard error √(Var / 50,000).
var header = new[]
{
    Row("∂J/∂θ[s,a]", (s, a) => $"[{s},{a}]"),
    Row("exact ∇J", (s, a) => $"{exact[s, a]:F4}"),
};
App.Show(string.Join("\n", header.Concat(stats.Select(st =>
    Row(st.Estimator.ToString(), (s, a) => $"{st.Mean[s, a]:F4} ± {st.StandardError(s, a):F4}")))));

/*
Each row is the mean of 50,000 estimates ± its standard error. Read a gap between a mean and the exact value against
that error: a gap of up to about two standard errors is what sampling alone produces, so a mean that far off is no
evidence of bias. The estimators without a baseline have the largest errors: the same number of samples pins their
mean down least.

The running mean of one component, ∂J/∂θ[0,0], over more and more sampled trajectories: all four converge to the
exact value (dashed), the ones with a baseline much sooner.
*/

App.Cell(17);
Figure RunningMean(EstimatorStatistics st)
{
    // The mean of the first n estimates, at 300 values of n spaced evenly on a log scale.
    var ns = Enumerable.Range(0, 300)
        .Select(k => (int)Math.Round(Math.Pow(st.Samples, k / 299.0)))
        .Distinct().ToArray();
    var prefix = new double[st.Samples + 1];
    for (int i = 0; i < st.Samples; i++) prefix[i + 1] = prefix[i] + st.ComponentSamples[i];
    return Chart.Line(ns.Select(n => (double)n), ns.Select(n => prefix[n] / n), st.Estimator.ToString());
}
App.Show(Figure.Overlay(stats.Select(RunningMean).ToArray())
    .WithHorizontalLine(exact[0, 0], "exact ∂J/∂θ[0,0]")
    .WithLogX().WithAxes("trajectories sampled (log scale)", "mean estimate of ∂J/∂θ[0,0]")
    .WithYRange(exact[0, 0] - 1.5, exact[0, 0] + 1.5)
    .WithTitle("The mean of REINFORCE estimates converges to the exact gradient"));

/*
The spread of 5,000 single estimates of the same component, with the whole return and with the value baseline, and the total variance (summed over all six components):
reward-to-go removes the rewards an action could not influence; a baseline removes the part of the return that
the action did not cause. The best baseline is (close to) the state's value V(s_t) — learning it is what a
**critic** does, the step from REINFORCE to actor-critic.
*/

App.Cell(19);
App.Show(Figure.Overlay(new[] { stats[0], stats[^1] }
        .Select(st => Chart.Histogram(st.ComponentSamples.Take(5000), st.Estimator.ToString(), bins: 60))
        .ToArray())
    .WithTitle("Single-trajectory estimates of ∂J/∂θ[0,0]").WithAxes("estimate", "count"));

App.Cell(20);
App.Show(Chart.Bar(stats.Select(st => st.Estimator.ToString()), stats.Select(st => st.TotalVariance), "variance")
    .WithTitle("Variance of one estimate (sum over components)").WithAxes(null, "variance"));

/*
### Credit assignment: one good rollout, step by step

The seminar's point about credit: REINFORCE with the whole return pushes up the probability of **every** action of a
rollout that went well, the bad ones included, and of every action of a bad one down. Only the average over many
rollouts sorts good actions from bad, so the policy moves by something like a random walk around the gradient. Below,
one sampled rollout whose return is above the policy's expected return, each step with its advantage
$A(s_t, a_t) = r(s_t, a_t) + \mathbb{E}[V_{t+1}(s_{t+1})] - V_t(s_t)$ (exact, from the tables): how much better the
action was than the policy's average there. The total-return weight is the same for every step; the value baseline
gives each step its own weight, a one-sample estimate of its advantage. A critic (notebook 07), or backprop through a differentiable
model of the outcome, is what assigns credit to the actions that earned it.
*/

App.Cell(22);
var values = TabularPolicyGradient.StateValues(mdp, theta);   // V_t(s) as [t, s]
double Advantage(int t, int s, int a)
{
    double next = 0;
    if (t + 1 < mdp.Horizon)
        for (int s1 = 0; s1 < mdp.StateCount; s1++) next += mdp.Transitions[s, a, s1] * values[t + 1, s1];
    return mdp.Rewards[s, a] + next - values[t, s];
}
double expectedReturn = TabularPolicyGradient.ExpectedReturn(mdp, theta);
var creditRng = new Rng(3);
var good = Enumerable.Range(0, 10_000).Select(_ => TabularPolicyGradient.Sample(mdp, theta, creditRng))
    .First(r => r.Rewards.Sum() > expectedReturn
        && Enumerable.Range(0, mdp.Horizon).Any(t => Advantage(t, r.States[t], r.Actions[t]) < 0));
var wholeReturn = TabularPolicyGradient.Weights(mdp, theta, good, GradientEstimator.TotalReturn);
var withValue = TabularPolicyGradient.Weights(mdp, theta, good, GradientEstimator.RewardToGoMinusValue);
App.Show(string.Join("\n", new[]
    {
        $"R(τ) = {good.Rewards.Sum():F2}, above the expected return {expectedReturn:F2}",
        $"{"t",2} {"s",2} {"a",2} {"advantage",10} {"weight: R(τ)",13} {"weight: r_t(τ) − V_t(s_t)",26}",
    }
    .Concat(Enumerable.Range(0, mdp.Horizon).Select(t =>
        $"{t,2} {good.States[t],2} {good.Actions[t],2} {Advantage(t, good.States[t], good.Actions[t]),10:F3} "
        + $"{wholeReturn[t],13:F3} {withValue[t],26:F3}"))));

/*
## REINFORCE on CartPole

The same estimator with a neural-network policy (4 → 128 tanh → 2 logits) on CartPole-v1: reward 1 per step,
at most 500 steps. `ReinforceOptions` holds the hyperparameters; the defaults are the seminar's plain algorithm
(reward-to-go, no discount, no baseline) with batches of whole episodes of at least 5000 steps and Adam at 1e-2.
Sampling an action at every step runs a plain C# copy of the network (a microsecond, instead of tens through
torch); torch does each update's batched backward pass.

Your `RewardToGo` and `SurrogateLoss` drive these runs: `Reinforce.Train` takes them as arguments and uses the library's
own only while yours are not written yet (a line under the cell says which it used).
*/

App.Cell(24);
App.Show(new ReinforceOptions());

App.Cell(25);
var seeds = new[] { 0, 1, 2 };
var runs = seeds.Select(seed => Reinforce.Train(new CartPole(),
        new ReinforceOptions { Seed = seed, TotalSteps = 150_000 }, RewardToGo, SurrogateLoss))
    .ToList();
App.Show(Chart.LearningCurve(runs.Select(r => r.History.Select(h => h.MeanReturn).ToArray()).ToList(),
        "plain REINFORCE (reward-to-go)",
        xs: Enumerable.Range(1, 100).Select(u => (double)u))
    .WithTitle("CartPole-v1: mean return of each batch, 3 seeds")
    .WithAxes("update (≥ 5000 steps each)", "return"));

/*
### What a wrong reward-to-go does

A typical mistake in Exercise 1 is to add the rewards up from the start of the episode, $r_0 + \dots + r_t$ (the reward
*so far*), instead of to its end. On CartPole those weights grow along the episode, so the largest ones go to the last
actions before the pole fell, and every update makes exactly those more likely. One run with it, beside the right run of
seed 0 from above:
*/

App.Cell(27);
double[] RewardSoFar(double[] rewards)   // the mistake: summed from the start, not to the end
{
    var sums = new double[rewards.Length];
    double sum = 0;
    for (int t = 0; t < rewards.Length; t++) sums[t] = sum += rewards[t];
    return sums;
}
var mistaken = Reinforce.Train(new CartPole(), new ReinforceOptions { Seed = 0, TotalSteps = 75_000 },
    RewardSoFar, title: "REINFORCE with the reward so far");
App.Show(Figure.Overlay(
        Chart.Line(runs[0].History.Select(h => (double)h.Steps), runs[0].History.Select(h => h.MeanReturn),
            "reward-to-go"),
        Chart.Line(mistaken.History.Select(h => (double)h.Steps), mistaken.History.Select(h => h.MeanReturn),
            "reward so far (the mistake)"))
    .WithTitle($"CartPole-v1, seed 0: the last batch's mean return {runs[0].History[^1].MeanReturn:F0} " +
        $"with the reward-to-go, {mistaken.History[^1].MeanReturn:F0} with the reward so far")
    .WithAxes("environment steps", "mean return of each batch"));

/*
### Switching options on

Each option is one field of the record (`with { … }`). The variance-reducing ones usually learn faster and more
steadily; the original REINFORCE (whole return instead of reward-to-go) is the slowest. Three seeds each, a small
budget, with your `SurrogateLoss`. The full claim is a test: plain REINFORCE reaches a greedy mean of 475 over 20
episodes within 250,000 steps in at least 5 of seeds 0–5 (the seed sweep behind it: the benchmarks' `--reinforce-seeds` mode).
*/

App.Cell(29);
var variants = new (string Name, ReinforceOptions Options)[]
{
    ("total return (original REINFORCE)", new ReinforceOptions { RewardToGo = false }),
    ("reward-to-go (default)", new ReinforceOptions()),
    ("reward-to-go − mean return", new ReinforceOptions { Baseline = Baseline.MeanReturn }),
    ("reward-to-go − learned V(s), γ = 0.99, normalised",
        new ReinforceOptions { Baseline = Baseline.LearnedValue, Discount = 0.99,
            NormalizeAdvantages = true }),
};
var curves = variants.Select((v, i) => Chart.LearningCurve(
        seeds.Select(seed =>
            Reinforce.Train(new CartPole(), v.Options with { Seed = seed, TotalSteps = 75_000 },
                surrogateLoss: SurrogateLoss, title: v.Name)
            .History.Select(h => h.MeanReturn).ToArray()).ToList(),
        v.Name, xs: Enumerable.Range(1, 100).Select(u => (double)u), color: Chart.Palette[i]))
    .ToArray();
App.Show(Figure.Overlay(curves).WithTitle("CartPole-v1: options compared (3 seeds each)")
    .WithAxes("update (≥ 5000 steps each)", "return"));

/*
### Evaluating, stopping, saving and loading a policy

Training can evaluate its greedy policy as it goes (`ReinforceOptions.Evaluation`: here every 10,000 steps, 20 episodes
on a second CartPole) and stop at the first evaluation whose mean reaches a target, returning the policy that did. That
policy then plays 20 fresh episodes (greedy: the most probable action), is saved to one file and loaded back with
identical action probabilities.
*/

App.Cell(31);
var untilSolved = new ReinforceOptions
{
    Seed = 0, TotalSteps = 250_000,
    Evaluation = new EvaluationOptions { EverySteps = 10_000, Episodes = 20, StopAtMeanReturn = 475 },
};
var solved = Reinforce.Train(new CartPole(), untilSolved, RewardToGo, SurrogateLoss,
    evaluationEnvironment: new CartPole());
var trained = solved.Agent;
var fresh = Evaluation.Run(new CartPole(), trained.Greedy, episodes: 20, seed: 20_000);
var path = Path.Combine(Path.GetTempPath(), "cartpole-reinforce.policy");
trained.Save(path);
var loaded = CategoricalPolicy.Load(path);
var s = new CartPole().Reset(seed: 7).Observation;
App.Show($"evaluations (mean of 20 greedy episodes): " +
$"{string.Join(", ", solved.Evaluations.Select(e => $"{e.MeanReturn:F0} at {e.Step:N0}"))}; " +
$"stopped: {solved.SolvedAtStep is not null}\n" +
$"mean return over 20 fresh greedy episodes: {fresh.MeanReturn:F1}\n" +
$"π(·|s) trained [{string.Join(", ", trained.Probabilities(s).Select(p => p.ToString("F6")))}], loaded " +
$"[{string.Join(", ", loaded.Probabilities(s).Select(p => p.ToString("F6")))}]");

/*
## Exercise 3 (3 points): write the update yourself

Everything above ran the library's update. Now write it: one REINFORCE update with TorchSharp's autograd, as
`Reinforce.Train` calls it after each batch. It gets the policy network $f_\theta$ (an `Mlp`: observations → one logit
per action), its optimizer (Adam in training), the batch's observations (`[steps, 4]`), the actions taken (`[steps]`,
int64), their weights $w_k$ (`[steps]`) and the number of episodes $N$. Then:

1. the log-probabilities of the taken actions: `nn.functional.log_softmax(logits, 1)`, and `.gather(1, actions.reshape(-1, 1))`
   picks column $a_k$ of row $k$ (`.reshape(-1)` makes it one entry per step again);
2. the loss $L = -\frac{1}{N}\sum_k w_k \log \pi_\theta(a_k \mid s_k)$, as in Exercise 2;
3. `optimizer.zero_grad()` (`backward()` *adds* to the gradients, and the previous update's are still there),
   `loss.backward()`, `optimizer.step()`;
4. return $L$'s value before the step (`loss.ToDouble()`): the learning curve records it.

A dispose scope opened at the top (`NewDisposeScope()`, with `using`) frees the batch's tensors when the function returns. Two checks grade
it. The first does one update from given weights and a batch (with plain SGD, and gradients left over from an earlier
update) and compares the loss and every parameter with the library's update, `Reinforce.Step`. The second is the
outcome: it trains CartPole with your update, stopping early once the greedy policy is good, and hands the trained
weights to the grader, which plays fresh episodes with them itself; its title says the budget and the bar.
*/

App.Cell(33);
double ReinforceStep(Mlp network, optim.Optimizer optimizer, Tensor observations, Tensor actions,
    Tensor weights, int episodeCount)
{
    // YOUR CODE HERE
    throw new NotImplementedException();
}

App.Cell(34);
display(Check.ReinforceStep(ReinforceStep));
App.Show(Check.ReinforceCartPole(ReinforceStep));

/*
Train CartPole with your update, the run of seed 0 above again (until you have written `ReinforceStep`, with the
library's, as the line under the cell says). With right solutions it is the same run as the library's, evaluation for
evaluation.
*/

App.Cell(36);
var withYourStep = Reinforce.Train(new CartPole(), untilSolved, RewardToGo, step: ReinforceStep,
    evaluationEnvironment: new CartPole(), title: "REINFORCE with your ReinforceStep");
var yourFresh = Evaluation.Run(new CartPole(), withYourStep.Agent.Greedy, episodes: 20, seed: 20_000);
App.Show(Figure.Overlay(
        Chart.Line(solved.Evaluations.Select(e => (double)e.Step),
            solved.Evaluations.Select(e => e.MeanReturn), "the library's update").WithLine(width: 4),
        Chart.Line(withYourStep.Evaluations.Select(e => (double)e.Step),
            withYourStep.Evaluations.Select(e => e.MeanReturn), "your ReinforceStep").WithLine(dash: "dash"))
    .WithHorizontalLine(475, "stop at 475")
    .WithTitle($"Greedy evaluations while training, seed 0; your policy on 20 fresh episodes: " +
        $"{yourFresh.MeanReturn:F1}")
    .WithAxes("environment steps", "mean return of 20 evaluation episodes"));

/*
## Pong from pixels

The same `Reinforce.Train`, now on raw pixels: the course's Pong (40×40 frames, the agent plays the right paddle
against a slow scripted opponent, +1 per point won, −1 per point lost, first to 5). As in Karpathy's "Pong from
pixels" the policy sees the **difference** between consecutive frames, x_t = frame_t − frame_{t−1}: the ball and
its direction stand out. A paddle that stands still vanishes from a difference, so here the current frame is
appended too (differences alone learned far more slowly in our runs). Frames are shrunk to 20×20 (max over 2×2
blocks) and each action (stay, up, down) is repeated for 3 frames. Policy: 800 → 64 ReLU → 3 logits.
*/

App.Cell(38);
var pong = new PongFromPixels(PongPlay.Pixels);
pong.Reset(seed: 3);
for (int i = 0; i < 4; i++) pong.Step(2);
var x = pong.Step(2).Observation;
// The policy's input: the 20×20 difference (white: now lit, red: was lit), then the 20×20 frame.
App.Show(new CourseLib.Display.Html(
    PongSvg.Render(x[..400], 20, 20, pixelSize: 10, caption: "frame difference") + " " +
    PongSvg.Render(x[400..], 20, 20, pixelSize: 10, caption: "current frame")));

/*
A short run from scratch shows the call; the full run (3,000,000 decisions, the default of
`dotnet run --project tests/CourseLib.Benchmarks -c Release -- --train-pong`, which also prints how long it took) was
done once, and its policy and learning curve ship in `data/` (`PongPlay.TrainedPolicyPath`, `PongPlay.TrainedHistory()`).
In the chart, the score difference per game (points won − points lost) rises from the random policy's level (dashed)
to about even with the opponent.
*/

App.Cell(40);
var shortRun = Reinforce.Train(new PongFromPixels(PongPlay.Pixels),
    PongPlay.Training with { TotalSteps = 30_000, Seed = 1 },
    surrogateLoss: SurrogateLoss, title: "REINFORCE on Pong (short run)");
var shipped = PongPlay.TrainedHistory();   // the shipped policy's training run, from data/
var randomGames = PongPlay.Play(policy: null, PongPlay.Pixels, games: 50, seed: 12345);
double randomLevel = randomGames.Average(g => g.AgentPoints - g.OpponentPoints);
var shippedReturns = shipped.Select(h => h.MeanReturn).ToArray();
var smoothed = LearningCurves.MovingAverage(shippedReturns, 20);
var shortSteps = shortRun.History.Select(h => (double)h.Steps);
App.Show(Figure.Overlay(
        Chart.Line(shipped.Select(h => (double)h.Decisions), smoothed,
            "REINFORCE (shipped run, mean of 20 updates)"),
        Chart.Line(shortSteps, shortRun.History.Select(h => h.MeanReturn), "the short run above"))
    .WithHorizontalLine(randomLevel, $"random policy ({randomLevel:F2})")
    .WithTitle("Pong from pixels: points won − points lost per game")
    .WithAxes("decisions (3 frames each)", "score difference per game"));

/*
The trained policy, loaded from `data/pong-reinforce.policy`, against the random policy over 50 games with the same
serves — and playing back.
*/

App.Cell(42);
var pongPolicy = CategoricalPolicy.Load(PongPlay.TrainedPolicyPath);
var trainedGames = PongPlay.Play(pongPolicy, PongPlay.Pixels, games: 50, seed: 12345);
string Describe(string who, PongGame[] g) =>
    $"{who,-8} points won {g.Average(x => x.AgentPoints):F2}, lost {g.Average(x => x.OpponentPoints):F2}, " +
    $"balls returned {g.Average(x => x.BallsReturned):F1} per game, games won " +
    $"{g.Count(x => x.AgentPoints > x.OpponentPoints)}/50";
App.Show(Describe("random", randomGames) + "\n" + Describe("trained", trainedGames));

App.Cell(43);
var frames = PongPlay.Frames(pongPolicy, PongPlay.Pixels, seed: 4, maxDecisions: 150);
App.Show(EpisodeAnimation.Pong(frames, frameDurationMs: 60).WithTitle("The trained policy (right paddle) playing"));

/*
## Where this leads

REINFORCE needs nothing but samples and ∇log π, which makes it general — and noisy. The variance chart above is
the motivation for the next sections: estimate V(s) (or Q(s,a)) with a learned **critic**, subtract it as a
baseline, and update the **actor** with advantages r_t(τ) − V(s_t).
*/

/*
## Questions to answer in words

Answer each question in the markdown cell below it: replace `YOUR ANSWER HERE` with a few sentences (formulas welcome,
as `$...$`). Your instructor grades these answers by hand: the grader does not score them, it lists your answers for the
instructor, with their points counted apart from the checks' points (see `docs/exercises.md`).
*/

/*
### Question 1 (2 points): reward-to-go does not bias the gradient

REINFORCE with reward-to-go drops, for each $\nabla_\theta \log \pi_\theta(a_t \mid s_t)$, the rewards that came before step $t$. Why does the expected gradient not change?
*/

/*
YOUR ANSWER HERE
*/

/*
### Question 2 (2 points): a baseline cuts variance, not bias

Subtracting a baseline $b(s_t)$ from the reward-to-go reduces the variance of the gradient estimate but does not bias it. Explain both halves. What would go wrong with a baseline that depends on the action $a_t$?
*/

/*
YOUR ANSWER HERE
*/

/*
## Your progress

The latest result of every check you ran in this session (run the notebook from the top to refresh it).
*/

App.Cell(51);
App.Show(Check.Summary());

App.Finish();
