using ProcessOptimizer.Core.Formulas;

namespace ProcessOptimizer.Core.Models;

/// <summary>
/// A loaded plant model as the optimizer sees it: model input values in the units of the strategy's
/// variables in, output deltas in the units of the output variables out. Scaling is the model's business.
/// This is the interface the inference layer implements.
/// </summary>
/// <remarks>
/// Implementations must be thread-safe: concurrent cycles share one instance. <see cref="Predict"/> throws
/// <see cref="ModelException"/> when the model cannot be evaluated; it never returns made-up numbers.
/// </remarks>
public interface IModel
{
    int InputCount { get; }

    int OutputCount { get; }

    /// <summary>How <see cref="Predict"/> computes the Jacobian: <c>exact</c> or <c>finite-difference</c>.</summary>
    string DerivativeMode { get; }

    /// <summary>Why a model uses finite differences where exact derivatives were tried, or null.</summary>
    string? DerivativeNote => null;

    /// <summary>Evaluates the model at <paramref name="inputs"/>.</summary>
    /// <param name="inputs">Model inputs in the order of the skill's <c>inputs</c>.</param>
    /// <param name="outputs">Receives the inverse-scaled outputs, in the order of the skill's <c>outputs</c>.</param>
    /// <param name="jacobian">Empty, or OutputCount × InputCount (row-major) to receive d(outputs)/d(inputs).</param>
    void Predict(ReadOnlySpan<double> inputs, Span<double> outputs, Span<double> jacobian);

    /// <summary>
    /// Ranges of the outputs that contain every value the model gives while each input lies in its range, for
    /// proving that no point of the move windows can meet a constraint. The default knows nothing (every output
    /// unbounded), which proves nothing; a model whose structure allows interval arithmetic overrides it.
    /// </summary>
    /// <param name="inputs">A range per model input, in the order of the skill's <c>inputs</c>.</param>
    /// <param name="outputs">Receives a range per output delta, in the units of the output variables.</param>
    void Bound(ReadOnlySpan<Interval> inputs, Span<Interval> outputs) => outputs.Fill(Interval.Whole);

    /// <summary>
    /// Like <see cref="Predict"/>, plus the second derivatives d²outputs/dinputs² (OutputCount × InputCount ×
    /// InputCount) for the optimizer's Hessian. The default takes central differences of the Jacobian;
    /// a model that knows its curvature overrides it.
    /// </summary>
    void PredictWithCurvature(ReadOnlySpan<double> inputs, Span<double> outputs, Span<double> jacobian, Span<double> curvature)
    {
        Predict(inputs, outputs, jacobian);
        int n = InputCount, m = OutputCount;
        // On the stack for the small models strategies use: this runs at every Hessian of every solve.
        var small = n + (m * ((2 * n) + 1)) <= 512;
        Span<double> point = small ? stackalloc double[n] : new double[n];
        Span<double> scratch = small ? stackalloc double[m] : new double[m];
        Span<double> up = small ? stackalloc double[m * n] : new double[m * n];
        Span<double> down = small ? stackalloc double[m * n] : new double[m * n];
        inputs.CopyTo(point);
        for (var k = 0; k < n; k++)
        {
            // A step of ~1e-4 relative balances truncation against the rounding of the Jacobian itself.
            var h = 1e-4 * Math.Max(1, Math.Abs(inputs[k]));
            point[k] = inputs[k] + h;
            Predict(point, scratch, up);
            point[k] = inputs[k] - h;
            Predict(point, scratch, down);
            point[k] = inputs[k];
            for (var o = 0; o < m; o++)
            {
                for (var i = 0; i < n; i++)
                {
                    curvature[(((o * n) + i) * n) + k] = (up[(o * n) + i] - down[(o * n) + i]) / (2 * h);
                }
            }
        }

        Curvature.Symmetrize(curvature, m, n);
    }
}
