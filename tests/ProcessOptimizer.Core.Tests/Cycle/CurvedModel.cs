using ProcessOptimizer.Core.Models;

namespace ProcessOptimizer.Core.Tests.Cycle;

/// <summary>
/// yₒ = Σₖ aₒₖ·xₖ + 0.3·sin(Σₖ bₒₖ·xₖ), with its exact Jacobian; the curvature comes from the interface's
/// differences of the Jacobian, as for any model that does not know its own.
/// </summary>
internal sealed class CurvedModel : IModel
{
    private readonly double[] _a;
    private readonly double[] _b;

    public CurvedModel(int inputs, int outputs, int seed)
    {
        (InputCount, OutputCount) = (inputs, outputs);
        var random = new Random(seed);
        _a = [.. Enumerable.Range(0, inputs * outputs).Select(_ => random.NextDouble() - 0.5)];
        _b = [.. Enumerable.Range(0, inputs * outputs).Select(_ => (random.NextDouble() - 0.5) * 2)];
    }

    public int InputCount { get; }

    public int OutputCount { get; }

    public string DerivativeMode => "exact";

    public void Predict(ReadOnlySpan<double> inputs, Span<double> outputs, Span<double> jacobian)
    {
        for (var o = 0; o < OutputCount; o++)
        {
            var (linear, angle) = (0.0, 0.0);
            for (var k = 0; k < InputCount; k++)
            {
                linear += _a[(o * InputCount) + k] * inputs[k];
                angle += _b[(o * InputCount) + k] * inputs[k];
            }

            outputs[o] = linear + (0.3 * Math.Sin(angle));
            for (var k = 0; k < InputCount && !jacobian.IsEmpty; k++)
            {
                jacobian[(o * InputCount) + k] = _a[(o * InputCount) + k] + (0.3 * Math.Cos(angle) * _b[(o * InputCount) + k]);
            }
        }
    }
}
