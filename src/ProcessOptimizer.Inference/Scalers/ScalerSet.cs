using System.Text.Json;
using ProcessOptimizer.Core.Models;
using ProcessOptimizer.Core.Strategies;

namespace ProcessOptimizer.Inference.Scalers;

/// <summary>
/// The scalers JSON: <c>{VAR: {"kind": "MinMaxScaler", "min_": m, "scale_": s}}</c> or
/// <c>{"kind": "StandardScaler", "mean_": m, "scale_": s}</c>. Values may be numbers or one-element lists,
/// as scikit-learn stores them.
/// </summary>
public sealed class ScalerSet
{
    private readonly Dictionary<string, Scaler> _byName;

    private ScalerSet(Dictionary<string, Scaler> byName) => _byName = byName;

    public IReadOnlyDictionary<string, Scaler> ByName => _byName;

    /// <summary>The scaler for a variable, looked up with any <c>delta_</c> prefix removed (the seed's rule); identity when there is none.</summary>
    public Scaler For(string variable) =>
        _byName.GetValueOrDefault(Naming.WithoutDeltaPrefix(variable)) ?? _byName.GetValueOrDefault(variable) ?? Scaler.Identity;

    /// <exception cref="ModelException">The JSON is malformed; the message names the key and the variable.</exception>
    public static ScalerSet Parse(string json, string source)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException ex)
        {
            throw new ModelException($"scalers '{source}': malformed JSON at line {ex.LineNumber + 1}: {ex.Message}");
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new ModelException($"scalers '{source}': expected an object of variable name to scaler");
            }

            var scalers = new Dictionary<string, Scaler>(StringComparer.Ordinal);
            foreach (var entry in document.RootElement.EnumerateObject())
            {
                scalers[entry.Name] = ParseOne(entry.Value, $"scalers '{source}': '{entry.Name}'");
            }

            return new ScalerSet(scalers);
        }
    }

    private static Scaler ParseOne(JsonElement element, string what)
    {
        var kind = element.ValueKind == JsonValueKind.Object && element.TryGetProperty("kind", out var k) ? k.GetString() : null;
        var scaler = kind switch
        {
            "MinMaxScaler" => Scaler.MinMax(Number(element, "min_", what), Number(element, "scale_", what)),
            "StandardScaler" => Scaler.Standard(Number(element, "mean_", what), Number(element, "scale_", what)),
            _ => throw new ModelException($"{what}: 'kind' must be MinMaxScaler or StandardScaler (got {kind ?? "nothing"})"),
        };
        return scaler.Slope is 0 || !double.IsFinite(scaler.Slope) || !double.IsFinite(scaler.Intercept)
            ? throw new ModelException($"{what}: the scale is zero or not finite")
            : scaler;
    }

    private static double Number(JsonElement element, string name, string what)
    {
        if (!element.TryGetProperty(name, out var value))
        {
            throw new ModelException($"{what}: missing '{name}'");
        }

        if (value.ValueKind == JsonValueKind.Array && value.GetArrayLength() == 1)
        {
            value = value[0];
        }

        return value.ValueKind == JsonValueKind.Number
            ? value.GetDouble()
            : throw new ModelException($"{what}: '{name}' must be a number or a one-element list");
    }
}
