namespace ProcessOptimizer.Storage.Caching;

/// <summary>Counters of one entry type in the <see cref="ArtifactCache"/>.</summary>
public sealed record CacheEntryStats(string Type, int Items, long Hits, long Misses, long Loads, long Failures, double LoadMilliseconds, long Bytes);
