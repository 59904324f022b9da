namespace ProcessOptimizer.Api;

/// <summary>How many entries a clear removed.</summary>
public sealed record CacheClearResponse(int Cleared);
