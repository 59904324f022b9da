namespace ProcessOptimizer.Api;

/// <summary>The original service's answer to a cache clear, and how many entries the clear removed.</summary>
public sealed record CacheClearResponse(string Status, DateTimeOffset Timestamp, string Message, int Cleared);
