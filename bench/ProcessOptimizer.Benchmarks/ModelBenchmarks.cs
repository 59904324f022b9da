using BenchmarkDotNet.Attributes;
using ProcessOptimizer.Core.Models;

namespace ProcessOptimizer.Benchmarks;

/// <summary>
/// The kiln network: ONNX Runtime (a prediction, and a prediction with its Jacobian by central differences in
/// one batched Run of 11 rows) against the exact evaluator (values and exact Jacobian in one pass).
/// </summary>
[MemoryDiagnoser]
public class ModelBenchmarks
{
    private IModel _model = null!;
    private IModel _exact = null!;
    private IDisposable _models = null!;
    private IDisposable _exactModels = null!;
    private readonly double[] _inputs = [1.0, 0.1, 880, 0.5, 800];
    private readonly double[] _outputs = new double[1];
    private readonly double[] _jacobian = new double[5];
    private readonly double[] _curvature = new double[25];

    [GlobalSetup]
    public void Setup()
    {
        var (strategy, _, models) = Fixtures.Kiln(exact: false);
        _models = models;
        _model = strategy.Models.Values.Single();
        var (exactStrategy, _, exactModels) = Fixtures.Kiln(exact: true);
        _exactModels = exactModels;
        _exact = exactStrategy.Models.Values.Single();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _models.Dispose();
        _exactModels.Dispose();
    }

    [Benchmark(Baseline = true)]
    public double Predict()
    {
        _model.Predict(_inputs, _outputs, []);
        return _outputs[0];
    }

    [Benchmark]
    public double PredictWithJacobian()
    {
        _model.Predict(_inputs, _outputs, _jacobian);
        return _jacobian[0];
    }

    [Benchmark]
    public double ExactPredict()
    {
        _exact.Predict(_inputs, _outputs, []);
        return _outputs[0];
    }

    [Benchmark]
    public double ExactPredictWithJacobian()
    {
        _exact.Predict(_inputs, _outputs, _jacobian);
        return _jacobian[0];
    }

    [Benchmark]
    public double PredictWithCurvature()
    {
        _model.PredictWithCurvature(_inputs, _outputs, _jacobian, _curvature);
        return _curvature[0];
    }

    [Benchmark]
    public double ExactPredictWithCurvature()
    {
        _exact.PredictWithCurvature(_inputs, _outputs, _jacobian, _curvature);
        return _curvature[0];
    }
}
