// 00 · Setup: does the chain work?
// The seminar notebook notebooks/00-setup.ipynb as a C# file-based app: the markdown is in comments, the cells
// are the program in the same order. Run it from anywhere inside the repository (.NET 10 SDK):
//     dotnet run apps/00-setup.cs
// Every output a notebook would show goes to the terminal and, with the text, into apps/00-setup.html.
// Exercises: write the function where it says YOUR CODE HERE; its check below prints the result.
// Made by `courselib export` from notebooks/00-setup.ipynb: edit the notebook, then export again.
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
using CourseLib.Environments;
using CourseLib.Training;
using TorchSharp;
using CourseLib.Notebooks.Apps;
using static CourseLib.Notebooks.Apps.App;   // display(...), as in a notebook

App.Start("00-setup", cells: 5);

/*
# 00 · Setup: does the chain work?

This notebook checks, top to bottom, everything the seminar's notebooks stand on:

1. the course library **CourseLib** loads (built by `dotnet build` into `artifacts/notebook/`),
2. the course's data is there (the UCI handwritten digits in `data/`),
3. **TorchSharp** (PyTorch's engine for .NET) runs a tensor operation,
4. charts draw inline (plotly.js), and long work shows a live progress bar.

If a cell fails, the message says what to fix. Run it once after opening the course.
*/

App.Cell(2);
App.Show($"CourseLib {typeof(Rng).Assembly.GetName().Version} loaded on .NET {Environment.Version}");

/*
## The data: 1797 handwritten digits, 8x8 pixels

Each image is 64 numbers from 0 to 16 (how many pixels of a 4x4 block of the original 32x32 scan were inked).
We use them in notebook 03, where a classifier is trained with a reward of 1 for a right answer and 0 for a wrong one.
*/

App.Cell(4);
var digits = Digits.Load();
var counts = Enumerable.Range(0, 10).Select(d => (double)digits.Labels.Count(l => l == d));
App.Show(Chart.Bar(Enumerable.Range(0, 10).Select(d => d.ToString()), counts, "images")
    .WithTitle($"{digits.Count} digits, per class").WithAxes("digit", "images"));

App.Cell(5);
float[,] Pixels(float[] image)
{
    var p = new float[8, 8];
    for (int i = 0; i < 64; i++) p[i / 8, i % 8] = image[i];
    return p;
}
App.Show(Chart.Image(Pixels(digits.Images[0]), $"the first image: a {digits.Labels[0]}"));

/*
## TorchSharp: a tensor operation

The deep-learning sections (DQN, policy networks) use TorchSharp. On Debian 12 its native library needs a small fix,
which the build applies automatically; if this cell fails, rebuild with `dotnet build lib/CourseLib`.
*/

App.Cell(7);
var a = torch.tensor(new float[] { 1, 2, 3, 4 }).reshape(2, 2);
var product = a.matmul(a);
App.Show($"[[1,2],[3,4]] @ [[1,2],[3,4]] = [{string.Join(", ", product.data<float>().ToArray())}]");

/*
## An environment, a chart and a progress bar

CartPole-v1: a pole balanced on a cart. A policy that pushes at random keeps it up for about 22 steps on average.
The bar below updates in place while the episodes run.
*/

App.Cell(9);
var env = new CartPole();
var rng = new Rng(0);
var lengths = new List<double>();
using (var progress = TrainingProgress.Start("random policy on CartPole-v1", total: 200, unit: "episodes"))
{
    for (int episode = 0; episode < 200; episode++)
    {
        env.Reset(seed: episode);
        int length = 0;
        while (true)
        {
            var step = env.Step(rng.NextInt(2));
            length++;
            if (step.Terminated || step.Truncated) break;
        }
        lengths.Add(length);
        progress.Report(episode + 1, ("mean length", lengths.Average()));
    }
}
App.Show(Chart.Histogram(lengths, "episode length", bins: 30)
    .WithTitle($"Random policy: mean episode length {lengths.Average():0.0} steps")
    .WithAxes("steps", "episodes"));

App.Finish();
