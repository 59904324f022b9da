namespace ProcessOptimizer.Api;

/// <summary>The deployed version, or why there is none.</summary>
public sealed record StrategyHealth(string? DeployedVersion, string? Error);
