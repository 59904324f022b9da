using System.Runtime.CompilerServices;
using ProcessOptimizer.Core.Formulas;
using ProcessOptimizer.Core.Models;
using ProcessOptimizer.Inference.Scalers;

namespace ProcessOptimizer.Inference.Exact;

/// <summary>
/// A network evaluated natively in double precision, with its exact Jacobian and curvature from one
/// forward-mode pass, and the strategy's scalers around it. Holds no native resources; thread-safe.
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

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Predict(ReadOnlySpan<double> inputs, Span<double> outputs, Span<double> jacobian)
    {
        int n = InputCount, m = OutputCount;
        Span<double> scaled = stackalloc double[n];
        Scale(inputs, scaled);

        Span<double> values = stackalloc double[m];
        Span<double> derivatives = stackalloc double[m * n];
        _network.Evaluate(scaled, values, jacobian.IsEmpty ? [] : derivatives, []);
        for (var o = 0; o < m; o++)
        {
            outputs[o] = Unscale(values, o);
            if (!jacobian.IsEmpty)
            {
                UnscaleJacobian(derivatives, o, jacobian);
            }
        }
    }

    /// <summary>
    /// Exact second derivatives from the same forward pass as the values, carried through every node by the
    /// chain rule; the scalers are affine, so they only rescale them.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void PredictWithCurvature(ReadOnlySpan<double> inputs, Span<double> outputs, Span<double> jacobian, Span<double> curvature)
    {
        int n = InputCount, m = OutputCount, pairs = _network.Pairs;
        Span<double> scaled = stackalloc double[n];
        Scale(inputs, scaled);

        Span<double> values = stackalloc double[m];
        Span<double> derivatives = stackalloc double[m * n];
        // Plant models have a handful of inputs; a wide one takes its second derivatives from the heap.
        var second = m * pairs <= 4096 ? stackalloc double[m * pairs] : new double[m * pairs];
        _network.Evaluate(scaled, values, derivatives, second);
        for (var o = 0; o < m; o++)
        {
            outputs[o] = Unscale(values, o);
            UnscaleJacobian(derivatives, o, jacobian);
            var outputSlope = _outputScalers[o].Slope;

            for (int r = 0, p = 0; r < n; r++)
            {
                for (var c = 0; c <= r; c++, p++)
                {
                    var value = second[(o * pairs) + p] * _inputScalers[r].Slope * _inputScalers[c].Slope / outputSlope;
                    curvature[(((o * n) + r) * n) + c] = curvature[(((o * n) + c) * n) + r] = value;
                }
            }
        }
    }

    /// <summary>The network's ranges between the scalers, which are affine: each maps a range's ends to the new range's ends.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Bound(ReadOnlySpan<Interval> inputs, Span<Interval> outputs)
    {
        Span<Interval> scaled = stackalloc Interval[InputCount];
        for (var i = 0; i < scaled.Length; i++)
        {
            var scaler = _inputScalers[i];
            scaled[i] = Interval.Point(scaler.Transform(inputs[i].Low)).Hull(Interval.Point(scaler.Transform(inputs[i].High)));
        }

        _network.Bound(scaled, outputs);
        for (var o = 0; o < outputs.Length; o++)
        {
            var scaler = _outputScalers[o];
            outputs[o] = Interval.Point(scaler.Inverse(outputs[o].Low)).Hull(Interval.Point(scaler.Inverse(outputs[o].High)));
        }
    }

    private void Scale(ReadOnlySpan<double> inputs, Span<double> scaled)
    {
        for (var i = 0; i < scaled.Length; i++)
        {
            scaled[i] = _inputScalers[i].Transform(inputs[i]);
        }
    }

    // d(output o)/d(input k) in the variables' units: the scalers are affine, so only their slopes enter.
    private void UnscaleJacobian(ReadOnlySpan<double> derivatives, int o, Span<double> jacobian)
    {
        var n = InputCount;
        for (var k = 0; k < n; k++)
        {
            jacobian[(o * n) + k] = derivatives[(o * n) + k] * _inputScalers[k].Slope / _outputScalers[o].Slope;
        }
    }

    private double Unscale(ReadOnlySpan<double> values, int o)
    {
        var output = _outputScalers[o].Inverse(values[o]);
        return double.IsFinite(output) ? output : throw new ModelException($"skill '{Skill}': the network returned a non-finite value for output {o}");
    }

    /// <summary>The network's scaled outputs for scaled input rows, to compare with ONNX Runtime.</summary>
    internal double[] RunScaled(double[] rows, int count)
    {
        var result = new double[count * OutputCount];
        for (var r = 0; r < count; r++)
        {
            _network.Evaluate(rows.AsSpan(r * InputCount, InputCount), result.AsSpan(r * OutputCount, OutputCount), [], []);
        }

        return result;
    }
}
