namespace ProcessOptimizer.Api;

/// <summary>The health document.</summary>
/// <param name="CycleOutcomes">Cycles by outcome since the service started, such as <c>{"success": 12, "not-converged": 1}</c>.</param>
public sealed record HealthReport(string Status, HealthComponent Store, HealthComponent Database, StrategyHealth Strategy, CycleReport? LastCycle, IReadOnlyDictionary<string, long> CycleOutcomes);
