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
using CourseLib.Training;
using CourseLib.ValueBased;
using CourseLib.Exercises;
using CourseLib.Notebooks.Apps;
using static CourseLib.Notebooks.Apps.App;   // display(...), as in a notebook

App.Start("05-q-learning-and-exploration", cells: 25);

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
You write the box's pieces (the target, the update, the ε-greedy choice) and then the whole loop; the training cells
run on your functions. This notebook runs Q-learning and its on-policy sibling SARSA on CliffWalking, compares ways
to explore, checks a learned policy on FrozenLake against the exact optimum, and then replaces the table by a linear
function of tile-coded features to drive the car up the mountain.
*/

App.Cell(2);

/*
## The update, as two pure functions

`TdTarget.QLearning` is $R + \gamma \max_a Q(S', a)$ (just $R$ when $S'$ is terminal: nothing follows the end), and
`QLearning.Update` moves $Q(S, A)$ in the table `q[state, action]` a fraction α of the way to it, in place. It is the
very function `QLearning.Train` calls at every step. A **truncated** step (a time limit, not part of the task) is not
terminal, so it still bootstraps.
*/

App.Cell(4);
double[] nextQ = [-3.0, -1.5, -2.0, -4.0];
// −1 + max(...) = −2.5
var target = TdTarget.QLearning(reward: -1, discount: 1.0, nextQ, terminated: false);
var table = new double[2, 4];   // state 0, and state 1 = S'
table[0, 1] = -5.0;
for (int a = 0; a < 4; a++) table[1, a] = nextQ[a];
// −5 + 0.5·(−2.5 + 5) = −3.75
QLearning.Update(table, state: 0, action: 1, reward: -1, nextState: 1, terminated: false, alpha: 0.5,
    gamma: 1.0);
App.Show(new { target, updated = table[0, 1], terminalTarget = TdTarget.QLearning(-1, 1.0, nextQ, terminated: true) });

/*
## Exercises: the Q-learning update

Each exercise has a check below the solution cell: run it after your solution. It calls your function on edge cases and random inputs, compares with the library's reference, and shows a failing input (as a call you can paste into a cell) with the expected and the returned value. Until you solve it, it says *not implemented yet*; the cells after an exercise use the library's function, so the notebook runs either way. See `docs/exercises.md` for how exercises are graded.

### Exercise 1 (3 points): the TD target

Write `QLearningTarget(reward, gamma, nextQValues, terminated)`:

$$y = \begin{cases} r & \text{if } s' \text{ is terminal} \\ r + \gamma \max_{a'} Q(s', a') & \text{otherwise.} \end{cases}$$

(Library: `TdTarget.QLearning`.)
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

with $y$ the target of exercise 1 (you may call your `QLearningTarget`). No other entry may change. (Library: `QLearning.Update`.) The training cells below call your function at every step
(until you write it, the library's, and a line says so).
*/

App.Cell(10);
void QLearningUpdate(double[,] q, int state, int action, double reward, int nextState, bool terminated,
    double alpha, double gamma)
{
    // YOUR CODE HERE
    throw new NotImplementedException();
}

App.Cell(11);
App.Show(Check.QLearningUpdate(QLearningUpdate));

/*
## Choosing the action: ε-greedy

"A policy derived from Q" leaves the choice open; the simplest is **ε-greedy**: with probability ε a uniformly
random action, otherwise a greedy one, ties between equal Q values broken at random. The choice is a pure function on
a seeded generator, so two implementations can be compared draw for draw:
*/

App.Cell(13);
// ties share the greedy mass
var probabilities = EpsilonGreedy.Probabilities([1.0, 5.0, 5.0, 0.0], epsilon: 0.2);
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

Draw every random number from `rng` (`rng.NextDouble()`, `rng.NextInt(n)`). The check draws thousands of choices per case and compares their frequencies with these probabilities. (Library: `EpsilonGreedy.Choose`.) Any order of draws is right; to reproduce the library's training runs number for number, draw as it does: first `u = rng.NextDouble()`; if `u < epsilon`, `rng.NextInt(qValues.Length)`; otherwise the greedy action, and `rng.NextInt(k)` among the `k` tied best actions (in index order) only when there is a tie.
*/

App.Cell(15);
int EpsilonGreedyChoice(double[] qValues, double epsilon, Rng rng)
{
    // YOUR CODE HERE
    throw new NotImplementedException();
}

App.Cell(16);
App.Show(Check.EpsilonGreedy(EpsilonGreedyChoice));

/*
## CliffWalking: Q-learning against SARSA

A 4 × 12 grid (Sutton and Barto, Example 6.6): start bottom-left, goal bottom-right, the cells between are a cliff.
Every step costs −1, stepping onto the cliff costs −100 and sends the agent back to the start.

**SARSA** (on-policy) bootstraps from the action $A'$ it will actually take:
$Q(S,A) \leftarrow Q(S,A) + \alpha\,[R + \gamma Q(S',A') - Q(S,A)]$. With ε-greedy behaviour it therefore learns the
values *of the exploring policy*, for which the cliff edge is dangerous (a random step may fall off), while
Q-learning learns the values of the greedy policy, whose best path runs right along the edge.

Both learners below explore with your `EpsilonGreedyChoice`, and Q-learning updates with your `QLearningUpdate`.
*/

App.Cell(18);
var cliff = new CliffWalking();
App.Show(new GridWorldView(cliff).WithTitle("CliffWalking: S start, G goal, brown cliff"));

App.Cell(19);
var settings = new TabularOptions { Episodes = 500, LearningRate = 0.1, Discount = 1.0 };
const int Seeds = 10;
var qRuns = Enumerable.Range(0, Seeds)
    .Select(seed => QLearning.Train(cliff, new EpsilonGreedy(0.1), settings with { Seed = seed },
        qLearningUpdate: QLearningUpdate, epsilonGreedyChoice: EpsilonGreedyChoice))
    .ToArray();
var sarsaRuns = Enumerable.Range(0, Seeds)
    .Select(seed => Sarsa.Train(cliff, new EpsilonGreedy(0.1), settings with { Seed = seed },
        epsilonGreedyChoice: EpsilonGreedyChoice))
    .ToArray();

App.Show(Figure.Overlay(
        Chart.LearningCurve(qRuns.Select(r => LearningCurves.MovingAverage(r.Returns, 20)).ToArray(),
            "Q-learning", color: Chart.Palette[0]),
        Chart.LearningCurve(sarsaRuns.Select(r => LearningCurves.MovingAverage(r.Returns, 20)).ToArray(),
            "SARSA", color: Chart.Palette[1]))
    .WithTitle("Online return per episode (ε = 0.1, α = 0.1; 20-episode moving average, 10 seeds)")
    .WithAxes("episode", "return").WithYRange(-100, 0));

/*
While exploring, SARSA earns more per episode: its path keeps a row or two away from the cliff. Q-learning's
*greedy* policy is better (compare the two paths' returns in the legend below), but the ε-greedy agent following it
falls off now and then. The greedy paths after training (seed 0), with the Q-learning agent's greedy actions as arrows:
*/

App.Cell(21);
var qPath = TabularRollout.Follow(cliff, qRuns[0].Agent.GreedyPolicy(), seed: 0, maxSteps: 100);
var sarsaPath = TabularRollout.Follow(cliff, sarsaRuns[0].Agent.GreedyPolicy(), seed: 0, maxSteps: 100);
App.Show(new GridWorldView(cliff)
    .WithValues(qRuns[0].Agent.StateValues())
    .WithPolicy(qRuns[0].Agent.GreedyPolicy())
    .WithPath(qPath.States, $"Q-learning, return {qPath.Return}")
    .WithPath(sarsaPath.States, $"SARSA, return {sarsaPath.Return}")
    .WithTitle("Greedy paths after 500 episodes; shading: max_a Q(s, a) learned by Q-learning"));

/*
### What a wrong update does

A typical mistake flips the sign of the TD error, $Q(S,A) \leftarrow Q(S,A) - \alpha\,[y - Q(S,A)]$: every step then
moves $Q$ *away* from its target. Trained once beside the right update (yours, or the library's until you write it),
with the greedy policy evaluated after every episode (episodes cut at 200 steps):
*/

App.Cell(23);
// The mistake: Q(S, A) moves away from the target (−= instead of +=). Made from the library's update:
// let it take its step toward the target, Q' = Q + α(y − Q), then step back twice as far:
// 2Q − Q' = Q − α(y − Q).
void UpdateAwayFromTarget(double[,] q, int state, int action, double reward, int nextState, bool terminated,
    double alpha, double gamma)
{
    double before = q[state, action];
    QLearning.Update(q, state, action, reward, nextState, terminated, alpha, gamma);
    q[state, action] = 2 * before - q[state, action];
}
var cliff200 = new CliffWalking(maxEpisodeSteps: 200);
var everyEpisode = new TabularOptions
{
    Episodes = 150, LearningRate = 0.5, Discount = 1.0,
    Evaluation = new EvaluationOptions { EverySteps = 1, Episodes = 1 },
};
var right = QLearning.Train(cliff200, new EpsilonGreedy(0.1), everyEpisode, qLearningUpdate: QLearningUpdate);
var wrong = QLearning.Train(cliff200, new EpsilonGreedy(0.1), everyEpisode,
    qLearningUpdate: UpdateAwayFromTarget);
double[] GreedyReturns(TrainingResult<QTable, EpisodeRecord> run) =>
    run.Evaluations.Select(e => Math.Max(e.MeanReturn, -250)).ToArray();
App.Show(Figure.Overlay(
        Chart.Line(GreedyReturns(right), "Q(S,A) + α(y − Q): toward the target"),
        Chart.Line(GreedyReturns(wrong), "Q(S,A) − α(y − Q): away from it"))
    .WithTitle($"Greedy return after each episode: {right.Evaluations[^1].MeanReturn} against " +
        $"{wrong.Evaluations[^1].MeanReturn} after 150 (shown down to −250)")
    .WithAxes("episode", "greedy return").WithYRange(-260, 0));

/*
Moving away from the target makes the values of the actions it takes *grow*, so the greedy agent repeats them:
it never finds the goal, and its greedy walk runs into the time limit (or off the cliff) every time.
*/

/*
### Exercise 4 (3 points): write the loop

Now the whole box. Write `QLearningEpisode(environment, q, epsilon, alpha, gamma, rng)`, one episode of Q-learning on
the table `q[state, action]`, changed in place:

1. $S$ ← `environment.Reset().Observation` (no seed: the caller has seeded the environment);
2. repeat: choose $A$ ε-greedily in $Q(S, \cdot)$ with `rng`; `var step = environment.Step(A)` gives $R$ (`step.Reward`),
   $S'$ (`step.Observation`) and how the episode goes on; update $Q(S, A)$ toward $R + \gamma \max_a Q(S', a)$, with
   `step.Terminated` as *terminated* (a time limit, `step.Truncated`, is not a terminal state); $S \leftarrow S'$;
3. until the step terminated or was truncated; return the episode's return, the sum of its rewards.

Call your `EpsilonGreedyChoice` (it takes $Q(S, \cdot)$ as a `double[]`) and `QLearningUpdate` from exercises 2 and 3,
or the library's `EpsilonGreedy.Choose` and `QLearning.Update` if you skipped them; not `QLearning.Episode` or
`QLearning.Train` (the grader flags them).

The first check plays single episodes in small seeded worlds, records your actions and replays them with the library's
update: the table must be what those updates give, the episode must run to its end, and with ε = 0 every action must be
greedy (any order of random draws is fine). The second trains CliffWalking with your loop (ε = 0.1, α = 0.5, γ = 1,
episodes cut at 200 steps) for `Check.CliffEpisodes` episodes on three training seeds and passes when the learned
table's greedy path returns −13, the optimum; the library's loop gets there within 75 episodes on 1,000 of 1,000
training seeds (benchmark `--tabular-seeds cliff 1000`).
*/

App.Cell(26);
double QLearningEpisode(IEnvironment<int, int> environment, double[,] q, double epsilon, double alpha,
    double gamma, Rng rng)
{
    // YOUR CODE HERE
    throw new NotImplementedException();
}

App.Cell(27);
App.Show(Check.QLearningEpisode(QLearningEpisode));

App.Cell(28);
App.Show(Check.QLearningCliffWalking(QLearningEpisode));

/*
Your loop, trained on CliffWalking as the second check trains it (seed 0): `QLearning.Train` runs your whole episode
`Check.CliffEpisodes` times on one table.
*/

App.Cell(30);
var loopRun = QLearning.Train(cliff200, new EpsilonGreedy(0.1),
    new TabularOptions { Episodes = Check.CliffEpisodes, LearningRate = 0.5, Discount = 1.0 },
    qLearningEpisode: QLearningEpisode);
var loopPath = TabularRollout.Follow(cliff, loopRun.Agent.GreedyPolicy(), seed: 0, maxSteps: 100);
Notebook.Display(new GridWorldView(cliff).WithValues(loopRun.Agent.StateValues())
    .WithPolicy(loopRun.Agent.GreedyPolicy())
    .WithPath(loopPath.States, $"your loop's greedy path, return {loopPath.Return}")
    .WithTitle($"After {Check.CliffEpisodes} episodes of your loop; shading: max_a Q(s, a)"));
App.Show(Chart.Line(LearningCurves.MovingAverage(loopRun.Returns, 10), "online return (10-episode average)")
    .WithTitle("Your Q-learning loop on CliffWalking (ε = 0.1, α = 0.5)").WithAxes("episode", "return")
    .WithYRange(-200, 0));

/*
## Exploration strategies

ε-greedy is one way to derive a policy from Q. The library's strategies are swappable pieces
(`ExplorationStrategy`); ties between equal Q values are broken at random.

| strategy | $\pi(a \mid s)$ or rule |
|---|---|
| ε-greedy | $\varepsilon/|\mathcal A|$ for every action, plus $1-\varepsilon$ shared by the greedy ones |
| decaying ε-greedy | the same with $\varepsilon_k$ falling linearly over the episodes $k$ |
| Boltzmann (softmax) | $\pi(a \mid s) \propto \exp(Q(s,a)/\tau)$: bad actions are tried less than nearly-best ones |
| UCB count bonus | $a = \arg\max_a Q(s,a) + c\sqrt{\ln N(s) / N(s,a)}$, untried actions first |
| optimistic initial values | greedy, with $Q_0$ above any achievable return: every untried action looks promising until tried |
*/

/*
### On CliffWalking

Every step costs −1, so $Q_0 = 0$ is already optimistic there, and even the purely greedy agent explores
(anything untried looks better than what it has tried). The curves show each strategy's *online* return: what
exploring costs while learning. Episodes are cut at 500 steps. The Q-learning runs below update with your `QLearningUpdate`.
*/

App.Cell(33);
var cliff500 = new CliffWalking(maxEpisodeSteps: 500);
var cliffSettings = new TabularOptions { Episodes = 300, LearningRate = 0.5, Discount = 1.0 };
(string Name, Func<ExplorationStrategy> Make)[] strategies =
[
    ("ε-greedy, ε = 0.1", () => new EpsilonGreedy(0.1)),
    ("decaying ε: 0.3 → 0 over 200 episodes", () => new DecayingEpsilonGreedy(0.3, 0.0, 200)),
    ("Boltzmann, τ = 1", () => new Boltzmann(1.0)),
    ("UCB count bonus, c = 1", () => new UpperConfidenceBound(1.0)),
    ("greedy (Q₀ = 0 is optimistic here)", () => new EpsilonGreedy(0.0)),
];
var curves = strategies.Select((s, i) => Chart.LearningCurve(
        Enumerable.Range(0, Seeds).Select(seed => LearningCurves.MovingAverage(
            QLearning.Train(cliff500, s.Make(), cliffSettings with { Seed = seed },
                qLearningUpdate: QLearningUpdate).Returns, 10)).ToArray(),
        s.Name, color: Chart.Palette[i]))
    .ToArray();
App.Show(Figure.Overlay(curves)
    .WithTitle("Q-learning on CliffWalking: online return by exploration strategy (10 seeds, 10-episode " +
        "average)")
    .WithAxes("episode", "return").WithYRange(-150, 0));

/*
Fixed ε keeps paying for its random steps (its curve stays far below the greedy path's −13); a decaying ε
stops paying once ε reaches 0; Boltzmann rarely picks the catastrophic cliff action once its value is known;
the count bonus and plain optimism explore systematically and settle fastest.

### When zero is not optimistic: a sparse reward

In this corridor the only reward is +1 at the goal, and the holes end the episode with 0. Now $Q_0 = 0$ tells the
agent nothing: falling into a hole and stepping towards the goal look equally good, random exploration almost never
reaches the far end, and the count bonus cannot tell a dead end from progress either. Optimistic values ($Q_0 = 1$,
γ = 0.95) learn that holes are worth 0 after one visit, while untried steps keep their promise.
*/

App.Cell(35);
var corridor = new GridWorld(new GridWorldOptions
{
    Map = ["FFFFFFFFFFFF", "FFFFFFFFFFFF", "SFFFFFFFFFFG", "HHHHHHHHHHHH"],
    GoalReward = 1, MaxEpisodeSteps = 100,
});
var sparseSettings = new TabularOptions { Episodes = 300, LearningRate = 0.5, Discount = 0.95 };
(string Name, Func<ExplorationStrategy> Make, double Q0)[] sparseStrategies =
[
    ("ε-greedy, ε = 0.1", () => new EpsilonGreedy(0.1), 0.0),
    ("decaying ε: 1 → 0.01", () => new DecayingEpsilonGreedy(1.0, 0.01, 150), 0.0),
    ("Boltzmann, τ = 0.1", () => new Boltzmann(0.1), 0.0),
    ("UCB count bonus, c = 0.5", () => new UpperConfidenceBound(0.5), 0.0),
    ("optimistic Q₀ = 1, greedy", () => new EpsilonGreedy(0.0), 1.0),
];
Notebook.Display(new GridWorldView(corridor)
    .WithTitle("A sparse corridor: +1 at G, holes (dark) end the episode"));
App.Show(Figure.Overlay(sparseStrategies.Select((s, i) => Chart.LearningCurve(
        Enumerable.Range(0, Seeds).Select(seed => LearningCurves.MovingAverage(
            QLearning.Train(corridor, s.Make(), sparseSettings with { Seed = seed, InitialValue = s.Q0 },
                qLearningUpdate: QLearningUpdate).Returns, 10)).ToArray(),
        s.Name, color: Chart.Palette[i])).ToArray())
    .WithTitle("Success rate per episode (10 seeds, 10-episode average)").WithAxes("episode", "success rate"));

/*
## FrozenLake: the learned policy against the exact optimum

On slippery FrozenLake 4 × 4 the agent moves in the intended direction only a third of the time. Q-learning
(ε decaying from 1 to 0.05 over 10,000 episodes, α = 0.05, γ = 0.999) learns from samples; value iteration knows
$p(s' \mid s, a)$ and computes the best achievable success probability exactly. Evaluating the learned greedy
policy by dynamic programming (no sampling noise) shows how close it gets. Exploration uses your `EpsilonGreedyChoice` (at the decaying ε), the update your `QLearningUpdate`.
*/

App.Cell(37);
var lake = FrozenLake.FourByFour();
var optimal = ValueIteration.Run(lake.Mdp, 1.0);
var lakeRun = QLearning.Train(lake, new DecayingEpsilonGreedy(1.0, 0.05, 10_000),
    new TabularOptions { Seed = 2, Episodes = 20_000, LearningRate = 0.05, Discount = 0.999 },
    qLearningUpdate: QLearningUpdate, epsilonGreedyChoice: EpsilonGreedyChoice);
var learnedPolicy = lakeRun.Agent.GreedyPolicy();
Notebook.Display(new GridWorldView(lake).WithValues(lakeRun.Agent.StateValues()).WithPolicy(learnedPolicy)
    .WithTitle("FrozenLake 4x4: learned greedy policy, shaded by max_a Q"));
App.Show(new
{
    optimum = lake.SuccessProbability(optimal.GreedyPolicy),
    learned = lake.SuccessProbability(learnedPolicy),
    // the time limit of FrozenLake-v1
    learnedWithin100Steps = lake.SuccessProbability(learnedPolicy, horizon: 100),
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

App.Cell(39);
var tiles = new TileCoder([MountainCar.MinPosition, -MountainCar.MaxSpeed],
    [MountainCar.MaxPosition, MountainCar.MaxSpeed], tilings: 8, tilesPerDimension: 8);
App.Show(new
{
    features = tiles.FeatureCount,
    activeAtValleyBottom = string.Join(", ", tiles.ActiveFeatures(-0.5, 0.0)),
    activeSlightlyRight = string.Join(", ", tiles.ActiveFeatures(-0.48, 0.0)),   // shares 7 of 8 tiles
    activeFarAway = string.Join(", ", tiles.ActiveFeatures(0.3, 0.05)),
});

App.Cell(40);
var carRuns = Enumerable.Range(0, 3)
    .Select(seed => new LinearQOptions { Seed = seed, Episodes = 500 })
    .Select(options => LinearQLearning.Train(new MountainCar(), options))
    .ToArray();
var evaluation = Evaluation.Run(new MountainCar(), carRuns[0].Agent.GreedyAction, episodes: 20, seed: 1234);
Notebook.Display($"Greedy policy of seed 0: mean return {evaluation.MeanReturn:F1} over 20 episodes " +
    $"(random: −200; Gymnasium counts −110 as solved; the test asks for better than −150).");
App.Show(Chart.LearningCurve(carRuns.Select(r => LearningCurves.MovingAverage(r.Returns, 10)).ToArray(),
    "semi-gradient Q-learning")
    .WithTitle("MountainCar: return per episode (3 seeds, 10-episode average)").WithAxes("episode", "return"));

/*
The **cost-to-go** $-\max_a \hat q(s, a)$ is the learned number of steps still needed from each state. It is
largest near the bottom of the valley at rest, where the car must swing back and forth to gain speed, and small
for states moving fast towards the goal. States the car never visits (fast leftwards far up the right hill) keep
the initial $\hat q = 0$.
*/

App.Cell(42);
const int Resolution = 60;
var costToGo = carRuns[0].Agent.CostToGo(Resolution);
var positions = Enumerable.Range(0, Resolution)
    .Select(i => carRuns[0].Agent.GridPoint(0, i, Resolution).ToString("0.00"));
var velocities = Enumerable.Range(0, Resolution)
    .Select(i => carRuns[0].Agent.GridPoint(1, i, Resolution).ToString("0.000"));
App.Show(Chart.Heatmap(costToGo, positions, velocities, reverseRows: false)
    .WithTitle("Cost-to-go −max_a q̂(s, a) after 500 episodes").WithAxes("position", "velocity"));

/*
## Summary

* The whole algorithm is a short loop around two pieces you wrote, the update and the ε-greedy choice; a wrong sign in
  the update is enough for it never to find the goal.
* Q-learning and SARSA are the same TD update with different targets: the greedy next action (off-policy) or the
  next action taken (on-policy). The difference shows on CliffWalking: the optimal path along the edge against the
  safer path that pays off while exploring.
* Exploration is a separate, swappable piece. Random dithering (ε-greedy, Boltzmann) costs return forever unless
  it decays; optimism (optimistic values, count bonuses) explores systematically, and only optimism propagated
  through the values copes with a sparse reward and dead ends.
* A linear $\hat q$ over tile-coded features learns to rock the car up the mountain in a few hundred episodes, though
  not yet by the shortest swing (compare its greedy return above with Gymnasium's −110); notebook 06 replaces it by a
  neural network, which needs replay and a target network to stay stable.
*/

/*
## Questions to answer in words

Answer each question in the markdown cell below it: replace `YOUR ANSWER HERE` with a few sentences (formulas welcome,
as `$...$`). Your instructor grades these answers by hand: the grader does not score them, it lists your answers for the
instructor, with their points counted apart from the checks' points (see `docs/exercises.md`).
*/

/*
### Question 1 (2 points): Q-learning walks the edge, SARSA does not

On CliffWalking, Q-learning's greedy path runs along the cliff edge while SARSA's keeps a row or two away. Explain the difference from their targets.
*/

/*
YOUR ANSWER HERE
*/

/*
### Question 2 (2 points): terminated is not truncated

Why does the target use just $R$ when $S'$ is terminal, but still bootstrap from $Q(S', \cdot)$ when the episode was only cut off by the time limit?
*/

/*
YOUR ANSWER HERE
*/

/*
### Question 3 (2 points): when zero is optimistic

Why does a purely greedy agent with $Q_0 = 0$ explore CliffWalking, but not the sparse-reward corridor? What does $Q_0 = 1$ change there?
*/

/*
YOUR ANSWER HERE
*/

/*
## Your progress

The latest result of every check you ran in this session (run the notebook from the top to refresh it).
*/

App.Cell(52);
App.Show(Check.Summary());

App.Finish();
