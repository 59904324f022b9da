namespace ProcessOptimizer.Api;

/// <summary>One component's health.</summary>
public sealed record HealthComponent(string Status, string? Target, string? Error, DateTimeOffset? Since);
