using ProcessOptimizer.Core.Models;
using ProcessOptimizer.Inference.Scalers;

namespace ProcessOptimizer.Inference;

/// <summary>
/// Refuses a model whose outputs or Jacobian are not finite on probe inputs (NaN weights in a valid file, say):
/// such a model would make every cycle after it an error, so it must never go live.
/// </summary>
internal static class FiniteProbe
{
    /// <exception cref="ModelException">An output or Jacobian entry is NaN or infinite; the message names the skill, the key and the input.</exception>
    public static void Verify(string skill, string key, IModel model, IReadOnlyList<Scaler> inputScalers)
    {
        var n = model.InputCount;
        var m = model.OutputCount;
        var inputs = new double[n];
        var outputs = new double[m];
        var jacobian = new double[m * n];
        // The middle and both ends of the range each input was scaled to in training.
        foreach (var u in new[] { 0.5, 0.0, 1.0 })
        {
            for (var k = 0; k < n; k++)
            {
                var scaled = inputScalers[k].Kind == "StandardScaler" ? (4 * u) - 2 : u;
                inputs[k] = inputScalers[k].Inverse(scaled);
            }

            string? what;
            try
            {
                model.Predict(inputs, outputs, jacobian);
                what = outputs.Any(v => !double.IsFinite(v)) ? "outputs" : jacobian.Any(v => !double.IsFinite(v)) ? "Jacobian" : null;
            }
            catch (ModelException)
            {
                // The model's own check of its outputs: the same refusal, said with the key.
                what = "outputs";
            }

            if (what is not null)
            {
                throw new ModelException($"skill '{skill}': model '{key}' gives non-finite {what} at probe input [{string.Join(", ", inputs.Select(x => x.ToString("G6", System.Globalization.CultureInfo.InvariantCulture)))}]; the model is refused");
            }
        }
    }
}
