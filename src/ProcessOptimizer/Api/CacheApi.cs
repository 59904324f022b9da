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
            routes.MapGet($"{prefix}/cache/stats", Stats).WithName($"CacheStats{seed}").WithSummary("Cache entries, hits, misses, loads, load time and bytes per entry type");
            routes.MapPost($"{prefix}/cache/clear", Clear).WithName($"CacheClear{seed}").WithSummary("Empty the cache; the next access reloads everything").AddEndpointFilter<AdminOnly>();
        }

        return routes;
    }

    private static async Task<CacheStatsResponse> Stats(ArtifactCache cache, StrategyRepository strategies, IRunStore runs, CancellationToken cancellationToken)
    {
        DateTimeOffset? lastRun = null;
        try
        {
            lastRun = await runs.LastRunTimestampAsync(StrategyRepository.StrategyName, cancellationToken).ConfigureAwait(false);
        }
        catch (DatabaseException)
        {
            // The cache's own counters are still worth answering with; /health reports the database.
        }

        return new(cache.Stats(), strategies.Current?.Version, lastRun);
    }

    private static CacheClearResponse Clear(StrategyRepository strategies) => new(strategies.ClearCache());
}
