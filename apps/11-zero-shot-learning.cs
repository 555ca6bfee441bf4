// 11 · Zero-shot learning: zebra = horse + stripes
// The seminar notebook notebooks/11-zero-shot-learning.ipynb as a C# file-based app: the markdown is in comments, the cells
// are the program in the same order. Run it from anywhere inside the repository (.NET 10 SDK):
//     dotnet run apps/11-zero-shot-learning.cs
// Every output a notebook would show goes to the terminal and, with the text, into apps/11-zero-shot-learning.html.
// Exercises: write the function where it says YOUR CODE HERE; its check below prints the result.
// Made by `courselib export` from notebooks/11-zero-shot-learning.ipynb: edit the notebook, then export again.
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
using MathNet.Numerics.LinearAlgebra;
using CourseLib.Exercises;
using CourseLib.Notebooks.Apps;
using static CourseLib.Notebooks.Apps.App;   // display(...), as in a notebook

App.Start("11-zero-shot-learning", cells: 15);

/*
# 11 · Zero-shot learning: zebra = horse + stripes

You have never seen a zebra. Someone tells you: *a zebra looks like a horse, with black and white stripes*. At the zoo
you recognise one at once. You learned "horse-shaped" from horses and "striped" from tigers; the new class is a new
*combination* of attributes you already know. **Zero-shot learning** classifies images of classes with **no training
images at all**, from a description of each class as a vector of attributes, its *signature*.

**ESZSL**, "an embarrassingly simple approach to zero-shot learning" (Romera-Paredes and Torr, 2015), learns a linear
compatibility between image features and attributes, in closed form.

**The data, honestly.** Only the UCI digits: ten classes of 8×8 images, features = the 64 pixels (plus a constant).
The attributes are a small table written down from how people describe the shapes of the digits, *without looking at
the images*; handwriting varies (a 4 may be open or closed, a 7 may or may not have a bar), so the table is a person's
typical answer, not a truth about every image. We hold out **3, 7 and 8**, chosen because each of their attributes
appears in some other digit (the zebra condition), and fit on the other seven.
*/

App.Cell(2);

App.Cell(3);
var table = DigitAttributes.Table;
var z = new double[10, DigitAttributes.Count];
for (int digit = 0; digit < 10; digit++)
    for (int j = 0; j < DigitAttributes.Count; j++) z[digit, j] = table[digit, j];
Notebook.Display(string.Join("\n",
    DigitAttributes.ShortNames.Zip(DigitAttributes.Names, (s, n) => $"{s,-11} = {n}")));
App.Show(Chart.Heatmap(z, DigitAttributes.ShortNames, Enumerable.Range(0, 10).Select(d => $"digit {d}"),
    colorscale: "Blues")
    .WithTitle("Class signatures: which digit has which attribute (1 = dark)").WithSize(null, 460));

/*
## The story for the unseen digits

Each unseen digit, described only through attributes that other digits taught:
*/

App.Cell(5);
int[] unseen = [3, 7, 8];
var seen = Enumerable.Range(0, 10).Except(unseen).ToArray();
string Describe(int digit) => $"{digit} = " + string.Join(" + ", Enumerable.Range(0, DigitAttributes.Count)
    .Where(j => table[digit, j] == 1)
    .Select(j =>
        $"{DigitAttributes.ShortNames[j]} (as in {string.Join(", ", seen.Where(s => table[s, j] == 1))})"));
App.Show(string.Join("\n", unseen.Select(Describe)));

/*
"7 = the bar at the top of a 5 + the diagonal of a 2 or a 4" is our zebra. The 8 is a more ambitious one: five
attributes, among them two closed loops and a crossing. Will a linear map from pixels see them?

## ESZSL

Let $X \in \mathbb{R}^{d \times m}$ hold the features of the $m$ training images (one column each), $Y \in \{-1, 1\}^{m
\times z}$ their labels over the $z$ seen classes (1 for the image's class, $-1$ elsewhere), and $S \in \mathbb{R}^{a
\times z}$ the seen classes' signatures over $a$ attributes. ESZSL looks for $V \in \mathbb{R}^{d \times a}$ such that
the score of image $x$ for class $c$, $x^\top V s_c$, reproduces $Y$:

$$ \min_V \; \lVert X^\top V S - Y \rVert_F^2 \;+\; \gamma \lVert V S \rVert_F^2 \;+\; \lambda \lVert X^\top V \rVert_F^2 \;+\; \gamma\lambda \lVert V \rVert_F^2 . $$

The regularisers keep the projected signatures $VS$ and the projected images $X^\top V$ small. With $\beta = \gamma\lambda$
the gradient's zero factors neatly into $(XX^\top + \gamma I)\, V\, (SS^\top + \lambda I) = X Y S^\top$, so

$$ V = \underbrace{(X X^\top + \gamma I)^{-1}}_{d \times d}\; \underbrace{X}_{d \times m}\; \underbrace{Y}_{m \times z}\; \underbrace{S^\top}_{z \times a}\; \underbrace{(S S^\top + \lambda I)^{-1}}_{a \times a} \quad \in \mathbb{R}^{d \times a}: $$

two small linear solves, no iterations (`Eszsl.Fit`; the test suite checks it against a direct solve of the normal
equations to $10^{-9}$). A new class needs nothing but its signature $s'$: an image $x$ gets
$\arg\max_{c} \, x^\top V s'_c$ over the unseen classes. Here $d = 65$, $m = 1261$, $z = 7$, $a = 9$, and
$\gamma = \lambda = 1$, not tuned on the unseen classes.
*/

/*
## Exercises: ESZSL by hand

Each exercise has a check below the solution cell: run it after your solution. It calls your function on edge cases and random inputs, compares with the library's reference, and shows a failing input (as a call you can paste into a cell) with the expected and the returned value. Until you solve it, it says *not implemented yet*. The fit after the exercises calls your `FitEszsl`: while it is still the stub, it uses the library's and says so in one line; once you have written it, it uses yours, right or wrong, so the notebook runs either way and shows what your function does. See `docs/exercises.md` for how exercises are graded.

The matrices are MathNet's `Matrix<double>`: `X * Y`, `X.Transpose()`, `M.Inverse()` or `M.Solve(B)` (solves $M Z = B$), `Matrix<double>.Build.DenseIdentity(n)`, `M.RowCount`, `M.ColumnCount`, `M[i, j]`.

### Exercise 1 (3 points): the closed form

Write `FitEszsl(features, labels, signatures, gamma, lambda)` returning $V = (X X^\top + \gamma I)^{-1} X Y S^\top (S S^\top + \lambda I)^{-1}$. (Library: `Eszsl.Fit`.)
*/

App.Cell(8);
// Check.*: the exercises' checks

App.Cell(9);
Matrix<double> FitEszsl(Matrix<double> features, Matrix<double> labels, Matrix<double> signatures,
    double gamma, double lambda)
{
    // YOUR CODE HERE
    throw new NotImplementedException();
}

App.Cell(10);
App.Show(Check.Eszsl(FitEszsl));

/*
### Exercise 2 (3 points): predicting unseen classes

Write `PredictClasses(projection, features, signatures)`: for each image $x$ (a column of `features`), the index of the class $c$ (a column of `signatures`) with the highest score $x^\top V s_c$; on a tie the first. (Library: `Eszsl.Predict`.)
*/

App.Cell(12);
int[] PredictClasses(Matrix<double> projection, Matrix<double> features, Matrix<double> signatures)
{
    // YOUR CODE HERE
    throw new NotImplementedException();
}

App.Cell(13);
App.Show(Check.ZeroShotPredict(PredictClasses));

/*
## Zero-shot on 3, 7 and 8, with your fit

`ZeroShotDigits.Run` builds $X$, $Y$ and $S$ from the seven seen digits, calls your `FitEszsl` for $V$, and classifies
every image of 3, 7 and 8 among those three by $\arg\max_c x^\top V s_c$.
*/

App.Cell(15);
var digits = Digits.Load();
var result = ZeroShotDigits.Run(digits, unseen, gamma: 1, lambda: 1, fit: FitEszsl);
Notebook.Display($"{result.TrueLabels.Length} images of 3, 7 and 8, never seen in fitting: zero-shot " +
    $"accuracy {result.Accuracy:P1} (chance {result.Chance:P1})");
App.Show(Figure.Overlay(
        Chart.Bar(unseen.Select(d => $"digit {d}"), result.PerClassAccuracy, "ESZSL, from attributes only"),
        Chart.Bar(unseen.Select(d => $"digit {d}"), unseen.Select(_ => result.Chance), "chance"))
    .WithTitle("Zero-shot accuracy per unseen digit").WithAxes(null, "accuracy").WithYRange(0, 1));

/*
**What the regularisers do.** A typical mistake leaves them out, $V = (XX^\top)^{-1} X Y S^\top (SS^\top)^{-1}$. Some
pixels are never inked in any training image (counted below), so $XX^\top$ has zero rows, is singular and has no
inverse: a solve divides by zero, $V$ comes out as NaN (not a number), every score is NaN and no class ever beats the
first. `Eszsl.Fit` refuses $\gamma = 0$ and $\lambda = 0$, so below we shrink both toward 0 with the library's fit
and watch the accuracy and the largest entry of $V$:
*/

App.Cell(17);
// XXᵀ alone, without γI: the pixels never inked in a seen image make it singular.
var seenFeatures =
    ZeroShotDigits.FeatureMatrix(digits.Images.Where((_, i) => !unseen.Contains(digits.Labels[i])));
var featureGram = seenFeatures * seenFeatures.Transpose();
int neverInked = Enumerable.Range(0, Digits.PixelCount).Count(j => seenFeatures.Row(j).All(v => v == 0));
Notebook.Display($"{neverInked} of {Digits.PixelCount} pixels are blank in every seen image: XXᵀ is " +
    $"{featureGram.RowCount} × {featureGram.ColumnCount} with rank {featureGram.Rank()}, " +
    $"so it has no inverse");
// The library's fit with γ = λ shrunk toward 0.
double[] strengths = [1, 1e-3, 1e-6, 1e-9, 1e-12, 1e-15];
var shrunk = strengths.Select(r => ZeroShotDigits.Run(digits, unseen, gamma: r, lambda: r)).ToArray();
Notebook.Display(string.Join("\n", strengths.Zip(shrunk, (r, fit) =>
    $"γ = λ = {r:G1}: zero-shot accuracy {fit.Accuracy:P1}, largest |V| entry " +
    $"{fit.Projection.Enumerate().Max(Math.Abs):G3}"))
    + $"\nyour fit (γ = λ = 1): {result.Accuracy:P1}; chance {result.Chance:P1}");
App.Show(Figure.Overlay(
        Chart.Bar(unseen.Select(d => $"digit {d}"), result.PerClassAccuracy, "your fit, γ = λ = 1"),
        Chart.Bar(unseen.Select(d => $"digit {d}"), shrunk[^1].PerClassAccuracy,
            $"γ = λ = {strengths[^1]:G1}"))
    .WithTitle("Zero-shot accuracy per unseen digit").WithAxes(null, "accuracy").WithYRange(0, 1));

/*
Tiny regularisers are enough to make the solves defined: the blank pixels' rows of $X Y S^\top$ are zero too, so their rows
of $V$ stay 0, and the rest of $XX^\top$ is invertible. Shrinking further, the fit stays much the same until $\gamma I$
is lost in the rounding of the entries of $XX^\top$ (as large as $m$ on the diagonal): then the solve is at the limit of
double precision, $V$'s entries jump, and the accuracy falls to about chance. The regularisers are what makes the
closed form well defined; $\gamma = \lambda = 1$ also keeps $V$ small (compare the largest entries).
*/

App.Cell(19);
string[] unseenNames = unseen.Select(d => d.ToString()).ToArray();
App.Show(Chart.Heatmap(result.Confusion, unseenNames, unseenNames, colorscale: "Blues", annotate: true)
    .WithTitle("True digit (rows) vs zero-shot prediction (columns), fraction of each row")
    .WithAxes("predicted", "true"));

/*
The 3s are recognised almost always and most 7s too, from nothing but their table rows. The 8s never: every 8 is
called a 3. Why? Look at what the fitted map predicts for the attributes of each unseen digit (the mean of $x^\top V$
over its images), next to the rows of the table:
*/

App.Cell(21);
string[] rows = unseen.Select(d => $"digit {d}: predicted")
    .Concat(unseen.Select(d => $"digit {d}: table")).ToArray();
var both = new double[2 * unseen.Length, DigitAttributes.Count];
for (int c = 0; c < unseen.Length; c++)
    for (int j = 0; j < DigitAttributes.Count; j++)
    {
        both[c, j] = result.MeanAttributeScores[c, j];
        both[unseen.Length + c, j] = table[unseen[c], j];
    }
App.Show(Chart.Heatmap(both, DigitAttributes.ShortNames, rows, colorscale: "RdBu", annotate: true)
    .WithTitle("Predicted attribute scores xᵀV (mean per digit) and the table's rows").WithSize(null, 420));

/*
Nearly every predicted attribute score is negative: with labels coded $-1$ for "not this class", the fitted scores
sit below zero unless the evidence is strong, and an image's score for a class is the **sum** over that class's
attributes. The 3 has one attribute, the 8 has five: the 8 collects five mostly negative numbers and loses to the 3
even on its own images. And the evidence for the 8's extra attributes is weak: "a closed loop" or "strokes that cross"
is not a linear function of the pixels (an 8 is a 3 whose left side is closed, and pixel by pixel the two overlap).
Romera-Paredes and Torr used features from a deep convolutional network, where such parts are much closer to linear.
Normalising every signature to unit length, a common fix for the count bias, helps the 7 but not the 8 here.

## What V learned

$V$ maps pixels to attributes: column $j$ says how ink at each pixel votes for attribute $j$. Three of the nine, learned
from the seven seen digits only (red: ink here suggests the attribute, blue: against it):
*/

App.Cell(23);
foreach (var j in new[] { 0, 1, 5 })
    Notebook.Display(Chart.Heatmap(result.PixelWeights(j), colorscale: "RdBu")
        .WithTitle($"pixel weights for \"{DigitAttributes.Names[j]}\"").WithSize(380, 360));
App.Show($"fitted on the digits {string.Join(", ", result.SeenClasses)}");

/*
## How much depends on the choice of unseen digits?

Three held-out digits is one choice of 120. Fitting and predicting is cheap, so here are all of them (some break the
zebra condition: an attribute of an unseen digit that no seen digit has cannot be learned, and its column of $V$
stays zero).
*/

App.Cell(25);
var triples = (from a in Enumerable.Range(0, 10)
               from b in Enumerable.Range(a + 1, 9 - a)
               from c in Enumerable.Range(b + 1, 9 - b)
               select new[] { a, b, c }).ToArray();
var all = triples.Select(t => (Unseen: t, Accuracy: ZeroShotDigits.Run(digits, t).Accuracy))
    .OrderBy(r => r.Accuracy).ToArray();
Notebook.Display($"{all.Length} triples: median accuracy {all[all.Length / 2].Accuracy:P1}, " +
    $"{all.Count(r => r.Accuracy > 1.0 / 3):N0} above chance; " +
    $"worst {string.Join(",", all[0].Unseen)} ({all[0].Accuracy:P1}), " +
    $"best {string.Join(",", all[^1].Unseen)} ({all[^1].Accuracy:P1})");
App.Show(Figure.Overlay(
        Chart.Histogram(all.Select(r => r.Accuracy), "120 choices of 3 unseen digits", bins: 20),
        Chart.Line([1.0 / 3, 1.0 / 3], [0, 20], "chance"))
    .WithTitle("Zero-shot accuracy over every choice of three unseen digits")
    .WithAxes("accuracy on the unseen digits", "number of triples"));

/*
Zero-shot learning works as well as the attributes let it: when the unseen digits differ from each other in
attributes that the seen digits teach, it is far above chance; when they share most of their table rows (or their
distinctive attribute was never seen), it is a guess. On real benchmarks (animals with attributes, birds) the same holds,
with features from a deep network instead of pixels and attributes collected from many annotators.

## Summary

* Zero-shot learning classifies classes without training images, through a signature of attributes per class:
  "zebra = horse + stripes".
* ESZSL fits a bilinear compatibility $x^\top V s$ with the closed form
  $V = (XX^\top + \gamma I)^{-1} X Y S^\top (SS^\top + \lambda I)^{-1}$ and predicts $\arg\max_c x^\top V s'_c$.
* On the digits, with a nine-attribute table written without looking at the images and raw pixels as features, the held-out
  3, 7 and 8 are recognised together well above chance (the 3 and the 7 well, the 8 not at all): how well depends on
  how much the attributes separate the unseen classes, and on whether the features make the attributes linearly visible.
*/

/*
## Questions to answer in words

Answer each question in the markdown cell below it: replace `YOUR ANSWER HERE` with a few sentences (formulas welcome,
as `$...$`). Your instructor grades these answers by hand: the grader does not score them, it lists your answers for the
instructor, with their points counted apart from the checks' points (see `docs/exercises.md`).
*/

/*
### Question 1 (2 points): why zero-shot needs signatures

Why can zero-shot learning not do without class signatures, and what must hold for an unseen class to be recognised from its signature?
*/

/*
YOUR ANSWER HERE
*/

/*
### Question 2 (2 points): why both $\gamma$ and $\lambda$

The fit needs $(XX^\top + \gamma I)$ and $(SS^\top + \lambda I)$ to be invertible. Why would $SS^\top$ alone fail here, even if every pixel were inked somewhere? (Here $a = 9$ attributes, $z = 7$ seen classes.)
*/

/*
YOUR ANSWER HERE
*/

/*
## Your progress

The latest result of every check you ran in this session (run the notebook from the top to refresh it).
*/

App.Cell(33);
App.Show(Check.Summary());

App.Finish();
