namespace ProcessOptimizer.Api;

/// <summary>The original service's counts for one cache type in <c>cache_details</c>.</summary>
/// <param name="ActiveItems">Entries held now.</param>
/// <param name="ExpiredItems">Always 0: nothing here expires by age; an artifact that changed in the store is replaced when next used.</param>
/// <param name="TotalItems">Active plus expired.</param>
public sealed record CacheTypeCounts(int ActiveItems, int ExpiredItems, int TotalItems);
