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

App.Start("10-one-shot-learning", cells: 20);

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

**Two data sets.** First a small warm-up on the UCI digits (8×8 pixels, ten classes): train on pairs of digits
**0–4** only (75% of their images; the rest held out), then classify digits **5–9**, never seen in training, from a
single labelled example each (5-way one-shot, chance 20%), with a small MLP as the embedding. Here the method *loses*
to raw pixels, and we will see why. Then the real test, built like Omniglot (Lake et al. 2015) and Koch et al. (2015):
hundreds of characters from dozens of scripts. A small CNN trained on some scripts recognises the characters of
scripts it has never seen from one drawing each, and verifies pairs the way SigNet verifies signatures.
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
        Chart.Line(d, d.Select(x => ContrastiveLoss.Pair(x, ContrastiveLoss.Similar, margin: 1.0)),
            "y = 0 (similar): ½ d²"),
        Chart.Line(d, d.Select(x => ContrastiveLoss.Pair(x, ContrastiveLoss.Dissimilar, margin: 1.0)),
            "y = 1 (dissimilar): ½ max(0, m − d)²"))
    .WithTitle("Contrastive loss with margin m = 1").WithAxes("distance d between the embeddings", "loss"));

/*
## Exercises: the loss and the one-shot decision

Each exercise has a check below the solution cell: run it after your solution. It calls your function on edge cases and random inputs, compares with the library's reference, and shows a failing input (as a call you can paste into a cell) with the expected and the returned value. Until you solve it, it says *not implemented yet*. Training below calls your `MeanContrastiveLoss`: while it is still the stub, training uses the library's and says so in one line; once you have written it, training uses yours, right or wrong, so the notebook runs either way and shows what your function does. See `docs/exercises.md` for how exercises are graded.

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
## Warm-up: training on digits 0–4

Each update draws 128 pairs from the training images of 0–4, half similar and half dissimilar, and takes an Adam step
on the mean contrastive loss, computed by your `MeanContrastiveLoss` from the pairs' distances. Your function works on
doubles, so the trainer gets its derivative with respect to each distance by central differences of your function (exact
here: the loss is quadratic in each distance on either side of the margin), and autograd carries those derivatives back
through $f$: a wrong loss trains a wrong embedding. The embedding is $f: \mathbb{R}^{64} \to \mathbb{R}^{32}$ (two ReLU layers of 128 units);
both images of a pair go through the *same* $f$. During training we also measure one-shot accuracy, on held-out images
of 0–4 and on the unseen 5–9.
*/

App.Cell(13);
var digits = Digits.Load();
var result = OneShotDigits.Run(digits, new SiameseOptions { Seed = 0 }, trackDuringTraining: true,
    contrastiveLoss: MeanContrastiveLoss);
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
string[] names = ["chance", "pixels, 0–4 (new images)", "Siamese, 0–4 (new images)",
                  "pixels, unseen 5–9", "Siamese, unseen 5–9"];
double[] accuracies = [0.2, result.SeenHeldOutPixels.Accuracy, result.SeenHeldOut.Accuracy,
                       result.UnseenPixels.Accuracy, result.Unseen.Accuracy];
Notebook.Display(string.Join("   ", names.Zip(accuracies, (n, a) => $"{n}: {a:P1}")));
App.Show(Chart.Bar(names, accuracies, "5-way one-shot accuracy")
    .WithTitle("One example per class, 20 episodes").WithAxes(null, "accuracy").WithYRange(0, 1));

/*
**A typical mistake.** Read the labels the other way round ($y = 1$ as "similar") and the loss pulls different digits
together and pushes two images of one digit apart, up to the margin. The same training with that mistake (200 updates
are enough to see it), beside yours:
*/

App.Cell(17);
// the mistake: y = 1 read as "similar", the library's loss with every label flipped
double MeanContrastiveLossSwapped(double[] distances, int[] labels, double margin) =>
    ContrastiveLoss.Mean(distances, labels.Select(y => 1 - y).ToArray(), margin);
var swapped = OneShotDigits.Run(digits, new SiameseOptions { Seed = 0, Updates = 200 },
    contrastiveLoss: MeanContrastiveLossSwapped);
var swappedUpdates = swapped.Model.History.Select(r => (double)r.Update).ToArray();
Notebook.Display($"one-shot accuracy on new images of 0–4: your loss {result.SeenHeldOut.Accuracy:P1}, " +
    $"labels swapped {swapped.SeenHeldOut.Accuracy:P1} (chance {result.SeenHeldOut.Chance:P1})");
App.Show(Figure.Overlay(
        Chart.Line(updates, history.Select(r => r.SimilarDistance), "similar pairs (your loss)"),
        Chart.Line(updates, history.Select(r => r.DissimilarDistance), "dissimilar pairs (your loss)"),
        Chart.Line(swappedUpdates, swapped.Model.History.Select(r => r.SimilarDistance),
            "similar pairs (labels swapped)"),
        Chart.Line(swappedUpdates, swapped.Model.History.Select(r => r.DissimilarDistance),
            "dissimilar pairs (labels swapped)"))
    .WithTitle("Mean distance within a training pair").WithAxes("update", "d"));

App.Cell(18);
var checkpoints = result.Checkpoints;
var at = checkpoints.Select(c => (double)c.Update).ToArray();
App.Show(Figure.Overlay(
        Chart.Line(at, checkpoints.Select(c => c.SeenAccuracy), "Siamese, 0–4 (new images)"),
        Chart.Line(at, checkpoints.Select(c => c.UnseenAccuracy), "Siamese, unseen 5–9"),
        Chart.Line(at, at.Select(_ => result.UnseenPixels.Accuracy), "pixels, unseen 5–9"),
        Chart.Line(at, at.Select(_ => 0.2), "chance"))
    .WithTitle("One-shot accuracy during training (5 episodes per point)")
    .WithAxes("update", "accuracy").WithYRange(0, 1));

/*
**What happened.** On the digits it was trained on, the Siamese embedding is a superb one-shot classifier: one example
of each of 0–4 classifies new images almost perfectly, better than the pixels do. On the unseen digits it is well above
chance but clearly **worse than raw pixels** (the accuracies are printed above), and it gets worse as training goes on.
The pictures of the embedding show why:
*/

App.Cell(20);
Figure EmbeddingScatter(IReadOnlyList<float[]> points, int[] labels, string title)
{
    var projected = Pca.Project(points);   // the two directions of largest variance (PCA)
    return Figure.Overlay(labels.Distinct().OrderBy(c => c).Select(c =>
        {
            var members = Enumerable.Range(0, labels.Length).Where(i => labels[i] == c).ToArray();
            return Chart.Scatter(members.Select(i => projected[i][0]), members.Select(i => projected[i][1]),
                $"digit {c}");
        }).ToArray())
        .WithTitle(title).WithAxes("principal direction 1", "principal direction 2");
}
Notebook.Display(EmbeddingScatter(result.Model.Embed(result.SeenHeldOutInputs), result.SeenHeldOutLabels,
    "Embedding of held-out 0–4 (2-D projection)"));
Notebook.Display(EmbeddingScatter(result.Model.Embed(result.UnseenInputs), result.UnseenLabels,
    "Embedding of the unseen 5–9"));
App.Show(EmbeddingScatter(result.UnseenInputs, result.UnseenLabels, "Raw pixels of the unseen 5–9"));

App.Cell(21);
string[] unseenNames = result.UnseenClasses.Select(c => c.ToString()).ToArray();
App.Show(Chart.Heatmap(result.Unseen.Confusion, unseenNames, unseenNames, colorscale: "Reds", annotate: true)
    .WithTitle("Unseen digits: share of each true digit (row) per prediction")
    .WithAxes("one-shot prediction", "true digit"));

/*
The embedding has learned exactly what it was asked: *which of 0, 1, 2, 3, 4 is this?* Five tight clusters; every
other difference between images has been squeezed out, because the similar-pair term pulls all images of a class to
one point. An unseen 5, 6 or 9 is mapped onto (or between) those five clusters, so different unseen digits collide,
while the raw pixels still keep them apart. With five training classes, "same or different" cannot be learned in a
way that transfers: a useful similarity must be learned from **many** classes, as SigNet learns from many writers
and Koch et al. (2015) from the 964 character classes of Omniglot's background alphabets.

**Why the pixels win here.** The similar-pair term rewards squeezing out every difference that does not separate
0–4, and some of those differences are exactly what tells a 5 from a 6. Raw pixels throw nothing away, and on small,
centred, size-normalised digits the pixel distance is already a fair similarity. The cure is not a cleverer network
on the same five classes but **many more classes**, so that the only way to keep all of them apart is to learn what
distinguishes characters in general.
*/

/*
## Many classes: an Omniglot-like character set

Omniglot has 1,623 handwritten characters from 50 alphabets, 20 drawings of each. It cannot be downloaded here, so the
course ships a set built the same way from fonts (`data/characters.bin.gz`; `data/README.md` names every font, its
licence and the generator's command). Each drawing of a character picks one of its script's typefaces and weights
(Noto Sans, Serif and other styles), then a random affine warp (rotation, scale, shear, shift), a thicker or thinner
stroke, an elastic distortion and a little noise, all from fixed seeds. As in Omniglot, the scripts are split:
**background scripts** train the network, **evaluation scripts** are never seen until the test.
*/

App.Cell(24);
var characters = Characters.Load();
var background = characters.Scripts.Where(s => !s.Evaluation).ToArray();
var evaluation = characters.Scripts.Where(s => s.Evaluation).ToArray();
Notebook.Display($"{characters.ClassCount} characters from {characters.Scripts.Count} scripts, "
    + $"{characters.DrawingsPerClass} drawings each, {characters.Side}×{characters.Side} pixels.");
Notebook.Display($"Background, {background.Sum(s => s.ClassCount)} characters: "
    + string.Join(", ", background.Select(s => s.Name)));
Notebook.Display($"Evaluation, {evaluation.Sum(s => s.ClassCount)} characters: "
    + string.Join(", ", evaluation.Select(s => s.Name)));
int[] shown = [.. characters.Scripts.Where((s, i) => i % 6 == 0).Select(s => s.FirstClass + 3)];
Notebook.Display(string.Join("   ", shown.Select(characters.Describe)));
App.Show(Chart.Image(characters.Sheet(shown, 10), "One character per script (rows), ten drawings").WithSize(620, 540));

/*
## Training on the background scripts

The embedding is now a small CNN, as in SigNet and Koch et al.: two blocks of 5×5 convolutions, ReLU and 2×2
max-pooling, then a hidden layer and the embedding (`OneShotCharacters.DefaultOptions`, printed below). The loss (yours) and
the pair sampler are the ones above: half similar pairs (two drawings of one character), half dissimilar (two
characters), from the background scripts only. The cell also measures the cost of training: wall-clock time, and the
CPU time the process used (on a busy machine the two differ).
*/

App.Cell(26);
Notebook.Display(OneShotCharacters.DefaultOptions.ToString());
var oneShot = OneShotCharacters.Run(characters, contrastiveLoss: MeanContrastiveLoss);
Notebook.Display($"trained in {oneShot.TrainingTime.TotalSeconds:F0} s, "
    + $"{oneShot.TrainingCpuTime.TotalSeconds:F0} s of CPU time");
var charHistory = oneShot.Model.History;
var charUpdates = charHistory.Select(r => (double)r.Update).ToArray();
App.Show(Figure.Overlay(
        Chart.Line(charUpdates, charHistory.Select(r => r.SimilarDistance), "similar pairs (y = 0)"),
        Chart.Line(charUpdates, charHistory.Select(r => r.DissimilarDistance), "dissimilar pairs (y = 1)"),
        Chart.Line(charUpdates, charUpdates.Select(_ => oneShot.Model.Options.Margin), "margin m"))
    .WithTitle("Mean distance within a training pair").WithAxes("update", "d"));

/*
## One-shot on scripts never seen

Omniglot's protocol (Lake et al. 2015; Koch et al. 2015): an **N-way episode** takes N characters of **one**
evaluation script, one drawing of each as the support set and another drawing of each as a query; each query gets
the class of the nearest support embedding. Characters of one script look alike, which makes this the hard version
of the test. Many seeded episodes for N = 5 and N = 20 give the mean accuracy and its 95% confidence interval
(±1.96 standard errors). The same episodes are scored three ways: the trained network, **the same network
untrained** (its random initial weights: what the architecture alone gives), and **raw pixels**.
*/

App.Cell(28);
foreach (var c in oneShot.Comparisons)
    Notebook.Display($"{c.Method}: {c.FiveWay}; {c.TwentyWay}");
string[] methods = [.. oneShot.Comparisons.Select(c => c.Method)];
App.Show(Figure.Overlay(
        Chart.Bar(methods, oneShot.Comparisons.Select(c => c.FiveWay.Accuracy), "5-way (chance 1/5)"),
        Chart.Bar(methods, oneShot.Comparisons.Select(c => c.TwentyWay.Accuracy), "20-way (chance 1/20)"))
    .WithTitle("One-shot accuracy, unseen scripts").WithAxes(null, "accuracy").WithYRange(0, 1));

/*
Now the learned similarity wins, and by a wide margin: trained on hundreds of characters, the network has to keep all
of them apart, so it learns what makes two drawings the same character (stroke shapes, junctions, loops) and ignores
what does not (typeface, slant, stroke width, small warps). That transfers to scripts it never saw. The untrained
network does no better than the pixels, so the gain comes from learning, not from the convolutions alone. (On
real Omniglot, Koch et al. report about 92% 20-way one-shot for their much larger network, against about 26% for
nearest neighbour on pixels.) The course's test `OneShotCharactersTests` checks the margins over pixels with fixed
seeds, and `dotnet run --project tests/CourseLib.Benchmarks -c Release -- --one-shot-characters 0,1,2` repeats the
experiment for other seeds.
*/

/*
## Verification: same writer or forgery?

SigNet does not name the writer; it answers *are these two signatures by the same person?* The Siamese network gives a
distance $d$ between a questioned sample and a reference, and the verifier **accepts when $d \le \tau$**. Here a
genuine pair is two drawings of one character of an evaluation script, and an impostor pair (the forgery) is two
different characters **of the same script**. Each threshold $\tau$ has a **false-accept rate** (FAR: forgeries
accepted) and a **false-reject rate** (FRR: genuine pairs rejected). The ROC curve draws every $\tau$ at once, and the
**equal error rate (EER)** is the error at the $\tau$ where FAR = FRR: where the curve crosses the straight line FAR = FRR.
*/

App.Cell(31);
var rocs = oneShot.Comparisons.Select(c => Chart.Line(
        c.Verification.RocSampled().Select(p => p.FalseAcceptRate),
        c.Verification.RocSampled().Select(p => p.TrueAcceptRate),
        $"{c.Method} (EER {c.Verification.EqualErrorRate:P1})"));
var eers = oneShot.Comparisons.Select(c => Chart.Scatter(
        [c.Verification.EqualErrorRate], [1 - c.Verification.EqualErrorRate], $"EER, {c.Method}"));
App.Show(Figure.Overlay([.. rocs, Chart.Line([0.0, 1.0], [1.0, 0.0], "FAR = FRR"), .. eers])
    .WithTitle("Verification on unseen scripts: ROC")
    .WithAxes("false-accept rate (forgeries accepted)", "true-accept rate (genuine accepted)"));

App.Cell(32);
var verification = oneShot.Siamese.Verification;
var operating = verification.RocSampled();
double[] taus = [.. operating.Select(p => p.Threshold)];
double eerTau = verification.EqualErrorThreshold;
App.Show(Figure.Overlay(
        Chart.Line(taus, operating.Select(p => p.FalseAcceptRate), "false accepts (forgeries accepted)"),
        Chart.Line(taus, operating.Select(p => p.FalseRejectRate), "false rejects (genuine rejected)"),
        Chart.Line([eerTau, eerTau], [0.0, 1.0], "τ at the EER"))
    .WithTitle("Siamese verifier: both errors against τ").WithAxes("threshold τ on the distance d", "rate"));

/*
**What the threshold means for a signature check.** $\tau$ is a policy, not a property of the network. A bank that
checks cheques weighs the two errors: a forged cheque paid costs money, a genuine customer turned away costs goodwill
and a phone call. A small $\tau$ accepts only very close matches: few forgeries get through, but many genuine
signatures (a hurried one, a different pen) are rejected. A large $\tau$ does the opposite. The EER is one convenient
summary for comparing verifiers; a deployment picks the operating point from the costs, for example "at most 1% of
forgeries accepted", and reads the false-reject rate it must live with. $\tau$ must be chosen on pairs set aside for
that purpose, never on the test pairs (here we read the curve of the test pairs only to show the trade-off).
*/

App.Cell(34);
RocPoint strict = verification.Roc.Last(p => p.FalseAcceptRate <= 0.01);
RocPoint lenient = verification.Roc.First(p => p.FalseRejectRate <= 0.01);
Notebook.Display($"EER: {verification.EqualErrorRate:P1} at τ = {verification.EqualErrorThreshold:F3}");
string Describe(string name, RocPoint p) =>
    $"{name}, τ = {p.Threshold:F3}: {p.FalseAcceptRate:P1} of forgeries accepted, "
    + $"{p.FalseRejectRate:P1} of genuine pairs rejected";
Notebook.Display(Describe("strict", strict));
Notebook.Display(Describe("lenient", lenient));
Notebook.Display($"raw pixels, for comparison: EER {oneShot.Pixels.Verification.EqualErrorRate:P1}");

/*
## Summary

* A Siamese network embeds both inputs of a pair with one shared $f$; the contrastive loss
  $(1-y)\tfrac12 d^2 + y\tfrac12\max(0, m-d)^2$ (with $y = 0$ for a similar pair) pulls similar pairs together and pushes
  dissimilar ones beyond the margin.
* One-shot classification: embed one example per new class, give each input the class of the nearest example.
* It works as far as the learned similarity transfers. Trained on five digit classes, it is near perfect on new
  images of those classes and loses to raw pixels on five new classes. Trained on hundreds of characters from many
  scripts, it beats raw pixels clearly on scripts it has never seen, 5-way and 20-way: the number and variety of
  training classes is what one-shot learning feeds on.
* Verification (SigNet) thresholds the same distance: the ROC curve shows every trade-off between accepted forgeries
  and rejected genuine signatures, the EER sums it up, and the threshold is chosen from the costs of the two errors.
*/

/*
## Questions to answer in words

Answer each question in the markdown cell below it: replace `YOUR ANSWER HERE` with a few sentences (formulas welcome,
as `$...$`). Your instructor grades these answers by hand: the grader does not score them, it lists your answers for the
instructor, with their points counted apart from the checks' points (see `docs/exercises.md`).
*/

/*
### Question 1 (2 points): what the threshold means

A bank will use the Siamese network to verify signatures on cheques and can accept at most 1% of forgeries. What does the threshold $\tau$ decide, how would you choose it, and what must you report with it?
*/

/*
YOUR ANSWER HERE
*/

/*
### Question 2 (2 points): why a margin

Why does the contrastive loss push a dissimilar pair apart only until its distance reaches the margin $m$, instead of always rewarding a larger distance?
*/

/*
YOUR ANSWER HERE
*/

/*
### Question 3 (2 points): why many training classes

The Siamese network trained on digits 0–4 lost to raw pixels on the unseen digits 5–9, while the one trained on many characters beat raw pixels on scripts it never saw. Why?
*/

/*
YOUR ANSWER HERE
*/

/*
## Your progress

The latest result of every check you ran in this session (run the notebook from the top to refresh it).
*/

App.Cell(44);
App.Show(Check.Summary());

App.Finish();
