namespace CourseLib.ValueBased;

/// <summary>
/// Temporal-difference targets: what a one-step (or n-step) lookahead says Q(s, a) should be. The seminar's
/// rule throughout: a <em>terminated</em> transition has no future (Q of a terminal state is 0), a
/// <em>truncated</em> one does (the time limit is not part of the MDP), so only termination stops the bootstrap.
/// These are the reference implementations the graded exercises compare against.
/// </summary>
public static class TdTarget
{
    /// <summary>
    /// Q-learning's target y = r + γ max_a' Q(s', a'), or y = r when s' is terminal.
    /// </summary>
    /// <param name="reward">r, the reward of the transition.</param>
    /// <param name="discount">γ in [0, 1].</param>
    /// <param name="nextQValues">Q(s', ·), one value per action (ignored when <paramref name="terminated"/>).</param>
    /// <param name="terminated">True when s' is a terminal state.</param>
    public static double QLearning(double reward, double discount, ReadOnlySpan<double> nextQValues, bool terminated)
    {
        CheckDiscount(discount);
        if (terminated) return reward;
        if (nextQValues.IsEmpty) throw new ArgumentException("nextQValues must hold Q(s', a') for at least one action.", nameof(nextQValues));
        double max = nextQValues[0];
        for (int a = 1; a < nextQValues.Length; a++) if (nextQValues[a] > max) max = nextQValues[a];
        return reward + discount * max;
    }

    /// <summary>SARSA's target y = r + γ Q(s', a') for the action a' actually chosen in s', or y = r when s' is terminal.</summary>
    public static double Sarsa(double reward, double discount, double nextQValue, bool terminated)
    {
        CheckDiscount(discount);
        return terminated ? reward : reward + discount * nextQValue;
    }

    /// <summary>
    /// DQN's target y = r + γ max_a' Q_target(s', a') with the target network's values (Mnih et al. 2015);
    /// with <paramref name="nextQValuesOnline"/> given, Double DQN's y = r + γ Q_target(s', argmax_a' Q_online(s', a'))
    /// (van Hasselt et al. 2016). y = r when s' is terminal.
    /// </summary>
    public static double Dqn(double reward, double discount, ReadOnlySpan<double> nextQValuesTarget, bool terminated,
        ReadOnlySpan<double> nextQValuesOnline = default)
    {
        CheckDiscount(discount);
        if (terminated) return reward;
        if (nextQValuesTarget.IsEmpty) throw new ArgumentException("nextQValuesTarget must hold Q_target(s', a') for at least one action.", nameof(nextQValuesTarget));
        if (nextQValuesOnline.IsEmpty) return QLearning(reward, discount, nextQValuesTarget, terminated: false);
        if (nextQValuesOnline.Length != nextQValuesTarget.Length)
            throw new ArgumentException($"nextQValuesOnline has {nextQValuesOnline.Length} values but nextQValuesTarget has {nextQValuesTarget.Length}.", nameof(nextQValuesOnline));
        int best = 0;
        for (int a = 1; a < nextQValuesOnline.Length; a++) if (nextQValuesOnline[a] > nextQValuesOnline[best]) best = a;
        return reward + discount * nextQValuesTarget[best];
    }

    /// <summary>
    /// DQN's targets for a minibatch, y_i = r_i + γ (1 − terminated_i) max_a' Q(s'_i, a'; θ⁻), where row i of
    /// <paramref name="nextQTarget"/> holds the target network's Q(s'_i, ·; θ⁻): the reference of notebook 06's
    /// <c>DqnTargets</c> exercise, which <see cref="Deep.Dqn.Train{TObservation}"/> can train with.
    /// </summary>
    public static double[] DqnTargets(double[] rewards, double gamma, double[][] nextQTarget, bool[] terminated)
    {
        CheckBatch(rewards, nextQTarget, terminated);
        var y = new double[rewards.Length];
        for (int i = 0; i < y.Length; i++) y[i] = Dqn(rewards[i], gamma, nextQTarget[i], terminated[i]);
        return y;
    }

    /// <summary>
    /// Double DQN's targets for a minibatch, y_i = r_i + γ (1 − terminated_i) Q(s'_i, argmax_a' Q(s'_i, a'; θ); θ⁻): the
    /// online network (<paramref name="nextQOnline"/>) chooses, the target network evaluates. The reference of notebook
    /// 06's <c>DoubleDqnTargets</c> exercise.
    /// </summary>
    public static double[] DoubleDqnTargets(double[] rewards, double gamma, double[][] nextQTarget, double[][] nextQOnline, bool[] terminated)
    {
        CheckBatch(rewards, nextQTarget, terminated);
        ArgumentNullException.ThrowIfNull(nextQOnline);
        if (nextQOnline.Length != rewards.Length)
            throw new ArgumentException($"nextQOnline has {nextQOnline.Length} rows but there are {rewards.Length} rewards.", nameof(nextQOnline));
        var y = new double[rewards.Length];
        for (int i = 0; i < y.Length; i++) y[i] = Dqn(rewards[i], gamma, nextQTarget[i], terminated[i], nextQOnline[i]);
        return y;
    }

    static void CheckBatch(double[] rewards, double[][] nextQTarget, bool[] terminated)
    {
        ArgumentNullException.ThrowIfNull(rewards);
        ArgumentNullException.ThrowIfNull(nextQTarget);
        ArgumentNullException.ThrowIfNull(terminated);
        if (nextQTarget.Length != rewards.Length)
            throw new ArgumentException($"nextQTarget has {nextQTarget.Length} rows but there are {rewards.Length} rewards.", nameof(nextQTarget));
        if (terminated.Length != rewards.Length)
            throw new ArgumentException($"terminated has {terminated.Length} flags but there are {rewards.Length} rewards.", nameof(terminated));
    }

    /// <summary>
    /// The n-step return G = r_t + γ r_{t+1} + … + γ^{k-1} r_{t+k-1} + γ^k V(s_{t+k}), where k = rewards.Length,
    /// without the bootstrap term when s_{t+k} is terminal.
    /// </summary>
    public static double NStep(ReadOnlySpan<double> rewards, double discount, double bootstrapValue, bool terminated)
    {
        CheckDiscount(discount);
        double g = terminated ? 0 : bootstrapValue;
        for (int k = rewards.Length - 1; k >= 0; k--) g = rewards[k] + discount * g;
        return g;
    }

    /// <summary>The TD error δ = Q(s, a) − y (the seminar's sign convention: prediction minus target).</summary>
    public static double Error(double qValue, double target) => qValue - target;

    static void CheckDiscount(double discount)
    {
        if (!(discount >= 0 && discount <= 1))
            throw new ArgumentOutOfRangeException(nameof(discount), discount, "discount γ must be in [0, 1].");
    }
}
