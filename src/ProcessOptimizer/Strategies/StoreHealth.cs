namespace ProcessOptimizer.Strategies;

/// <summary>Whether the object store answered the last access, and if not, why and since when.</summary>
public sealed record StoreHealth(bool IsReachable, string? LastError, DateTimeOffset? Since);
