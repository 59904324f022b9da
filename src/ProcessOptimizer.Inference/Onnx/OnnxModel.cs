using Microsoft.ML.OnnxRuntime;
using ProcessOptimizer.Core.Models;
using ProcessOptimizer.Inference.Scalers;

namespace ProcessOptimizer.Inference.Onnx;

/// <summary>
/// A network run by ONNX Runtime, with the strategy's scalers around it. The Jacobian comes from central
/// differences evaluated in one batched <c>Run</c> of 2n+1 rows, with a step suited to the model's precision.
/// </summary>
/// <remarks>
/// Owns its <see cref="InferenceSession"/>: dispose the model when no cycle uses it any more (the cache does).
/// <c>Run</c> is thread-safe, so one instance serves concurrent cycles.
/// </remarks>
public sealed class OnnxModel : IModel, IDisposable
{
    private readonly InferenceSession _session;
    private readonly string _inputName;
    private readonly string[] _outputNames;
    private readonly bool _isDouble;
    private readonly Scaler[] _inputScalers;
    private readonly Scaler[] _outputScalers;
    private readonly double _step;
    private readonly RunOptions _runOptions = new();

    internal OnnxModel(string skill, InferenceSession session, string inputName, string outputName, bool isDouble, Scaler[] inputScalers, Scaler[] outputScalers)
    {
        Skill = skill;
        _session = session;
        _inputName = inputName;
        _outputNames = [outputName];
        _isDouble = isDouble;
        _inputScalers = inputScalers;
        _outputScalers = outputScalers;
        // Central differences balance truncation (h²) against rounding (ε/h): h ≈ ε^(1/3) in scaled units,
        // where features are of order one.
        _step = isDouble ? 6e-6 : 5e-3;
    }

    public string Skill { get; }

    public int InputCount => _inputScalers.Length;

    public int OutputCount => _outputScalers.Length;

    public string DerivativeMode => "finite-difference";

    /// <summary>Why the exact evaluator is not used for this model, when it was tried.</summary>
    public string? DerivativeNote { get; internal set; }

    internal bool IsDouble => _isDouble;

    internal Scaler[] InputScalers => _inputScalers;

    internal Scaler[] OutputScalers => _outputScalers;

    public void Predict(ReadOnlySpan<double> inputs, Span<double> outputs, Span<double> jacobian)
    {
        int n = InputCount, m = OutputCount;
        var rows = jacobian.IsEmpty ? 1 : (2 * n) + 1;
        var scaled = new double[rows * n];
        for (var i = 0; i < n; i++)
        {
            scaled[i] = _inputScalers[i].Transform(inputs[i]);
        }

        for (var r = 1; r < rows; r++)
        {
            scaled.AsSpan(0, n).CopyTo(scaled.AsSpan(r * n, n));
        }

        for (var k = 0; k < rows / 2; k++)
        {
            scaled[((1 + (2 * k)) * n) + k] += _step;
            scaled[((2 + (2 * k)) * n) + k] -= _step;
        }

        var result = Run(scaled, rows);
        for (var o = 0; o < m; o++)
        {
            outputs[o] = _outputScalers[o].Inverse(result[o]);
            if (!double.IsFinite(outputs[o]))
            {
                throw new ModelException($"skill '{Skill}': the model returned a non-finite value for output {o}");
            }
        }

        for (var k = 0; k < rows / 2; k++)
        {
            for (var o = 0; o < m; o++)
            {
                var difference = result[((1 + (2 * k)) * m) + o] - result[((2 + (2 * k)) * m) + o];
                // d(out)/d(in) = d(scaled out)/d(scaled in) · slope_in / slope_out.
                jacobian[(o * n) + k] = difference / (2 * _step) * _inputScalers[k].Slope / _outputScalers[o].Slope;
            }
        }
    }

    /// <summary>Runs the network on already-scaled rows and returns the scaled outputs, rows × outputs.</summary>
    internal double[] Run(double[] scaled, int rows)
    {
        long[] shape = [rows, InputCount];
        try
        {
            using var input = _isDouble
                ? OrtValue.CreateTensorValueFromMemory(scaled, shape)
                : OrtValue.CreateTensorValueFromMemory(Array.ConvertAll(scaled, v => (float)v), shape);
            using var results = _session.Run(_runOptions, [_inputName], [input], _outputNames);
            var output = results[0];
            return _isDouble
                ? output.GetTensorDataAsSpan<double>().ToArray()
                : Array.ConvertAll(output.GetTensorDataAsSpan<float>().ToArray(), v => (double)v);
        }
        catch (OnnxRuntimeException ex)
        {
            throw new ModelException($"skill '{Skill}': ONNX Runtime failed: {ex.Message}", ex);
        }
    }

    public void Dispose()
    {
        _runOptions.Dispose();
        _session.Dispose();
    }
}
