using CourseLib.Data;

namespace CourseLib.Frontiers;

/// <summary>
/// Inputs and extra targets computed from the UCI digits, for experiments that need more than the label
/// (multi-task learning): every one is a plain function of the image or the label, so no new data is needed.
/// </summary>
public static class DigitMeasures
{
    /// <summary>The 64 pixels scaled from 0..16 to 0..1, as network inputs.</summary>
    public static float[] Scaled(float[] image)
    {
        CheckImage(image);
        return image.Select(p => p / 16f).ToArray();
    }

    /// <summary>
    /// The ink mass: total intensity in units of fully inked pixels, Σ pixels / 16 (0 for a blank image, 64 for a
    /// black one; typically 15 to 40). A regression target in its own, large, units.
    /// </summary>
    public static float InkMass(float[] image)
    {
        CheckImage(image);
        return image.Sum() / 16f;
    }

    /// <summary>The row (0 at the top, 7 at the bottom) of the ink's centre of mass, Σ row·pixel / Σ pixel (3.5 for a blank image).</summary>
    public static float CentreRow(float[] image)
    {
        CheckImage(image);
        double mass = 0, moment = 0;
        for (int i = 0; i < image.Length; i++) { mass += image[i]; moment += (i / 8) * image[i]; }
        return mass > 0 ? (float)(moment / mass) : 3.5f;
    }

    /// <summary>The parity of a digit: 0 for even, 1 for odd.</summary>
    public static int Parity(int digit)
    {
        if (digit < 0 || digit >= Digits.ClassCount) throw new ArgumentOutOfRangeException(nameof(digit), digit, "digit must be in 0..9.");
        return digit % 2;
    }

    /// <summary>The network inputs of a set of digits (<see cref="Scaled"/>).</summary>
    public static float[][] Inputs(Digits digits)
    {
        ArgumentNullException.ThrowIfNull(digits);
        return digits.Images.Select(Scaled).ToArray();
    }

    /// <summary>
    /// The seminar's three tasks on a set of digits: "digit" (10 classes), "ink" (regression, <see cref="InkMass"/>),
    /// "parity" (2 classes).
    /// </summary>
    public static LearningTask[] Tasks(Digits digits)
    {
        ArgumentNullException.ThrowIfNull(digits);
        return
        [
            LearningTask.Classification("digit", digits.Labels, Digits.ClassCount),
            LearningTask.Regression("ink", digits.Images.Select(InkMass).ToArray()),
            LearningTask.Classification("parity", digits.Labels.Select(Parity).ToArray(), 2),
        ];
    }

    static void CheckImage(float[] image)
    {
        ArgumentNullException.ThrowIfNull(image);
        if (image.Length != Digits.PixelCount) throw new ArgumentException($"image has {image.Length} pixels; expected {Digits.PixelCount}.", nameof(image));
    }
}
