using ProcessOptimizer.Inference.Onnx;
using ProcessOptimizer.Inference.Scalers;

namespace ProcessOptimizer.Inference.Exact;

/// <summary>
/// Builds the exact evaluator for a network and checks it against ONNX Runtime on probe inputs spanning the
/// scalers' ranges. Any unsupported node, or any disagreement beyond a precision-aware tolerance, means the
/// caller keeps ONNX Runtime with finite differences.
/// </summary>
internal static class ExactModelFactory
{
    private const int Probes = 24;

    /// <returns>The exact model, or null with the reason it cannot be used.</returns>
    public static ExactModel? TryCreate(string skill, byte[] bytes, OnnxModel reference, Scaler[] inputScalers, Scaler[] outputScalers, out string? reason)
    {
        NetworkEvaluator network;
        try
        {
            network = OnnxGraphReader.Read(bytes, inputScalers.Length, outputScalers.Length);
        }
        catch (UnsupportedGraphException ex)
        {
            reason = ex.Message;
            return null;
        }

        var exact = new ExactModel(skill, network, inputScalers, outputScalers);
        var n = inputScalers.Length;
        var random = new Random(20261127);
        var rows = new double[Probes * n];
        for (var r = 0; r < Probes; r++)
        {
            for (var k = 0; k < n; k++)
            {
                // MinMax features span [0, 1] in training; standardised ones mostly [-2, 2].
                var u = r == 0 ? 0.5 : random.NextDouble();
                rows[(r * n) + k] = inputScalers[k].Kind == "StandardScaler" ? (4 * u) - 2 : u;
            }
        }

        double[] expected, actual;
        try
        {
            expected = reference.Run(rows, Probes);
            actual = exact.RunScaled(rows, Probes);
        }
        catch (UnsupportedGraphException ex)
        {
            reason = ex.Message;
            return null;
        }

        // ONNX Runtime computes float32 models in float32: agreement is to its precision, not ours.
        var tolerance = reference.IsDouble ? 1e-9 : 1e-4;
        for (var i = 0; i < expected.Length; i++)
        {
            if (!(Math.Abs(expected[i] - actual[i]) <= tolerance * Math.Max(1, Math.Abs(expected[i]))))
            {
                reason = $"the exact evaluator disagrees with ONNX Runtime on a probe input ({actual[i]:G9} vs {expected[i]:G9})";
                return null;
            }
        }

        reason = null;
        return exact;
    }
}
