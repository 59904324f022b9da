using ProcessOptimizer.Configuration;
using ProcessOptimizer.Core.Runs;
using ProcessOptimizer.Strategies;

namespace ProcessOptimizer.Api;

/// <summary>Each strategy's state from what its last calls and cycles found; no call is made here.</summary>
public static class StrategyStates
{
    public static IReadOnlyList<StrategyState> Of(StrategyCatalog catalog, OptimizationSettings settings, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(settings);
        return [.. catalog.Configured.Select(c => catalog.Find(c.Name) is { } running && c.Enabled
            ? Of(running, running == catalog.Default, settings, now)
            : new StrategyState(c.Name, "disabled", false, false, c.IntervalSeconds, c.DataTable, c.DeployedVersionKey, null, null, null, null, null, null, new Dictionary<string, long>()))];
    }

    public static StrategyState Of(StrategyRuntime strategy, bool isDefault, OptimizationSettings settings, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(strategy);
        ArgumentNullException.ThrowIfNull(settings);
        var repository = strategy.Repository;
        var cycles = strategy.Health;
        var current = repository.Current;
        var broken = repository.Broken;
        var last = cycles.Last;

        // A cleared cache is not a fault: the live version loads again at its next use.
        var version = current?.Version ?? repository.LiveVersion;
        var error = current is null ? repository.LoadError ?? (version is null ? "no strategy is loaded yet" : null) : null;
        var staleFor = cycles.StaleSince is { } since ? now - since : (TimeSpan?)null;
        var unhealthy = error is not null || staleFor > TimeSpan.FromSeconds(settings.StaleUnhealthySeconds);
        var degraded = broken is not null || staleFor is not null || last is { Outcome: null or RunOutcome.Error };
        return new StrategyState(
            strategy.Name,
            unhealthy ? "unhealthy" : degraded ? "degraded" : "healthy",
            isDefault,
            true,
            strategy.Settings.IntervalSeconds,
            strategy.Settings.DataTable,
            strategy.Settings.DeployedVersionKey,
            version,
            error,
            broken?.Version,
            broken?.Reason,
            cycles.StaleSince,
            last is null ? null : new CycleReport(last.At, last.Outcome?.Name(), last.Error),
            cycles.Counts);
    }
}
