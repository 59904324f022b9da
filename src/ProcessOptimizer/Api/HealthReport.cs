namespace ProcessOptimizer.Api;

/// <summary>The health document.</summary>
public sealed record HealthReport(string Status, HealthComponent Store, HealthComponent Database, StrategyHealth Strategy, CycleReport? LastCycle);
