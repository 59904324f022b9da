using ProcessOptimizer.Core.Runs;
using ProcessOptimizer.Storage.Caching;
using ProcessOptimizer.Storage.Database;
using ProcessOptimizer.Strategies;

namespace ProcessOptimizer.Api;

/// <summary><c>GET /cache/stats</c> and <c>POST /cache/clear</c> (admin), also at the seed's /process paths.</summary>
public static class CacheApi
{
    public static IEndpointRouteBuilder MapCacheApi(this IEndpointRouteBuilder routes)
    {
        foreach (var prefix in new[] { "", "/process" })
        {
            var seed = prefix.Length > 0 ? "SeedPath" : "";
            routes.MapGet($"{prefix}/cache/stats", Stats).WithName($"CacheStats{seed}").WithSummary("The original's cache_details per type, live version and last-run timestamp; entries, hits, misses, loads, load time and bytes per entry type");
            routes.MapPost($"{prefix}/cache/clear", Clear).WithName($"CacheClear{seed}").WithSummary("Empty the cache; the next access reloads everything. Answers the original's status, timestamp and message, and the count cleared").RequireAdmin();
        }

        return routes;
    }

    // The original's names for our entry types, so that its clients find them in cache_details.
    private static readonly Dictionary<string, string> SeedTypeNames = new(StringComparer.Ordinal) { ["strategy-text"] = "configs", ["model"] = "models" };

    private static async Task<CacheStatsResponse> Stats(StrategyCatalog strategies, IRunStore runs, TimeProvider time, CancellationToken cancellationToken)
    {
        DateTimeOffset? lastRun = null;
        try
        {
            lastRun = await runs.LastRunTimestampAsync(strategies.Default.Name, cancellationToken).ConfigureAwait(false);
        }
        catch (DatabaseException)
        {
            // The cache's own counters are still worth answering with; /health reports the database.
        }

        // Each strategy keeps its own entries; the original's answer has one set of counts per type.
        var entries = strategies.All.SelectMany(s => s.Cache.Stats()).GroupBy(e => e.Type, StringComparer.Ordinal)
            .Select(g => new CacheEntryStats(g.Key, g.Sum(e => e.Items), g.Sum(e => e.Hits), g.Sum(e => e.Misses), g.Sum(e => e.Loads), g.Sum(e => e.Failures), g.Sum(e => e.LoadMilliseconds), g.Sum(e => e.Bytes)))
            .ToList();
        var details = entries.ToDictionary(e => SeedTypeNames.GetValueOrDefault(e.Type, e.Type), e => new CacheTypeCounts(e.Items, 0, e.Items));
        var version = strategies.Default.Repository.Current?.Version;
        return new("success", time.GetUtcNow(), version, lastRun, details, entries, version, lastRun);
    }

    private static CacheClearResponse Clear(StrategyCatalog strategies, TimeProvider time) =>
        new("success", time.GetUtcNow(), "All caches cleared successfully", strategies.All.Sum(s => s.Repository.ClearCache()));
}
