// 06 · Deep Q-learning
// The seminar notebook notebooks/06-deep-q-learning.ipynb as a C# file-based app: the markdown is in comments, the cells
// are the program in the same order. Run it from anywhere inside the repository (.NET 10 SDK):
//     dotnet run apps/06-deep-q-learning.cs
// Every output a notebook would show goes to the terminal and, with the text, into apps/06-deep-q-learning.html.
// Exercises: write the function where it says YOUR CODE HERE; its check below prints the result.
// Made by `courselib export` from notebooks/06-deep-q-learning.ipynb: edit the notebook, then export again.
#:project ../lib/CourseLib/CourseLib.csproj
#:project ../lib/CourseLib.Notebooks/CourseLib.Notebooks.csproj
#:property PublishAot=false
#:property Configuration=Release
#:property OutDir=$(RepoRoot)artifacts/apps/
#:property Nullable=disable
#:property NoWarn=$(NoWarn);CS8321;CS0168;CS0219

using CourseLib;
using CourseLib.Charts;
using CourseLib.Display;
using CourseLib.Environments;
using CourseLib.Training;
using CourseLib.ValueBased;
using CourseLib.ValueBased.Deep;
using CourseLib.Exercises;
using static TorchSharp.torch;
using Sequential = TorchSharp.Modules.Sequential;
using CourseLib.Notebooks.Apps;
using static CourseLib.Notebooks.Apps.App;   // display(...), as in a notebook

App.Start("06-deep-q-learning", cells: 24);

/*
# 06 · Deep Q-learning

Notebook 05 learned $\hat q(s,a;\mathbf w)$ as a linear function of hand-made features. A neural network
$Q(s,a;\theta)$ learns its own features, but naive online Q-learning with one becomes unstable: consecutive samples
are strongly correlated, and the target $r + \gamma \max_{a'} Q(s',a';\theta)$ moves with every step on θ
(function approximation, bootstrapping and off-policy learning together: the "deadly triad").
**DQN** (Mnih et al. 2015, *Nature*) learned 49 Atari 2600 games from pixels and the score alone, with one network
architecture and one set of hyperparameters, and reached at least 75% of a professional human tester's score in 29 of
them. On Montezuma's Revenge it scored 0: the first reward comes only after a long, precise sequence of moves (down
ladders, over a rope, past a skull, to a key), which ε-greedy exploration practically never stumbles on. That is
notebook 05's sparse corridor at scale, and long-horizon exploration (count-based bonuses, curiosity) grew out of it.
DQN adds two fixes:

* **experience replay**: store transitions $(s, a, r, s')$ in a memory $\mathcal D$ and learn from random
  minibatches $B \subset \mathcal D$, which breaks the correlations and reuses each experience many times;
* a **target network** $\theta^-$: a copy of θ, refreshed only every C steps, computes the targets.

> **for** $t = 1 \dots T$:  
> &nbsp;&nbsp;$a_t \leftarrow$ random action with probability $\varepsilon_t$, else $\arg\max_a Q(s_t, a; \theta)$  
> &nbsp;&nbsp;execute $a_t$, observe $r_t, s_{t+1}$; store $(s_t, a_t, r_t, s_{t+1}, \text{terminated})$ in $\mathcal D$  
> &nbsp;&nbsp;sample a minibatch $B$ from $\mathcal D$;
> $\;y_j = r_j$ if $s_{j+1}$ is terminal, else $r_j + \gamma \max_{a'} Q(s_{j+1}, a'; \theta^-)$  
> &nbsp;&nbsp;gradient step on $\frac{1}{|B|}\sum_j L\big(\delta_j\big)$, $\;\delta_j = Q(s_j, a_j; \theta) - y_j$  
> &nbsp;&nbsp;every $C$ steps: $\theta^- \leftarrow \theta$
*/

App.Cell(2);

/*
## The loss on the TD error: Huber

The seminar's loss on $\delta = Q(s,a;\theta) - y$ is the **Huber loss**

$$L(\delta) = \begin{cases} \tfrac12 \delta^2 & |\delta| \le 1 \\ |\delta| - \tfrac12 & \text{otherwise} \end{cases}
\qquad\qquad L'(\delta) = \operatorname{clip}(\delta, -1, 1)$$

quadratic near zero like the squared error, linear in the tails, so a single surprising transition cannot produce
a huge gradient ("error clipping" in Mnih et al.). `HuberLoss.Value` is the pure function; its torch version
(`HuberLoss.Value(Tensor)`) gives the same numbers and autograd gives the clipped derivative.
*/

App.Cell(4);
var deltas = Enumerable.Range(-300, 601).Select(i => i / 100.0).ToArray();
App.Show(Figure.Overlay(
        Chart.Line(deltas, deltas.Select(HuberLoss.Value), "Huber L(δ)"),
        Chart.Line(deltas, deltas.Select(d => 0.5 * d * d), "½δ²"),
        Chart.Line(deltas, deltas.Select(HuberLoss.Derivative), "L′(δ) = clip(δ, −1, 1)"))
    .WithTitle("Huber loss on the TD error").WithAxes("δ", "").WithYRange(-1.5, 4.5));

App.Cell(5);
var deltaTensor = TorchSharp.torch.tensor(new float[] { -2.5f, -0.5f, 0f, 0.8f, 3f });
App.Show(string.Join("  ", HuberLoss.Value(deltaTensor).data<float>().ToArray().Select((l, i) =>
    $"L({deltaTensor[i].item<float>()}) = {l} (pure: {HuberLoss.Value(deltaTensor[i].item<float>())})")));

/*
## Exercises: DQN's loss and targets

Each exercise has a check below the solution cell: run it after your solution. It calls your function on edge cases and random inputs, compares with the library's reference, and shows a failing input (as a call you can paste into a cell) with the expected and the returned value. Until you solve it, it says *not implemented yet*; the cells after an exercise use the library's function, so the notebook runs either way. See `docs/exercises.md` for how exercises are graded.

### Exercise 1 (3 points): the Huber loss

Write `Huber(delta)`: $L(\delta) = \tfrac12 \delta^2$ for $|\delta| \le 1$ and $|\delta| - \tfrac12$ otherwise. (Library: `HuberLoss.Value`.)
*/

App.Cell(7);
// Check.*: the exercises' checks
// Tensor, nn, optim, no_grad: exercise 3 writes TorchSharp code

App.Cell(8);
double Huber(double delta)
{
    // YOUR CODE HERE
    throw new NotImplementedException();
}

App.Cell(9);
App.Show(Check.HuberLoss(Huber));

/*
## Replay memory

A ring buffer of the last N transitions: once full, each new transition overwrites the oldest. Minibatches are
drawn uniformly with replacement. (Capacity 4 here, to watch the wrap-around.)
*/

App.Cell(11);
var memory = new ReplayBuffer(capacity: 4, observationLength: 1);
for (int t = 0; t < 6; t++)
    memory.Add([t], action: t % 2, reward: 1, nextObservation: [t + 1], terminated: t == 5);
var slots = Enumerable.Range(0, memory.Count).Select(i => memory[i]).Select((m, i) =>
    $"slot {i}: s = {m.Observation[0]}, a = {m.Action}, s' = {m.NextObservation[0]}, "
    + $"terminated = {m.Terminated}");
App.Show(string.Join("\n", slots) + $"\nnext write goes to slot {memory.NextSlot} (the oldest)");

/*
## Terminated or truncated?

CartPole-v1 ends in two ways: the pole falls (a **terminal** state: nothing follows, $y = r$) or 500 steps pass
(a **truncation**: the time limit is not part of the task, the pole is still up, $y = r + \gamma \max_{a'} Q(s', a'; \theta^-)$).
Treating truncation as termination teaches the agent that upright states near the time limit are worth nothing.
*/

App.Cell(13);
double[] nextQTarget = [61.2, 64.0];
App.Show(new
{
    poleFell = TdTarget.Dqn(1, 0.99, nextQTarget, terminated: true),          // y = r
    timeLimit = TdTarget.Dqn(1, 0.99, nextQTarget, terminated: false),        // y = r + γ max Q(s', ·; θ⁻)
    // online picks a' = 0
    doubleQ = TdTarget.Dqn(1, 0.99, nextQTarget, terminated: false, nextQValuesOnline: [3.0, 2.0]),
});

/*
### Exercise 2 (3 points): targets with a target network

Write `DqnTargets(rewards, gamma, nextQTarget, terminated)` for a batch of transitions $i$:

$$y_i = r_i + \gamma\, (1 - \mathrm{terminated}_i) \max_{a'} Q(s'_i, a'; \theta^-),$$

where row `nextQTarget[i]` holds the *target* network's $Q(s'_i, \cdot\,; \theta^-)$. A truncated transition is not terminal: it bootstraps. (Library: `TdTarget.Dqn`.)
*/

App.Cell(15);
double[] DqnTargets(double[] rewards, double gamma, double[][] nextQTarget, bool[] terminated)
{
    // YOUR CODE HERE
    throw new NotImplementedException();
}

App.Cell(16);
App.Show(Check.DqnTargets(DqnTargets));

/*
## DQN in one page of TorchSharp

`ConciseDqn` (`lib/CourseLib/ValueBased/Deep/ConciseDqn.cs`, in the spirit of CleanRL's `dqn.py`) is the algorithm
above written the obvious way. The Q-network is an `nn.Sequential` of `Linear` and `ReLU` layers
(`ConciseDqn.Network`), the target network a second one. The loop acts ε-greedily with a forward pass, stores each
transition in the replay memory, runs the **update** on a random minibatch every `TrainFrequency` steps after
`LearningStarts`, and copies θ to θ⁻ every `TargetUpdateInterval` steps. The update is the heart of DQN: you write it.

### Exercise 3 (3 points): write the DQN update

Write `DqnUpdate(q, target, optimizer, batch, gamma, maxGradientNorm)`, one gradient step on a minibatch of $B$
transitions. `batch` is a `DqnMinibatch`: `Observations` $[B, 4]$, `Actions` (int64) $[B]$, `Rewards` $[B]$,
`NextObservations` $[B, 4]$ and `Terminated` (1 or 0) $[B]$.

1. The targets, from the **target** network and without a gradient (inside `using (no_grad())`):
   $y_j = r_j + \gamma\,(1 - \mathrm{terminated}_j) \max_{a'} Q(s'_j, a'; \theta^-)$
   (`target.forward(...)`, then `.max(1).values`).
2. The online network's values of the actions taken, $Q(s_j, a_j; \theta)$: `q.forward(...)`, then
   `.gather(1, actions.unsqueeze(1)).squeeze(1)`.
3. The loss $L = \frac1B \sum_j \mathrm{Huber}\big(Q(s_j, a_j; \theta) - y_j\big)$: `nn.functional.smooth_l1_loss`.
4. `optimizer.zero_grad()`, `loss.backward()`, clip the gradient's norm at `maxGradientNorm`
   (`nn.utils.clip_grad_norm_(q.parameters(), maxGradientNorm)`), `optimizer.step()`.
5. Return the loss before the step as a `double` (`loss.item<float>()`).

Open a dispose scope (`NewDisposeScope()`) at the top, so that the step's tensors are freed. The first check runs
one update on small networks (with plain SGD, so that the size of your gradient shows in the step) and compares the
loss and every weight of both networks with the library's update. The second trains CartPole with your update, as
the cell after it does, and passes if the greedy policy averages at least 100 over 20 fresh episodes that the grader
plays itself. (Library: `ConciseDqn.Update`; read it after you have written yours.)
*/

App.Cell(18);
double DqnUpdate(Sequential q, Sequential target, optim.Optimizer optimizer, DqnMinibatch batch, double gamma,
    double maxGradientNorm)
{
    // YOUR CODE HERE
    throw new NotImplementedException();
}

App.Cell(19);
display(Check.DqnUpdate(DqnUpdate));
App.Show(Check.DqnCartPole(DqnUpdate));

/*
Now the concise DQN on CartPole with your `DqnUpdate` (until you have written it, with the library's, as the line
under the cell says). The settings are the outcome check's, `Check.DqnCartPoleOptions`: `CartPoleTuned` as plain
DQN (1-step targets, no double Q), the target network refreshed every 100 steps, greedy evaluations every 1,000
steps, and a stop once they average 195 over 10 episodes (at most 10,000 steps). With a right update the run is the
library's, step for step.
*/

App.Cell(21);
var concise = ConciseDqn.Train(new CartPole(), Check.DqnCartPoleOptions with { Seed = 0 },
    steps: Check.DqnCartPoleBudget, evaluationEnvironment: new CartPole(), update: DqnUpdate);
var fresh = new EvaluationOptions { Episodes = 20, Seed = 2_024 };
var conciseFresh = ConciseDqn.Evaluate(concise.Agent, new CartPole(), fresh);
Notebook.Display($"ConciseDqn: stopped at step {concise.Steps:N0} after {concise.History.Count:N0} updates "
    + $"in {concise.Elapsed.TotalSeconds:F1} s ({concise.StepsPerSecond:N0} steps/s); "
    + $"greedy policy on 20 fresh episodes: mean return {conciseFresh.MeanReturn:F1}");
App.Show(Figure.Overlay(
        Chart.Line(concise.Episodes.Select(e => (double)e.Step),
            LearningCurves.MovingAverage(concise.Returns, 10), "training episodes (10-episode average)"),
        Chart.Scatter(concise.Evaluations.Select(e => (double)e.Step),
            concise.Evaluations.Select(e => e.MeanReturn), "greedy evaluation (mean of 10)"))
    .WithHorizontalLine(195, "stop at 195")
    .WithTitle("ConciseDqn with your DqnUpdate on CartPole-v1").WithAxes("environment step", "return"));

/*
### The same update, from scratch

`Dqn.Train` with a `DqnAgent` is the same algorithm on a fast path: `QNetwork` writes the forward and backward passes
out layer by layer, `Adam` is a loop over the same memory, and acting runs in plain C#. It is not an approximation:
the test suite runs one update of each from the same weights on the same minibatch and finds the same weights to
float rounding (`ConciseDqnTests`). Why it exists is the speed, measured at the end of the next section.
*/

/*
## DQN on CartPole, trained with your `DqnTargets`

The agent's settings are one record, `DqnOptions`; `DqnOptions.CartPoleTuned` is a sample-efficient setting (an update
every step, ε falling to 0.02 over 10,000 steps, double Q-learning and 3-step returns, explained below). Here without
double Q, so that every minibatch's targets come from **your** `DqnTargets` (with 3-step returns it gets the sum of
the three discounted rewards and γ³ for γ, and your formula is still right). Until you write it, the library's
reference trains and the cell says so in one line. A small budget: at most 40,000 steps, stopping once the greedy
policy averages 500 over 10 evaluation episodes (`Evaluation`, the same `EvaluationOptions` every trainer takes).
*/

App.Cell(24);
var tuned = DqnOptions.CartPoleTuned with
{
    DoubleQ = false, Seed = 0,
    Evaluation = new EvaluationOptions { EverySteps = 2_500, Episodes = 10, StopAtMeanReturn = 500 },
};
var agent = new DqnAgent(observationLength: 4, actionCount: 2, tuned);
var result = Dqn.Train(agent, new CartPole(), steps: 40_000, evaluationEnvironment: new CartPole(),
    dqnTargets: DqnTargets);
Notebook.Display($"{result.Steps:N0} steps, {agent.UpdateCount:N0} updates "
    + $"in {result.Elapsed.TotalSeconds:F1} s "
    + $"({result.StepsPerSecond:N0} steps/s); solved at step {result.SolvedAtStep?.ToString("N0") ?? "—"}");
App.Show(Figure.Overlay(
        Chart.Line(result.Episodes.Select(e => (double)e.Step),
            LearningCurves.MovingAverage(result.Returns, 10),
            "training episodes (10-episode average, ε-greedy)"),
        Chart.Scatter(result.Evaluations.Select(e => (double)e.Step),
            result.Evaluations.Select(e => e.MeanReturn),
            "greedy evaluation (mean of 10)"))
    .WithTitle("DQN on CartPole-v1").WithAxes("environment step", "return"));

/*
A wrong target shows in the curve. `NoFuture` below forgets the bootstrap (10,000 steps are enough to see it), $y = r$ (as if γ were 0): every action
of every state is then worth the same reward, and the agent never learns which push keeps the pole up. (Ignoring
`terminated` is a subtler mistake: with 3-step returns the sums of rewards alone already tell a falling pole from an
upright one, and the agent still learns CartPole; with one-step targets it cannot.)
*/

App.Cell(26);
double[] NoFuture(double[] rewards, double gamma, double[][] nextQTarget, bool[] terminated) =>
    (double[])rewards.Clone();
using (var wrong = new DqnAgent(4, 2, tuned with { Evaluation = EvaluationOptions.None }))
{
    var wrongRun = Dqn.Train(wrong, new CartPole(), steps: 10_000, dqnTargets: NoFuture);
    Notebook.Display(Figure.Overlay(
            Chart.Line(result.Episodes.Select(e => (double)e.Step),
                LearningCurves.MovingAverage(result.Returns, 10),
                "DqnTargets (yours, or the reference)"),
            Chart.Line(wrongRun.Episodes.Select(e => (double)e.Step),
                LearningCurves.MovingAverage(wrongRun.Returns, 10),
                "NoFuture: y = r"))
        .WithTitle("The same DQN with two target functions (10-episode averages)")
        .WithAxes("environment step", "training return"));
}

/*
### Where the time goes

A DQN step is an environment step, an action (a forward pass of one observation) and, every few steps, an update
(a forward pass of the target network on the next states, a forward and backward pass of the online network on a
batch, an Adam step). Called the obvious way through TorchSharp, as `ConciseDqn` does, most of the time goes into
crossing from C# into libtorch dozens of times per update (creating tensors, autograd bookkeeping, the optimiser's
per-parameter tensor calls), not into arithmetic. `QNetwork` therefore writes its forward and backward passes out
layer by layer: libtorch multiplies the matrices in preallocated tensors, C# does the elementwise work, clipping and
Adam in one vectorised loop over the same memory, and acting runs entirely in C# on the live weights. The cell below
times one update and one greedy action of each on the same network size and batch (`--concise-dqn`, a benchmark
mode, compares whole runs).
*/

App.Cell(28);
var oneThread = TorchThreads.One();   // libtorch on one thread, as in training
var timing = System.Diagnostics.Stopwatch.StartNew();
for (int i = 0; i < 300; i++) agent.Update();
double updateMicroseconds = timing.Elapsed.TotalMicroseconds / 300;
float[] observation = [0.01f, 0.02f, -0.03f, 0.01f];
timing.Restart();
int sum = 0;
for (int i = 0; i < 20_000; i++) { observation[0] = i * 1e-7f; sum += agent.GreedyAction(observation); }
double greedyActionMicroseconds = timing.Elapsed.TotalMicroseconds / 20_000;

// The same with ConciseDqn's network, on a random minibatch of the same size.
using (var conciseTarget = ConciseDqn.Network(4, 2, tuned.HiddenLayers))
using (var conciseOptimizer = optim.Adam(concise.Agent.parameters(), tuned.LearningRate))
using (var scope = NewDisposeScope())
{
    int b = tuned.BatchSize;
    var batch = new DqnMinibatch(
        randn(b, 4), randint(0, 2, b, ScalarType.Int64), ones(b), randn(b, 4), zeros(b));
    var (q, optimizer) = (concise.Agent, conciseOptimizer);
    for (int i = 0; i < 30; i++) ConciseDqn.Update(q, conciseTarget, optimizer, batch, tuned);   // warm-up
    timing.Restart();
    for (int i = 0; i < 300; i++) ConciseDqn.Update(q, conciseTarget, optimizer, batch, tuned);
}
double conciseUpdateMicroseconds = timing.Elapsed.TotalMicroseconds / 300;
timing.Restart();
for (int i = 0; i < 3_000; i++)
{
    observation[0] = i * 1e-7f;
    sum += ConciseDqn.GreedyAction(concise.Agent, observation);
}
double conciseGreedyActionMicroseconds = timing.Elapsed.TotalMicroseconds / 3_000;
oneThread.Dispose();
App.Show(new
{
    batch = tuned.BatchSize, parameters = agent.Online.ParameterCount,
    updateMicroseconds, conciseUpdateMicroseconds,
    updateSpeedUp = conciseUpdateMicroseconds / updateMicroseconds,
    greedyActionMicroseconds, conciseGreedyActionMicroseconds,
    actionSpeedUp = conciseGreedyActionMicroseconds / greedyActionMicroseconds,
});

/*
## Rainbow's components

Hessel et al. (2017; AAAI 2018) combined six extensions of DQN. (The seminar's slide credits Rainbow to Mnih et al.;
the Rainbow paper is Hessel et al.'s, from DeepMind, building on DQN.) Each is a switch in `DqnOptions`:

* **Double Q-learning** (`DoubleQ`): the max in the target both selects and evaluates the action and so
  overestimates; the online network selects, the target network evaluates:
  $y = r + \gamma\, Q\big(s', \arg\max_{a'} Q(s', a'; \theta); \theta^-\big)$.
* **Dueling heads** (`Dueling`): $Q(s,a) = V(s) + A(s,a) - \frac{1}{|\mathcal A|}\sum_{a'} A(s,a')$, so the value of a
  state is learned from every action tried there.
* **Prioritised replay** (`PrioritizedReplay`): transition i is replayed with probability
  $P(i) = p_i^\alpha / \sum_k p_k^\alpha$, $p_i = |\delta_i| + \epsilon$ (a sum-tree samples in O(log N)); the bias is
  corrected by importance weights $w_i = (N\,P(i))^{-\beta}$, β annealed to 1.
* **n-step returns** (`NSteps`): $y = \sum_{k=0}^{n-1}\gamma^k r_{t+k} + \gamma^n \max_{a'} Q(s_{t+n}, a'; \theta^-)$,
  which propagates rewards n times faster (no bootstrap if the episode terminated within the n steps).
* **Distributional RL, C51** (`Distributional`): the network predicts a distribution over 51 return values
  $z_j$; the target distribution of $r + \gamma z$ is projected onto the $z_j$ and the loss is the cross-entropy.
* **Noisy networks** (`NoisyNetworks`): weights $W = \mu + \sigma \odot \varepsilon$ with learned σ replace ε-greedy.

The ablation (`RainbowAblation`) adds each component alone to a plain DQN (the tuned settings without double Q and
with 1-step targets), and all of them together. A small budget: 3 seeds × 6,000 steps each (the first 1,000 fill the
replay memory), evaluated every 1,000 steps, so the curves say more about the speed of learning than about final
performance. The 24 runs are independent and seeded, so they run side by side on every core. The table below the
chart gives each variant's compute time: the components are not free. (`--rainbow-ablation 12000 3 every=1500`, a
benchmark mode, runs the same with twice the budget.)
*/

App.Cell(30);
var plain = DqnOptions.CartPoleTuned with { DoubleQ = false, NSteps = 1 };
var ablation = RainbowAblation.CartPole(RainbowAblation.Variants(plain), steps: 6_000, seeds: 3,
    new EvaluationOptions { EverySteps = 1_000, Episodes = 5 });
var rainbow = ablation.LastVariantAgent;   // Rainbow (all six), seed 0: looked into below
Notebook.Display(ablation.Chart("Greedy evaluation return while learning CartPole (mean of 3 seeds)"));
App.Show(ablation.Curves.Select(c => new
{
    variant = c.Name,
    meanReturnAtTheEnd = Math.Round(c.MeanReturns[^1], 1),
    computeSeconds = Math.Round(c.ComputeTime.TotalSeconds, 1),
}));

/*
### What C51 learns: a distribution of returns

For a distributional agent Q(s, a) is the mean of a predicted distribution over returns. With γ = 0.99 and a
reward of 1 per step, a pole that stays up is worth at most about $1/(1-\gamma) = 100$. The Rainbow agent's
predictions for the upright start state, and for a pole leaning right and falling further right: pushing right
(moving the cart under the pole) can still save it, pushing left makes it fall within a few steps.
*/

App.Cell(32);
float[] startState = [0f, 0f, 0.01f, 0f], leaningState = [0f, 0f, 0.1f, 0.5f];
var (support, upright) = rainbow.ReturnDistribution(startState, action: 1);
var (_, leaningPushLeft) = rainbow.ReturnDistribution(leaningState, action: 0);
var (_, leaningPushRight) = rainbow.ReturnDistribution(leaningState, action: 1);
var atoms = support.Select(z => (double)z).ToArray();
double Mean(float[] p) => p.Select((pj, j) => pj * atoms[j]).Sum();
App.Show(Figure.Overlay(
        Chart.Line(atoms, upright.Select(p => (double)p), $"upright, push right (mean {Mean(upright):F0})"),
        Chart.Line(atoms, leaningPushLeft.Select(p => (double)p),
            $"leaning and falling right, push left (mean {Mean(leaningPushLeft):F0})"),
        Chart.Line(atoms, leaningPushRight.Select(p => (double)p),
            $"leaning and falling right, push right (mean {Mean(leaningPushRight):F0})"))
    .WithTitle("C51: predicted distribution of the discounted return").WithAxes("return z", "probability"));

/*
### Exercise 4 (3 points): Double DQN's targets

Write `DoubleDqnTargets(rewards, gamma, nextQTarget, nextQOnline, terminated)`: the online network chooses, the target network evaluates,

$$y_i = r_i + \gamma\, (1 - \mathrm{terminated}_i)\; Q\big(s'_i, \arg\max_{a'} Q(s'_i, a'; \theta); \theta^-\big).$$

(Library: `TdTarget.Dqn` with `nextQValuesOnline`.)
*/

App.Cell(34);
double[] DoubleDqnTargets(double[] rewards, double gamma, double[][] nextQTarget, double[][] nextQOnline,
    bool[] terminated)
{
    // YOUR CODE HERE
    throw new NotImplementedException();
}

App.Cell(35);
App.Show(Check.DoubleDqnTargets(DoubleDqnTargets));

/*
Now with double Q-learning: `CartPoleTuned` as it is, every minibatch's targets from your `DoubleDqnTargets`
(or the reference until it is written).
*/

App.Cell(37);
var doubleOptions = DqnOptions.CartPoleTuned with { Seed = 0, Evaluation = tuned.Evaluation };
using (var doubleAgent = new DqnAgent(4, 2, doubleOptions))
{
    var doubleRun = Dqn.Train(doubleAgent, new CartPole(), steps: 40_000,
        evaluationEnvironment: new CartPole(),
        doubleDqnTargets: DoubleDqnTargets);
    Notebook.Display($"double DQN: {doubleRun.Steps:N0} steps; "
        + $"solved at step {doubleRun.SolvedAtStep?.ToString("N0") ?? "—"}; "
        + $"last evaluation {doubleRun.Evaluations[^1].MeanReturn:F1}");
}

/*
## Checkpoints

A checkpoint holds everything a run needs to continue: the options, both networks, Adam's moments, the replay
memory, the counters (so the ε schedule continues) and the random generator's state. A run resumed from a
checkpoint continues exactly as the uninterrupted one (the test suite checks this bit for bit).
*/

App.Cell(39);
var path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "dqn-cartpole.checkpoint");
agent.Save(path);
var resumed = DqnAgent.Load(path);
// (its options evaluate: a second CartPole)
var continued = Dqn.Train(agent, new CartPole(), 2_000, new CartPole());
var fromCheckpoint = Dqn.Train(resumed, new CartPole(), 2_000, new CartPole());
App.Show(new
{
    checkpointMegabytes = new System.IO.FileInfo(path).Length / 1e6,
    resumedAtStep = resumed.StepCount - fromCheckpoint.Steps,
    sameEpisodes = continued.Returns.SequenceEqual(fromCheckpoint.Returns),
    sameLosses = continued.History.SequenceEqual(fromCheckpoint.History),
});

App.Cell(40);
// The networks hold native (libtorch) memory: free it when done.
foreach (var learner in new[] { agent, resumed }) learner.Dispose();
ablation.Dispose();   // and with it the Rainbow agent
concise.Agent.Dispose();
deltaTensor.Dispose();
System.IO.File.Delete(path);

/*
## Summary

* DQN = Q-learning + a neural network + experience replay + a target network, trained on the Huber loss of the
  TD error, with termination (no bootstrap) and truncation (bootstrap) kept apart.
* Rainbow's components each address one weakness: overestimation (double Q), sharing value across actions
  (dueling), wasted replays (prioritised replay), slow reward propagation (n-step), the mean hiding the shape of
  the return (C51), and undirected exploration (noisy nets).
* The update is a few lines of TorchSharp: targets from the target network without a gradient, the Huber loss of
  Q(s, a; θ) − y, zero_grad, backward, gradient clipping, step. You wrote it, and `ConciseDqn` trained with it.
* `ConciseDqn` is the algorithm in one page of TorchSharp; the fast path computes the same update (tested to float
  rounding). Its speed comes from not crossing into the tensor library more than necessary: the same arithmetic, arranged so the
  expensive parts (matrix products) run in libtorch and everything else stays in C#.
*/

/*
## Questions to answer in words

Answer each question in the markdown cell below it: replace `YOUR ANSWER HERE` with a few sentences (formulas welcome,
as `$...$`). Your instructor grades these answers by hand: the grader does not score them, it lists your answers for the
instructor, with their points counted apart from the checks' points (see `docs/exercises.md`).
*/

/*
### Question 1 (2 points): why a target network?

DQN computes its targets $y = r + \gamma \max_{a'} Q(s', a'; \theta^-)$ with a copy $\theta^-$ of the weights that is refreshed only every `TargetUpdateInterval` steps. What goes wrong if the targets use the online weights $\theta$ themselves, and how does the copy help?
*/

/*
YOUR ANSWER HERE
*/

/*
### Question 2 (2 points): why a replay memory?

DQN learns from minibatches drawn at random from the last $N$ transitions instead of from each transition as it happens. Give two reasons, and say why this is allowed for Q-learning but not for REINFORCE as written in notebook 02.
*/

/*
YOUR ANSWER HERE
*/

/*
### Question 3 (2 points): Huber on δ

Why does DQN minimise the Huber loss of the TD error δ rather than its square? What does the gradient of each look like for a large δ?
*/

/*
YOUR ANSWER HERE
*/

/*
## Your progress

The latest result of every check you ran in this session (run the notebook from the top to refresh it).
*/

App.Cell(50);
App.Show(Check.Summary());

App.Finish();
