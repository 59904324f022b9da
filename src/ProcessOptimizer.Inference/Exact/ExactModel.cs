using ProcessOptimizer.Core.Models;
using ProcessOptimizer.Inference.Scalers;

namespace ProcessOptimizer.Inference.Exact;

/// <summary>
/// A network evaluated natively in double precision, with its exact Jacobian from one forward-mode pass,
/// and the strategy's scalers around it. Holds no native resources; thread-safe.
/// </summary>
public sealed class ExactModel : IModel
{
    private readonly NetworkEvaluator _network;
    private readonly Scaler[] _inputScalers;
    private readonly Scaler[] _outputScalers;

    internal ExactModel(string skill, NetworkEvaluator network, Scaler[] inputScalers, Scaler[] outputScalers)
    {
        Skill = skill;
        _network = network;
        _inputScalers = inputScalers;
        _outputScalers = outputScalers;
    }

    public string Skill { get; }

    public int InputCount => _inputScalers.Length;

    public int OutputCount => _outputScalers.Length;

    public string DerivativeMode => "exact";

    public void Predict(ReadOnlySpan<double> inputs, Span<double> outputs, Span<double> jacobian)
    {
        int n = InputCount, m = OutputCount;
        Span<double> scaled = stackalloc double[n];
        for (var i = 0; i < n; i++)
        {
            scaled[i] = _inputScalers[i].Transform(inputs[i]);
        }

        var (values, derivatives) = _network.Evaluate(scaled);
        for (var o = 0; o < m; o++)
        {
            outputs[o] = _outputScalers[o].Inverse(values[o]);
            if (!double.IsFinite(outputs[o]))
            {
                throw new ModelException($"skill '{Skill}': the network returned a non-finite value for output {o}");
            }

            if (!jacobian.IsEmpty)
            {
                for (var k = 0; k < n; k++)
                {
                    jacobian[(o * n) + k] = derivatives[(o * n) + k] * _inputScalers[k].Slope / _outputScalers[o].Slope;
                }
            }
        }
    }

    /// <summary>
    /// Curvature for the optimizer's Hessian from one-sided differences of the exact Jacobian: n + 1
    /// evaluations instead of the 2n + 1 of central differences. The Jacobian has no rounding noise to
    /// cancel, so a small step keeps the error near 1e-6 relative, which the Hessian tolerates.
    /// </summary>
    public void PredictWithCurvature(ReadOnlySpan<double> inputs, Span<double> outputs, Span<double> jacobian, Span<double> curvature)
    {
        Predict(inputs, outputs, jacobian);
        int n = InputCount, m = OutputCount;
        var point = inputs.ToArray();
        var scratch = new double[m];
        var shifted = new double[m * n];
        for (var k = 0; k < n; k++)
        {
            // A step of 1e-6 in scaled units, whatever the variable's own units.
            var h = 1e-6 / Math.Abs(_inputScalers[k].Slope);
            point[k] = inputs[k] + h;
            Predict(point, scratch, shifted);
            point[k] = inputs[k];
            for (var o = 0; o < m; o++)
            {
                for (var i = 0; i < n; i++)
                {
                    curvature[(((o * n) + i) * n) + k] = (shifted[(o * n) + i] - jacobian[(o * n) + i]) / h;
                }
            }
        }

        Curvature.Symmetrize(curvature, m, n);
    }

    /// <summary>The network's scaled outputs for scaled input rows, to compare with ONNX Runtime.</summary>
    internal double[] RunScaled(double[] rows, int count)
    {
        var result = new double[count * OutputCount];
        for (var r = 0; r < count; r++)
        {
            _network.Evaluate(rows.AsSpan(r * InputCount, InputCount)).Values.CopyTo(result, r * OutputCount);
        }

        return result;
    }
}
