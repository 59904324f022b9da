namespace ProcessOptimizer.Strategies;

/// <summary>A deployed version that cannot load: which, why, since when, when it was last tried, and the pointer that named it.</summary>
public sealed record BrokenVersion(string Version, string Reason, DateTimeOffset Since, DateTimeOffset TriedAt, string? PointerETag);
