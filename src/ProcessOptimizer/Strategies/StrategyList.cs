using ProcessOptimizer.Configuration;

namespace ProcessOptimizer.Strategies;

/// <summary>Reads the <c>Strategies</c> list, or makes the one strategy of a configuration without it.</summary>
public static class StrategyList
{
    /// <summary>The configured strategies, in order, with every problem of the list.</summary>
    /// <remarks>
    /// Without a list, the one strategy is <c>process-optimization</c> on <c>Storage:DeployedVersionKey</c> and
    /// <c>Optimization:IntervalSeconds</c>, so a configuration from before the list means what it meant.
    /// </remarks>
    public static (IReadOnlyList<StrategySettings> Strategies, IReadOnlyList<string> Problems) Read(IConfiguration configuration, StorageSettings storage, OptimizationSettings optimization)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(storage);
        ArgumentNullException.ThrowIfNull(optimization);
        var listed = configuration.GetSection(StrategySettings.Section).Get<List<StrategySettings>>();
        if (listed is null or { Count: 0 })
        {
            return ([new StrategySettings { Name = StrategyRepository.StrategyName, DeployedVersionKey = storage.DeployedVersionKey, IntervalSeconds = optimization.IntervalSeconds }], []);
        }

        var problems = listed.SelectMany((s, i) => s.Problems(i)).ToList();
        problems.AddRange(Repeated(listed, s => s.Name, "Name"));
        problems.AddRange(Repeated(listed, s => s.DeployedVersionKey, "DeployedVersionKey"));
        if (!listed.Any(s => s.Enabled))
        {
            problems.Add($"{StrategySettings.Section}: at least one strategy must be enabled");
        }

        return (listed, problems);
    }

    // Two strategies on one name or one pointer would store and switch each other's runs and versions.
    private static IEnumerable<string> Repeated(List<StrategySettings> listed, Func<StrategySettings, string> field, string what) =>
        listed.Select((s, i) => (Value: field(s), Index: i))
            .GroupBy(p => p.Value, StringComparer.Ordinal)
            .Where(g => g.Count() > 1)
            .Select(g => $"{StrategySettings.Section}: entries {string.Join(", ", g.Select(p => p.Index))} share the {what} '{Core.Strategies.Echo.Short(g.Key)}'");
}
