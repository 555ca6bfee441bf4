// 01 · MDPs and trajectories
// The seminar notebook notebooks/01-mdps-and-trajectories.ipynb as a C# file-based app: the markdown is in comments, the cells
// are the program in the same order. Run it from anywhere inside the repository (.NET 10 SDK):
//     dotnet run apps/01-mdps-and-trajectories.cs
// Every output a notebook would show goes to the terminal and, with the text, into apps/01-mdps-and-trajectories.html.
// Exercises: write the function where it says YOUR CODE HERE; its check below prints the result.
// Made by `courselib export` from notebooks/01-mdps-and-trajectories.ipynb: edit the notebook, then export again.
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
using CourseLib.Exercises;
using CourseLib.Notebooks.Apps;
using static CourseLib.Notebooks.Apps.App;   // display(...), as in a notebook

App.Start("01-mdps-and-trajectories", cells: 26);

/*
# 01 · MDPs and trajectories

The seminar's first section in code. A **Markov decision process** is

$$\mathcal{M} = \big(\mathcal{S},\ \mathcal{A},\ p(s_0),\ p(s' \mid s, a),\ r(s, a)\big),$$

a **policy** $\pi_\theta(a \mid s)$ chooses actions, and together they generate **trajectories**
$\tau = (s_0, a_0, r_0, s_1, a_1, r_1, \dots, s_T)$ with probability

$$p_\theta(\tau) = p(s_0) \prod_{t=0}^{T-1} \pi_\theta(a_t \mid s_t)\, p(s_{t+1} \mid s_t, a_t).$$

Reinforcement learning maximises the expected total reward $J(\theta) = \mathbb{E}_{\tau \sim p_\theta}\big[r(\tau)\big]$,
$r(\tau) = \sum_t r_t$. This notebook builds each object, looks at it, and checks it numerically.
*/

App.Cell(2);

/*
## An MDP small enough to write down: FrozenLake

Walk from **S** to the goal **G** on a frozen lake without falling into a hole **H**. There are 16 states (the cells,
numbered row by row) and 4 actions: 0 = Left, 1 = Down, 2 = Right, 3 = Up. The ice is slippery: the intended move
happens with probability 1/3, and each of the two perpendicular moves with probability 1/3. Reaching G pays 1; every
other step pays 0. The environment follows Gymnasium's contract: `Reset(seed)` gives $s_0$, `Step(a)` gives
$s_{t+1}$, $r_t$ and whether the episode *terminated* (a hole or the goal) or was *truncated* (100 steps).
*/

App.Cell(4);
var lake = FrozenLake.FourByFour();
lake.Reset(seed: 0);
App.Show(lake);

/*
Every tabular environment carries its MDP written out in full (`lake.Mdp`, a `TabularMdp`): dynamic programming
(notebook 04) reads it directly. First $p(s_0)$: every episode starts in the top-left cell.
*/

App.Cell(6);
App.Show(Chart.Heatmap(lake.AsGrid(lake.Mdp.InitialDistribution), annotate: true).WithTitle("p(s₀)").WithSize(420, 380));

/*
### The dynamics $p(s' \mid s, a)$

From the cell in row 2, column 1 (state 9), the action *Down* reaches the cell below only a third of the time.
The probabilities of every $(s, a)$ were checked to sum to 1 when the MDP was built.
*/

App.Cell(8);
int s9 = lake.StateAt(2, 1);
var down = Enumerable.Range(0, 16).Select(next => lake.Mdp.TransitionProbability(s9, 1, next)).ToArray();
App.Show(Chart.Heatmap(lake.AsGrid(down), annotate: true).WithTitle($"p(s' | s = {s9}, a = Down)").WithSize(420, 380));

App.Cell(9);
App.Show(string.Join("\n",
    lake.Mdp.Transitions(s9, 1).ToArray()
        .Select(t => $"s' = {t.NextState,2}   p = {t.Probability:F4}   r = {t.Reward}")));

/*
### The reward $r(s, a)$

The expected reward $r(s,a) = \sum_{s'} p(s' \mid s, a)\, r(s, a, s')$ is non-zero only next to the goal.
*/

App.Cell(11);
App.Show(Chart.Heatmap(lake.Mdp.RewardArray(), columnLabels: lake.Mdp.ActionNames,
    rowLabels: Enumerable.Range(0, 16).Select(i => $"s={i}"), annotate: true)
    .WithTitle("r(s, a)").WithAxes("a", "s").WithSize(420, 520));

/*
## A policy $\pi_\theta(a \mid s)$

A tabular softmax policy: one preference $\theta_{s,a}$ per state and action,
$\pi_\theta(a \mid s) = e^{\theta_{s,a}} / \sum_b e^{\theta_{s,b}}$. Random preferences give a random-looking policy;
the arrows are longer the more likely the action.
*/

App.Cell(13);
var rng = new Rng(1);
var theta = new double[16, 4];
for (int s = 0; s < 16; s++)
    for (int a = 0; a < 4; a++)
        theta[s, a] = rng.NextGaussian();
var pi = TabularPolicy.Softmax(theta);
App.Show(lake.Draw(null, pi, "π_θ(a|s) for random θ"));

/*
## A trajectory $\tau$

`Rollout.Sample` plays one episode: $s_0 \sim p(s_0)$, $a_t \sim \pi_\theta(\cdot \mid s_t)$,
$s_{t+1} \sim p(\cdot \mid s_t, a_t)$, and records each action's $\log \pi_\theta(a_t \mid s_t)$.
*/

App.Cell(15);
var tau = Rollout.Sample(lake, pi, new Rng(7), seed: 7);
App.Show(tau.ToText());

App.Cell(16);
App.Show(EpisodeAnimation.GridWorld(lake, tau.Observations));

/*
## $\log p_\theta(\tau)$ in three terms

$$\log p_\theta(\tau) = \underbrace{\log p(s_0)}_{\text{initial state}}
 + \underbrace{\sum_t \log \pi_\theta(a_t \mid s_t)}_{\text{policy}}
 + \underbrace{\sum_t \log p(s_{t+1} \mid s_t, a_t)}_{\text{dynamics}}$$
*/

App.Cell(18);
var terms = TrajectoryProbability.LogProbability(lake.Mdp, tau);
App.Show($"log p(s0) = {terms.InitialState:F4}\nΣ log π   = {terms.Policy:F4}\nΣ log p   = {terms.Dynamics:F4}\n" +
$"log p(τ)  = {terms.Total:F4}");

/*
Only the policy term depends on $\theta$. Change the preferences and score the *same* trajectory again: the initial-state
and dynamics terms do not move. This is why the policy gradient $\nabla_\theta \log p_\theta(\tau) = \sum_t \nabla_\theta \log \pi_\theta(a_t \mid s_t)$
needs no model of the environment (notebook 02).
*/

App.Cell(20);
var theta2 = (double[,])theta.Clone();
for (int a = 0; a < 4; a++) theta2[0, a] += a == 1 ? 2 : 0;   // prefer Down at the start
var terms2 = TrajectoryProbability.LogProbability(lake.Mdp, TabularPolicy.Softmax(theta2), tau);
App.Show($"initial state: {terms.InitialState:F4} → {terms2.InitialState:F4}\n" +
$"policy:        {terms.Policy:F4} → {terms2.Policy:F4}\n" +
$"dynamics:      {terms.Dynamics:F4} → {terms2.Dynamics:F4}");

/*
### Check: $p_\theta(\tau)$ is the probability of seeing $\tau$

Cut episodes at 3 steps, sample 20,000 of them, and compare how often the most common trajectories occur with
$\exp \log p_\theta(\tau)$ computed from the formula.
*/

App.Cell(22);
var shortLake = new FrozenLake(maxEpisodeSteps: 3);
shortLake.Reset(seed: 3);
var sampler = new Rng(3);
var seen = new Dictionary<string, (int Count, Trajectory<int, int> Example)>();
for (int i = 0; i < 20_000; i++)
{
    var t = Rollout.Sample(shortLake, pi, sampler);
    string key = string.Join(",", t.Observations) + " | " + string.Join(",", t.Actions);
    seen[key] = (seen.GetValueOrDefault(key).Count + 1, t);
}
var common = seen.OrderByDescending(kv => kv.Value.Count).Take(8).ToArray();
var labels = common.Select(kv => kv.Key).ToArray();
App.Show(Figure.Overlay(
        Chart.Bar(labels, common.Select(kv => kv.Value.Count / 20_000.0), "frequency in 20,000 samples"),
        Chart.Bar(labels,
            common.Select(kv =>
                Math.Exp(TrajectoryProbability.LogProbability(shortLake.Mdp, kv.Value.Example).Total)),
            "p(τ) from the formula"))
    .WithTitle("the 8 most common 3-step trajectories (states | actions)").WithAxes(null, "probability"));

/*
## Returns

The seminar's three ways to add up rewards, as library functions (`Returns`):

* the total reward $r(\tau) = \sum_{t=0}^{T-1} r_t$ (`Returns.Total`);
* the discounted return from step $t$, $G_t = \sum_{k \ge t} \gamma^{k-t} r_k = r_t + \gamma G_{t+1}$ (`Returns.DiscountedReturns`; $G_0$ alone: `Returns.Discounted`);
* the reward-to-go $\sum_{t' \ge t} r_{t'}$, which REINFORCE uses instead of $r(\tau)$: the same $G_t$ with $\gamma = 1$
  (`Returns.DiscountedReturns(rewards, 1)`; the seminar says reward-to-go in section 2 and $G_t$ in section 3).

CartPole pays 1 per step while the pole is up, so the reward-to-go counts down the remaining steps, and $G_t$
saturates near $1/(1-\gamma)$ far from the end.
*/

App.Cell(24);
var cartPole = new CartPole();
var coin = new Rng(4);
(int, double) RandomPush(CartPoleObservation observation, Rng r) => (r.NextInt(2), Math.Log(0.5));
var episode = Rollout.Sample(cartPole, RandomPush, coin, seed: 4);
App.Show(Figure.Overlay(
        Chart.Line(Returns.DiscountedReturns(episode.Rewards, 1), "reward-to-go (γ = 1)"),
        Chart.Line(Returns.DiscountedReturns(episode.Rewards, 0.9), "G_t, γ = 0.9"),
        Chart.Line(Returns.DiscountedReturns(episode.Rewards, 0.5), "G_t, γ = 0.5"))
    .WithTitle($"one CartPole episode: r(τ) = {Returns.Total(episode.Rewards)}")
    .WithAxes("t", "return from step t"));

/*
The same episode as the cart saw it (the environment draws itself; the animation plays its observations back):
*/

App.Cell(26);
App.Show(cartPole);

App.Cell(27);
App.Show(EpisodeAnimation.CartPole(episode.Observations));

/*
## Exercises: returns

Each exercise has a check below the solution cell: run it after your solution. It calls your function on edge cases and random inputs, compares with the library's reference, and shows a failing input (as a call you can paste into a cell) with the expected and the returned value. Until you solve it, it says *not implemented yet*; the cells after an exercise use the library's function, so the notebook runs either way. See `docs/exercises.md` for how exercises are graded.

### Exercise 1 (3 points): the discounted return $G_0$

Write `DiscountedReturn(rewards, gamma)`, the return of a whole episode from its rewards $r_0, \dots, r_{T-1}$:

$$G_0 = \sum_{t=0}^{T-1} \gamma^t r_t = r_0 + \gamma r_1 + \gamma^2 r_2 + \dots$$

An empty episode has return 0; $\gamma = 0$ keeps only $r_0$; $\gamma = 1$ is the plain sum. (The library's version is `Returns.Discounted`; don't call it here.)
*/

App.Cell(29);
// Check.*: the exercises' checks

App.Cell(30);
double DiscountedReturn(double[] rewards, double gamma)
{
    // YOUR CODE HERE
    throw new NotImplementedException();
}

App.Cell(31);
App.Show(Check.DiscountedReturn(DiscountedReturn));

/*
### Exercise 2 (3 points): the return from every step, $G_t$

Write `DiscountedReturns(rewards, gamma)`: an array as long as the episode whose element $t$ is

$$G_t = \sum_{k \ge t} \gamma^{k-t} r_k = r_t + \gamma\, G_{t+1}, \qquad G_T = 0.$$

The recursion suggests walking the episode backwards, once. An empty episode gives an empty array. (Library: `Returns.DiscountedReturns`.)
*/

App.Cell(33);
double[] DiscountedReturns(double[] rewards, double gamma)
{
    // YOUR CODE HERE
    throw new NotImplementedException();
}

App.Cell(34);
App.Show(Check.DiscountedReturns(DiscountedReturns));

/*
## $J(\theta)$ by sampling

$J(\theta) = \mathbb{E}_{\tau \sim p_\theta}[r(\tau)]$ is an average over trajectories, so sampling estimates it.
For the uniformly random policy on CartPole:
*/

App.Cell(36);
var totals = Enumerable.Range(0, 500)
    .Select(i => Rollout.Sample(cartPole, RandomPush, coin, seed: 100 + i).TotalReward).ToArray();
double mean = totals.Average();
double sampleVariance = totals.Select(x => (x - mean) * (x - mean)).Sum() / (totals.Length - 1);
double standardError = Math.Sqrt(sampleVariance / totals.Length);
App.Show(Chart.Histogram(totals, "r(τ)")
    .WithTitle($"random policy on CartPole-v1: J ≈ {mean:F1} ± {standardError:F1} (500 episodes)")
    .WithAxes("r(τ)", "episodes"));

/*
## Pong from pixels, the running example

The agent controls the right paddle (0 = stay, 1 = up, 2 = down) against a scripted opponent that follows the ball
but not faster than 0.8 pixels a step. A point won pays +1, a point lost −1; the first to 5 points wins. The agent
does not see positions, only a 40×40 frame.
*/

App.Cell(38);
var pong = new Pong();
pong.Reset(seed: 0);
for (int i = 0; i < 12; i++) pong.Step(1);
App.Show(pong);

/*
One frame does not show where the ball is going. The difference of two consecutive frames does (white: pixels that
lit up, red: pixels that went dark). The `FrameDifference` wrapper gives the agent exactly that.

### The Markov property, and what the agent observes

An MDP's state is **Markov**: $p(s_{t+1} \mid s_t, a_t, s_{t-1}, a_{t-1}, \dots) = p(s_{t+1} \mid s_t, a_t)$. The present
state says everything the past could about the future. FrozenLake's cell is such a state and the agent sees it: the
lake is **fully observable**. Pong's true state is the positions *and velocities* of the ball and the paddles, but one
frame shows positions only. The agent's observation $o_t$ is not Markov (the problem is **partially observable**), and
a policy $\pi(a \mid o_t)$ on single frames cannot tell a ball coming towards it from one flying away. The frame
difference $o_t - o_{t-1}$ restores the missing velocity: with the current frame beside it, the agent's input is a
Markov state again. Stacking the last few frames (DQN stacks 4) and a recurrent network that remembers are the
general fixes.
*/

App.Cell(40);
var moving = new FrameDifference<int>(new Pong());
moving.Reset(seed: 0);
float[] difference = null;
for (int i = 0; i < 12; i++) difference = moving.Step(1).Observation;
App.Show(pong.Draw(difference, "frame_t − frame_(t−1)"));

/*
A random policy loses almost every point; notebook 02 trains a policy network on these frame differences.
*/

App.Cell(42);
var game = new Pong();
var frames = new List<float[]> { game.Reset(seed: 1).Observation };
var dice = new Rng(5);
int won = 0, lost = 0;
StepResult<float[]> step;
do
{
    step = game.Step(dice.NextInt(3));
    frames.Add(step.Observation);
    if (step.Reward > 0) won++;
    if (step.Reward < 0) lost++;
} while (!step.Done);
Console.WriteLine($"random policy: won {won}, lost {lost} points in {frames.Count - 1} steps");
App.Show(EpisodeAnimation.Pong(frames));

/*
## Your own environment

Anything that implements `IEnvironment<TObservation, TAction>` works with the course's code. `EnvironmentChecker`
tells you plainly whether it keeps the contract (seeding, spaces, terminated vs truncated, errors after the end):
*/

App.Cell(44);
App.Show(EnvironmentChecker.Check(() => new CartPole()).ToString());

/*
## Questions to answer in words

Answer each question in the markdown cell below it: replace `YOUR ANSWER HERE` with a few sentences (formulas welcome,
as `$...$`). Your instructor grades these answers by hand: the grader does not score them, it lists your answers for the
instructor, with their points counted apart from the checks' points (see `docs/exercises.md`).
*/

/*
### Question 1 (2 points): why the dynamics drop out

Only the policy term of $\log p_\theta(\tau)$ depends on $\theta$. Why does that let us compute $\nabla_\theta \log p_\theta(\tau)$ from a sampled trajectory without knowing $p(s' \mid s, a)$ or $p(s_0)$?
*/

/*
YOUR ANSWER HERE
*/

/*
### Question 2 (2 points): one Pong frame is not a state

Why is a single Pong frame not a Markov state, and why does adding the difference of two consecutive frames make the agent's input (nearly) Markov again?
*/

/*
YOUR ANSWER HERE
*/

/*
### Question 3 (2 points): the discount as a horizon

On CartPole (reward 1 per step) $G_t$ levels off near $1/(1-\gamma)$ far from the end of an episode. Why, and what does that say about how far ahead an agent with discount $\gamma$ looks?
*/

/*
YOUR ANSWER HERE
*/

/*
## Your progress

The latest result of every check you ran in this session (run the notebook from the top to refresh it).
*/

App.Cell(53);
App.Show(Check.Summary());

App.Finish();
