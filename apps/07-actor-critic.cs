// 07 · Actor-critic: from REINFORCE to A2C and A3C
// The seminar notebook notebooks/07-actor-critic.ipynb as a C# file-based app: the markdown is in comments, the cells
// are the program in the same order. Run it from anywhere inside the repository (.NET 10 SDK):
//     dotnet run apps/07-actor-critic.cs
// Every output a notebook would show goes to the terminal and, with the text, into apps/07-actor-critic.html.
// Exercises: write the function where it says YOUR CODE HERE; its check below prints the result.
// Made by `courselib export` from notebooks/07-actor-critic.ipynb: edit the notebook, then export again.
#:project ../lib/CourseLib/CourseLib.csproj
#:project ../lib/CourseLib.Notebooks/CourseLib.Notebooks.csproj
#:property PublishAot=false
#:property Configuration=Release
#:property OutDir=$(RepoRoot)artifacts/apps/
#:property Nullable=disable
#:property NoWarn=$(NoWarn);CS8321;CS0168;CS0219

using CourseLib;
using CourseLib.ActorCritic;
using CourseLib.Charts;
using CourseLib.Environments;
using CourseLib.Training;
using CourseLib.Exercises;
using CourseLib.Notebooks.Apps;
using static CourseLib.Notebooks.Apps.App;   // display(...), as in a notebook

App.Start("07-actor-critic", cells: 19);

/*
# 07 · Actor-critic: from REINFORCE to A2C and A3C

Two families of deep RL methods met so far:

| | **policy gradient** (REINFORCE) | **Q-learning** (DQN) |
|---|---|---|
| learns | the policy $\pi_\theta(a\mid s)$ directly, by gradient ascent on $J(\theta)$ | $Q(s,a)$, and acts greedily on it |
| data | on-policy: fresh episodes for every update | off-policy: a replay buffer, reused many times |
| target | the sampled return $G_t$: **unbiased, high variance** | $r + \gamma \max_{a'} Q(s',a')$: **low variance, biased** (bootstraps on its own guess) |
| credit assignment | a whole (or rest-of-) episode's return, shared by every action in it | one step at a time, through the Bellman backup |
| actions | discrete or continuous, stochastic policies for free | needs $\max_a$ (discrete, or a trick) |
| failure mode | slow, noisy learning | divergence (the deadly triad: function approximation + bootstrapping + off-policy) |

**Actor-critic** methods keep the policy gradient and borrow the critic: a learned $V_w(s)$ replaces the noisy
Monte-Carlo return in the gradient's weights. This notebook measures what that buys (variance) and what it costs (bias),
shows how GAE's $\lambda$ moves between the two, and trains A2C and A3C on CartPole.
*/

App.Cell(2);

/*
## 1 · Variance and bias of the gradient estimators

Every policy-gradient estimator has the form $\hat g = \sum_t \nabla_\theta \log \pi_\theta(a_t\mid s_t)\, \Psi_t$; they differ in the weight $\Psi_t$:

| | $\Psi_t$ | |
|---|---|---|
| (a) REINFORCE | $G_0 = \sum_k \gamma^k r_k$ | every action gets the whole episode's return, including rewards that came *before* it |
| (b) reward-to-go | $\gamma^t G_t$, $G_t = \sum_{k\ge t} \gamma^{k-t} r_k$ | causality: an action cannot change the past |
| (c) with a baseline | $\gamma^t \big(G_t - \hat V(s_t)\big)$ | unbiased for *any* $\hat V$, because $\mathbb E_{a\sim\pi}[\nabla_\theta \log\pi_\theta(a\mid s)]\, b(s) = \nabla_\theta \sum_a \pi_\theta(a\mid s)\, b(s) = \nabla_\theta 1 \cdot b(s) = 0$ |
| (d) actor-critic | $\gamma^t \delta_t$, $\delta_t = r_t + \gamma \hat V(s_{t+1}) - \hat V(s_t)$ | the TD error: one reward, then the critic's guess |

(a) carries no $\gamma^t$: $G_0$ already discounts from the start of the episode, and weighting it by $\gamma^t$ again
would bias it whenever $\gamma < 1$. In (b)–(d) the $\gamma^t$ is the discounting of the policy-gradient theorem. The
corridor below is undiscounted ($\gamma = 1$), where every such factor is 1.

The problem is small enough to know the true gradient $\nabla J$ exactly (policy gradient theorem, $V^\pi$ and $Q^\pi$ solved
as linear systems): a corridor of 5 cells, reward $-1$ per step, the episode ends by stepping right out of the last cell,
and the policy goes right with probability ½ in every cell. The critic $\hat V$ is *learned*: the average return seen
from each cell in 20 episodes. Each estimate averages 10 episodes; 2000 estimates per estimator, the same episodes for all.
*/

App.Cell(4);
var study = GradientEstimatorStudy.Compare(new GradientStudyOptions { Seed = 1 });
App.Show(study.Table());

/*
*bias* is $\lVert \bar g - \nabla J\rVert$ for the mean $\bar g$ of the 2000 estimates; for an unbiased estimator it is only
sampling noise, about the size of the *± noise* column ($\sqrt{\text{variance}/2000}$). *variance* is $\mathbb E\lVert \hat g - \mathbb E \hat g\rVert^2$.
Each step down the table cuts the variance; the last one buys its big cut with a bias.
*/

App.Cell(6);
App.Show(Figure.Overlay(study.Estimators.Select(e => Chart.Scatter([e.Variance], [e.Bias], e.Name)).ToArray())
    .WithTitle("Variance against bias of the four estimators")
    .WithAxes("variance E‖ĝ − Eĝ‖² (log scale)", "bias ‖Eĝ − ∇J‖").WithLogX());

App.Cell(7);
// One component of the gradient, ∂J/∂θ[cell 0, right]: where the 2000 estimates fall, and the true value.
var histograms = study.Estimators.Select(e => Chart.Histogram(e.FirstComponent, e.Name, bins: 60)).ToArray();
App.Show(Figure.Overlay(histograms)
    .WithTitle($"Estimates of ∂J/∂θ[0, right]; the true value is {study.TrueGradient[1]:0.0}")
    .WithAxes("estimate", "count"));

/*
## 2 · The critic as a baseline, the TD error as an advantage

With the true value function the TD error is an unbiased estimate of the advantage:
$\mathbb E[\delta_t \mid s_t, a_t] = r(s_t,a_t) + \gamma\, \mathbb E[V^\pi(s_{t+1})] - V^\pi(s_t) = Q^\pi(s_t,a_t) - V^\pi(s_t) = A^\pi(s_t,a_t)$.
With a learned $\hat V$ it is not: $\mathbb E[\hat g_{(d)}] = \sum_s d(s) \sum_a \nabla\pi(a\mid s)\, \hat Q(s,a)$ with
$\hat Q(s,a) = r + \gamma\,\mathbb E[\hat V(s')]$, computed exactly below. The baseline estimator (c) stays unbiased however bad $\hat V$ is;
the TD error (d) is only as good as its critic. The better the critic (more episodes to learn from), the smaller the bias:
*/

App.Cell(9);
int[] criticEpisodes = [1, 3, 10, 30, 100, 300, 1000];
double Distance(double[] a, double[] b) => Math.Sqrt(a.Select((x, i) => (x - b[i]) * (x - b[i])).Sum());
double ExactBias(GradientStudyOptions options)
{
    var critic = GradientEstimatorStudy.LearnedCritic(options);
    return Distance(GradientEstimatorStudy.ExpectedTdErrorGradient(options, critic), study.TrueGradient);
}
// For each amount of data, the exact bias averaged over 20 critics (each learned from its own episodes).
var meanBias = criticEpisodes.Select(k => Enumerable.Range(0, 20)
        .Average(seed => ExactBias(new GradientStudyOptions { Seed = seed, CriticEpisodes = k })))
    .ToArray();
var gradientWithTrueV =
    GradientEstimatorStudy.ExpectedTdErrorGradient(new GradientStudyOptions(), study.TrueValues);
var withTrueV = Distance(gradientWithTrueV, study.TrueGradient);
App.Show(Chart.Line(criticEpisodes.Select(k => (double)k), meanBias,
        "TD-error estimator with a learned V̂ (mean of 20 critics)")
    .WithTitle($"Bias of the actor-critic gradient vs the critic's data " +
        $"(with the true V^π: {withTrueV:0.0e+0})")
    .WithAxes("episodes the critic learned from (log scale)", "exact bias ‖E ĝ − ∇J‖").WithLogX());

/*
## 3 · Generalized Advantage Estimation: λ trades bias for variance

Between the one-step TD error and the full return lie the $n$-step advantages
$\hat A^{(n)}_t = r_t + \gamma r_{t+1} + \dots + \gamma^{n-1} r_{t+n-1} + \gamma^n \hat V(s_{t+n}) - \hat V(s_t)$.
GAE (Schulman et al. 2016) averages all of them with weights $(1-\lambda)\lambda^{n-1}$, which works out to a discounted sum of TD errors:

$$\hat A^{\mathrm{GAE}(\gamma,\lambda)}_t = \sum_{l\ge 0} (\gamma\lambda)^l\, \delta_{t+l} = \delta_t + \gamma\lambda\, \hat A_{t+1}, \qquad \lambda = 0:\ \delta_t, \qquad \lambda = 1:\ G_t - \hat V(s_t).$$

Computed backwards over a rollout, the sum stops at every episode boundary. One subtlety: an episode that **terminated**
reached a state worth 0, so $\delta_t = r_t - \hat V(s_t)$; an episode that was **truncated** by a time limit did not, so the TD
error still bootstraps from $\hat V$ of its final observation. A rollout of two episodes, the first terminated, the second cut off:
*/

App.Cell(11);
double[] rewards = [1, 1, 1, 1, 1];
double[] values = [2.0, 1.5, 0.8, 3.0, 2.9];
// V(s_{t+1}); after step 2 the state is terminal, after step 4 the episode is cut off
double[] nextValues = [1.5, 0.8, 0.0, 2.9, 2.7];
bool[] terminated = [false, false, true, false, false];
bool[] truncated = [false, false, false, false, true];
const double gamma = 0.9;
var deltas = TemporalDifference.Errors(rewards, values, nextValues, terminated, gamma);
var gae0 = GeneralizedAdvantage.Estimate(rewards, values, nextValues, terminated, truncated, gamma,
    lambda: 0);
var gae95 = GeneralizedAdvantage.Estimate(rewards, values, nextValues, terminated, truncated, gamma,
    lambda: 0.95);
var gae1 = GeneralizedAdvantage.Estimate(rewards, values, nextValues, terminated, truncated, gamma,
    lambda: 1);
var monteCarlo = NStepReturns.Compute(rewards, nextValues, terminated, truncated, gamma,
    NStepReturns.Infinite);
string Row(params object[] cells) => string.Concat(cells.Select(c => $"{c,10}")) + "\n";
var header = Row("t", "r", "V(s_t)", "end", "δ_t", "λ = 0", "λ = 0.95", "λ = 1", "G_t − V");
App.Show(header + string.Concat(Enumerable.Range(0, 5).Select(t =>
    Row(t, rewards[t], values[t], terminated[t] ? "terminal" : truncated[t] ? "cut off" : "",
        $"{deltas[t]:F3}", $"{gae0[t]:F3}", $"{gae95[t]:F3}",
        $"{gae1[t]:F3}", $"{monteCarlo[t] - values[t]:F3}"))));

/*
The λ = 0 column is the TD error, the λ = 1 column equals the Monte-Carlo return minus $V$ (last column). On the corridor,
sweeping λ moves the gradient estimator from biased-but-steady to unbiased-but-noisy; the error that matters, $\sqrt{\text{bias}^2 + \text{variance}}$,
is smallest in between: on this corridor at the λ named in the chart's title. With a critic that is a network fitted on
long episodes, the best λ is usually higher: Schulman et al. (2016, GAE) found λ ≈ 0.92–0.98 best on their locomotion tasks,
and λ = 0.95 is the common default.
*/

App.Cell(13);
double[] lambdas = [0, 0.1, 0.25, 0.4, 0.5, 0.6, 0.75, 0.85, 0.9, 0.95, 0.98, 1];
var sweep = GradientEstimatorStudy.LambdaSweep(lambdas, new GradientStudyOptions { Seed = 1 });
int best = Enumerable.Range(0, lambdas.Length).MinBy(i => sweep.Estimators[i].MeanSquaredError);
App.Show(Figure.Overlay(
        Chart.Line(lambdas, sweep.Estimators.Select(e => e.Bias), "bias"),
        Chart.Line(lambdas, sweep.Estimators.Select(e => Math.Sqrt(e.Variance)),
            "standard deviation √variance"),
        Chart.Line(lambdas, sweep.Estimators.Select(e => Math.Sqrt(e.MeanSquaredError)),
            "RMSE √(bias² + variance)"))
    .WithTitle($"GAE(λ) on the corridor: bias falls, variance rises; RMSE lowest at λ = {lambdas[best]}")
    .WithAxes("λ", "size of the gradient error"));

/*
## Exercises: TD errors and GAE

Each exercise has a check below the solution cell: run it after your solution. It calls your function on edge cases and random inputs, compares with the library's reference, and shows a failing input (as a call you can paste into a cell) with the expected and the returned value. Until you solve it, it says *not implemented yet*; the cells after an exercise use the library's function, so the notebook runs either way. See `docs/exercises.md` for how exercises are graded.

Both functions take a rollout as above: `rewards[t]`, `values[t]` $= \hat V(s_t)$, `nextValues[t]` $= \hat V(s_{t+1})$ of the observation step $t$ returned, and the flags `terminated[t]` (step $t$ reached a terminal state) and `truncated[t]` (the episode was cut off after step $t$).

### Exercise 1 (3 points): the TD errors

Write `TdErrors(rewards, values, nextValues, terminated, gamma)`: $\delta_t = r_t + \gamma\, \hat V(s_{t+1}) - \hat V(s_t)$, with $\hat V(s_{t+1})$ counted as 0 where step $t$ terminated (not where it was truncated). (Library: `TemporalDifference.Errors`.)
*/

App.Cell(15);
// Check.*: the exercises' checks

App.Cell(16);
double[] TdErrors(double[] rewards, double[] values, double[] nextValues, bool[] terminated, double gamma)
{
    // YOUR CODE HERE
    throw new NotImplementedException();
}

App.Cell(17);
App.Show(Check.TdErrors(TdErrors));

/*
### Exercise 2 (3 points): generalized advantage estimation

Write `Gae(rewards, values, nextValues, terminated, truncated, gamma, lambda)`: backwards over the rollout,

$$\hat A_t = \delta_t + \gamma\lambda\, \hat A_{t+1},$$

where the sum stops ($\hat A_t = \delta_t$) at every step that ended its episode, terminated or truncated: the next step belongs to another episode. You may call your `TdErrors`. (Library: `GeneralizedAdvantage.Estimate`.)
*/

App.Cell(19);
double[] Gae(double[] rewards, double[] values, double[] nextValues, bool[] terminated, bool[] truncated,
    double gamma, double lambda)
{
    // YOUR CODE HERE
    throw new NotImplementedException();
}

App.Cell(20);
App.Show(Check.GeneralizedAdvantage(Gae));

/*
## 4 · A2C: advantage actor-critic, synchronous

The actor $\pi_\theta$ and the critic $V_w$ are two small networks (4 → 64 → 64 → 2 and 4 → 64 → 64 → 1, tanh).
$N = 8$ CartPoles are stepped side by side, which decorrelates the batch the way A3C's workers do, without threads:

```
repeat
    step the N environments n = 16 times with a ~ π_θ(·|s)            (128 transitions)
    Â_t = Gae(γ = 0.99, λ = 0.98) per environment,  G_t = Â_t + V_w(s_t)
    Â_t ← (Â_t − mean Â) / std Â                                       (over the batch)
    L = −mean(log π_θ(a_t|s_t) Â_t) + 0.5 · mean((V_w(s_t) − G_t)²) − 0.02 · mean(H[π_θ(·|s_t)])
    one Adam step on L (gradient norm clipped to 1; the step size decays linearly to 0 over the run)
```

**A2C trains with your `Gae`** from exercise 2: each environment's 16 steps go through it as one rollout, with
`nextValues[t]` the critic's value of the observation step $t$ returned, also where the episode ended; so your function,
not the trainer, decides that a terminal state is worth 0. Until you have written it, A2C uses the library's
`GeneralizedAdvantage.Estimate` (the cell says which); a right solution gives exactly the library's run.

Below: three seeds with a small budget. With 300k steps, the *final* greedy policy (no early stop) scores a mean of 475+ on
20 episodes and on 20 others in 9 of seeds 0–11 on the course's machine (12 of 16 on another: seeded runs differ between CPUs;
the library's learning test needs 3 of seeds 0–5; reproduce with
`dotnet run --project tests/CourseLib.Benchmarks -c Release -- --a2c-seeds 300000 12 parallel=2`);
the others end on a policy that fails after 115–470 steps. A2C on CartPole is that fickle: with λ = 0.95, c_H = 0.01,
n = 32 and clipping at 0.5 it was 5 of 8 (the same benchmark with `lambda=0.95 ent=0.01 n=32 clip=0.5`).
Curves are the mean return of the training episodes that ended in each window of steps (the policy samples its actions, so it
scores lower than its greedy version).
*/

App.Cell(22);
const long a2cSteps = 50_000, window = 2_500;
// Your Gae from exercise 2 drives the advantages (the library's until you have written it).
var a2cRuns = Enumerable.Range(0, 3)
    .Select(seed => A2C.TrainCartPole(new A2COptions { TotalSteps = a2cSteps, Seed = seed }, Gae)).ToList();
var grid = Enumerable.Range(1, (int)(a2cSteps / window)).Select(k => (double)(k * window));
App.Show(Chart.LearningCurve(a2cRuns.Select(r => r.ReturnCurve(a2cSteps, window)).ToList(), "A2C, 3 seeds", grid)
    .WithTitle("A2C on CartPole-v1").WithAxes("environment steps", "training episode return"));

App.Cell(23);
// The greedy policy of each run on 20 fresh episodes.
App.Show(string.Join("\n", a2cRuns.Select((r, seed) =>
    $"seed {seed}: {r.History.Count} updates, greedy return " +
    $"{Evaluation.Run(new CartPole(), r.Agent.Snapshot().GreedyAction).MeanReturn:F1}, " +
    $"entropy of π at the end {r.History[^1].Entropy:F3} nats (uniform: {Math.Log(2):F3})")));

/*
### What a wrong `Gae` does to A2C

The check above catches a wrong `Gae` on small rollouts; here is what one does to training. A typical slip in a backwards
recursion is to run it forwards: $\hat A_t = \delta_t + \gamma\lambda\,\hat A_{t-1}$ credits each action with the TD errors of
the steps *before* it. The cell trains seed 0 with that function, beside the run above with yours. Not every mistake shows
this plainly: a `Gae` that never resets its sum at an episode's end, or one that forgets γ in γλ, still learns CartPole about
as well (try the benchmark `--a2c-seeds 50000 4 parallel=2 gae=cross`, or `gae=nogamma`), which is why the check tests the
function itself.
*/

App.Cell(25);
// The recursion run forwards: Â_t = δ_t + γλ·Â_{t−1}, restarting after every episode end.
double[] GaeForwards(double[] rewards, double[] values, double[] nextValues, bool[] terminated,
    bool[] truncated, double gamma, double lambda)
{
    var deltas = TemporalDifference.Errors(rewards, values, nextValues, terminated, gamma);
    var advantages = new double[deltas.Length];
    for (int t = 0; t < deltas.Length; t++)
        advantages[t] = deltas[t] +
            (t == 0 || terminated[t - 1] || truncated[t - 1] ? 0 : gamma * lambda * advantages[t - 1]);
    return advantages;
}
var forwardsRun = A2C.TrainCartPole(new A2COptions { TotalSteps = a2cSteps, Seed = 0 }, GaeForwards);
double Greedy(TrainingResult<ActorCriticNetwork, TrainingUpdate> run) =>
    Evaluation.Run(new CartPole(), run.Agent.Snapshot().GreedyAction).MeanReturn;
App.Show(Figure.Overlay(
        Chart.Line(grid, a2cRuns[0].ReturnCurve(a2cSteps, window),
            $"your Gae (greedy policy {Greedy(a2cRuns[0]):0})"),
        Chart.Line(grid, forwardsRun.ReturnCurve(a2cSteps, window),
            $"Gae run forwards (greedy policy {Greedy(forwardsRun):0})"))
    .WithTitle("A2C on CartPole-v1, seed 0: the same training with a right and a wrong Gae")
    .WithAxes("environment steps", "training episode return"));

/*
## 5 · A3C: asynchronous workers

Mnih et al. (2016) got the same decorrelation from parallel *actors*: each worker thread has its own environment and its own
copy $\theta', w'$ of the network, and updates the shared parameters whenever it has collected $t_{max}$ steps:

```
each worker, in parallel, until the shared step counter T reaches T_max:
    θ' ← θ,  w' ← w                                               (sync)
    run π_θ' for t_max = 20 steps or to the episode's end
    R = 0 if terminated else V_w'(s_last);   for t backwards: R ← r_t + γR,  Â_t = R − V_w'(s_t)
    dθ', dw' = ∇ of the same loss as A2C, on the local copy
    apply dθ', dw' to θ, w with the shared optimizer                (asynchronously)
```

The paper applies the gradients lock-free ("Hogwild"); here only the short apply step (one Adam step on the shared weights)
holds a lock, while acting and back-propagating run in parallel. The workers interleave as the operating system schedules
them, so runs are alike but not bit-identical (with one worker they are).

**The worker's gradient, the readable way** (`Gradient = A3CGradient.Autograd`): each worker runs A2C's loss through
TorchSharp's autograd on its own network, for the $t_{max}$ states of its segment:

```csharp
localWeights.CopyTo(network);                                   // θ', w'
var (logits, values) = network.forward(observations);           // π's logits and V for the segment's states
var loss = ActorCriticLoss.Compute(logits, values, actions, advantages, returns, valueCoefficient, entropyCoefficient);
network.zero_grad();
loss.Total.backward();                                          // dθ', dw': each parameter's .grad
```

Autograd on worker threads is safe because the course's build keeps every TorchSharp scalar and tensor alive for the length
of the native call that uses it: TorchSharp 0.107 alone lets the garbage collector, run by another thread's allocations, free
them *during* the call ("Unknown scalar type"; see the README's design notes).
*/

App.Cell(27);
const long a3cSteps = 30_000;
string PerWorker(TrainingResult<ActorCriticNetwork, TrainingUpdate> run) =>
    string.Join(", ",
        run.History.GroupBy(u => u.Worker).OrderBy(g => g.Key).Select(g => $"worker {g.Key}: {g.Count()}"));
var a3cAutograd = A3C.TrainCartPole(
    new A3COptions { TotalSteps = a3cSteps, Workers = 2, Seed = 0, Gradient = A3CGradient.Autograd });
App.Show($"A3C with autograd, 2 workers: {a3cAutograd.History.Count} asynchronous updates " +
$"({PerWorker(a3cAutograd)}), greedy evaluation {Greedy(a3cAutograd):0}");

/*
**The handwritten gradient, the default** (`A3CGradient.Handwritten`). It computes the same dθ′, dw′ without TorchSharp: the
weights, each worker's copy and the shared Adam are plain `float` arrays, and the gradient is written out in C# layer by layer,
$\partial L/\partial z_k = \frac1B\big[\hat A_t(\pi_k - [k = a_t]) + c_H\,\pi_k(\log\pi_k + H_t)\big]$ at the logits,
$\partial L/\partial V_t = \frac{2c_V}{B}(V_t - G_t)$ at the critic's output, then back through each layer (with
$\tanh' = 1 - \tanh^2$). Why bother: on a network this small, autograd's cost is not the arithmetic but libtorch's overhead per
operation: each of the loss's dozens of small tensor operations, forward and back, pays for dispatch, allocation and graph
bookkeeping, while the C# loop only multiplies and adds, in memory it reuses. The next cell computes one worker update both
ways, from the same weights and the same segment of CartPole: how far apart the gradients are, and the time each takes (the
benchmark `--a3c-gradient` compares whole training runs over seeds).
*/

App.Cell(29);
var gradients = WorkerGradients.Compare(new A3COptions { Seed = 0 });
App.Show(gradients.Table());

App.Cell(30);
// The default: the same run with the handwritten gradient.
var a3c = A3C.TrainCartPole(new A3COptions { TotalSteps = a3cSteps, Workers = 2, Seed = 0 });
const long a3cWindow = 1_500;
var a3cGrid = Enumerable.Range(1, (int)(a3cSteps / a3cWindow)).Select(k => (double)(k * a3cWindow));
App.Show(Figure.Overlay(
        Chart.Line(a3cGrid, a3cAutograd.ReturnCurve(a3cSteps, a3cWindow),
            $"autograd (greedy policy {Greedy(a3cAutograd):0})"),
        Chart.Line(a3cGrid, a3c.ReturnCurve(a3cSteps, a3cWindow),
            $"handwritten (greedy policy {Greedy(a3c):0})"))
    .WithTitle("A3C on CartPole-v1, 2 workers, seed 0: autograd and the handwritten gradient")
    .WithAxes("shared environment steps", "training episode return"));

/*
## What to take away

* Policy gradients are unbiased and noisy; Q-learning's bootstrapped targets are steady and biased. Actor-critic sits in between,
  and **λ** (or the number of steps $n$ before bootstrapping) is the dial.
* A baseline never adds bias; a critic used *inside* the target (the TD error) does, as much as the critic is wrong.
* Correct bootstrapping: stop at **termination**, not at **truncation**.
* A2C and A3C are the same algorithm; A2C gets its decorrelated batch from parallel environments, A3C from parallel threads.
* The advantage estimator is where an actor-critic goes wrong quietly: a recursion run the wrong way wrecks learning, while
  other mistakes leave a curve that looks fine. Check the function, not only the curve.
* Autograd is the readable way to a gradient; for a network this small, writing the gradient out is the fast one. Both
  give the same numbers, which is what a test of a handwritten gradient checks.
* Actor and critic adapt to each other, much like GAN training: the critic is fitted to the current policy, the actor
  climbs the critic's advantages, and each chases a target the other keeps moving. The remedies are alike too: small
  steps, a critic that keeps up (more value steps, a larger value-loss weight), and watching both losses.
*/

/*
## Questions to answer in words

Answer each question in the markdown cell below it: replace `YOUR ANSWER HERE` with a few sentences (formulas welcome,
as `$...$`). Your instructor grades these answers by hand: the grader does not score them, it lists your answers for the
instructor, with their points counted apart from the checks' points (see `docs/exercises.md`).
*/

/*
### Question 1 (2 points): λ trades bias for variance

Why does GAE's $\lambda$ move the advantage estimate between biased-but-steady ($\lambda = 0$) and unbiased-but-noisy ($\lambda = 1$)?
*/

/*
YOUR ANSWER HERE
*/

/*
### Question 2 (2 points): a baseline against a bootstrapped target

Estimator (c) weights the score by $G_t - \hat V(s_t)$ and stays unbiased however bad $\hat V$ is; estimator (d) uses the TD error and is biased unless $\hat V = V^\pi$. Why the difference, if both use the same critic?
*/

/*
YOUR ANSWER HERE
*/

/*
### Question 3 (2 points): why eight CartPoles at once

A2C steps 8 environments side by side and A3C runs several workers. Why not take the same 128 transitions from one environment?
*/

/*
YOUR ANSWER HERE
*/

/*
## Your progress

The latest result of every check you ran in this session (run the notebook from the top to refresh it).
*/

App.Cell(40);
App.Show(Check.Summary());

App.Finish();
