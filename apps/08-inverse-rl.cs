// 08 · Inverse RL: recover a reward from behaviour
// The seminar notebook notebooks/08-inverse-rl.ipynb as a C# file-based app: the markdown is in comments, the cells
// are the program in the same order. Run it from anywhere inside the repository (.NET 10 SDK):
//     dotnet run apps/08-inverse-rl.cs
// Every output a notebook would show goes to the terminal and, with the text, into apps/08-inverse-rl.html.
// Exercises: write the function where it says YOUR CODE HERE; its check below prints the result.
// Made by `courselib export` from notebooks/08-inverse-rl.ipynb: edit the notebook, then export again.
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
using CourseLib.InverseRl;
using CourseLib.Mdp;
using CourseLib.Exercises;
using CourseLib.Notebooks.Apps;
using static CourseLib.Notebooks.Apps.App;   // display(...), as in a notebook

App.Start("08-inverse-rl", cells: 26);

/*
# 08 · Inverse RL: recover a reward from behaviour

Until now the reward was given and we looked for the behaviour. Here it is the other way round: we watch an expert
act and ask **what it is trying to achieve**. Why not simply copy what it does? Because the reward is the most
succinct and the most *transferable* description of a task (Ng and Russell, 2000): a policy is a table tied to the
states, the start positions and the dynamics it was learned in, while a reward says what is good and can be planned
for anew when the layout or the dynamics change.

Three ways to learn from demonstrations, all in this notebook:

| | learns | needs | tied to the expert's states? |
|---|---|---|---|
| **Behaviour cloning** | $\pi(a \mid s)$ by supervised learning | the demonstrations | yes |
| **Maximum-entropy IRL** (Ziebart et al., 2008) | a reward $r_\theta(s) = \theta^\top \phi(s)$, then plans | demonstrations + dynamics (to plan) | no |
| **GAIL** (Ho and Ermon, 2016) | a policy whose state-action distribution matches the expert's | demonstrations + interaction | less |
*/

App.Cell(2);

/*
## The task: a lava world

Walk from a start cell **S** to the goal **G**; lava cells **L** can be crossed but hurt. The reward is linear in three
state features, $\phi(s) = (\text{goal}, \text{lava}, \text{step})$ ("step" is 1 in every cell), and is paid on entering
a cell:

$$ r(s') = \theta^\top \phi(s'), \qquad \theta_\text{true} = (10, -5, -1). $$

The learner is told the dynamics $p(s' \mid s, a)$ and the features, never $\theta_\text{true}$.
*/

App.Cell(4);
var world = new LavaWorld();
App.Show(world.Heatmaps(("the hidden true reward r(s) = θᵀφ(s)", world.TrueStateReward)));

/*
## The expert and its demonstrations

The expert is *Boltzmann-rational*: it knows the optimal action values $Q^*$ of the true reward ($\gamma = 0.95$) and
picks actions with $\pi_E(a \mid s) \propto \exp(Q^*(s,a)/\tau)$, $\tau = 0.5$: mostly good, sometimes not. We record
20 episodes.
*/

App.Cell(6);
double discount = 0.95;
var expert = world.Expert(discount, temperature: 0.5);
var env = world.CreateEnvironment();
var demos = Demonstrations.Sample(env, expert, count: 20, seed: 1);
var uniform = TabularPolicy.Uniform(world.Dynamics);
App.Show($"{demos.Count} demonstrations, {demos.Average(d => d.Length):F1} steps each on average. " +
$"True return: expert {world.TrueReturn(expert, discount):F2}, random policy " +
$"{world.TrueReturn(uniform, discount):F2}.");

App.Cell(7);
var expertVisits = StateVisitation.FromDemonstrations(demos, world.StateCount);
App.Show(world.Heatmaps(("how often the demonstrations enter each cell, D_E(s)", expertVisits)));

/*
## Maximum-entropy IRL

Many rewards explain the same behaviour ($r = 0$ explains every behaviour). Maximum-entropy IRL resolves the ambiguity
by modelling the expert as exponentially more likely to take trajectories that collect more reward, and as random as
possible otherwise:

$$ p_\theta(\tau) \propto \exp\Big(\sum_t r_\theta(s_{t+1})\Big), \qquad
   L(\theta) = \frac{1}{N}\sum_{i=1}^N \log p_\theta(\tau_i), \qquad
   \nabla_\theta L = \underbrace{\frac{1}{N}\sum_i \sum_t \phi(s^i_{t+1})}_{\mu_E\ \text{(expert)}} - \underbrace{\mathbb{E}_{p_\theta}\Big[\sum_t \phi(s_{t+1})\Big]}_{\mu_\theta\ \text{(model)}} .$$

At the optimum the model enters lava, the goal and cells in general exactly as often as the expert does.
$\mu_\theta$ takes two dynamic-programming passes over the horizon $T$:

* **backward pass** (soft value iteration): $Q_t(s,a) = \sum_{s'} p(s' \mid s,a)\,[r_\theta(s') + V_{t+1}(s')]$,
  $V_t(s) = \log \sum_a e^{Q_t(s,a)}$ (a "soft" max), $\pi_t(a \mid s) = e^{Q_t(s,a) - V_t(s)}$;
* **forward pass**: $D_{t+1}(s') = \sum_{s,a} D_t(s)\,\pi_t(a \mid s)\,p(s' \mid s,a)$ from the demonstrations' start
  cells, and $\mu_\theta = \sum_s \big(\sum_t D_t(s)\big)\,\phi(s)$;
* **update**: $\theta \leftarrow \theta + \alpha\,(\mu_E - \mu_\theta)$.

Here are the pieces at $\theta = 0$, where every behaviour is equally likely:
*/

App.Cell(9);
int horizon = world.Options.MaxEpisodeSteps;
var soft = SoftValueIteration.Run(world.Dynamics, world.Features.Reward(new double[] { 0, 0, 0 }), horizon);
var modelVisits = StateVisitation.Expected(world.Dynamics, soft.Policies,
    Demonstrations.StartDistribution(demos, world.StateCount));
var muExpert = MaxEntIrl.ExpertFeatureExpectations(world.Features, demos);
var muModel = MaxEntIrl.FeatureExpectations(world.Features, modelVisits);
var gradient = MaxEntIrl.Gradient(muExpert, muModel);
App.Show(Figure.Overlay(
        Chart.Bar(world.Features.Names, muExpert, "expert μ_E"),
        Chart.Bar(world.Features.Names, muModel, "model μ_θ at θ = 0"),
        Chart.Bar(world.Features.Names, gradient, "gradient μ_E − μ_θ"))
    .WithTitle("Feature counts per episode").WithAxes("feature", "count"));

/*
The random model wanders for the whole horizon, steps into lava and seldom finds the goal; the gradient says: fewer
steps, much less lava, more goal. Before we train, write two of the pieces yourself.
*/

/*
## Exercises: the pieces of maximum-entropy IRL

Each exercise has a check below the solution cell: run it after your solution. It calls your function on edge cases and random inputs, compares with the library's reference, and shows a failing input (as a call you can paste into a cell) with the expected and the returned value. Until you solve it, it says *not implemented yet*. Training below Exercise 2 calls your `FeatureExpectations`: while it is still the stub, training uses the library's and says so in one line; once you have written it, training uses yours, right or wrong, so the notebook runs either way and shows what your function does. See `docs/exercises.md` for how exercises are graded.

### Exercise 1 (3 points): the soft value

The backward pass replaces the maximum of value iteration by a *soft* maximum. Write `SoftValue(q)`: for every row $s$ of `q` (indexed `[state, action]`),

$$V(s) = \log \sum_a e^{Q(s,a)} = m + \log \sum_a e^{Q(s,a) - m}, \qquad m = \max_a Q(s,a).$$

The second form is the same number but keeps `Math.Exp` finite for values like ±1000.
*/

App.Cell(12);
// Check.*: the exercises' checks

App.Cell(13);
double[] SoftValue(double[,] q)
{
    // YOUR CODE HERE
    throw new NotImplementedException();
}

App.Cell(14);
App.Show(Check.SoftValue(SoftValue));

/*
### Exercise 2 (3 points): feature expectations

The gradient of the log-likelihood is $\mu_E - \mu_\theta$, both feature expectations of visit counts. Write `FeatureExpectations(features, visitations)`: with `features[s, k]` $= \phi_k(s)$ and `visitations[s]` $= D(s)$,

$$\mu_k = \sum_s D(s)\, \phi_k(s),$$

one entry per feature. (Library: `MaxEntIrl.FeatureExpectations`.)
*/

App.Cell(16);
double[] FeatureExpectations(double[,] features, double[] visitations)
{
    // YOUR CODE HERE
    throw new NotImplementedException();
}

App.Cell(17);
App.Show(Check.FeatureExpectations(FeatureExpectations));

/*
## Training with your feature expectations

200 updates of $\theta \leftarrow \theta + \alpha(\mu_E - \mu_\theta)$. `MaxEntIrl.Train` computes both $\mu_E$ (once, from
the demonstrations' visit counts) and $\mu_\theta$ (every update, from the forward pass) with the function you pass it:
your `FeatureExpectations`.
*/

App.Cell(19);
var irlOptions = new MaxEntIrlOptions { Horizon = horizon, Updates = 200, LearningRate = 0.05 };
var irl = MaxEntIrl.Train(world.Dynamics, world.Features, demos, irlOptions,
    featureExpectations: FeatureExpectations);
App.Show(Chart.Line(irl.LogLikelihoods, "L(θ)")
    .WithTitle("Max-ent IRL: log-likelihood of the demonstrations")
    .WithAxes("update", "mean log-likelihood per demonstration"));

/*
**A typical mistake.** Forget the visit counts, $\mu_k = \sum_s \phi_k(s)$, and the function returns the same numbers
for the expert and for the model, whatever they do: the gradient $\mu_E - \mu_\theta$ is zero from the first update,
$\theta$ never moves, and planning with $r_\theta = 0$ goes nowhere in particular. Trained with that mistake, beside the
run above:
*/

App.Cell(21);
// the mistake: D(s) left out, as if every count were 1
double[] FeatureExpectationsWithoutVisits(double[,] features, double[] visitations) =>
    MaxEntIrl.FeatureExpectations(features, Enumerable.Repeat(1.0, features.GetLength(0)).ToArray());
var irlWrong = MaxEntIrl.Train(world.Dynamics, world.Features, demos, irlOptions,
    featureExpectations: FeatureExpectationsWithoutVisits);
Notebook.Display($"θ: right [{string.Join(", ", irl.Theta.Select(x => x.ToString("F2")))}], " +
    $"without the visit counts [{string.Join(", ", irlWrong.Theta.Select(x => x.ToString("F2")))}]");
App.Show(Chart.Bar(new[] { "expert", "planned for r_θ (right μ)", "planned for r_θ (μ without D)", "random" },
        new[] { expert, world.PolicyOptimalFor(irl.StateReward, discount),
            world.PolicyOptimalFor(irlWrong.StateReward, discount), uniform }
            .Select(p => world.TrueReturn(p, discount)))
    .WithTitle("True return: what the recovered reward is worth").WithAxes(null, "expected discounted return"));

App.Cell(22);
App.Show(Figure.Overlay(
        Chart.Bar(world.Features.Names, world.TrueTheta, "true θ"),
        Chart.Bar(world.Features.Names, irl.Theta, "recovered θ"))
    .WithTitle("Reward weights").WithAxes("feature", "weight"));

/*
Lava is penalised far beyond an ordinary step, as in the true reward. The goal's weight, though, is near 0: the goal
ends the episode, so once every step costs, getting there quickly is already the best thing to do. "+10 at the goal"
and "−1 per step" are two descriptions of the same hurry, and the demonstrations cannot tell them apart. IRL recovers a
reward only up to such ambiguities (reward shaping, Ng, Harada and Russell 1999); what we can check is **behaviour**.

With one reward per cell (one-hot features, a little L2 penalty) the recovered reward is a map of what the expert seeks
and avoids:
*/

App.Cell(24);
var irlPerCell = MaxEntIrl.Train(world.Dynamics, StateFeatures.OneHot(world.StateCount), demos,
    new MaxEntIrlOptions { Horizon = horizon, Updates = 300, LearningRate = 0.1, L2 = 0.01 },
    featureExpectations: FeatureExpectations);
App.Show(world.Heatmaps(
    ("true reward", world.TrueStateReward),
    ("recovered: features (goal, lava, step)", irl.StateReward),
    ("recovered: one reward per cell", irlPerCell.StateReward)));

App.Cell(25);
App.Show(world.Heatmaps(new (string, IReadOnlyList<double>)[]
{
    ("expert's visits D_E", irl.ExpertVisitations),
    ("model's visits D_θ (features)", irl.ModelVisitations),
    ("model's visits D_θ (one per cell)", irlPerCell.ModelVisitations),
}, sharedScale: true));

/*
The test of a recovered reward: plan with it (value iteration), then score the plan under the **true** reward.
*/

App.Cell(27);
var irlPolicy = world.PolicyOptimalFor(irl.StateReward, discount);
var irlPerCellPolicy = world.PolicyOptimalFor(irlPerCell.StateReward, discount);
App.Show(Chart.Bar(
        new[] { "expert", "optimal for recovered r (features)", "optimal for recovered r (per cell)",
            "random" },
        new[] { expert, irlPolicy, irlPerCellPolicy, uniform }.Select(p => world.TrueReturn(p, discount)))
    .WithTitle("True return of each policy").WithAxes(null, "expected discounted return"));

/*
## GAIL: imitation without handing back a reward

The **occupancy measure** $\rho_\pi(s,a) = \sum_t \gamma^t P(s_t = s, a_t = a \mid \pi)$ says how much (discounted) time
a policy spends taking $a$ in $s$. The return is $\sum_{s,a} \rho_\pi(s,a)\, r(s,a)$, so a policy with the expert's
occupancy measure has the expert's return under *every* reward. Ho and Ermon showed that IRL followed by RL is
occupancy matching, and that with a particular regulariser it becomes a game between a policy and a discriminator
$D(s,a)$, the probability that a pair came from the expert:

$$ \min_\pi \max_D\ \ \mathbb{E}_{\rho_E}[\log D(s,a)] + \mathbb{E}_{\rho_\pi}[\log(1 - D(s,a))] - \lambda H(\pi). $$

Each round: play episodes with $\pi$; a few gradient steps make $D$ tell expert pairs from policy pairs (here logistic
regression on one-hot $(s,a)$, one logit per pair); then one policy step on the reward $r(s,a) = \log D(s,a)$ (here an
entropy-regularised natural-policy-gradient step with exact values, in place of the paper's TRPO step on samples).
*/

App.Cell(29);
var gail = Gail.Train(env, demos,
    new GailOptions { Discount = discount, Rounds = 150, RewardForm = GailRewardForm.LogD, Seed = 1 });
var occupancyDistances = gail.History.Select(r => r.OccupancyDistance).ToArray();
var expertOccupancy = Occupancy.Exact(world.Dynamics, expert, discount, horizon);
double randomDistance = Occupancy.TotalVariation(
    Occupancy.Exact(world.Dynamics, uniform, discount, horizon), expertOccupancy);
double demoDistance = Occupancy.TotalVariation(
    Occupancy.FromTrajectories(demos, world.StateCount, 4, discount), expertOccupancy);
App.Show(Figure.Overlay(
        Chart.Line(occupancyDistances, "GAIL's policy vs the demonstrations"),
        Chart.Line(new double[] { 0, occupancyDistances.Length - 1 },
            new[] { randomDistance, randomDistance }, "random policy vs the expert"),
        Chart.Line(new double[] { 0, occupancyDistances.Length - 1 },
            new[] { demoDistance, demoDistance }, "the 20 demonstrations vs the expert"))
    .WithTitle("Total-variation distance between occupancy measures").WithAxes("round", "½ Σ |ρ̄_π − ρ̄_E|")
    .WithYRange(0, 1));

App.Cell(30);
App.Show(Figure.Overlay(
        Chart.Line(gail.History.Select(r => r.ExpertScore), "D on the expert's pairs"),
        Chart.Line(gail.History.Select(r => r.PolicyScore), "D on the policy's pairs"))
    .WithTitle("The discriminator: from telling them apart to a coin toss").WithAxes("round", "mean D(s,a)")
    .WithYRange(0, 1));

App.Cell(31);
App.Show(Figure.Overlay(
        Chart.Line(gail.History.Select(r => world.TrueReturn(r.Policy, discount)),
            "GAIL (never sees the reward)"),
        Chart.Line(new double[] { 0, gail.History.Count - 1 },
            Enumerable.Repeat(world.TrueReturn(expert, discount), 2), "expert"))
    .WithTitle("GAIL: true return of the policy after each round")
    .WithAxes("round", "expected discounted return"));

App.Cell(32);
App.Show(world.Heatmaps(new (string, IReadOnlyList<double>)[]
{
    ("expert's state occupancy Σ_a ρ_E(s,a)", Occupancy.StateOccupancy(expertOccupancy)),
    ("GAIL's state occupancy Σ_a ρ_π(s,a)",
        Occupancy.StateOccupancy(Occupancy.Exact(world.Dynamics, gail.Agent, discount, horizon))),
}, sharedScale: true));

/*
**Which reward from $D$?** The paper's policy cost is $\log D_\pi$ for a discriminator that scores *policy* pairs,
i.e. the reward $-\log(1 - D)$ in our convention. It is positive at every step, so the policy is paid for staying in
the game: right for tasks that end in failure (a robot falling over), wrong here, where the episode ends in success.
$\log D \le 0$ has the opposite bias, which suits this task (Kostrikov et al., 2019, discuss both).
*/

App.Cell(34);
var positiveOptions = new GailOptions
{
    Discount = discount, Rounds = 150, RewardForm = GailRewardForm.NegativeLogOneMinusD, Seed = 1,
};
var gailPositive = Gail.Train(env, demos, positiveOptions);
App.Show(Chart.Bar(
        new[] { "expert", "GAIL, r = log D", "GAIL, r = −log(1 − D)" },
        new[] { expert, gail.Agent, gailPositive.Agent }
            .Select(p => world.Grid.SuccessProbability(p, horizon)))
    .WithTitle($"Probability of reaching G within {horizon} steps").WithAxes(null, "probability")
    .WithYRange(0, 1));

/*
## Behaviour cloning vs IRL: off the expert's states

Behaviour cloning fits $\pi_{BC}(a \mid s) = n(s,a)/n(s)$, the expert's action frequencies; in a cell the expert never
visited it can only guess (uniformly). One slip off the demonstrated states and the errors compound (Ross and
Bagnell: the expected cost grows like $T^2\varepsilon$ instead of $T\varepsilon$). A recovered reward, in contrast,
says what is good *everywhere*, and planning with it works from any cell. Below: the true return from each cell as a
start.
*/

App.Cell(36);
var bc = BehaviourCloning.Fit(demos, world.StateCount, world.Dynamics.ActionCount);
double[] FromEachCell(double[,] policy) =>
    world.TrueValues(policy, discount).Select((v, s) => world.Dynamics.TerminalStates[s] ? double.NaN : v)
        .ToArray();
App.Show(world.Heatmaps(new (string, IReadOnlyList<double>)[]
{
    ("behaviour cloning", FromEachCell(bc)),
    ("GAIL", FromEachCell(gail.Agent)),
    ("optimal for the IRL reward", FromEachCell(irlPolicy)),
}, sharedScale: true));

App.Cell(37);
var neverVisited = Enumerable.Range(0, world.StateCount)
    .Where(s => world.CellOf(s) == '.' && expertVisits[s] == 0 && demos.All(d => d.Observations[0] != s))
    .ToArray();
var learners = new (string Name, double[,] Policy)[]
{
    ("expert", expert), ("behaviour cloning", bc), ("GAIL", gail.Agent), ("IRL + planning", irlPolicy),
};
double MeanFrom(double[,] policy, IEnumerable<int> cells)
{
    var v = world.TrueValues(policy, discount);
    return cells.Average(s => v[s]);
}
var startCells = Enumerable.Range(0, world.StateCount).Where(s => world.CellOf(s) == 'S').ToArray();
App.Show(Figure.Overlay(
        Chart.Bar(learners.Select(l => l.Name), learners.Select(l => MeanFrom(l.Policy, startCells)),
            "from the start cells"),
        Chart.Bar(learners.Select(l => l.Name), learners.Select(l => MeanFrom(l.Policy, neverVisited)),
            $"from the {neverVisited.Length} cells the demonstrations never visited"))
    .WithTitle("Mean true return").WithAxes(null, "expected discounted return"));

/*
## Transfer: the reward travels, the policy does not

A new layout of the same kind of world. The recovered $\theta$ still says "lava is bad, steps cost", so we compute the
new cells' features and plan. The cloned policy (and GAIL's) is a table about the old map's cells.
*/

App.Cell(39);
var newWorld = new LavaWorld(new LavaWorldOptions
{
    Map = ["...L....", ".L.L.LL.", "S..L..L.", "S.....LG", "S..L....", "LLLL.L.."],
});
var transferred = newWorld.PolicyOptimalFor(newWorld.Features.Reward(irl.Theta), discount);
var onNewMap = new (string Name, double[,] Policy)[]
{
    ("a new expert", newWorld.Expert(discount, 0.5)), ("IRL reward, replanned", transferred),
    ("old BC policy", bc), ("old GAIL policy", gail.Agent), ("random", uniform),
};
App.Show(Chart.Bar(onNewMap.Select(l => l.Name), onNewMap.Select(l => newWorld.TrueReturn(l.Policy, discount)))
    .WithTitle("True return on the new map").WithAxes(null, "expected discounted return"));

App.Cell(40);
var transferredVisits = StateVisitation.Expected(newWorld.Dynamics,
    Enumerable.Repeat(transferred, horizon).ToArray(), newWorld.Dynamics.InitialDistribution);
App.Show(newWorld.Heatmaps(("new map: the true reward", newWorld.TrueStateReward),
    ("where the replanned IRL policy goes", transferredVisits)));

/*
## Summary

* **Behaviour cloning** is supervised learning on the expert's $(s,a)$ pairs: cheap, no model, no interaction, but it
  knows nothing off the expert's states and cannot transfer.
* **Maximum-entropy IRL** fits a reward by matching feature counts, $\nabla_\theta L = \mu_E - \mu_\theta$, with a
  soft value iteration (backward) and a visitation count (forward) per step. The reward is recovered only up to
  ambiguities, but planning with it reproduces the expert and carries over to new layouts.
* **GAIL** skips the reward: a discriminator tells expert from policy pairs, and its score is the reward of an RL
  step, until the occupancy measures match and $D \approx 1/2$. How that score becomes a reward ($\log D$ or
  $-\log(1-D)$) biases episodes to be short or long.
*/

/*
## Questions to answer in words

Answer each question in the markdown cell below it: replace `YOUR ANSWER HERE` with a few sentences (formulas welcome,
as `$...$`). Your instructor grades these answers by hand: the grader does not score them, it lists your answers for the
instructor, with their points counted apart from the checks' points (see `docs/exercises.md`).
*/

/*
### Question 1 (2 points): IRL against behaviour cloning under distribution shift

When the agent starts in, or slips into, a cell the expert never visited, planning with the reward recovered by IRL does much better than behaviour cloning. Why?
*/

/*
YOUR ANSWER HERE
*/

/*
### Question 2 (2 points): why the gradient is $\mu_E - \mu_\theta$

Why is the gradient of maximum-entropy IRL's log-likelihood the expert's feature expectations minus the model's, and what does that say about the model at the optimum?
*/

/*
YOUR ANSWER HERE
*/

/*
### Question 3 (2 points): the goal's weight near 0

The recovered reward puts lava far below an ordinary step, but gives the goal a weight near 0, while the true reward pays +10 there. Is that a failure of IRL?
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
