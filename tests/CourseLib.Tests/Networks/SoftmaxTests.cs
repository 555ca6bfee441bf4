using CourseLib.Networks;

namespace CourseLib.Tests.Networks;

[Trait("Category", "unit")]
public class SoftmaxTests
{
    static double[] Naive(double[] z, double temperature = 1)
    {
        var e = z.Select(x => Math.Exp(x / temperature)).ToArray();
        return e.Select(x => x / e.Sum()).ToArray();
    }

    [Fact]
    public void Moderate_logits_give_the_textbook_softmax_and_its_log_sum_exp()
    {
        double[] z = [0.5, -1.25, 2, 0];
        var p = new double[4];
        double logSum = Softmax.Write(z, p);
        var expected = Naive(z);
        for (int a = 0; a < 4; a++) Assert.Equal(expected[a], p[a], 14);
        Assert.Equal(Math.Log(z.Sum(Math.Exp)), logSum, 13);
        Assert.Equal(logSum, Softmax.LogSumExp(z), 14);
        Assert.Equal(1, p.Sum(), 14);
    }

    [Fact]
    public void Huge_logits_neither_overflow_nor_lose_the_distribution()
    {
        double[] z = [1000, 999, -1000];
        var p = Softmax.Of(z);
        Assert.All(p, x => Assert.True(double.IsFinite(x)));
        Assert.Equal(1 / (1 + Math.Exp(-1)), p[0], 14);
        Assert.True(p[2] < 1e-300, $"{p[2]}");
        Assert.Equal(1000 + Math.Log(1 + Math.Exp(-1)), Softmax.LogSumExp(z), 10);
    }

    [Fact]
    public void Temperature_divides_the_logits()
    {
        double[] z = [1, 2, 4];
        var p = Softmax.Of(z, 0.5);
        var expected = Naive(z, 0.5);
        for (int a = 0; a < 3; a++) Assert.Equal(expected[a], p[a], 14);
        var q = new double[3];
        Assert.Equal(Math.Log(z.Sum(x => Math.Exp(x / 0.5))), Softmax.Write(z, q, 0.5), 13);
    }

    [Fact]
    public void Float_logits_are_widened_before_the_subtraction()
    {
        float[] z = [3.1f, -0.7f, 88.5f, 88.25f];
        var fromFloats = new double[4];
        var fromDoubles = new double[4];
        double a = Softmax.Write(z, fromFloats);
        double b = Softmax.Write(z.Select(x => (double)x).ToArray(), fromDoubles);
        Assert.Equal(fromDoubles, fromFloats);
        Assert.Equal(b, a);
    }

    [Fact]
    public void Rows_of_a_matrix_are_read_and_written_in_place()
    {
        var m = new double[,] { { 1, 2, 3 }, { 0, 0, 0 } };
        var pi = new double[2, 3];
        Softmax.Write(Softmax.Row(m, 0), Softmax.Row(pi, 0));
        Softmax.Write(Softmax.Row(m, 1), Softmax.Row(pi, 1));
        Assert.Equal(Softmax.Of([1, 2, 3]), new[] { pi[0, 0], pi[0, 1], pi[0, 2] });
        Assert.Equal(1.0 / 3, pi[1, 2], 15);
        Assert.Throws<ArgumentOutOfRangeException>(() => Softmax.Row(m, 2).Length);
    }

    [Fact]
    public void Bad_input_is_named()
    {
        Assert.Equal("probabilities", Assert.Throws<ArgumentException>(() => Softmax.Write([1.0, 2.0], new double[3])).ParamName);
        Assert.Equal("temperature", Assert.Throws<ArgumentOutOfRangeException>(() => Softmax.Of([1.0], 0)).ParamName);
        Assert.Equal("temperature", Assert.Throws<ArgumentOutOfRangeException>(() => Softmax.Of([1.0], double.NaN)).ParamName);
    }

    [Fact]
    public void Every_softmax_of_the_library_is_this_one()
    {
        var rng = new Rng(3);
        var theta = new double[4, 3];
        for (int s = 0; s < 4; s++) for (int a = 0; a < 3; a++) theta[s, a] = rng.Uniform(-20, 20);
        var tabular = CourseLib.Mdp.TabularPolicy.Softmax(theta, 0.7);
        var boltzmann = new double[3];
        for (int s = 0; s < 4; s++)
        {
            double[] row = [theta[s, 0], theta[s, 1], theta[s, 2]];
            var shared = Softmax.Of(row, 0.7);
            Assert.Equal(shared, new[] { tabular[s, 0], tabular[s, 1], tabular[s, 2] });
            CourseLib.ValueBased.Boltzmann.Probabilities(row, 0.7, boltzmann);
            Assert.Equal(shared, boltzmann);
            Assert.Equal(Softmax.Of(row), CourseLib.PolicyGradient.TabularPolicyGradient.Policy(theta, s));
            var score = CourseLib.PolicyGradient.ClassificationAsBandit.LogSoftmaxGradient(row, 1);
            Assert.Equal(Softmax.Of(row).Select((p, b) => (b == 1 ? 1 : 0) - p), score);
        }
    }
}
