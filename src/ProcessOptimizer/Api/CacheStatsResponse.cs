using ProcessOptimizer.Storage.Caching;

namespace ProcessOptimizer.Api;

/// <summary>The cache's counters, the current config version and the last-run (data) timestamp, as the seed reported them.</summary>
public sealed record CacheStatsResponse(IReadOnlyList<CacheEntryStats> Entries, string? CurrentVersion, DateTimeOffset? LastRunTimestamp);
