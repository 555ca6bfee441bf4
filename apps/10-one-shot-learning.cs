// 10 · One-shot learning: a Siamese network that learns "same or different"
// The seminar notebook notebooks/10-one-shot-learning.ipynb as a C# file-based app: the markdown is in comments, the cells
// are the program in the same order. Run it from anywhere inside the repository (.NET 10 SDK):
//     dotnet run apps/10-one-shot-learning.cs
// Every output a notebook would show goes to the terminal and, with the text, into apps/10-one-shot-learning.html.
// Exercises: write the function where it says YOUR CODE HERE; its check below prints the result.
// Made by `courselib export` from notebooks/10-one-shot-learning.ipynb: edit the notebook, then export again.
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

App.Start("10-one-shot-learning", cells: 13);

/*
# 10 · One-shot learning: a Siamese network that learns "same or different"

A classifier needs many examples of every class it will ever name. People recognise a new face, a new letter or a new
signature after seeing it **once**. One-shot learning gets there by learning a *similarity* instead of the classes:
a network $f$ maps an input to an embedding, trained so that two examples of the same class land close together and
two of different classes far apart. A new class then needs one labelled example (the *support*): a new input gets
the class of the nearest support embedding.

**SigNet** (Dey et al., 2017) does this for signature verification: a **Siamese network**, two copies of one CNN
with shared weights, sees pairs of signatures (two genuine ones of a writer, or a genuine one and a forgery) and is
trained with the **contrastive loss**.

**The data, honestly.** We have only the UCI digits (8×8 pixels, ten classes), so: train on pairs of digits
**0–4** only (75% of their images; the rest held out), then classify digits **5–9**, never seen in training, from a
single labelled example each (5-way one-shot, chance 20%). The embedding network is a small MLP, not SigNet's CNN.
The outcome is instructive, and not the one you might expect.
*/

App.Cell(2);

/*
## The contrastive loss

For a pair $(x_1, x_2)$ with embeddings at distance $d = \lVert f(x_1) - f(x_2) \rVert_2$ and label $y$,

$$ L(x_1, x_2, y) = (1 - y)\,\tfrac12\, d^2 \;+\; y\,\tfrac12\, \max(0,\, m - d)^2 . $$

**Label convention (SigNet's): $y = 0$ for a similar pair** (same class: two genuine signatures of one writer; here,
two images of one digit) and **$y = 1$ for a dissimilar pair** (a forgery; here, two different digits). Similar pairs
are pulled together with a spring; dissimilar pairs are pushed apart, but only until they are the margin $m$ apart,
after which they cost nothing (the embedding need not spread to infinity). SigNet weighs the two terms with
constants $\alpha, \beta$; here both are $\tfrac12$. The reference implementation is `ContrastiveLoss.Pair`:
*/

App.Cell(4);
var d = Enumerable.Range(0, 101).Select(i => i * 0.02).ToArray();
App.Show(Figure.Overlay(
        Chart.Line(d, d.Select(x => ContrastiveLoss.Pair(x, ContrastiveLoss.Similar, margin: 1.0)), "y = 0 (similar): ½ d²"),
        Chart.Line(d, d.Select(x => ContrastiveLoss.Pair(x, ContrastiveLoss.Dissimilar, margin: 1.0)), "y = 1 (dissimilar): ½ max(0, m − d)²"))
    .WithTitle("Contrastive loss with margin m = 1").WithAxes("distance d between the embeddings", "loss"));

/*
## Exercises: the loss and the one-shot decision

Each exercise has a check below the solution cell: run it after your solution. It calls your function on edge cases and random inputs, compares with the library's reference, and shows a failing input (as a call you can paste into a cell) with the expected and the returned value. Until you solve it, it says *not implemented yet*; the cells after an exercise use the library's function, so the notebook runs either way. See `docs/exercises.md` for how exercises are graded.

### Exercise 1 (3 points): the contrastive loss

Write `MeanContrastiveLoss(distances, labels, margin)`: the mean over pairs $k$ of $(1 - y_k)\,\tfrac12 d_k^2 + y_k\,\tfrac12 \max(0, m - d_k)^2$, with SigNet's labels ($y = 0$ similar, $y = 1$ dissimilar). (Library: `ContrastiveLoss.Mean`.)
*/

App.Cell(6);
// Check.*: the exercises' checks

App.Cell(7);
double MeanContrastiveLoss(double[] distances, int[] labels, double margin)
{
    // YOUR CODE HERE
    throw new NotImplementedException();
}

App.Cell(8);
App.Show(Check.ContrastiveLoss(MeanContrastiveLoss));

/*
### Exercise 2 (3 points): one-shot classification

With one embedded example per class (the support set), a query gets the class of the nearest support embedding. Write `Nearest(query, support, supportClasses)`: the class of the support embedding with the smallest Euclidean distance $\lVert q - e_i \rVert_2$ to the query (on a tie, the first one). (Library: `OneShot.NearestClass`.)
*/

App.Cell(10);
int Nearest(float[] query, float[][] support, int[] supportClasses)
{
    // YOUR CODE HERE
    throw new NotImplementedException();
}

App.Cell(11);
App.Show(Check.NearestClass(Nearest));

/*
## Training on digits 0–4

Each update draws 128 pairs from the training images of 0–4, half similar and half dissimilar, and takes an Adam step
on the mean contrastive loss. The embedding is $f: \mathbb{R}^{64} \to \mathbb{R}^{32}$ (two ReLU layers of 128 units);
both images of a pair go through the *same* $f$. During training we also measure one-shot accuracy, on held-out images
of 0–4 and on the unseen 5–9.
*/

App.Cell(13);
var digits = Digits.Load();
var result = OneShotDigits.Run(digits, new SiameseOptions { Seed = 0 }, trackDuringTraining: true);
var history = result.Model.History;
var updates = history.Select(r => (double)r.Update).ToArray();
Notebook.Display(Chart.Line(updates, history.Select(r => r.Loss), "mean contrastive loss")
    .WithTitle("Training loss").WithAxes("update", "loss").WithLogY());
App.Show(Figure.Overlay(
        Chart.Line(updates, history.Select(r => r.SimilarDistance), "similar pairs (y = 0)"),
        Chart.Line(updates, history.Select(r => r.DissimilarDistance), "dissimilar pairs (y = 1)"),
        Chart.Line(updates, updates.Select(_ => 1.0), "margin m"))
    .WithTitle("Mean distance between the two embeddings of a training pair").WithAxes("update", "d"));

/*
The loss all but vanishes: same-digit pairs collapse together, different-digit pairs sit beyond the margin.

## One-shot classification

An *episode* draws one labelled image per class (the support set) and classifies every other image of those classes
by its nearest support embedding; we average over 20 episodes. The baseline needs no learning at all: nearest
neighbour on the raw pixels, with the same support sets.
*/

App.Cell(15);
string[] names = ["chance", "pixels, 0–4 (new images)", "Siamese, 0–4 (new images)", "pixels, unseen 5–9", "Siamese, unseen 5–9"];
double[] accuracies = [0.2, result.SeenHeldOutPixels.Accuracy, result.SeenHeldOut.Accuracy, result.UnseenPixels.Accuracy, result.Unseen.Accuracy];
Notebook.Display(string.Join("   ", names.Zip(accuracies, (n, a) => $"{n}: {a:P1}")));
App.Show(Chart.Bar(names, accuracies, "5-way one-shot accuracy").WithTitle("One example per class, 20 episodes").WithAxes(null, "accuracy").WithYRange(0, 1));

App.Cell(16);
var checkpoints = result.Checkpoints;
var at = checkpoints.Select(c => (double)c.Update).ToArray();
App.Show(Figure.Overlay(
        Chart.Line(at, checkpoints.Select(c => c.SeenAccuracy), "Siamese, 0–4 (new images)"),
        Chart.Line(at, checkpoints.Select(c => c.UnseenAccuracy), "Siamese, unseen 5–9"),
        Chart.Line(at, at.Select(_ => result.UnseenPixels.Accuracy), "pixels, unseen 5–9"),
        Chart.Line(at, at.Select(_ => 0.2), "chance"))
    .WithTitle("One-shot accuracy during training (5 episodes per point)").WithAxes("update", "accuracy").WithYRange(0, 1));

/*
**What happened.** On the digits it was trained on, the Siamese embedding is a superb one-shot classifier: one example
of each of 0–4 classifies new images almost perfectly (pixels: 75–81%). On the unseen digits it is well above chance
(36–44% over seeds 0–4) but clearly **worse than raw pixels** (72%), and it gets worse as training goes on. The pictures
of the embedding show why:
*/

App.Cell(18);
Figure EmbeddingScatter(IReadOnlyList<float[]> points, int[] labels, string title)
{
    var projected = Projection.Principal(points);   // the two directions of largest variance
    return Figure.Overlay(labels.Distinct().OrderBy(c => c).Select(c =>
        {
            var members = Enumerable.Range(0, labels.Length).Where(i => labels[i] == c).ToArray();
            return Chart.Scatter(members.Select(i => projected[i][0]), members.Select(i => projected[i][1]), $"digit {c}");
        }).ToArray())
        .WithTitle(title).WithAxes("principal direction 1", "principal direction 2");
}
Notebook.Display(EmbeddingScatter(result.Model.Embed(result.SeenHeldOutInputs), result.SeenHeldOutLabels, "Embedding of held-out 0–4 (2-D projection)"));
Notebook.Display(EmbeddingScatter(result.Model.Embed(result.UnseenInputs), result.UnseenLabels, "Embedding of the unseen 5–9"));
App.Show(EmbeddingScatter(result.UnseenInputs, result.UnseenLabels, "Raw pixels of the unseen 5–9"));

App.Cell(19);
string[] unseenNames = result.UnseenClasses.Select(c => c.ToString()).ToArray();
App.Show(Chart.Heatmap(result.Unseen.Confusion, unseenNames, unseenNames, colorscale: "Blues", annotate: true)
    .WithTitle("Unseen digits: true (rows) vs one-shot prediction (columns), fraction of each row").WithAxes("predicted", "true"));

/*
The embedding has learned exactly what it was asked: *which of 0, 1, 2, 3, 4 is this?* Five tight clusters; every
other difference between images has been squeezed out, because the similar-pair term pulls all images of a class to
one point. An unseen 5, 6 or 9 is mapped onto (or between) those five clusters, so different unseen digits collide,
while the raw pixels still keep them apart. With five training classes, "same or different" cannot be learned in a
way that transfers: a useful similarity must be learned from **many** classes, as SigNet learns from many writers
and Koch et al. (2015) from the 964 character classes of Omniglot's background alphabets.

**The usual remedies do not change this** (seed 0, the same episodes; pixels 72%). Standardised inputs, L2-normalised
embeddings, margins from 0.5 to 2, hard-ish negatives (the nearest of 4 or 16 candidates), embeddings of 8 to 128
dimensions, a linear embedding, a small CNN, weight decay, a lower learning rate, training pairs shifted by a pixel:
36–44% on the unseen digits, every one of them. An untrained network with random weights scores 62%, more than
any trained one. A linear embedding that starts *at* the raw pixels (weights = identity) drifts away from them as it
learns: 73% after 30 updates, 59% after 300. Even the best linear metric that the images of 0–4 can give (whitening
by their within-class covariance) only ties the pixels (72%). More training classes narrow the gap without closing
it: trained on 0–6, 3-way on 7–9, 57% against pixels' 74%; trained on 0–7, 2-way on 8 and 9, 72% against 77%.
Made-up classes did not help either: rotating and mirroring 0–4 (40 classes) gave 40–50%, and 200 to 500 synthetic
pen-stroke "characters" drawn and downsampled like the UCI digits gave 61–62%. Ten digit classes are too few to
learn a similarity that beats the pixels on new ones; that needs hundreds of real classes.

## Summary

* A Siamese network embeds both inputs of a pair with one shared $f$; the contrastive loss
  $(1-y)\tfrac12 d^2 + y\tfrac12\max(0, m-d)^2$ (with $y = 0$ for a similar pair) pulls similar pairs together and pushes
  dissimilar ones beyond the margin.
* One-shot classification: embed one example per new class, give each input the class of the nearest example.
* It works as far as the learned similarity transfers. Trained on five digit classes, it is near perfect on new
  images of those classes and loses to raw pixels on five new classes: the number and variety of training classes is
  what one-shot learning feeds on.

*Exercise idea:* implement the contrastive loss yourself (mind the label convention) and compare it with
`ContrastiveLoss.Mean` on random distances and labels.
*/

/*
## Your progress

The latest result of every check you ran in this session (run the notebook from the top to refresh it).
*/

App.Cell(22);
App.Show(Check.Summary());

App.Finish();
