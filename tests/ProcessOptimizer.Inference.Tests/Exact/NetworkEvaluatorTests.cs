using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using ProcessOptimizer.Inference.Exact;

namespace ProcessOptimizer.Inference.Tests.Exact;

public class NetworkEvaluatorTests
{
    private static readonly string[] SmoothActivations = ["Tanh", "Sigmoid", "Softplus", "Erf", "Gelu"];

    [Theory]
    [InlineData("Tanh")]
    [InlineData("Sigmoid")]
    [InlineData("Softplus")]
    [InlineData("Erf")]
    [InlineData("Gelu")]
    [InlineData("Relu")]
    [InlineData("LeakyRelu")]
    [InlineData("BatchNormalization")]
    [InlineData("Dropout")]
    [InlineData("Identity")]
    [InlineData("Sub")]
    [InlineData("Mul")]
    [InlineData("Div")]
    [InlineData("MatMul")]
    [InlineData("Concat")]
    [InlineData("Reshape")]
    public void Evaluate_EachSupportedNode_JacobianAndCurvatureMatchDifferences(string op)
    {
        var builder = new GraphBuilder(3);
        var hidden = builder.Linear(builder.Input, new double[,] { { 0.5, -0.3, 0.2 }, { 0.1, 0.4, -0.6 }, { -0.2, 0.3, 0.7 } }, [0.1, -0.2, 0.05]);
        var (layer, width) = TestNetworks.OneNode(builder, hidden, op, [1.2, 0.8, 1.1]);
        var output = builder.Linear(layer, TestNetworks.Random2D(2, width, 5), [0.3, -0.1]);
        var network = OnnxGraphReader.Read(builder.Build(output, 2), 3, 2);

        AssertJacobianMatches(network, [0.4, -0.7, 1.1]);
        AssertCurvatureMatches(network, [0.4, -0.7, 1.1]);
    }

    [Property(MaxTest = 60)]
    public Property Evaluate_RandomStackedNetworks_JacobianAndCurvatureMatchDifferences() =>
        Prop.ForAll(
            Arb.From(from inputs in Gen.Choose(1, 6) from hidden in Gen.Choose(1, 8) from layers in Gen.Choose(1, 3) from seed in Gen.Choose(0, 10_000) select (inputs, hidden, layers, seed)),
            sizes =>
            {
                var (inputs, hidden, layers, seed) = sizes;
                var random = new Random(seed);
                var network = TestNetworks.Stacked(inputs, hidden, layers, random, SmoothActivations, (0.5, 1.5), (0.5, 1.5));
                var point = TestNetworks.Vector(inputs, random, -1, 1);
                AssertJacobianMatches(network, point);
                AssertCurvatureMatches(network, point);
                return true;
            });

    [Fact]
    public void Read_UnsupportedNode_SaysWhich()
    {
        var builder = new GraphBuilder(2);
        var output = builder.Node("Sin", [builder.Linear(builder.Input, new double[,] { { 1, 0 }, { 0, 1 } }, [0, 0])]);

        var error = Assert.Throws<UnsupportedGraphException>(() => OnnxGraphReader.Read(builder.Build(output, 2), 2, 2));
        Assert.Contains("(Sin) is not supported", error.Message);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.3)]
    [InlineData(-0.8)]
    [InlineData(2.5)]
    [InlineData(3.0)]
    [InlineData(4.5)]
    public void Erf_MatchesKnownValues_AndIsOdd(double x)
    {
        // erf via its integral, by composite Simpson on 20 000 panels: independent of the implementation.
        var steps = 20_000;
        var h = x / steps;
        var sum = 0.0;
        for (var i = 0; i <= steps; i++)
        {
            var weight = i == 0 || i == steps ? 1 : i % 2 == 1 ? 4 : 2;
            sum += weight * Math.Exp(-(i * h) * (i * h));
        }

        var integral = 2 / Math.Sqrt(Math.PI) * sum * h / 3;
        Assert.Equal(integral, SpecialFunctions.Erf(x), 12);
        Assert.Equal(-SpecialFunctions.Erf(x), SpecialFunctions.Erf(-x));
    }

    private static void AssertJacobianMatches(NetworkEvaluator network, double[] point)
    {
        var (_, jacobian) = network.Evaluate(point);
        int n = network.InputCount, m = network.OutputCount;
        for (var k = 0; k < n; k++)
        {
            // Richardson-extrapolated central differences of the evaluator itself, in double precision.
            double Central(double h)
            {
                var up = (double[])point.Clone();
                var down = (double[])point.Clone();
                up[k] += h;
                down[k] -= h;
                var (a, _) = network.Evaluate(up);
                var (b, _) = network.Evaluate(down);
                return (a[0] - b[0]) / (2 * h);
            }

            for (var o = 0; o < Math.Min(m, 1); o++)
            {
                var numeric = ((4 * Central(5e-4)) - Central(1e-3)) / 3;
                var exact = jacobian[(o * n) + k];
                Assert.True(Math.Abs(exact - numeric) <= 1e-7 * Math.Max(1, Math.Abs(exact)), $"d out{o}/d in{k}: exact {exact:R}, numeric {numeric:R}");
            }
        }
    }

    private static void AssertCurvatureMatches(NetworkEvaluator network, double[] point)
    {
        var (values, jacobian, hessian) = network.EvaluateWithCurvature(point);
        var (plainValues, plainJacobian) = network.Evaluate(point);
        Assert.Equal(plainValues, values);
        Assert.Equal(plainJacobian, jacobian);
        int n = network.InputCount, m = network.OutputCount;
        for (var c = 0; c < n; c++)
        {
            // Richardson-extrapolated central differences of the exact Jacobian along input c.
            double[] Central(double h)
            {
                var up = (double[])point.Clone();
                var down = (double[])point.Clone();
                up[c] += h;
                down[c] -= h;
                var (_, a) = network.Evaluate(up);
                var (_, b) = network.Evaluate(down);
                return [.. a.Zip(b, (x, y) => (x - y) / (2 * h))];
            }

            var (fine, coarse) = (Central(5e-4), Central(1e-3));
            for (var o = 0; o < m; o++)
            {
                for (var r = 0; r < n; r++)
                {
                    var numeric = ((4 * fine[(o * n) + r]) - coarse[(o * n) + r]) / 3;
                    var pair = r >= c ? (r * (r + 1) / 2) + c : (c * (c + 1) / 2) + r;
                    var exact = hessian[(o * network.Pairs) + pair];
                    Assert.True(Math.Abs(exact - numeric) <= 1e-6 * Math.Max(1, Math.Abs(exact)), $"d2 out{o}/d in{r} d in{c}: exact {exact:R}, numeric {numeric:R}");
                }
            }
        }
    }
}
