// 05 · Q-learning and exploration
// The seminar notebook notebooks/05-q-learning-and-exploration.ipynb as a C# file-based app: the markdown is in comments, the cells
// are the program in the same order. Run it from anywhere inside the repository (.NET 10 SDK):
//     dotnet run apps/05-q-learning-and-exploration.cs
// Every output a notebook would show goes to the terminal and, with the text, into apps/05-q-learning-and-exploration.html.
// Exercises: write the function where it says YOUR CODE HERE; its check below prints the result.
// Made by `courselib export` from notebooks/05-q-learning-and-exploration.ipynb: edit the notebook, then export again.
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
using CourseLib.Mdp;
using CourseLib.ValueBased;
using CourseLib.Exercises;
using CourseLib.Notebooks.Apps;
using static CourseLib.Notebooks.Apps.App;   // display(...), as in a notebook

App.Start("05-q-learning-and-exploration", cells: 20);

/*
# 05 · Q-learning and exploration

Dynamic programming (notebook 04) needs the model p(s'|s,a). **Temporal-difference control** learns the optimal
action values from experience alone: after every step it moves Q(S, A) towards a one-step lookahead target.
The seminar's algorithm box, **Q-learning** (Watkins 1989):

> initialise $Q(s,a)$ for all $s, a$, with $Q(\text{terminal}, \cdot) = 0$  
> **for each episode:** $S \leftarrow$ initial state  
> &nbsp;&nbsp;**repeat:** choose $A$ from $S$ using a policy derived from $Q$ (e.g. ε-greedy)  
> &nbsp;&nbsp;&nbsp;&nbsp;take $A$, observe $R, S'$  
> &nbsp;&nbsp;&nbsp;&nbsp;$Q(S,A) \leftarrow Q(S,A) + \alpha\,\big[R + \gamma \max_a Q(S',a) - Q(S,A)\big]$  
> &nbsp;&nbsp;&nbsp;&nbsp;$S \leftarrow S'$  
> &nbsp;&nbsp;**until** $S$ is terminal

The bracket is the **TD error** between the target $R + \gamma \max_a Q(S',a)$ and the current estimate.
This notebook runs Q-learning and its on-policy sibling SARSA on CliffWalking, compares ways to explore, checks a
learned policy on FrozenLake against the exact optimum, and then replaces the table by a linear function of
tile-coded features to drive the car up the mountain.
*/

App.Cell(2);

/*
## The update, as two pure functions

`QLearning.Target` is $R + \gamma \max_a Q(S', a)$ (just $R$ when $S'$ is terminal: nothing follows the end), and
`QLearning.Update` moves the estimate a fraction α of the way to the target. A **truncated** step (a time limit,
not part of the task) is not terminal, so it still bootstraps.
*/

App.Cell(4);
double[] nextQ = [-3.0, -1.5, -2.0, -4.0];
var target = QLearning.Target(reward: -1, discount: 1.0, nextQ, terminated: false);   // −1 + max(...) = −2.5
var updated = QLearning.Update(qValue: -5.0, target, learningRate: 0.5);              // −5 + 0.5·(−2.5 + 5) = −3.75
App.Show(new { target, updated, terminalTarget = QLearning.Target(-1, 1.0, nextQ, terminated: true) });

/*
## Exercises: the Q-learning update

Each exercise has a check below the solution cell: run it after your solution. It calls your function on edge cases and random inputs, compares with the library's reference, and shows a failing input (as a call you can paste into a cell) with the expected and the returned value. Until you solve it, it says *not implemented yet*; the cells after an exercise use the library's function, so the notebook runs either way. See `docs/exercises.md` for how exercises are graded.

### Exercise 1 (3 points): the TD target

Write `QLearningTarget(reward, gamma, nextQValues, terminated)`:

$$y = \begin{cases} r & \text{if } s' \text{ is terminal} \\ r + \gamma \max_{a'} Q(s', a') & \text{otherwise.} \end{cases}$$

(Library: `QLearning.Target`.)
*/

App.Cell(6);
// Check.*: the exercises' checks

App.Cell(7);
double QLearningTarget(double reward, double gamma, double[] nextQValues, bool terminated)
{
    // YOUR CODE HERE
    throw new NotImplementedException();
}

App.Cell(8);
App.Show(Check.TdTarget(QLearningTarget));

/*
### Exercise 2 (3 points): one Q-learning step

Write `QLearningUpdate(q, state, action, reward, nextState, terminated, alpha, gamma)`, which changes the table `q` (indexed `[state, action]`) in place:

$$Q(s, a) \leftarrow Q(s, a) + \alpha \big[y - Q(s, a)\big]$$

with $y$ the target of exercise 1 (you may call your `QLearningTarget`). No other entry may change. (Library: `QLearning.Update`.)
*/

App.Cell(10);
void QLearningUpdate(double[,] q, int state, int action, double reward, int nextState, bool terminated, double alpha, double gamma)
{
    // YOUR CODE HERE
    throw new NotImplementedException();
}

App.Cell(11);
App.Show(Check.QLearningUpdate(QLearningUpdate));

/*
## CliffWalking: Q-learning against SARSA

A 4 × 12 grid (Sutton and Barto, Example 6.6): start bottom-left, goal bottom-right, the cells between are a cliff.
Every step costs −1, stepping onto the cliff costs −100 and sends the agent back to the start.

**SARSA** (on-policy) bootstraps from the action $A'$ it will actually take:
$Q(S,A) \leftarrow Q(S,A) + \alpha\,[R + \gamma Q(S',A') - Q(S,A)]$. With ε-greedy behaviour it therefore learns the
values *of the exploring policy*, for which the cliff edge is dangerous (a random step may fall off), while
Q-learning learns the values of the greedy policy, whose best path runs right along the edge.
*/

App.Cell(13);
var cliff = new CliffWalking();
App.Show(new GridWorldView(cliff).WithTitle("CliffWalking: S start, G goal, brown cliff"));

App.Cell(14);
var settings = new TabularHyperparameters { LearningRate = 0.1, Discount = 1.0 };
const int Episodes = 500, Seeds = 10;
var qRuns = Enumerable.Range(0, Seeds).Select(seed => QLearning.Train(cliff, Episodes, new EpsilonGreedy(0.1), settings, seed)).ToArray();
var sarsaRuns = Enumerable.Range(0, Seeds).Select(seed => Sarsa.Train(cliff, Episodes, new EpsilonGreedy(0.1), settings, seed)).ToArray();

App.Show(Figure.Overlay(
        Chart.LearningCurve(qRuns.Select(r => LearningCurves.MovingAverage(r.EpisodeReturns, 20)).ToArray(), "Q-learning", color: Chart.Palette[0]),
        Chart.LearningCurve(sarsaRuns.Select(r => LearningCurves.MovingAverage(r.EpisodeReturns, 20)).ToArray(), "SARSA", color: Chart.Palette[1]))
    .WithTitle("Online return per episode (ε = 0.1, α = 0.1; 20-episode moving average, 10 seeds)")
    .WithAxes("episode", "return").WithYRange(-100, 0));

/*
While exploring, SARSA earns more per episode: its path keeps a row or two away from the cliff. Q-learning's
*greedy* policy is better (its path below returns −13 against SARSA's −15, seed 0), but the ε-greedy agent following it falls off now and then.
The greedy paths after training (seed 0), with the Q-learning agent's greedy actions as arrows:
*/

App.Cell(16);
var qPath = TabularRollout.Follow(cliff, qRuns[0].Q.GreedyPolicy(), seed: 0, maxSteps: 100);
var sarsaPath = TabularRollout.Follow(cliff, sarsaRuns[0].Q.GreedyPolicy(), seed: 0, maxSteps: 100);
App.Show(new GridWorldView(cliff)
    .WithValues(qRuns[0].Q.StateValues())
    .WithPolicy(qRuns[0].Q.GreedyPolicy())
    .WithPath(qPath.States, $"Q-learning, return {qPath.Return}")
    .WithPath(sarsaPath.States, $"SARSA, return {sarsaPath.Return}")
    .WithTitle("Greedy paths after 500 episodes; shading: max_a Q(s, a) learned by Q-learning"));

/*
## Exploration strategies

"A policy derived from Q" leaves the choice open. The library's strategies are swappable pieces
(`ExplorationStrategy`); ties between equal Q values are broken at random.

| strategy | $\pi(a \mid s)$ or rule |
|---|---|
| ε-greedy | $\varepsilon/|\mathcal A|$ for every action, plus $1-\varepsilon$ shared by the greedy ones |
| decaying ε-greedy | the same with $\varepsilon_k$ falling linearly over the episodes $k$ |
| Boltzmann (softmax) | $\pi(a \mid s) \propto \exp(Q(s,a)/\tau)$: bad actions are tried less than nearly-best ones |
| UCB count bonus | $a = \arg\max_a Q(s,a) + c\sqrt{\ln N(s) / N(s,a)}$, untried actions first |
| optimistic initial values | greedy, with $Q_0$ above any achievable return: every untried action looks promising until tried |

The ε-greedy choice is a pure function on a seeded generator, so two implementations can be compared draw for draw:
*/

App.Cell(18);
var probabilities = EpsilonGreedy.Probabilities([1.0, 5.0, 5.0, 0.0], epsilon: 0.2);   // ties share the greedy mass
var rng = new Rng(1);
var counts = new int[4];
for (int i = 0; i < 10_000; i++) counts[EpsilonGreedy.Choose([1.0, 5.0, 5.0, 0.0], 0.2, rng)]++;
App.Show(Chart.Bar(["a0", "a1", "a2", "a3"], probabilities, "π(a|s)")
    .WithTitle($"ε-greedy, ε = 0.2: frequencies {string.Join(", ", counts)} of 10,000")
    .WithAxes("action (Q = 1, 5, 5, 0)", "probability π(a|s)"));

/*
### Exercise 3 (3 points): the ε-greedy choice

Write `EpsilonGreedyChoice(qValues, epsilon, rng)`: with probability ε a uniformly random action (any of them, the greedy one included), otherwise a greedy action, **ties broken uniformly at random**, so that

$$\pi(a \mid s) = \frac{\varepsilon}{|\mathcal A|} + (1 - \varepsilon)\, \frac{\mathbf{1}[a \in \arg\max Q]}{|\arg\max Q|}.$$

Draw every random number from `rng` (`rng.NextDouble()`, `rng.NextInt(n)`). The check draws thousands of choices per case and compares their frequencies with these probabilities. (Library: `EpsilonGreedy.Choose`.)
*/

App.Cell(20);
int EpsilonGreedyChoice(double[] qValues, double epsilon, Rng rng)
{
    // YOUR CODE HERE
    throw new NotImplementedException();
}

App.Cell(21);
App.Show(Check.EpsilonGreedy(EpsilonGreedyChoice));

/*
### On CliffWalking

Every step costs −1, so $Q_0 = 0$ is already optimistic there, and even the purely greedy agent explores
(anything untried looks better than what it has tried). The curves show each strategy's *online* return: what
exploring costs while learning. Episodes are cut at 500 steps.
*/

App.Cell(23);
var cliff500 = new CliffWalking(maxEpisodeSteps: 500);
var cliffSettings = new TabularHyperparameters { LearningRate = 0.5, Discount = 1.0 };
(string Name, Func<ExplorationStrategy> Make)[] strategies =
[
    ("ε-greedy, ε = 0.1", () => new EpsilonGreedy(0.1)),
    ("decaying ε: 0.3 → 0 over 200 episodes", () => new DecayingEpsilonGreedy(0.3, 0.0, 200)),
    ("Boltzmann, τ = 1", () => new Boltzmann(1.0)),
    ("UCB count bonus, c = 1", () => new UpperConfidenceBound(1.0)),
    ("greedy (Q₀ = 0 is optimistic here)", () => new EpsilonGreedy(0.0)),
];
var curves = strategies.Select((s, i) => Chart.LearningCurve(
        Enumerable.Range(0, Seeds).Select(seed => LearningCurves.MovingAverage(QLearning.Train(cliff500, 300, s.Make(), cliffSettings, seed).EpisodeReturns, 10)).ToArray(),
        s.Name, color: Chart.Palette[i]))
    .ToArray();
App.Show(Figure.Overlay(curves).WithTitle("Q-learning on CliffWalking: online return by exploration strategy (10 seeds, 10-episode average)")
    .WithAxes("episode", "return").WithYRange(-150, 0));

/*
Fixed ε keeps paying for its random steps (about −50 per episode, against −13 for the greedy path); a decaying ε
stops paying once ε reaches 0; Boltzmann rarely picks the catastrophic cliff action once its value is known;
the count bonus and plain optimism explore systematically and settle fastest.

### When zero is not optimistic: a sparse reward

In this corridor the only reward is +1 at the goal, and the holes end the episode with 0. Now $Q_0 = 0$ tells the
agent nothing: falling into a hole and stepping towards the goal look equally good, random exploration almost never
reaches the far end, and the count bonus cannot tell a dead end from progress either. Optimistic values ($Q_0 = 1$,
γ = 0.95) learn that holes are worth 0 after one visit, while untried steps keep their promise.
*/

App.Cell(25);
var corridor = new GridWorld(new GridWorldOptions
{
    Map = ["FFFFFFFFFFFF", "FFFFFFFFFFFF", "SFFFFFFFFFFG", "HHHHHHHHHHHH"],
    GoalReward = 1, MaxEpisodeSteps = 100,
});
var sparseSettings = new TabularHyperparameters { LearningRate = 0.5, Discount = 0.95 };
(string Name, Func<ExplorationStrategy> Make, double Q0)[] sparseStrategies =
[
    ("ε-greedy, ε = 0.1", () => new EpsilonGreedy(0.1), 0.0),
    ("decaying ε: 1 → 0.01", () => new DecayingEpsilonGreedy(1.0, 0.01, 150), 0.0),
    ("Boltzmann, τ = 0.1", () => new Boltzmann(0.1), 0.0),
    ("UCB count bonus, c = 0.5", () => new UpperConfidenceBound(0.5), 0.0),
    ("optimistic Q₀ = 1, greedy", () => new EpsilonGreedy(0.0), 1.0),
];
Notebook.Display(new GridWorldView(corridor).WithTitle("A sparse corridor: +1 at G, holes (dark) end the episode"));
App.Show(Figure.Overlay(sparseStrategies.Select((s, i) => Chart.LearningCurve(
        Enumerable.Range(0, Seeds).Select(seed => LearningCurves.MovingAverage(
            QLearning.Train(corridor, 300, s.Make(), sparseSettings with { InitialValue = s.Q0 }, seed).EpisodeReturns, 10)).ToArray(),
        s.Name, color: Chart.Palette[i])).ToArray())
    .WithTitle("Success rate per episode (10 seeds, 10-episode average)").WithAxes("episode", "success rate"));

/*
## FrozenLake: the learned policy against the exact optimum

On slippery FrozenLake 4 × 4 the agent moves in the intended direction only a third of the time. Q-learning
(ε decaying from 1 to 0.05 over 10,000 episodes, α = 0.05, γ = 0.999) learns from samples; value iteration knows
$p(s' \mid s, a)$ and computes the best achievable success probability exactly. Evaluating the learned greedy
policy by dynamic programming (no sampling noise) shows how close it gets.
*/

App.Cell(27);
var lake = FrozenLake.FourByFour();
var optimal = ValueIteration.Run(lake.Mdp, 1.0);
var lakeRun = QLearning.Train(lake, 20_000, new DecayingEpsilonGreedy(1.0, 0.05, 10_000),
    new TabularHyperparameters { LearningRate = 0.05, Discount = 0.999 }, seed: 2);
var learnedPolicy = lakeRun.Q.GreedyPolicy();
Notebook.Display(new GridWorldView(lake).WithValues(lakeRun.Q.StateValues()).WithPolicy(learnedPolicy)
    .WithTitle("FrozenLake 4x4: learned greedy policy, shaded by max_a Q"));
App.Show(new
{
    optimum = lake.SuccessProbability(optimal.GreedyPolicy),
    learned = lake.SuccessProbability(learnedPolicy),
    learnedWithin100Steps = lake.SuccessProbability(learnedPolicy, horizon: 100),   // the time limit of FrozenLake-v1
});

/*
## Linear function approximation: tile coding on MountainCar

A table has one entry per state; MountainCar's state (position, velocity) is continuous. A linear
action-value function $\hat q(s, a; \mathbf w) = \mathbf w^\top \psi(s, a)$ generalises between nearby states.
**Tile coding** builds ψ: several grids (tilings) over the state space, each shifted by a fraction of a tile; a state
activates one tile per tiling, so ψ(s, a) is binary with as many ones as there are tilings, in action a's block.

**Semi-gradient Q-learning** replaces the table update by a step along $\nabla_{\mathbf w}\hat q = \psi(S, A)$:

$$\mathbf w \leftarrow \mathbf w + \alpha\,\big[R + \gamma \max_{a'} \hat q(S', a'; \mathbf w) - \hat q(S, A; \mathbf w)\big]\,\nabla_{\mathbf w} \hat q(S, A; \mathbf w)$$

("semi" because the target also depends on **w** but is held fixed). With 8 tilings the step α is shared by the 8
active tiles (α/8 each). Rewards are −1 per step, so $\hat q = 0$ is optimistic and ε = 0 suffices.
*/

App.Cell(29);
var tiles = new TileCoder([MountainCar.MinPosition, -MountainCar.MaxSpeed], [MountainCar.MaxPosition, MountainCar.MaxSpeed], tilings: 8, tilesPerDimension: 8);
App.Show(new
{
    features = tiles.FeatureCount,
    activeAtValleyBottom = string.Join(", ", tiles.ActiveFeatures(-0.5, 0.0)),
    activeSlightlyRight = string.Join(", ", tiles.ActiveFeatures(-0.48, 0.0)),   // shares 7 of 8 tiles
    activeFarAway = string.Join(", ", tiles.ActiveFeatures(0.3, 0.05)),
});

App.Cell(30);
var carRuns = Enumerable.Range(0, 3).Select(seed => LinearQLearning.Train(new MountainCar(), 500, new LinearQHyperparameters(), seed)).ToArray();
var evaluation = LinearQLearning.Evaluate(carRuns[0].Q, new MountainCar(), episodes: 20, seed: 1234);
Notebook.Display($"Greedy policy of seed 0: mean return {evaluation.Average():F1} over 20 episodes (Gymnasium counts −110 as solved; the test asks for better than −150).");
App.Show(Chart.LearningCurve(carRuns.Select(r => LearningCurves.MovingAverage(r.EpisodeReturns, 10)).ToArray(), "semi-gradient Q-learning")
    .WithTitle("MountainCar: return per episode (3 seeds, 10-episode average)").WithAxes("episode", "return"));

/*
The **cost-to-go** $-\max_a \hat q(s, a)$ is the learned number of steps still needed from each state. It is
largest near the bottom of the valley at rest, where the car must swing back and forth to gain speed, and small
for states moving fast towards the goal. States the car never visits (fast leftwards far up the right hill) keep
the initial $\hat q = 0$.
*/

App.Cell(32);
const int Resolution = 60;
var costToGo = carRuns[0].Q.CostToGo(Resolution);
var positions = Enumerable.Range(0, Resolution).Select(i => carRuns[0].Q.GridPoint(0, i, Resolution).ToString("0.00"));
var velocities = Enumerable.Range(0, Resolution).Select(i => carRuns[0].Q.GridPoint(1, i, Resolution).ToString("0.000"));
App.Show(Chart.Heatmap(costToGo, positions, velocities, reverseRows: false)
    .WithTitle("Cost-to-go −max_a q̂(s, a) after 500 episodes").WithAxes("position", "velocity"));

/*
## Summary

* Q-learning and SARSA are the same TD update with different targets: the greedy next action (off-policy) or the
  next action taken (on-policy). The difference shows on CliffWalking: the optimal path along the edge against the
  safer path that pays off while exploring.
* Exploration is a separate, swappable piece. Random dithering (ε-greedy, Boltzmann) costs return forever unless
  it decays; optimism (optimistic values, count bonuses) explores systematically, and only optimism propagated
  through the values copes with a sparse reward and dead ends.
* A linear $\hat q$ over tile-coded features learns MountainCar in a few hundred episodes; notebook 06 replaces it by a
  neural network, which needs replay and a target network to stay stable.
*/

/*
## Your progress

The latest result of every check you ran in this session (run the notebook from the top to refresh it).
*/

App.Cell(35);
App.Show(Check.Summary());

App.Finish();
