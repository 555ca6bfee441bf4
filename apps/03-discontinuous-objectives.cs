// 03 · RL for objectives that gradient descent cannot touch
// The seminar notebook notebooks/03-discontinuous-objectives.ipynb as a C# file-based app: the markdown is in comments, the cells
// are the program in the same order. Run it from anywhere inside the repository (.NET 10 SDK):
//     dotnet run apps/03-discontinuous-objectives.cs
// Every output a notebook would show goes to the terminal and, with the text, into apps/03-discontinuous-objectives.html.
// Exercises: write the function where it says YOUR CODE HERE; its check below prints the result.
// Made by `courselib export` from notebooks/03-discontinuous-objectives.ipynb: edit the notebook, then export again.
#:project ../lib/CourseLib/CourseLib.csproj
#:project ../lib/CourseLib.Notebooks/CourseLib.Notebooks.csproj
#:property PublishAot=false
#:property Configuration=Release
#:property OutDir=$(RepoRoot)artifacts/apps/
#:property Nullable=disable
#:property NoWarn=$(NoWarn);CS8321;CS0168;CS0219

using CourseLib;
using CourseLib.Charts;
using CourseLib.Data;
using CourseLib.PolicyGradient;
using TorchSharp;
using static TorchSharp.torch;
using CourseLib.Exercises;
using CourseLib.Notebooks.Apps;
using static CourseLib.Notebooks.Apps.App;   // display(...), as in a notebook

App.Start("03-discontinuous-objectives", cells: 14);

/*
# 03 · RL for objectives that gradient descent cannot touch

Gradient descent needs an objective that changes smoothly with the parameters. Many things we care about do not:
whether an answer is *right*, a game is *won*, a program *compiles*. Reinforcement learning only needs to *evaluate*
the objective on samples, so it can optimise such objectives too.

The seminar's example: classify handwritten digits, but treat it as a one-step RL problem (a contextual bandit):

* state x: an 8×8 image of a digit; action a: a class 0…9;
* reward r(x, a) = 1 if a is the right class, 0 if not — the only feedback;
* policy π_θ(a|x) = softmax(MLP_θ(x)).
*/

App.Cell(2);
torch.set_num_threads(1);

App.Cell(3);
var (train, heldOut) = Digits.Load().Split(testFraction: 0.25, seed: 0);
float[,] Pixels(float[] image)
{
    var p = new float[8, 8];
    for (int i = 0; i < 64; i++) p[i / 8, i % 8] = image[i];
    return p;
}
App.Show(Chart.Image(Pixels(train.Images[0]),
    $"a training image, label {train.Labels[0]} ({train.Count} for training, {heldOut.Count} held out)"));

/*
## Two ways to train the same network

**REINFORCE** sees only rewards. For a batch of B images it samples a class $a_i \sim \pi_\theta(\cdot|x_i)$, gets
$r_i \in \{0, 1\}$, and follows

$$\nabla_\theta J \approx \frac{1}{B}\sum_i (r_i - b)\, \nabla_\theta \log \pi_\theta(a_i \mid x_i), \qquad b = \text{the batch's mean reward},$$

where $J(\theta) = \mathbb{E}_x\, \mathbb{E}_{a\sim\pi_\theta}[r(x,a)] = \mathbb{E}_x[\pi_\theta(y \mid x)]$. Each image is a one-step episode,
so the reward-to-go is just r.

**Cross-entropy** (supervised learning) is told the right class y and follows $-\nabla_\theta \log \pi_\theta(y \mid x)$
directly. Same network (64 → 64 tanh → 10), same batches, same optimiser (Adam, 3e-3). The two exercises below write the
softmax policy's pieces; the second, the score function, is what REINFORCE's update pushes the logits along, and the
training after the exercises uses yours.
*/

/*
## Exercises: the softmax policy of a classifier

Each exercise has a check below the solution cell: run it after your solution. It calls your function on edge cases and random inputs, compares with the library's reference, and shows a failing input (as a call you can paste into a cell) with the expected and the returned value. Until you solve it, it says *not implemented yet*. The REINFORCE training after the exercises passes your score function to the trainer, which uses the library's own until yours is written (a line under the cell says which), so the notebook runs either way. See `docs/exercises.md` for how exercises are graded.

### Exercise 1 (3 points): log-probabilities from logits

The classifier's network gives logits $z \in \mathbb{R}^{10}$; the policy is $\pi(a \mid x) = \mathrm{softmax}(z)_a$. Write `LogProbabilities(logits, actions)`: for each row $k$ of `logits`, $\log \pi(a_k \mid x_k)$ of the class `actions[k]`,

$$\log \mathrm{softmax}(z)_a = z_a - m - \log \sum_b e^{z_b - m}, \qquad m = \max_b z_b.$$

Subtracting $m$ changes nothing mathematically but keeps `Math.Exp` finite for logits like 1000.
*/

App.Cell(6);
// Check.*: the exercises' checks

App.Cell(7);
double[] LogProbabilities(double[][] logits, int[] actions)
{
    // YOUR CODE HERE
    throw new NotImplementedException();
}

App.Cell(8);
App.Show(Check.LogProbabilities(LogProbabilities));

/*
### Exercise 2 (3 points): the score function

REINFORCE moves the logits along $\nabla_z \log \pi(a \mid x)$, scaled by $(r - b)$. For a softmax it is

$$\frac{\partial \log \pi(a \mid x)}{\partial z_b} = \mathbf{1}[b = a] - \pi(b \mid x):$$

up for the class that was tried, down for the others in proportion to their probability. Write `LogSoftmaxGradient(logits, action)` returning this vector (one entry per logit). Your function drives the REINFORCE
training below: for each image, the update moves the logits along it, scaled by $-(r_i - b)/B$ (the gradient of the loss
$-\frac{1}{B}\sum_i (r_i - b) \log \pi_\theta(a_i \mid x_i)$ with respect to the logits), and backpropagation carries
that into the network's weights. Until you write it, the training uses the library's `ClassificationAsBandit.LogSoftmaxGradient`
and says so under the cell.
*/

App.Cell(10);
double[] LogSoftmaxGradient(double[] logits, int action)
{
    // YOUR CODE HERE
    throw new NotImplementedException();
}

App.Cell(11);
App.Show(Check.LogSoftmaxGradient(LogSoftmaxGradient));

/*
## REINFORCE and cross-entropy, trained

Both runs, 1,500 updates each, REINFORCE with your score function:
*/

App.Cell(13);
var options = new DigitsClassifierOptions { Updates = 1500, EvaluateEvery = 25, Seed = 0 };
var byReward = ClassificationAsBandit.TrainWithReinforce(train, heldOut, options, LogSoftmaxGradient);
var byLabel = ClassificationAsBandit.TrainWithCrossEntropy(train, heldOut, options);
var xs = byReward.Updates.Select(u => (double)u);
App.Show(Figure.Overlay(
        Chart.Line(xs, byReward.HeldOutAccuracy, $"REINFORCE, reward 1/0 ({byReward.FinalAccuracy:P1})"),
        Chart.Line(xs, byLabel.HeldOutAccuracy, $"cross-entropy ({byLabel.FinalAccuracy:P1})"))
    .WithTitle("Held-out accuracy of the digit classifier")
    .WithAxes("update (batches of 64 images)", "held-out accuracy").WithYRange(0, 1));

/*
REINFORCE gets there from rewards alone, only more slowly: a wrong guess says "not this class" but not which class
was right, and the sampled action adds noise to every gradient estimate.
*/

/*
### What a wrong score function does

A typical mistake in Exercise 2 is the sign: $\pi(b \mid x) - \mathbf{1}[b = a]$. Then every update makes the rewarded
class *less* likely and the others more: REINFORCE climbs towards always being wrong. One run with it, beside the run above:
*/

App.Cell(16);
// the mistake: π − onehot(a), the library's score function with its sign flipped
double[] WrongSign(double[] logits, int action) =>
    ClassificationAsBandit.LogSoftmaxGradient(logits, action).Select(g => -g).ToArray();
var mistaken = ClassificationAsBandit.TrainWithReinforce(train, heldOut, options with { Updates = 500 },
    WrongSign);
App.Show(Figure.Overlay(
        Chart.Line(xs, byReward.HeldOutAccuracy, $"onehot(a) − π ({byReward.FinalAccuracy:P1})"),
        Chart.Line(mistaken.Updates.Select(u => (double)u), mistaken.HeldOutAccuracy,
            $"π − onehot(a), the mistake ({mistaken.FinalAccuracy:P1})"))
    .WithTitle("REINFORCE on digits: the score function's sign")
    .WithAxes("update (batches of 64 images)", "held-out accuracy").WithYRange(0, 1));

/*
## Why not gradient descent on the 0/1 reward itself?

The accuracy is $\frac{1}{n}\sum_i \mathbf{1}[\arg\max_a f_\theta(x_i)_a = y_i]$. It depends on θ only through which
logit is largest, so it is **piecewise constant**: it jumps when some image's prediction flips and is flat in
between. Its gradient is zero almost everywhere (and undefined at the jumps), so there is nothing to follow.
Automatic differentiation agrees: argmax has no derivative, and the accuracy tensor is cut off from θ.
*/

App.Cell(18);
var images = ClassificationAsBandit.Images(heldOut);
var labels = tensor(heldOut.Labels.Select(l => (long)l).ToArray());
var logits = byLabel.Policy.Network.forward(images);                                   // depends on θ
var accuracy = logits.argmax(1).eq(labels).to_type(ScalarType.Float32).mean();
var expectedReward = nn.functional.softmax(logits, 1).gather(1, labels.reshape(-1, 1)).mean();
App.Show($"logits.requires_grad = {logits.requires_grad}; accuracy = {accuracy.item<float>():F3}, requires_grad = " +
$"{accuracy.requires_grad}; " +
$"expected reward E[π(y|x)] = {expectedReward.item<float>():F3}, requires_grad = " +
$"{expectedReward.requires_grad}");

/*
Walk along a random straight line θ(α) = θ₀ + α·d through the trained classifier's parameters (d scaled so that
α = 1 moves every layer by its own size) and evaluate the objectives at 201 points. The accuracy moves in steps of
1/449 (one of the 449 held-out images); its finite-difference slope is exactly zero at almost every point. The expected reward under the softmax
policy — the objective REINFORCE climbs — is smooth.
*/

App.Cell(20);
var scan = ZeroOneLandscape.AlongRandomLine(byLabel.Policy, heldOut, points: 201, range: 1.0, seed: 0);
App.Show(Figure.Overlay(
        Chart.Line(scan.Alphas, scan.Accuracy, "accuracy (reward of the greedy action)"),
        Chart.Line(scan.Alphas, scan.ExpectedReward, "expected reward E_{a~π}[r]"))
    .WithTitle($"Along a line in parameter space: the accuracy's slope is 0 at {scan.FlatFraction:P0} of " +
        $"the points")
    .WithAxes("α", "held-out objective"));

/*
Zoomed in: the staircase. Between two jumps a small change of θ changes no prediction, so the accuracy cannot tell
gradient descent which way to go.
*/

App.Cell(22);
var zoom = ZeroOneLandscape.AlongRandomLine(byLabel.Policy, heldOut, points: 201, range: 0.1, seed: 0);
App.Show(Figure.Overlay(
        Chart.Line(zoom.Alphas, zoom.Accuracy, "accuracy"),
        Chart.Line(zoom.Alphas, zoom.ExpectedReward, "expected reward"))
    .WithTitle($"Zoomed in (|α| ≤ 0.1): {zoom.Accuracy.Distinct().Count()} distinct accuracy values, flat " +
        $"at {zoom.FlatFraction:P0} of the points")
    .WithAxes("α", "held-out objective"));

App.Cell(23);
App.Show(Chart.Line(scan.Alphas, scan.CrossEntropy, "cross-entropy −log π(y|x)")
    .WithTitle("The supervised surrogate along the same line: smooth, with a gradient everywhere")
    .WithAxes("α", "mean cross-entropy"));

/*
## What RL buys, and what it costs

REINFORCE never differentiates the reward. It differentiates the *probability* of the actions it took, which is
smooth in θ, and weights them by the reward they earned: in expectation that is the gradient of the smoothed
objective $\mathbb{E}_{a\sim\pi_\theta}[r]$. The reward can be anything we can compute — a 0/1 correctness, a BLEU
score, a game's outcome, a simulator we cannot differentiate. The price is variance: more samples, slower learning,
and the baselines and critics of the following sections. When a differentiable loss exists (here, cross-entropy),
use it; when it does not, RL still works.
*/

/*
## Questions to answer in words

Answer each question in the markdown cell below it: replace `YOUR ANSWER HERE` with a few sentences (formulas welcome,
as `$...$`). Your instructor grades these answers by hand: the grader does not score them, it lists your answers for the
instructor, with their points counted apart from the checks' points (see `docs/exercises.md`).
*/

/*
### Question 1 (2 points): why not gradient descent on the accuracy

Why can gradient descent not maximise the classifier's accuracy directly, and what does REINFORCE differentiate instead?
*/

/*
YOUR ANSWER HERE
*/

/*
### Question 2 (2 points): why REINFORCE learns more slowly

On the same network and batches, REINFORCE learns more slowly than cross-entropy. Give two reasons. (Hint: compare the expected REINFORCE gradient for one image, $\nabla_\theta\, \pi_\theta(y \mid x)$, with the cross-entropy direction $\nabla_\theta \log \pi_\theta(y \mid x)$.)
*/

/*
YOUR ANSWER HERE
*/

/*
## Your progress

The latest result of every check you ran in this session (run the notebook from the top to refresh it).
*/

App.Cell(31);
App.Show(Check.Summary());

App.Finish();
