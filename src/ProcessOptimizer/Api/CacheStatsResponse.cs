using ProcessOptimizer.Storage.Caching;

namespace ProcessOptimizer.Api;

/// <summary>
/// The original service's cache statistics (<c>status</c> to <c>cache_details</c>), then ours: every entry type's
/// counters, and the same version and last-run timestamp under the names this service has always used.
/// </summary>
/// <param name="Status">Always <c>success</c>.</param>
/// <param name="Timestamp">When this answer was made.</param>
/// <param name="CurrentConfigVersion">The live strategy version, or null until a strategy is loaded (after a clear, until the next use).</param>
/// <param name="CachedLastRunTimestamp">The data timestamp of the loop's last stored run, or null when there is none or the database is unreachable.</param>
/// <param name="CacheDetails">Counts per cache type: <c>configs</c> (strategy texts), <c>models</c> (a model with its scalers and metadata).</param>
public sealed record CacheStatsResponse(
    string Status,
    DateTimeOffset Timestamp,
    string? CurrentConfigVersion,
    DateTimeOffset? CachedLastRunTimestamp,
    IReadOnlyDictionary<string, CacheTypeCounts> CacheDetails,
    IReadOnlyList<CacheEntryStats> Entries,
    string? CurrentVersion,
    DateTimeOffset? LastRunTimestamp);
