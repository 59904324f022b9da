using System.Text.Json;
using ProcessOptimizer.Core.Storage;
using ProcessOptimizer.Core.Strategies;
using ProcessOptimizer.Strategies;

namespace ProcessOptimizer.Backtests;

/// <summary>A strategy version ready to replay: loaded, with its decision variables and what its predictions forecast.</summary>
public sealed record BacktestVersion(DeployedStrategy Deployed, IReadOnlyList<string> Decisions, IReadOnlyList<PredictedTag> Predicted)
{
    /// <summary>The key a model's metadata gives its forecast horizon under, in minutes.</summary>
    public const string HorizonKey = "horizon_minutes";

    public string Version => Deployed.Version;

    /// <summary>
    /// Pairs each predicted variable <c>predicted_X</c> with the tag <c>X</c> the strategy reads, and gives it a horizon:
    /// <paramref name="horizon"/> when set, else <see cref="HorizonKey"/> from the metadata of the model that outputs
    /// <c>delta_X</c> or <c>X</c> (or of the only model).
    /// </summary>
    /// <exception cref="BacktestException">A model's metadata cannot be read or gives a horizon that is not a positive number.</exception>
    public static async Task<BacktestVersion> PrepareAsync(DeployedStrategy deployed, IObjectStore store, TimeSpan? horizon, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(deployed);
        ArgumentNullException.ThrowIfNull(store);
        var definition = deployed.Definition;
        var decisions = definition.SkillsOf<OptimizationSkill>().SelectMany(o => o.Inputs).Distinct(StringComparer.Ordinal).ToList();
        var horizons = new Dictionary<InferenceModelSkill, TimeSpan?>();
        foreach (var model in definition.SkillsOf<InferenceModelSkill>())
        {
            horizons[model] = horizon ?? await MetadataHorizonAsync(deployed.Version, model, store, cancellationToken).ConfigureAwait(false);
        }

        var tags = deployed.Compiled.RequiredTags.ToHashSet(StringComparer.Ordinal);
        var predicted = new List<PredictedTag>();
        foreach (var variable in definition.Variables.Values.Where(v => v.Type == VariableType.Predicted && v.Name.StartsWith("predicted_", StringComparison.Ordinal)))
        {
            var tag = variable.Name["predicted_".Length..];
            if (!tags.Contains(tag))
            {
                continue;
            }

            var source = horizons.Keys.FirstOrDefault(m => m.Outputs.Contains("delta_" + tag) || m.Outputs.Contains(tag));
            var forecast = horizon ?? (source is not null ? horizons[source] : horizons.Values.Distinct().Count() == 1 ? horizons.Values.First() : null);
            predicted.Add(new PredictedTag(variable.Name, tag, forecast));
        }

        return new BacktestVersion(deployed, decisions, predicted);
    }

    private static async Task<TimeSpan?> MetadataHorizonAsync(string version, InferenceModelSkill model, IObjectStore store, CancellationToken cancellationToken)
    {
        if (model.MetadataPath is not { } key)
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(await store.GetTextAsync(key, cancellationToken).ConfigureAwait(false));
            if (document.RootElement.ValueKind != JsonValueKind.Object || !document.RootElement.TryGetProperty(HorizonKey, out var value) || value.ValueKind == JsonValueKind.Null)
            {
                return null;
            }

            return value.ValueKind == JsonValueKind.Number && value.GetDouble() is > 0 and var minutes && double.IsFinite(minutes)
                ? TimeSpan.FromMinutes(minutes)
                : throw new BacktestException($"version {version}, skill '{model.Name}': metadata '{key}' has {HorizonKey} {Core.Strategies.Echo.Short(value.GetRawText())}; it must be a positive number of minutes");
        }
        catch (Exception ex) when (ex is JsonException or StorageException)
        {
            throw new BacktestException($"version {version}, skill '{model.Name}': cannot read the horizon from metadata '{key}': {ex.Message}", ex);
        }
    }
}
