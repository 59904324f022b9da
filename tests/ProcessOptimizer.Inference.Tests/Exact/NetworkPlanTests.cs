using ProcessOptimizer.Core.Strategies;
using ProcessOptimizer.Inference.Exact;
using ProcessOptimizer.Storage.ObjectStores;

namespace ProcessOptimizer.Inference.Tests.Exact;

/// <summary>The compiled network plan (issue 19): same answers as ONNX Runtime, nothing allocated per call, one buffer per thread.</summary>
public class NetworkPlanTests
{
    private static readonly Strategy Kiln = StrategyLoader.Load(
        File.ReadAllText(Path.Combine(Repository.KilnStore, "configs", "process-optimization-strategy-config-1.0.0.yaml")), "kiln");

    private static InferenceModelSkill Skill => Kiln.SkillsOf<InferenceModelSkill>().Single();

    // Points around the kiln's operating point, each input over its training range (100 times the steps of
    // KilnModelTests' differences) and a quarter beyond on either side.
    private static double[][] KilnPoints(int count)
    {
        double[] centre = [1.0, 0.1, 880, 0.5, 800], range = [10, 0.5, 40, 6, 160];
        var random = new Random(19);
        return [.. Enumerable.Range(0, count).Select(_ => centre.Select((c, k) => c + (range[k] * 1.5 * (random.NextDouble() - 0.5))).ToArray())];
    }

    [Fact]
    public async Task Predict_KilnPlan_AgreesWithOnnxRuntimeAcrossTheRanges()
    {
        var store = new LocalFolderStore(Repository.KilnStore);
        using var exact = await ModelArtifacts.LoadAsync(Skill, store, CancellationToken.None);
        using var onnx = await ModelArtifacts.LoadAsync(Skill, store, CancellationToken.None, preferExact: false);
        Assert.Equal("exact", exact.Model.DerivativeMode);
        Assert.Equal("finite-difference", onnx.Model.DerivativeMode);

        var (a, b) = (new double[1], new double[1]);
        foreach (var point in KilnPoints(300))
        {
            exact.Model.Predict(point, a, []);
            onnx.Model.Predict(point, b, []);
            // ONNX Runtime runs the float32 model in float32; the plan in double.
            Assert.True(Math.Abs(a[0] - b[0]) <= 1e-4 * Math.Max(1, Math.Abs(b[0])), $"at [{string.Join(", ", point)}]: plan {a[0]:R}, ONNX Runtime {b[0]:R}");
        }
    }

    [Fact]
    public async Task Predict_WarmPlan_AllocatesNothingPerCall()
    {
        using var loaded = await ModelArtifacts.LoadAsync(Skill, new LocalFolderStore(Repository.KilnStore), CancellationToken.None);
        var model = loaded.Model;
        var (outputs, jacobian, curvature) = (new double[1], new double[5], new double[25]);
        var points = KilnPoints(50);
        foreach (var point in points)
        {
            model.Predict(point, outputs, []);
            model.Predict(point, outputs, jacobian);
            model.PredictWithCurvature(point, outputs, jacobian, curvature);
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        foreach (var point in points)
        {
            model.Predict(point, outputs, []);
            model.Predict(point, outputs, jacobian);
            model.PredictWithCurvature(point, outputs, jacobian, curvature);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void Evaluate_ManyThreadsAtOnce_EachGetsTheSequentialAnswer()
    {
        var builder = new GraphBuilder(3);
        var hidden = builder.Node("Tanh", [builder.Linear(builder.Input, new double[,] { { 0.5, -0.3, 0.2 }, { 0.1, 0.4, -0.6 } }, [0.1, -0.2])]);
        var network = OnnxGraphReader.Read(builder.Build(builder.Linear(hidden, new double[,] { { 0.7, -1.2 } }, [0.05]), 1), 3, 1);
        var points = Enumerable.Range(0, 400).Select(i => new[] { Math.Sin(i), Math.Cos(i), i / 400.0 }).ToArray();
        var sequential = points.Select(p => network.EvaluateWithCurvature(p)).ToArray();

        var parallel = new (double[] Values, double[] Jacobian, double[] Hessian)[points.Length];
        Parallel.For(0, points.Length, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i => parallel[i] = i % 2 == 0
            ? network.EvaluateWithCurvature(points[i])
            : (network.Evaluate(points[i]).Values, network.Evaluate(points[i]).Jacobian, sequential[i].Hessian));

        for (var i = 0; i < points.Length; i++)
        {
            Assert.Equal(sequential[i].Values, parallel[i].Values);
            Assert.Equal(sequential[i].Jacobian, parallel[i].Jacobian);
            Assert.Equal(sequential[i].Hessian, parallel[i].Hessian);
        }
    }

    [Fact]
    public void Evaluate_NodesOnConstantsOnly_AreComputedOnceAndJoinTheComputedPath()
    {
        // Sigmoid(c) and c1 * c2 depend on no input: the plan computes them when it is built.
        var builder = new GraphBuilder(2);
        var folded = builder.Node("Mul", [builder.Node("Sigmoid", [builder.Constant([0.3, -0.4], 2)]), builder.Constant([2.0], 1)]);
        var hidden = builder.Linear(builder.Input, new double[,] { { 1, 0.5 }, { -0.3, 1 } }, [0, 0]);
        var network = OnnxGraphReader.Read(builder.Build(builder.Linear(builder.Node("Add", [hidden, folded]), new double[,] { { 1, 1 } }, [0]), 1), 2, 1);

        var (values, jacobian) = network.Evaluate([0.2, -0.1]);

        // The graph holds its constants in float32.
        static double F(double x) => (float)x;
        static double Sigmoid(double x) => 1 / (1 + Math.Exp(-x));
        var expected = 0.2 + (F(0.5) * -0.1) + (F(-0.3) * 0.2) - 0.1 + (2 * Sigmoid(F(0.3))) + (2 * Sigmoid(F(-0.4)));
        Assert.Equal(expected, values[0], 12);
        Assert.Equal(1 + F(-0.3), jacobian[0], 14);
        Assert.Equal(F(0.5) + 1, jacobian[1], 14);
    }
}
