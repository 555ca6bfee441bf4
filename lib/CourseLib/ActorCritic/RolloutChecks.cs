namespace CourseLib.ActorCritic;

/// <summary>Argument checks shared by the advantage estimators (clear messages naming the argument).</summary>
static class RolloutChecks
{
    public static void Gamma(double gamma)
    {
        if (!(gamma >= 0 && gamma <= 1))
            throw new ArgumentOutOfRangeException(nameof(gamma), gamma, "gamma (the discount factor γ) must be in [0, 1].");
    }

    public static void Lambda(double lambda)
    {
        if (!(lambda >= 0 && lambda <= 1))
            throw new ArgumentOutOfRangeException(nameof(lambda), lambda, "lambda (GAE's λ) must be in [0, 1].");
    }

    public static void SameLength(int expected, int actual, string argument)
    {
        if (actual != expected)
            throw new ArgumentException($"{argument} has {actual} entries; it needs one per step of the rollout ({expected}, as many as rewards).", argument);
    }
}
