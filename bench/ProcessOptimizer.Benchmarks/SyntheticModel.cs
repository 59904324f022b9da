using ProcessOptimizer.Core.Models;

namespace ProcessOptimizer.Benchmarks;

/// <summary>
/// A stand-in plant model for the scaling table: y = Σ wₖ·tanh(aₖ·x + bₖ) over its inputs, with its exact
/// Jacobian, deterministic weights, and no ONNX Runtime in the way.
/// </summary>
internal sealed class SyntheticModel : IModel
{
    private const int Hidden = 8;
    private readonly double[] _a;
    private readonly double[] _b;
    private readonly double[] _w;

    public SyntheticModel(int inputs, int seed)
    {
        InputCount = inputs;
        var random = new Random(seed);
        _a = [.. Enumerable.Range(0, Hidden * inputs).Select(_ => (random.NextDouble() - 0.5) * 0.6)];
        _b = [.. Enumerable.Range(0, Hidden).Select(_ => random.NextDouble() - 0.5)];
        _w = [.. Enumerable.Range(0, Hidden).Select(_ => (random.NextDouble() - 0.5) * 0.4)];
    }

    public int InputCount { get; }

    public int OutputCount => 1;

    public string DerivativeMode => "exact";

    public void Predict(ReadOnlySpan<double> inputs, Span<double> outputs, Span<double> jacobian)
    {
        outputs[0] = 0;
        if (!jacobian.IsEmpty)
        {
            jacobian.Clear();
        }

        for (var h = 0; h < Hidden; h++)
        {
            var z = _b[h];
            for (var k = 0; k < InputCount; k++)
            {
                z += _a[(h * InputCount) + k] * inputs[k];
            }

            var t = Math.Tanh(z);
            outputs[0] += _w[h] * t;
            if (!jacobian.IsEmpty)
            {
                for (var k = 0; k < InputCount; k++)
                {
                    jacobian[k] += _w[h] * (1 - (t * t)) * _a[(h * InputCount) + k];
                }
            }
        }
    }
}
