using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace CourseLib.Environments;

/// <summary>
/// N CartPole-v1 copies stepped as one, fast: the state is kept as a structure of arrays (x, ẋ, θ, θ̇ each in
/// its own array) and four copies are integrated at once with 256-bit SIMD; optionally the batch is split over
/// several threads. Same physics, rewards, termination, truncation and reset distribution as <see cref="CartPole"/>;
/// copy i reset with seed s + i starts exactly like <c>new CartPole().Reset(s + i)</c>. The SIMD path computes sine and
/// cosine by a short series and multiplies by 1/M instead of dividing by M, so its numbers may differ from
/// <see cref="CartPole"/>'s in the last bit: trajectories agree to about 1e-15 per step rather than bit for bit.
/// The same seed and actions always give the same trajectory.
/// Episodes reset automatically (see <see cref="IVectorEnvironment{TObservation, TAction}"/>).
/// </summary>
public sealed class CartPoleVector : IVectorEnvironment<CartPoleObservation, int>
{
    const double TotalMass = CartPole.PoleMass + CartPole.CartMass;
    const double PoleMassLength = CartPole.PoleMass * CartPole.HalfPoleLength;

    readonly int _count;
    readonly double[] _x, _xDot, _theta, _thetaDot;
    readonly int[] _steps;
    readonly Rng[] _rngs;
    bool _started;

    /// <summary><paramref name="count"/> copies truncated after <paramref name="maxEpisodeSteps"/> steps, stepped by up to <paramref name="threads"/> threads.</summary>
    /// <param name="count">N, the number of copies.</param>
    /// <param name="maxEpisodeSteps">Episode length at which a copy reports Truncated (500 in v1).</param>
    /// <param name="threads">How many threads share a Step (chunks of the batch). Default 1; 2 pays off on two free cores from about 1024 copies.</param>
    public CartPoleVector(int count, int maxEpisodeSteps = 500, int threads = 1)
    {
        if (count <= 0) throw new ArgumentOutOfRangeException(nameof(count), count, "count must be at least 1.");
        if (maxEpisodeSteps <= 0) throw new ArgumentOutOfRangeException(nameof(maxEpisodeSteps), maxEpisodeSteps, "maxEpisodeSteps must be at least 1.");
        if (threads < 1 || threads > 64) throw new ArgumentOutOfRangeException(nameof(threads), threads, "threads must be in 1..64.");
        _count = count;
        MaxEpisodeSteps = maxEpisodeSteps;
        Threads = threads;
        _x = new double[count]; _xDot = new double[count]; _theta = new double[count]; _thetaDot = new double[count];
        _steps = new int[count];
        _rngs = new Rng[count];
        long seed = Environment.TickCount64;
        for (int i = 0; i < count; i++) _rngs[i] = new Rng(seed + i);
        Observations = new CartPoleObservation[count];
        FinalObservations = new CartPoleObservation[count];
        Rewards = new double[count];
        Terminated = new bool[count];
        Truncated = new bool[count];
    }

    /// <summary>Episode length at which a copy reports Truncated.</summary>
    public int MaxEpisodeSteps { get; }

    /// <summary>How many threads share a Step.</summary>
    public int Threads { get; }

    /// <summary>Use the scalar path everywhere (tests compare it bit for bit with <see cref="CartPole"/>).</summary>
    internal bool ForceScalar { get; set; }

    /// <inheritdoc />
    public int Count => _count;

    /// <inheritdoc />
    public Space<CartPoleObservation> SingleObservationSpace { get; } = new CartPole().ObservationSpace;

    /// <inheritdoc />
    public Space<int> SingleActionSpace { get; } = new Discrete(2);

    /// <inheritdoc />
    public CartPoleObservation[] Observations { get; }

    /// <summary>The observations as one row-major [N, 4] float span (position, velocity, angle, angular velocity), e.g. to copy into a tensor.</summary>
    public ReadOnlySpan<float> ObservationFloats => MemoryMarshal.Cast<CartPoleObservation, float>(Observations.AsSpan());

    /// <inheritdoc />
    public double[] Rewards { get; }

    /// <inheritdoc />
    public bool[] Terminated { get; }

    /// <inheritdoc />
    public bool[] Truncated { get; }

    /// <inheritdoc />
    public CartPoleObservation[] FinalObservations { get; }

    /// <summary>The exact state of copy <paramref name="index"/>.</summary>
    public (double X, double XDot, double Theta, double ThetaDot) State(int index)
    {
        if ((uint)index >= (uint)_count) throw new ArgumentOutOfRangeException(nameof(index), index, $"index must be in 0..{_count - 1}.");
        return (_x[index], _xDot[index], _theta[index], _thetaDot[index]);
    }

    /// <inheritdoc />
    public void Reset(int? seed = null)
    {
        for (int i = 0; i < _count; i++)
        {
            if (seed is int s) _rngs[i].Reseed(s + (long)i);
            ResetCopy(i);
        }
        Array.Clear(Rewards);
        Array.Clear(Terminated);
        Array.Clear(Truncated);
        _started = true;
    }

    /// <summary>Steps every copy: action 0 pushes left, 1 pushes right. Copies whose episode ends are reset.</summary>
    public void Step(ReadOnlySpan<int> actions)
    {
        if (actions.Length != _count)
            throw new ArgumentException($"actions has {actions.Length} entries; there is one per copy ({_count}).", nameof(actions));
        if (!_started) throw new InvalidOperationException("Step was called before the first Reset: call Reset first.");
        int bad = MemoryMarshal.Cast<int, uint>(actions).IndexOfAnyExceptInRange(0u, 1u);
        if (bad >= 0)
            throw new ArgumentOutOfRangeException(nameof(actions), actions[bad], $"actions[{bad}] = {actions[bad]}: each action must be 0 (push left) or 1 (push right): Discrete(2).");
        Rewards.AsSpan().Fill(1.0);
        if (Threads == 1 || _count < 64)
        {
            StepRange(actions, 0, _count);
            return;
        }
        StepInParallel(actions);
    }

    /// <summary>Chunks of whole SIMD blocks on <see cref="Threads"/> threads (a separate method, so the single-threaded Step allocates no closure).</summary>
    void StepInParallel(ReadOnlySpan<int> actions)
    {
        // The actions are copied into a pooled array so the worker threads can read them.
        var pooled = System.Buffers.ArrayPool<int>.Shared.Rent(_count);
        try
        {
            actions.CopyTo(pooled);
            int chunk = ((_count + Threads - 1) / Threads + 3) & ~3;
            Parallel.For(0, Threads, t =>
            {
                int start = t * chunk, end = Math.Min(_count, start + chunk);
                if (start < end) StepRange(pooled.AsSpan(0, _count), start, end);
            });
        }
        finally { System.Buffers.ArrayPool<int>.Shared.Return(pooled); }
    }

    void StepRange(ReadOnlySpan<int> actions, int start, int end)
    {
        int i = start;
        if (Avx.IsSupported && !ForceScalar)
            for (; i + 4 <= end; i += 4) StepFour(actions, i);
        for (; i < end; i++) StepOne(actions[i], i);
    }

    /// <summary>Copies i..i+3 at once: the same equations as <see cref="CartPole.Step"/>, in the same order of operations.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    void StepFour(ReadOnlySpan<int> actions, int i)
    {
        ref double x0 = ref MemoryMarshal.GetArrayDataReference(_x);
        ref double xDot0 = ref MemoryMarshal.GetArrayDataReference(_xDot);
        ref double theta0 = ref MemoryMarshal.GetArrayDataReference(_theta);
        ref double thetaDot0 = ref MemoryMarshal.GetArrayDataReference(_thetaDot);
        nuint k = (nuint)i;
        var x = Vector256.LoadUnsafe(ref x0, k);
        var xDot = Vector256.LoadUnsafe(ref xDot0, k);
        var theta = Vector256.LoadUnsafe(ref theta0, k);
        var thetaDot = Vector256.LoadUnsafe(ref thetaDot0, k);
        var action = Vector128.LoadUnsafe(ref MemoryMarshal.GetReference(actions), k);

        // F = +10 for action 1, −10 for action 0.
        var force = Avx.ConvertToVector256Double(action) * Vector256.Create(2 * CartPole.ForceMagnitude) - Vector256.Create(CartPole.ForceMagnitude);
        // While an episode runs |θ| stays below about 0.3 rad (it ends beyond 0.21), where a short series is exact to
        // about one unit in the last place and faster than the general Vector256.SinCos.
        var (sin, cos) = Vector256.GreaterThanAny(Vector256.Abs(theta), Vector256.Create(SeriesLimit)) ? Vector256.SinCos(theta) : SmallAngleSinCos(theta);
        // θ̈ = (g sinθ − cosθ·temp) / (l (4/3 − m_p cos²θ / M)),  temp = (F + m_p l θ̇² sinθ) / M
        var temp = (force + Vector256.Create(PoleMassLength) * thetaDot * thetaDot * sin) * Vector256.Create(1 / TotalMass);
        var thetaAcc = (Vector256.Create(CartPole.Gravity) * sin - cos * temp)
                       / (Vector256.Create(CartPole.HalfPoleLength) * (Vector256.Create(4.0 / 3.0) - Vector256.Create(CartPole.PoleMass / TotalMass) * cos * cos));
        var xAcc = temp - Vector256.Create(PoleMassLength / TotalMass) * thetaAcc * cos;
        var tau = Vector256.Create(CartPole.Tau);
        x += tau * xDot;
        xDot += tau * xAcc;
        theta += tau * thetaDot;
        thetaDot += tau * thetaAcc;
        x.StoreUnsafe(ref x0, k);
        xDot.StoreUnsafe(ref xDot0, k);
        theta.StoreUnsafe(ref theta0, k);
        thetaDot.StoreUnsafe(ref thetaDot0, k);

        // Observations: four float vectors transposed into four (x, ẋ, θ, θ̇) records.
        var fx = Avx.ConvertToVector128Single(x);
        var fxDot = Avx.ConvertToVector128Single(xDot);
        var fTheta = Avx.ConvertToVector128Single(theta);
        var fThetaDot = Avx.ConvertToVector128Single(thetaDot);
        var t0 = Sse.UnpackLow(fx, fxDot);
        var t1 = Sse.UnpackLow(fTheta, fThetaDot);
        var t2 = Sse.UnpackHigh(fx, fxDot);
        var t3 = Sse.UnpackHigh(fTheta, fThetaDot);
        ref float o = ref Unsafe.As<CartPoleObservation, float>(ref Observations[i]);
        Sse.MoveLowToHigh(t0, t1).StoreUnsafe(ref o, 0);
        Sse.MoveHighToLow(t1, t0).StoreUnsafe(ref o, 4);
        Sse.MoveLowToHigh(t2, t3).StoreUnsafe(ref o, 8);
        Sse.MoveHighToLow(t3, t2).StoreUnsafe(ref o, 12);

        // Termination (|x| > 2.4 or |θ| > 12°) and truncation (step count reaches the limit).
        var position = Vector256.Create(CartPole.PositionThreshold);
        var angle = Vector256.Create(CartPole.AngleThreshold);
        var out_ = Vector256.LessThan(x, -position) | Vector256.GreaterThan(x, position)
                   | Vector256.LessThan(theta, -angle) | Vector256.GreaterThan(theta, angle);
        uint terminated = out_.ExtractMostSignificantBits();
        ref int steps0 = ref MemoryMarshal.GetArrayDataReference(_steps);
        var steps = Vector128.LoadUnsafe(ref steps0, k) + Vector128<int>.One;
        steps.StoreUnsafe(ref steps0, k);
        uint atLimit = Vector128.GreaterThanOrEqual(steps, Vector128.Create(MaxEpisodeSteps)).ExtractMostSignificantBits();
        uint truncated = atLimit & ~terminated;
        Unsafe.WriteUnaligned(ref Unsafe.As<bool, byte>(ref Terminated[i]), 0);   // four false flags at once (an int)
        Unsafe.WriteUnaligned(ref Unsafe.As<bool, byte>(ref Truncated[i]), 0);
        if ((terminated | truncated) == 0) return;
        for (int lane = 0; lane < 4; lane++)
        {
            int j = i + lane;
            bool isTerminated = (terminated >> lane & 1) != 0, isTruncated = (truncated >> lane & 1) != 0;
            if (!isTerminated && !isTruncated) continue;
            Terminated[j] = isTerminated;
            Truncated[j] = isTruncated;
            FinalObservations[j] = Observations[j];
            ResetCopy(j);
        }
    }

    /// <summary>Angles up to which <see cref="SmallAngleSinCos"/> is used (its truncation error there is below 1e-19).</summary>
    const double SeriesLimit = 0.5;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static (Vector256<double> Sin, Vector256<double> Cos) SmallAngleSinCos(Vector256<double> x)
    {
        // Taylor series in y = x² evaluated by Estrin's scheme (short dependency chains).
        var y = x * x;
        var y2 = y * y;
        var y4 = y2 * y2;
        var s01 = Fma.MultiplyAdd(Vector256.Create(1.0 / 120), y, Vector256.Create(-1.0 / 6));
        var s23 = Fma.MultiplyAdd(Vector256.Create(1.0 / 362880), y, Vector256.Create(-1.0 / 5040));
        var s45 = Fma.MultiplyAdd(Vector256.Create(1.0 / 6227020800), y, Vector256.Create(-1.0 / 39916800));
        var s0123 = Fma.MultiplyAdd(s23, y2, s01);
        var s456 = Fma.MultiplyAdd(Vector256.Create(-1.0 / 1307674368000), y2, s45);
        var sinTail = Fma.MultiplyAdd(s456, y4, s0123);                 // (sin x − x) / x³
        var c01 = Fma.MultiplyAdd(Vector256.Create(1.0 / 24), y, Vector256.Create(-0.5));
        var c23 = Fma.MultiplyAdd(Vector256.Create(1.0 / 40320), y, Vector256.Create(-1.0 / 720));
        var c45 = Fma.MultiplyAdd(Vector256.Create(1.0 / 479001600), y, Vector256.Create(-1.0 / 3628800));
        var c0123 = Fma.MultiplyAdd(c23, y2, c01);
        var c456 = Fma.MultiplyAdd(Vector256.Create(-1.0 / 87178291200), y2, c45);
        var cosTail = Fma.MultiplyAdd(c456, y4, c0123);                 // (cos x − 1) / x²
        return (Fma.MultiplyAdd(x * y, sinTail, x), Fma.MultiplyAdd(y, cosTail, Vector256<double>.One));
    }

    /// <summary>One copy, exactly as <see cref="CartPole.Step"/> computes it.</summary>
    void StepOne(int action, int i)
    {
        double force = action == 1 ? CartPole.ForceMagnitude : -CartPole.ForceMagnitude;
        double theta = _theta[i], thetaDot = _thetaDot[i];
        double cosTheta = Math.Cos(theta), sinTheta = Math.Sin(theta);
        double temp = (force + PoleMassLength * thetaDot * thetaDot * sinTheta) / TotalMass;
        double thetaAcc = (CartPole.Gravity * sinTheta - cosTheta * temp) / (CartPole.HalfPoleLength * (4.0 / 3.0 - CartPole.PoleMass * cosTheta * cosTheta / TotalMass));
        double xAcc = temp - PoleMassLength * thetaAcc * cosTheta / TotalMass;
        _x[i] += CartPole.Tau * _xDot[i];
        _xDot[i] += CartPole.Tau * xAcc;
        _theta[i] = theta + CartPole.Tau * thetaDot;
        _thetaDot[i] = thetaDot + CartPole.Tau * thetaAcc;
        _steps[i]++;
        Observations[i] = new CartPoleObservation((float)_x[i], (float)_xDot[i], (float)_theta[i], (float)_thetaDot[i]);
        bool terminated = _x[i] < -CartPole.PositionThreshold || _x[i] > CartPole.PositionThreshold
                          || _theta[i] < -CartPole.AngleThreshold || _theta[i] > CartPole.AngleThreshold;
        bool truncated = !terminated && _steps[i] >= MaxEpisodeSteps;
        Terminated[i] = terminated;
        Truncated[i] = truncated;
        if (!terminated && !truncated) return;
        FinalObservations[i] = Observations[i];
        ResetCopy(i);
    }

    /// <summary>p(s0) for copy i: each state variable uniform in [−0.05, 0.05], drawn in CartPole.Reset's order.</summary>
    void ResetCopy(int i)
    {
        var rng = _rngs[i];
        _x[i] = rng.Uniform(-0.05, 0.05);
        _xDot[i] = rng.Uniform(-0.05, 0.05);
        _theta[i] = rng.Uniform(-0.05, 0.05);
        _thetaDot[i] = rng.Uniform(-0.05, 0.05);
        _steps[i] = 0;
        Observations[i] = new CartPoleObservation((float)_x[i], (float)_xDot[i], (float)_theta[i], (float)_thetaDot[i]);
    }
}
