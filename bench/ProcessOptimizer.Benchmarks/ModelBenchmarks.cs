using BenchmarkDotNet.Attributes;
using ProcessOptimizer.Core.Models;

namespace ProcessOptimizer.Benchmarks;

/// <summary>The kiln network through ONNX Runtime: a prediction, and a prediction with its Jacobian (one batched Run of 11 rows).</summary>
[MemoryDiagnoser]
public class ModelBenchmarks
{
    private IModel _model = null!;
    private IDisposable _models = null!;
    private readonly double[] _inputs = [1.0, 0.1, 880, 0.5, 800];
    private readonly double[] _outputs = new double[1];
    private readonly double[] _jacobian = new double[5];

    [GlobalSetup]
    public void Setup()
    {
        var (strategy, _, models) = Fixtures.Kiln();
        _models = models;
        _model = strategy.Models.Values.Single();
    }

    [GlobalCleanup]
    public void Cleanup() => _models.Dispose();

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
}
