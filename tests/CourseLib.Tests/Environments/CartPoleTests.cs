using CourseLib.Environments;

namespace CourseLib.Tests.Environments;

[Trait("Category", "unit")]
public class CartPoleTests
{
    /// <summary>
    /// The cart-pole equations of motion (Barto, Sutton and Anderson 1983, as Gymnasium integrates them), written
    /// out again here independently of the library: with M = m_c + m_p,
    ///   θ̈ = [g sinθ − cosθ (F + m_p l θ̇² sinθ)/M] / [l (4/3 − m_p cos²θ / M)],
    ///   ẍ = (F + m_p l θ̇² sinθ)/M − m_p l θ̈ cosθ / M,
    /// then one explicit Euler step of 0.02 s in the order x, ẋ, θ, θ̇ (each from the old state).
    /// </summary>
    static (double, double, double, double) ReferenceStep((double X, double XDot, double Theta, double ThetaDot) s, int action)
    {
        const double g = 9.8, mCart = 1.0, mPole = 0.1, l = 0.5, dt = 0.02;
        double f = action == 1 ? 10.0 : -10.0;
        double m = mCart + mPole;
        double sin = Math.Sin(s.Theta), cos = Math.Cos(s.Theta);
        double thetaAcc = (g * sin - cos * (f + mPole * l * s.ThetaDot * s.ThetaDot * sin) / m) / (l * (4.0 / 3.0 - mPole * cos * cos / m));
        double xAcc = (f + mPole * l * s.ThetaDot * s.ThetaDot * sin) / m - mPole * l * thetaAcc * cos / m;
        return (s.X + dt * s.XDot, s.XDot + dt * xAcc, s.Theta + dt * s.ThetaDot, s.ThetaDot + dt * thetaAcc);
    }

    [Fact]
    public void A_trajectory_from_a_given_state_matches_the_reference_equations_to_1e_minus_12()
    {
        var env = new CartPole();
        var state = (0.01, -0.02, 0.03, 0.04);
        env.ResetTo(0.01, -0.02, 0.03, 0.04);
        var rng = new Rng(11);
        int steps = 0;
        while (true)
        {
            int action = rng.NextInt(2);
            state = ReferenceStep(state, action);
            var result = env.Step(action);
            steps++;
            var (x, xDot, theta, thetaDot) = env.State;
            Assert.Equal(state.Item1, x, 1e-12);
            Assert.Equal(state.Item2, xDot, 1e-12);
            Assert.Equal(state.Item3, theta, 1e-12);
            Assert.Equal(state.Item4, thetaDot, 1e-12);
            Assert.Equal(new CartPoleObservation((float)x, (float)xDot, (float)theta, (float)thetaDot), result.Observation);
            Assert.Equal(1.0, result.Reward);
            bool shouldTerminate = Math.Abs(state.Item1) > 2.4 || Math.Abs(state.Item3) > 12 * Math.PI / 180;
            Assert.Equal(shouldTerminate, result.Terminated);
            if (result.Done) break;
        }
        Assert.True(steps > 5);
    }

    [Fact]
    public void Balancing_for_500_steps_is_truncated_not_terminated()
    {
        var env = new CartPole();
        var obs = env.Reset(seed: 3).Observation;
        StepResult<CartPoleObservation> step;
        int steps = 0;
        do
        {
            step = env.Step(obs.Angle + 0.5f * obs.AngularVelocity + 0.01f * obs.Position + 0.1f * obs.Velocity > 0 ? 1 : 0);
            obs = step.Observation;
            steps++;
        } while (!step.Done);
        Assert.Equal(500, steps);
        Assert.True(step.Truncated);
        Assert.False(step.Terminated);
        Assert.Contains("call Reset first", Assert.Throws<InvalidOperationException>(() => env.Step(0)).Message);
    }

    [Fact]
    public void Reset_draws_each_state_variable_from_plus_minus_0_05_and_the_same_seed_repeats_the_episode()
    {
        var a = new CartPole();
        var b = new CartPole();
        for (int seed = 0; seed < 50; seed++)
        {
            var s = a.Reset(seed).Observation;
            Assert.All(new[] { s.Position, s.Velocity, s.Angle, s.AngularVelocity }, v => Assert.InRange(v, -0.05f, 0.05f));
            Assert.Equal(s, b.Reset(seed).Observation);
        }
        for (int i = 0; i < 30; i++)
        {
            var sa = a.Step(i % 3 == 0 ? 1 : 0);
            Assert.Equal(sa, b.Step(i % 3 == 0 ? 1 : 0));
            if (sa.Done) { Assert.Equal(a.Reset().Observation, b.Reset().Observation); }
        }
    }

    [Fact]
    public void Bad_actions_and_observations_are_explained()
    {
        var env = new CartPole();
        env.Reset(seed: 0);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => env.Step(2));
        Assert.Contains("0 (push left) or 1 (push right)", e.Message);
        Assert.Contains("4 floats", Assert.Throws<ArgumentException>(() => CartPoleObservation.FromSpan(new float[3])).Message);
        Assert.Equal("theta", Assert.Throws<ArgumentOutOfRangeException>(() => env.ResetTo(0, 0, double.NaN, 0)).ParamName);
    }
}
