using CourseLib.Environments;

namespace CourseLib.PolicyGradient;

/// <summary>Writes an observation's floats into the policy network's input.</summary>
public delegate void ObservationWriter<in TObservation>(TObservation observation, Span<float> destination);

/// <summary>How the policy-gradient code reads the two kinds of observation the course's environments produce.</summary>
public static class ObservationWriters
{
    /// <summary>Structs such as <see cref="CartPoleObservation"/>: <c>observation.CopyTo(destination)</c>.</summary>
    public static ObservationWriter<TObservation> Vector<TObservation>() where TObservation : IObservationVector<TObservation> =>
        static (observation, destination) => observation.CopyTo(destination);

    /// <summary>Float arrays (frames) of exactly <paramref name="length"/> values.</summary>
    public static ObservationWriter<float[]> Array(int length) => (observation, destination) =>
    {
        if (observation is null || observation.Length != length)
            throw new InvalidOperationException($"The environment returned an observation of {observation?.Length.ToString() ?? "null"} floats; the policy reads {length}.");
        observation.CopyTo(destination);
    };

    /// <summary>The number of floats in an array observation: the size of its <see cref="FloatBox"/> space.</summary>
    public static int Length(Space<float[]> space) => space is FloatBox box
        ? box.Size
        : throw new ArgumentException($"Array observations need a FloatBox observation space (to know their length), not {space}.", nameof(space));
}
