namespace ProcessOptimizer.Api;

/// <summary>The running version, or why there is none; and the deployed version that cannot load, if any.</summary>
public sealed record StrategyHealth(string? DeployedVersion, string? Error, string? BrokenVersion, string? BrokenReason);
