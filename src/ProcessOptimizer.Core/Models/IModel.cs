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

    /// <summary>Evaluates the model at <paramref name="inputs"/>.</summary>
    /// <param name="inputs">Model inputs in the order of the skill's <c>inputs</c>.</param>
    /// <param name="outputs">Receives the inverse-scaled outputs, in the order of the skill's <c>outputs</c>.</param>
    /// <param name="jacobian">Empty, or OutputCount × InputCount (row-major) to receive d(outputs)/d(inputs).</param>
    void Predict(ReadOnlySpan<double> inputs, Span<double> outputs, Span<double> jacobian);
}
