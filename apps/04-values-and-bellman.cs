// 04 · Values and the Bellman equation
// The seminar notebook notebooks/04-values-and-bellman.ipynb as a C# file-based app: the markdown is in comments, the cells
// are the program in the same order. Run it from anywhere inside the repository (.NET 10 SDK):
//     dotnet run apps/04-values-and-bellman.cs
// Every output a notebook would show goes to the terminal and, with the text, into apps/04-values-and-bellman.html.
// Exercises: write the function where it says YOUR CODE HERE; its check below prints the result.
// Made by `courselib export` from notebooks/04-values-and-bellman.ipynb: edit the notebook, then export again.
#:project ../lib/CourseLib/CourseLib.csproj
#:project ../lib/CourseLib.Notebooks/CourseLib.Notebooks.csproj
#:property PublishAot=false
#:property Configuration=Release
#:property OutDir=$(RepoRoot)artifacts/apps/
#:property Nullable=disable
#:property NoWarn=$(NoWarn);CS8321;CS0168;CS0219

using CourseLib;
using CourseLib.Charts;
using CourseLib.Environments;
using CourseLib.Mdp;
using CourseLib.Exercises;
using CourseLib.Notebooks.Apps;
using static CourseLib.Notebooks.Apps.App;   // display(...), as in a notebook

App.Start("04-values-and-bellman", cells: 20);

/*
# 04 · Values and the Bellman equation

How good is a state? The seminar's answer, step by step:

* the **discounted return** from step $t$: $G_t = \sum_{k \ge t} \gamma^{k-t} r_k = r_t + \gamma\, G_{t+1}$;
* the **state value** of a policy, $V^\pi(s) = \mathbb{E}_\pi[G_t \mid s_t = s]$, and the **action value** $Q^\pi(s, a) = \mathbb{E}_\pi[G_t \mid s_t = s, a_t = a]$;
* how they relate: $V^\pi(s) = \sum_a \pi(a \mid s)\, Q^\pi(s, a)$ and $Q^\pi(s, a) = r(s, a) + \gamma \sum_{s'} p(s' \mid s, a)\, V^\pi(s')$;
* together, the **Bellman equation** $V^\pi = r_\pi + \gamma P_\pi V^\pi$, which a tabular MDP lets us solve exactly;
* and its optimal version, solved by **value iteration**.

Everything runs on FrozenLake (notebook 01), where every number can be checked.
*/

App.Cell(2);

/*
## Discounted returns $G_t$

With reward 1 at the very end of a 20-step episode, $G_t = \gamma^{19-t}$: the discount makes a distant reward
worth less. `Returns.DiscountedReturns` computes all $G_t$ backwards with $G_t = r_t + \gamma G_{t+1}$.
*/

App.Cell(4);
var rewards = new double[20];
rewards[^1] = 1;
App.Show(Figure.Overlay(
        Chart.Line(Returns.DiscountedReturns(rewards, 1.0), "γ = 1"),
        Chart.Line(Returns.DiscountedReturns(rewards, 0.9), "γ = 0.9"),
        Chart.Line(Returns.DiscountedReturns(rewards, 0.5), "γ = 0.5"))
    .WithTitle("G_t for a single reward at t = 19").WithAxes("t", "G_t"));

/*
## $V^\pi$ by sampling and exactly

Take the uniformly random policy, $\pi(a \mid s) = 1/4$, and $\gamma = 0.9$. Sampling estimates
$V^\pi(s_0)$ as the mean of $G_0$ over episodes. Exactly, $V^\pi$ solves the linear system

$$(I - \gamma P_\pi)\, V^\pi = r_\pi, \qquad P_\pi(s, s') = \sum_a \pi(a \mid s)\, p(s' \mid s, a), \quad r_\pi(s) = \sum_a \pi(a \mid s)\, r(s, a),$$

with $V = 0$ in terminal states (`PolicyEvaluation.Solve`, with MathNet.Numerics).
*/

App.Cell(6);
var lake = FrozenLake.FourByFour();
var mdp = lake.Mdp;
double gamma = 0.9;
var uniform = TabularPolicy.Uniform(mdp);
var exact = PolicyEvaluation.Solve(mdp, uniform, gamma);
App.Show(lake.Draw(exact, uniform, "V^π of the random policy, γ = 0.9"));

App.Cell(7);
var rng = new Rng(0);
lake.Reset(seed: 0);
var estimates = new List<double>();
double sum = 0;
for (int episode = 1; episode <= 20_000; episode++)
{
    sum += Returns.Discounted(Rollout.Sample(lake, uniform, rng).Rewards, gamma);
    if (episode % 200 == 0) estimates.Add(sum / episode);
}
var episodes = Enumerable.Range(1, estimates.Count).Select(i => 200.0 * i).ToArray();
App.Show(Figure.Overlay(
        Chart.Line(episodes, estimates, "mean of G_0 over episodes"),
        Chart.Line(new[] { episodes[0], episodes[^1] }, new[] { exact[0], exact[0] }, "exact V^π(s₀)"))
    .WithTitle($"Monte Carlo converges to V^π(s₀) = {exact[0]:F5}").WithAxes("episodes", "V(s₀)"));

/*
## $Q^\pi$ from $V^\pi$, and back

One step of look-ahead turns $V^\pi$ into $Q^\pi(s, a) = r(s, a) + \gamma \sum_{s'} p(s' \mid s, a)\, V^\pi(s')$;
averaging over the policy turns it back: $V^\pi(s) = \sum_a \pi(a \mid s)\, Q^\pi(s, a)$.

Put together, they give the Bellman equation in the seminar's $Q$ form, an expectation over the next state $s'$ and the
next action $a'$:

$$Q^\pi(s, a) = \mathbb{E}_{s' \sim p(\cdot \mid s, a)}\Big[\, r(s, a) + \gamma\, \mathbb{E}_{a' \sim \pi(\cdot \mid s')}\big[Q^\pi(s', a')\big] \Big],
\qquad Q^*(s, a) = \mathbb{E}_{s'}\Big[\, r(s, a) + \gamma \max_{a'} Q^*(s', a') \Big].$$

**Why acting on $Q$ needs no model.** Acting greedily on $V$ needs a look-ahead through the dynamics:
$\pi(s) = \arg\max_a \big[r(s, a) + \gamma \sum_{s'} p(s' \mid s, a)\, V(s')\big]$ uses $p$ and $r$. Acting greedily
on $Q$ does not: $\pi(s) = \arg\max_a Q(s, a)$, because the look-ahead is already inside $Q$. That is why model-free
control (Q-learning in notebook 05, DQN in 06) learns $Q$ rather than $V$.
*/

App.Cell(9);
var q = Bellman.QFromV(mdp, exact, gamma);
App.Show(Chart.Heatmap(q, columnLabels: mdp.ActionNames, rowLabels: Enumerable.Range(0, 16).Select(s => $"s={s}"),
    annotate: true)
    .WithTitle("Q^π(s, a) of the random policy").WithAxes("a", "s").WithSize(460, 520));

App.Cell(10);
var back = Bellman.VFromQ(q, uniform);
App.Show($"max_s |Σ_a π(a|s) Q^π(s,a) − V^π(s)| = {exact.Zip(back, (a, b) => Math.Abs(a - b)).Max():E2}");

/*
### Exercise 1 (3 points): $Q$ from $V$

Each exercise has a check below the solution cell: run it after your solution. It calls your function on edge cases and random inputs, compares with the library's reference, and shows a failing input (as a call you can paste into a cell) with the expected and the returned value. Until you solve it, it says *not implemented yet*; the cells after an exercise use the library's function, so the notebook runs either way. See `docs/exercises.md` for how exercises are graded.

Write `QFromV(mdp, values, gamma)`, the one-step look-ahead

$$Q(s, a) = r(s, a) + \gamma \sum_{s'} p(s' \mid s, a)\, V(s'),$$

as a `[states, actions]` array. A `TabularMdp` gives `StateCount`, `ActionCount`, `Transitions(s, a)` (each outcome's `NextState` and `Probability`), `ExpectedReward(s, a)` $= r(s,a)$ and `IsTerminal(s)`. A terminal state has no future: count $V(s') = 0$ when $s'$ is terminal, and give a terminal $s$ the value 0, whatever the array holds. (Library: `Bellman.QFromV`.)
*/

App.Cell(12);
// Check.*: the exercises' checks

App.Cell(13);
double[,] QFromV(TabularMdp mdp, double[] values, double gamma)
{
    // YOUR CODE HERE
    throw new NotImplementedException();
}

App.Cell(14);
App.Show(Check.QFromV(QFromV));

/*
## The Bellman equation, and its residual

$V^\pi$ is the one function that the Bellman backup $(T^\pi V)(s) = \sum_a \pi(a \mid s)\,[r(s,a) + \gamma \sum_{s'} p(s' \mid s,a) V(s')]$
leaves unchanged. The **Bellman residual** $\max_s |V(s) - (T^\pi V)(s)|$ measures how far a guess is from it.
*/

App.Cell(16);
var guess = exact.Select(v => v + 0.05).ToArray();
App.Show($"residual of V^π: {Bellman.Residual(mdp, exact, uniform, gamma):E2}\n" +
$"residual of V^π + 0.05: {Bellman.Residual(mdp, guess, uniform, gamma):E2}");

/*
### Iterative policy evaluation

Instead of solving the system, apply the backup again and again from $V_0 = 0$: $V_{k+1} = T^\pi V_k$. Because
$T^\pi$ is a $\gamma$-contraction, the error shrinks at least by $\gamma$ per sweep.
*/

App.Cell(18);
var v = new double[mdp.StateCount];
var errors = new List<double>();
for (int k = 0; k < 120; k++)
{
    errors.Add(v.Zip(exact, (a, b) => Math.Abs(a - b)).Max());
    v = Bellman.ExpectationBackup(mdp, v, uniform, gamma);
}
App.Show(Figure.Overlay(
        Chart.Line(errors, "max_s |V_k(s) − V^π(s)|"),
        Chart.Line(errors.Select((_, k) => errors[0] * Math.Pow(gamma, k)), "γ^k · error₀"))
    .WithLogY().WithTitle("iterative policy evaluation").WithAxes("sweep k", "error"));

/*
## Value iteration: the optimal values $V^*$

The Bellman **optimality** backup replaces the policy average by a maximum,
$V_{k+1}(s) = \max_a \big[r(s,a) + \gamma \sum_{s'} p(s' \mid s,a)\, V_k(s')\big]$. Iterated to convergence it gives
$V^*$, and acting greedily with respect to $Q^*$ is optimal. On slippery ice the optimal policy looks odd:
it often walks *away* from a hole, into a wall, so that slipping can only take it somewhere safe.
*/

App.Cell(20);
var optimal = ValueIteration.Run(mdp, 0.99, tolerance: 1e-10);
App.Show(lake.Draw(optimal.Values, optimal.GreedyPolicy,
    $"V* and the greedy policy, γ = 0.99 ({optimal.Iterations} sweeps)"));

App.Cell(21);
var w = new double[mdp.StateCount];
var residuals = new List<double>();
for (int k = 0; k < optimal.Iterations; k++)
{
    residuals.Add(Bellman.OptimalityResidual(mdp, w, 0.99));
    w = Bellman.OptimalityBackup(mdp, w, 0.99);
}
App.Show(Chart.Line(residuals, "max_s |V_k(s) − (T* V_k)(s)|").WithLogY()
    .WithTitle("value iteration: the Bellman optimality residual").WithAxes("sweep k", "residual"));

/*
### Exercise 2 (3 points): one sweep of value iteration

Write `OptimalityBackup(mdp, values, gamma)`, the Bellman optimality backup

$$(T^* V)(s) = \max_a \Big[r(s, a) + \gamma \sum_{s'} p(s' \mid s, a)\, V(s')\Big],$$

0 in a terminal state. You may call your `QFromV` from exercise 1 (its mistakes then count here too). Mind the maximum of negative numbers. (Library: `Bellman.OptimalityBackup`.)
*/

App.Cell(23);
double[] OptimalityBackup(TabularMdp mdp, double[] values, double gamma)
{
    // YOUR CODE HERE
    throw new NotImplementedException();
}

App.Cell(24);
App.Show(Check.OptimalityBackup(OptimalityBackup));

/*
### How often does the optimal policy reach the goal?

With $\gamma = 1$ and reward 1 only at the goal, $V^\pi(s_0)$ *is* the probability of ever reaching it. For the
optimal policy that is $14/17 \approx 0.824$. Gymnasium's FrozenLake stops episodes after 100 steps, and within that
limit the same policy succeeds with probability $0.740$: both are exact computations (`SuccessProbability`), and
playing the episodes agrees.
*/

App.Cell(26);
var best = ValueIteration.Run(mdp, 1.0, tolerance: 1e-12).GreedyPolicy;
double eventually = lake.SuccessProbability(best), within100 = lake.SuccessProbability(best, horizon: 100);
var player = new Rng(1);
lake.Reset(seed: 1);
int successes = 0;
for (int i = 0; i < 5000; i++)
    if (Rollout.Sample(lake, TabularPolicy.Deterministic(best, 4), player).TotalReward > 0) successes++;
App.Show($"P(reach G eventually) = {eventually:F4}\nP(reach G within 100 steps) = {within100:F4}\n" +
$"played: {successes} of 5000 episodes = {successes / 5000.0:F4}\n" +
$"random policy, eventually: {lake.SuccessProbability(uniform):F4}");

/*
## The bigger lake and the cliff

The same two calls solve FrozenLake 8x8 and CliffWalking (−1 per step, −100 and back to the start for stepping
off the cliff). With $\gamma = 1$ the optimal cliff walker takes the shortest path along the edge: $V^*(\text{start}) = -13$.
*/

App.Cell(28);
var bigLake = FrozenLake.EightByEight();
var bigOptimal = ValueIteration.Run(bigLake.Mdp, 0.99);
App.Show(bigLake.Draw(bigOptimal.Values, bigOptimal.GreedyPolicy, "FrozenLake 8x8: V* and greedy policy, γ = 0.99"));

App.Cell(29);
var cliff = new CliffWalking();
var cliffOptimal = ValueIteration.Run(cliff.Mdp, 1.0);
App.Show(cliff.Draw(cliffOptimal.Values, cliffOptimal.GreedyPolicy,
    $"CliffWalking: V* (start: {cliffOptimal.Values[cliff.StateAt(3, 0)]}) and greedy policy"));

App.Cell(30);
var walk = Rollout.Sample(cliff, TabularPolicy.Deterministic(cliffOptimal.GreedyPolicy, 4), new Rng(0),
    seed: 0);
App.Show(EpisodeAnimation.GridWorld(cliff, walk.Observations));

/*
## Questions to answer in words

Answer each question in the markdown cell below it: replace `YOUR ANSWER HERE` with a few sentences (formulas welcome,
as `$...$`). Your instructor grades these answers by hand: the grader does not score them, it lists your answers for the
instructor, with their points counted apart from the checks' points (see `docs/exercises.md`).
*/

/*
### Question 1 (2 points): $V = \sum_a \pi\, Q$

Why is $V^\pi(s) = \sum_a \pi(a \mid s)\, Q^\pi(s, a)$? Argue from the definitions of $V^\pi$ and $Q^\pi$.
*/

/*
YOUR ANSWER HERE
*/

/*
### Question 2 (2 points): why the sweeps converge

Why does iterating the Bellman backup (policy evaluation or value iteration) converge to the same values from any starting guess when $\gamma < 1$?
*/

/*
YOUR ANSWER HERE
*/

/*
### Question 3 (2 points): walking into a wall on purpose

On slippery FrozenLake the optimal policy sometimes walks away from a hole into a wall. Why is that optimal?
*/

/*
YOUR ANSWER HERE
*/

/*
## Your progress

The latest result of every check you ran in this session (run the notebook from the top to refresh it).
*/

App.Cell(39);
App.Show(Check.Summary());

App.Finish();
