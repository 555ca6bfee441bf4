using CourseLib.Data;
using CourseLib.Frontiers;

namespace CourseLib.Tests.Frontiers;

[Trait("Category", "learning")]
public class OneShotCharactersTests
{
    [Fact]
    public void A_Siamese_network_trained_on_background_scripts_beats_raw_pixels_on_unseen_scripts_in_2_of_3_seeds()
    {
        // Notebook 10's experiment with its settings (OneShotCharacters.DefaultOptions), training seeds 0-2: trained on the
        // 29 background scripts only, tested on the 18 evaluation scripts within one script per episode (400 episodes,
        // seeds 1 and 2), verification on 4000 pairs (seed 3). In at least 2 of 3 seeds: at least 15 points over raw
        // pixels 20-way and 10 points 5-way (issue 16), 15 points over the untrained network 20-way, an EER 10 points
        // below the pixels' and an AUC of at least 0.85. Measured (--one-shot-characters 0,1,2; data/README.md):
        // 20-way gaps over pixels of 24-27 points, 5-way 25-29 points, EER 16-17% against 37%.
        var characters = Characters.Load();
        var report = new List<string>();
        int passed = 0;
        for (int seed = 0; seed < 3; seed++)
        {
            using var result = OneShotCharacters.Run(characters, OneShotCharacters.DefaultOptions with { Seed = seed });
            var (siamese, untrained, pixels) = (result.Siamese, result.Untrained, result.Pixels);
            bool ok = siamese.TwentyWay.Accuracy >= pixels.TwentyWay.Accuracy + 0.15
                && siamese.FiveWay.Accuracy >= pixels.FiveWay.Accuracy + 0.10
                && siamese.TwentyWay.Accuracy >= untrained.TwentyWay.Accuracy + 0.15
                && siamese.Verification.EqualErrorRate <= pixels.Verification.EqualErrorRate - 0.10
                && siamese.Verification.AreaUnderCurve >= 0.85;
            // The lead is far larger than the uncertainty of the estimates.
            Assert.True(siamese.TwentyWay.HalfWidth95 + pixels.TwentyWay.HalfWidth95 < 0.05, $"seed {seed}: 95% half-widths {siamese.TwentyWay.HalfWidth95:0.###} + {pixels.TwentyWay.HalfWidth95:0.###}");
            if (ok) passed++;
            report.Add($"seed {seed}: " + string.Join(", ", result.Comparisons.Select(c => $"{c.Method}: {c.FiveWay}, {c.TwentyWay}, EER {c.Verification.EqualErrorRate:P1}")));
        }
        Assert.True(passed >= 2, $"{passed} of 3 seeds pass; 2 needed. " + string.Join("; ", report));
    }
}
