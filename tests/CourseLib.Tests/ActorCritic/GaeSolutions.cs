namespace CourseLib.Tests.ActorCritic;

/// <summary>
/// Students' versions of notebook 07's <c>Gae(rewards, values, nextValues, terminated, truncated, gamma, lambda)</c>, to
/// train A2C with (<see cref="CourseLib.ActorCritic.A2C.Train{TObservation}"/>'s <c>gae</c>): the right one, written as
/// the notebook's solution, and typical mistakes. Used by the tests and the benchmarks' <c>--a2c-seeds gae=...</c>.
/// </summary>
public static class GaeSolutions
{
    /// <summary>The notebook's solution: Â_t = δ_t + γλ Â_{t+1}, the sum reset at every episode end, no bootstrap after a termination.</summary>
    public static double[] Right(double[] rewards, double[] values, double[] nextValues, bool[] terminated, bool[] truncated, double gamma, double lambda) =>
        Written(rewards, values, nextValues, terminated, truncated, gamma, lambda);

    /// <summary>Bootstraps through a termination: δ_t = r_t + γ V(s_{t+1}) − V(s_t) even where s_{t+1} is terminal.</summary>
    public static double[] BootstrapsTerminal(double[] rewards, double[] values, double[] nextValues, bool[] terminated, bool[] truncated, double gamma, double lambda) =>
        Written(rewards, values, nextValues, terminated, truncated, gamma, lambda, bootstrapTerminal: true);

    /// <summary>Never resets the sum: Â_t runs on into the next episode's TD errors.</summary>
    public static double[] CrossesEpisodes(double[] rewards, double[] values, double[] nextValues, bool[] terminated, bool[] truncated, double gamma, double lambda) =>
        Written(rewards, values, nextValues, terminated, truncated, gamma, lambda, crossEpisodes: true);

    /// <summary>Forgets γ in the decay: Â_t = δ_t + λ Â_{t+1}.</summary>
    public static double[] LambdaWithoutGamma(double[] rewards, double[] values, double[] nextValues, bool[] terminated, bool[] truncated, double gamma, double lambda) =>
        Written(rewards, values, nextValues, terminated, truncated, gamma, lambda, decayWithoutGamma: true);

    /// <summary>Runs the recursion forwards: Â_t = δ_t + γλ Â_{t−1}, so each action is credited with the TD errors before it.</summary>
    public static double[] Forwards(double[] rewards, double[] values, double[] nextValues, bool[] terminated, bool[] truncated, double gamma, double lambda)
    {
        var advantages = new double[rewards.Length];
        double previous = 0;
        for (int t = 0; t < rewards.Length; t++)
        {
            double delta = rewards[t] + (terminated[t] ? 0 : gamma * nextValues[t]) - values[t];
            previous = advantages[t] = delta + gamma * lambda * previous;
            if (terminated[t] || truncated[t]) previous = 0;
        }
        return advantages;
    }

    /// <summary>The TD error the wrong way round: δ_t = V(s_t) − (r_t + γ V(s_{t+1})).</summary>
    public static double[] SignFlipped(double[] rewards, double[] values, double[] nextValues, bool[] terminated, bool[] truncated, double gamma, double lambda) =>
        Right(rewards, values, nextValues, terminated, truncated, gamma, lambda).Select(a => -a).ToArray();

    /// <summary>Returns the λ-returns Â_t + V(s_t) instead of the advantages.</summary>
    public static double[] LambdaReturns(double[] rewards, double[] values, double[] nextValues, bool[] terminated, bool[] truncated, double gamma, double lambda) =>
        Right(rewards, values, nextValues, terminated, truncated, gamma, lambda).Select((a, t) => a + values[t]).ToArray();

    /// <summary>The mistake <paramref name="name"/> names (right, bootstrap, cross, nogamma, forwards, sign, lambdareturns), for the benchmarks.</summary>
    public static Func<double[], double[], double[], bool[], bool[], double, double, double[]> ByName(string name) => name switch
    {
        "right" => Right,
        "bootstrap" => BootstrapsTerminal,
        "cross" => CrossesEpisodes,
        "nogamma" => LambdaWithoutGamma,
        "forwards" => Forwards,
        "sign" => SignFlipped,
        "lambdareturns" => LambdaReturns,
        _ => throw new ArgumentException($"unknown Gae '{name}' (right, bootstrap, cross, nogamma, forwards, sign, lambdareturns)", nameof(name)),
    };

    static double[] Written(double[] rewards, double[] values, double[] nextValues, bool[] terminated, bool[] truncated, double gamma, double lambda,
        bool bootstrapTerminal = false, bool crossEpisodes = false, bool decayWithoutGamma = false)
    {
        var advantages = new double[rewards.Length];
        double next = 0;
        for (int t = rewards.Length - 1; t >= 0; t--)
        {
            double delta = rewards[t] + (terminated[t] && !bootstrapTerminal ? 0 : gamma * nextValues[t]) - values[t];
            bool reset = (terminated[t] || truncated[t]) && !crossEpisodes;
            next = advantages[t] = delta + (reset ? 0 : (decayWithoutGamma ? lambda : gamma * lambda) * next);
        }
        return advantages;
    }
}
