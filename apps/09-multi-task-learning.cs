// 09 · Multi-task learning: let the network weigh its own losses
// The seminar notebook notebooks/09-multi-task-learning.ipynb as a C# file-based app: the markdown is in comments, the cells
// are the program in the same order. Run it from anywhere inside the repository (.NET 10 SDK):
//     dotnet run apps/09-multi-task-learning.cs
// Every output a notebook would show goes to the terminal and, with the text, into apps/09-multi-task-learning.html.
// Exercises: write the function where it says YOUR CODE HERE; its check below prints the result.
// Made by `courselib export` from notebooks/09-multi-task-learning.ipynb: edit the notebook, then export again.
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
using CourseLib.Display;
using CourseLib.Frontiers;
using CourseLib.Exercises;
using CourseLib.Notebooks.Apps;
using static CourseLib.Notebooks.Apps.App;   // display(...), as in a notebook

App.Start("09-multi-task-learning", cells: 17);

/*
# 09 · Multi-task learning: let the network weigh its own losses

One network, several tasks. A shared **trunk** computes features that every task reads; a small **head** per task
turns them into that task's answer (*hard parameter sharing*). Training minimises one number, so the task losses must
be combined,

$$ L(\theta) = \sum_i w_i\, L_i(\theta), $$

and the weights $w_i$ matter: losses come in different units (a cross-entropy in nats, a squared error in
whatever units the target has) and with different amounts of noise. Tuning the $w_i$ by grid search costs a training
run per grid point. **Kendall, Gal and Cipolla (2018)** learn them instead, from each task's *homoscedastic
uncertainty* (noise that depends on the task, not on the input).

**The data, honestly.** The only data shipped with the course is the UCI handwritten digits (1797 images of 8×8
pixels). We make three tasks from the same images: **digit** (10 classes), **ink** (a regression: the image's total
intensity in units of fully inked pixels, $\sum \text{pixels}/16$) and **parity** (odd or even, 2 classes). Parity is a
function of the digit and ink is almost a linear function of the pixels: these are easy, related tasks, chosen to show
the *mechanism*, not to reproduce the paper's gains on scene understanding.
*/

App.Cell(2);

App.Cell(3);
var digits = Digits.Load();
var (train, test) = digits.Split(0.25, seed: 0);          // 1348 images to train on, 449 held out
var trainInputs = DigitMeasures.Inputs(train);             // pixels scaled to [0, 1]
var testInputs = DigitMeasures.Inputs(test);
var trainTasks = DigitMeasures.Tasks(train);               // digit, ink, parity
var testTasks = DigitMeasures.Tasks(test);
var ink = trainTasks[1].Values!;
double inkMean = ink.Average(), inkStd = Math.Sqrt(ink.Average(v => (v - inkMean) * (v - inkMean)));

float[,] Pixels(float[] image)
{
    var p = new float[8, 8];
    for (int i = 0; i < 64; i++) p[i / 8, i % 8] = image[i];
    return p;
}
Notebook.Display($"ink over the training images: mean {inkMean:F1}, " +
    $"standard deviation {inkStd:F2} fully inked pixels");
App.Show(Chart.Image(Pixels(train.Images[0]),
    $"targets: digit {train.Labels[0]}, ink {ink[0]:F1}, {(train.Labels[0] % 2 == 0 ? "even" : "odd")}"));

/*
## Uncertainty as a weight

Treat each task's output as the mean of a distribution with a task-wide noise scale $\sigma_i$. For a regression with
Gaussian noise, the negative log-likelihood of a target $y$ is

$$ -\log \mathcal{N}\big(y;\, f(x),\, \sigma^2\big) = \frac{1}{2\sigma^2}\,\lVert y - f(x)\rVert^2 + \log \sigma + \text{const}. $$

For a classification, a softmax whose logits are scaled by $1/\sigma^2$ gives, approximately,
$\frac{1}{\sigma^2} L_\text{CE} + \log \sigma$. Summed over the tasks, with $\sigma_i$ learned alongside the network:

$$ L(\theta, \sigma) = \sum_{i \in \text{regression}} \frac{1}{2\sigma_i^2} L_i(\theta) \;+\; \sum_{i \in \text{classification}} \frac{1}{\sigma_i^2} L_i(\theta) \;+\; \sum_i \log \sigma_i . $$

The weight of a task is $c_i/\sigma_i^2$ ($c_i = \tfrac12$ or $1$). A task whose loss stays high (noisy, or in large
units) can lower the total by raising $\sigma_i$, which lowers its weight; the $\log\sigma_i$ term makes that
cost something, so $\sigma_i$ cannot run off to infinity (Exercise 2 finds the best $\sigma$ for a fixed loss). We learn $s_i = \log\sigma_i$
(unconstrained, no division by zero). The reference implementation is `UncertaintyWeightedLoss.Total`:
*/

App.Cell(5);
App.Show(UncertaintyWeightedLoss.Total([2.30, 4.7, 0.69], [0.0, 0.0, 0.0],
    [TaskKind.Classification, TaskKind.Regression, TaskKind.Classification]));

App.Cell(6);
var s = Enumerable.Range(0, 141).Select(i => -2.0 + i * 0.025).ToArray();
var losses = new[] { 0.25, 1.0, 4.0 };
double Term(double l, double logSigma) => UncertaintyWeightedLoss.Term(l, logSigma, TaskKind.Regression);
double OptimalS(double l) => UncertaintyWeightedLoss.OptimalLogSigma(l, TaskKind.Regression);
App.Show(Figure.Overlay(losses.Select(l => Chart.Line(s, s.Select(v => Term(l, v)), $"L = {l}"))
        .Append(Chart.Scatter(losses.Select(OptimalS), losses.Select(l => Term(l, OptimalS(l))),
                              "minimum: σ² = L"))
        .ToArray())
    .WithTitle("One regression term L/(2σ²) + log σ: a larger loss moves the best σ up")
    .WithAxes("s = log σ", "term").WithYRange(-1.5, 6));

/*
## Exercises: the uncertainty-weighted loss

Each exercise has a check below the solution cell: run it after your solution. It calls your function on edge cases and random inputs, compares with the library's reference, and shows a failing input (as a call you can paste into a cell) with the expected and the returned value. Until you solve it, it says *not implemented yet*. Training with uncertainty weighting below calls your `WeightedLoss`: while it is still the stub, training uses the library's and says so in one line; once you have written it, training uses yours, right or wrong, so the notebook runs either way and shows what your function does. See `docs/exercises.md` for how exercises are graded.

### Exercise 1 (3 points): the loss

Write `WeightedLoss(taskLosses, logSigmas, kinds)`: with $s_i = \log\sigma_i$ and $c_i = \tfrac12$ for a regression, 1 for a classification,

$$L = \sum_i c_i\, e^{-2 s_i}\, L_i + s_i .$$

(Library: `UncertaintyWeightedLoss.Total`.)
*/

App.Cell(8);
// Check.*: the exercises' checks

App.Cell(9);
double WeightedLoss(double[] taskLosses, double[] logSigmas, TaskKind[] kinds)
{
    // YOUR CODE HERE
    throw new NotImplementedException();
}

App.Cell(10);
App.Show(Check.UncertaintyWeightedLoss(WeightedLoss));

/*
### Exercise 2 (3 points): the best σ for a fixed loss

For one task with a fixed loss $L > 0$, which $s = \log\sigma$ minimises $c\, e^{-2s} L + s$? Set the derivative to zero and write `BestLogSigma(taskLoss, kind)` returning it. (Library: `UncertaintyWeightedLoss.OptimalLogSigma`.)
*/

App.Cell(12);
double BestLogSigma(double taskLoss, TaskKind kind)
{
    // YOUR CODE HERE
    throw new NotImplementedException();
}

App.Cell(13);
App.Show(Check.OptimalLogSigma(BestLogSigma));

/*
## A constructed case: does σ find the noise?

Two regression heads on the same images, both predicting the ink, but with Gaussian noise added to the targets:
standard deviation 0.5 for one, 2 for the other. No network can predict the noise, so each loss stays near the noise's
variance, and the learned $\sigma_i$ should settle near 0.5 and 2. (Each $\sigma_i$ starts where it is optimal for the
untrained network's first losses; each regression head starts at its targets' mean.)

The trainer computes the combined loss with your `WeightedLoss`, on doubles, and gets its derivatives with respect to
each $L_i$ and each $s_i$ by central differences of your function; autograd carries them back through the network. So
the gradient the network follows is the one your formula implies, right or wrong.
*/

App.Cell(15);
var rng = new Rng(42);
var noisyTasks = new[]
{
    LearningTask.Regression("ink + noise of std 0.5",
        ink.Select(v => v + (float)(0.5 * rng.NextGaussian())).ToArray()),
    LearningTask.Regression("ink + noise of std 2",
        ink.Select(v => v + (float)(2.0 * rng.NextGaussian())).ToArray()),
};
var noisyModel = MultiTaskTrainer.Train(trainInputs, noisyTasks, TaskWeighting.Uncertainty(),
    new MultiTaskOptions { Seed = 0 }, weightedLoss: WeightedLoss);
var finalWeights = noisyModel.History[^1].Weights;
Notebook.Display($"learned σ: {noisyModel.Sigmas![0]:F2} and {noisyModel.Sigmas![1]:F2}; " +
    $"weights c/σ²: {finalWeights[0]:F2} and {finalWeights[1]:F3} " +
    $"(the noisier task counts {finalWeights[0] / finalWeights[1]:F0} times less)");
var epochs = noisyModel.History.Select(e => (double)e.Epoch).ToArray();
App.Show(Figure.Overlay(
        Chart.Line(epochs, noisyModel.History.Select(e => Math.Exp(e.LogSigmas![0])),
            "learned σ, noise std 0.5"),
        Chart.Line(epochs, noisyModel.History.Select(e => Math.Exp(e.LogSigmas![1])),
            "learned σ, noise std 2"),
        Chart.Line(epochs, epochs.Select(_ => 0.5), "noise std 0.5"),
        Chart.Line(epochs, epochs.Select(_ => 2.0), "noise std 2"))
    .WithTitle("The learned σ's track each task's noise").WithAxes("epoch", "σ"));

/*
The noisier task ends with the larger σ, each near its noise level, and so with the smaller weight (both printed
above): the network stops chasing noise it cannot explain. (The test suite checks this over three seeds:
`MultiTaskTrainerTests`.)

**A typical mistake.** Drop the $+\log\sigma_i$ term and every term $c_i e^{-2s_i} L_i$ falls as $s_i$ grows: the
derivative with respect to $s_i$ is always negative, so both σ's climb for as long as training lasts, whatever the noise.
The same run with that mistake, beside yours:
*/

App.Cell(17);
// the mistake: no + log σ, only the library's weights c·e^(−2s) times the losses
double WeightedLossWithoutLogSigma(double[] taskLosses, double[] logSigmas, TaskKind[] kinds) =>
    taskLosses.Select((loss, i) => UncertaintyWeightedLoss.Weight(logSigmas[i], kinds[i]) * loss).Sum();
var runaway = MultiTaskTrainer.Train(trainInputs, noisyTasks, TaskWeighting.Uncertainty(),
    new MultiTaskOptions { Seed = 0 }, weightedLoss: WeightedLossWithoutLogSigma);
App.Show(Figure.Overlay(
        Chart.Line(epochs, noisyModel.History.Select(e => Math.Exp(e.LogSigmas![0])),
            "σ, noise 0.5 (your loss)"),
        Chart.Line(epochs, noisyModel.History.Select(e => Math.Exp(e.LogSigmas![1])),
            "σ, noise 2 (your loss)"),
        Chart.Line(epochs, runaway.History.Select(e => Math.Exp(e.LogSigmas![0])),
            "σ, noise 0.5 (no + log σ)"),
        Chart.Line(epochs, runaway.History.Select(e => Math.Exp(e.LogSigmas![1])), "σ, noise 2 (no + log σ)"))
    .WithTitle("Without + log σ nothing holds σ back").WithAxes("epoch", "σ").WithLogY());

/*
## Three ways to weigh the three digit tasks

* **equal**: $w = (1, 1, 1)$;
* **hand-tuned**: each loss divided by its value before training, $w_i = 1/L_i(\theta_0)$: $\ln 10$ for ten classes,
  the ink's variance for the ink, $\ln 2$ for the parity (a common rule of thumb, no search);
* **uncertainty**: learned $\sigma_i$ as above (with your `WeightedLoss`).

Same network (two ReLU layers of 64 units, one head per task), same seed, 40 epochs of Adam each.
*/

App.Cell(19);
double[] handTuned = [1 / Math.Log(10), 1 / (inkStd * inkStd), 1 / Math.Log(2)];
string[] schemeNames = ["equal", "hand-tuned", "uncertainty"];
var schemes = new[] { TaskWeighting.Equal, TaskWeighting.Fixed(handTuned), TaskWeighting.Uncertainty() };
var options = new MultiTaskOptions { Seed = 0 };
var models = schemes.Select(w =>
    MultiTaskTrainer.Train(trainInputs, trainTasks, w, options, weightedLoss: WeightedLoss)).ToArray();
var scores = models.Select(m => m.Evaluate(testInputs, testTasks)).ToArray();
App.Show(string.Join("\n",
    schemeNames.Select((name, k) => $"{name,-12} {string.Join(" | ", scores[k].Select(t => t.ToString()))}")));

App.Cell(20);
var learned = models[2];
Notebook.Display(Figure.Overlay(Enumerable.Range(0, 3).Select(i =>
        Chart.Line(epochs, learned.History.Select(e => Math.Exp(e.LogSigmas![i])), learned.TaskNames[i]))
        .ToArray())
    .WithTitle("Learned σ per task").WithAxes("epoch", "σ").WithLogY());
var learnedWeights = Enumerable.Range(0, 3).Select(i =>
    Chart.Line(epochs, learned.History.Select(e => e.Weights[i]), $"{learned.TaskNames[i]} (learned)"));
var handTunedWeights = Enumerable.Range(0, 3).Select(i =>
    Chart.Line(epochs, epochs.Select(_ => handTuned[i]), $"{learned.TaskNames[i]} (hand-tuned)"));
App.Show(Figure.Overlay(learnedWeights.Concat(handTunedWeights).ToArray())
    .WithTitle("The weight each loss gets, c/σ²").WithAxes("epoch", "weight").WithLogY());

/*
Every σ falls as its task is learned: the weights grow, and they grow most for the tasks whose loss goes furthest
down. The training loss of each task under the three schemes:
*/

App.Cell(22);
Notebook.Display(Figure.Overlay(Enumerable.Range(0, 3).Select(k =>
        Chart.Line(epochs, models[k].History.Select(e => e.TaskLosses[0]), schemeNames[k])).ToArray())
    .WithTitle("Training loss of the digit task (cross-entropy)").WithAxes("epoch", "loss").WithLogY());
App.Show(Figure.Overlay(Enumerable.Range(0, 3).Select(k =>
        Chart.Line(epochs, models[k].History.Select(e => e.TaskLosses[1]), schemeNames[k])).ToArray())
    .WithTitle("Training loss of the ink task (squared error)").WithAxes("epoch", "loss").WithLogY());

App.Cell(23);
Notebook.Display(Figure.Overlay(
        Chart.Bar(schemeNames, scores.Select(sc => sc[0].Metric), "digit accuracy"),
        Chart.Bar(schemeNames, scores.Select(sc => sc[2].Metric), "parity accuracy"))
    .WithTitle("Held-out accuracy (449 images)").WithAxes(null, "accuracy").WithYRange(0.9, 1.0));
App.Show(Chart.Bar(schemeNames, scores.Select(sc => sc[1].Metric), "ink RMSE")
    .WithTitle($"Held-out ink error (the target's standard deviation is {inkStd:F1})")
    .WithAxes(null, "root-mean-square error"));

/*
**What the table above shows** (held-out, seed 0): uncertainty weighting reaches the best digit and parity accuracy of
the three schemes and pays for it on the ink, whose RMSE is the largest of the three, still small next to the ink's
spread (its standard deviation is printed at the top of the notebook). The classification losses fall furthest, so their σ's shrink most and they get the most weight.
On easy, clean tasks like these, the three schemes end close together; the learned weights did as well as the rule
of thumb without anyone choosing a number.

## Where equal weights break: units

The ink could just as well be recorded in the scanner's units, the plain sum of the pixel values (×16). Nothing about
the task changes, but its squared error is $16^2 = 256$ times larger.
*/

App.Cell(25);
LearningTask[] InScannerUnits(LearningTask[] tasks) =>
    [
        tasks[0],
        LearningTask.Regression("ink (scanner units)", tasks[1].Values!.Select(v => v * 16).ToArray()),
        tasks[2],
    ];
var bigTrain = InScannerUnits(trainTasks);
var bigTest = InScannerUnits(testTasks);
var bigEqual = MultiTaskTrainer.Train(trainInputs, bigTrain, TaskWeighting.Equal, options)
    .Evaluate(testInputs, bigTest);
var bigLearned = MultiTaskTrainer.Train(trainInputs, bigTrain, TaskWeighting.Uncertainty(), options,
        weightedLoss: WeightedLoss)
    .Evaluate(testInputs, bigTest);
Notebook.Display($"ink RMSE in scanner units (std {16 * inkStd:F0}): equal weights " +
    $"{bigEqual[1].Metric:F1}, uncertainty {bigLearned[1].Metric:F1}");
App.Show(Figure.Overlay(
        Chart.Bar(["equal", "uncertainty"], [scores[0][0].Metric, scores[2][0].Metric], "ink in full pixels"),
        Chart.Bar(["equal", "uncertainty"], [bigEqual[0].Metric, bigLearned[0].Metric],
            "ink in scanner units (×16)"))
    .WithTitle("Held-out digit accuracy when only the ink's units change").WithAxes(null, "digit accuracy")
    .WithYRange(0, 1));

/*
With equal weights the ink's squared error swamps the other losses: the shared trunk serves the ink and the digit
accuracy collapses (the chart above). The learned weighting is untouched by the change of units: $\sigma_\text{ink}$
simply starts 16 times larger. But look at the ink itself: with learned weights it is barely learned in 40 epochs
(its RMSE stays near the target's spread). The weighting divides the ink's gradient by $\sigma^2$, so the trunk no
longer bends towards it, and the ink head alone, moving by about Adam's step size per update, is slow to grow weights
that output numbers in the hundreds. A loss weight cannot do the work of scaling a target: **standardise regression
targets anyway**, and let the learned weights handle what remains, the tasks' different noise.

## Summary

* Multi-task loss: $L = \sum_i c_i L_i/\sigma_i^2 + \log\sigma_i$, with $s_i = \log \sigma_i$ learned by the same
  optimiser as the network; $c = \tfrac12$ for a Gaussian regression, $1$ for a softmax classification.
* At the optimum $\sigma_i^2 = 2c_iL_i$: a task's weight is inversely proportional to its loss. Noisy tasks are
  down-weighted (the constructed case recovered noise levels 0.5 and 2), and the weights do not depend on the units
  a loss is measured in.
* On the digits' easy tasks, learned weights matched or beat equal and rule-of-thumb weights on the classification
  tasks, at some cost on the regression.
*/

/*
## Questions to answer in words

Answer each question in the markdown cell below it: replace `YOUR ANSWER HERE` with a few sentences (formulas welcome,
as `$...$`). Your instructor grades these answers by hand: the grader does not score them, it lists your answers for the
instructor, with their points counted apart from the checks' points (see `docs/exercises.md`).
*/

/*
### Question 1 (2 points): what σ means

What does $\sigma_i$ stand for in uncertainty weighting, and why does a task whose targets are noisier end up with a smaller weight?
*/

/*
YOUR ANSWER HERE
*/

/*
### Question 2 (2 points): the $\log\sigma$ term

What would happen during training if the $+\log\sigma_i$ terms were left out of the loss?
*/

/*
YOUR ANSWER HERE
*/

/*
### Question 3 (2 points): learned weights do not care about units

Recording the ink in units 16 times larger multiplies its squared-error loss by 256. Why does that wreck equal weighting but leave uncertainty weighting unaffected (at the optimal $\sigma$)?
*/

/*
YOUR ANSWER HERE
*/

/*
## Your progress

The latest result of every check you ran in this session (run the notebook from the top to refresh it).
*/

App.Cell(35);
App.Show(Check.Summary());

App.Finish();
