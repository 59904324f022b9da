namespace ProcessOptimizer.Dashboard;

/// <summary>
/// A stored run laid out for an operator: decision variables against their move windows and hard limits,
/// constraints against their bands, the solver's account, every warning, and what produced it.
/// </summary>
/// <param name="DurationMs">The whole cycle's time, data reading and storing included; solves are most of it.</param>
/// <param name="Warnings">The run's message, one entry per warning or error, in plain words.</param>
/// <param name="Note">Why limits are missing, when the run's strategy version cannot be read; else null.</param>
public sealed record RunExplanation(
    long RunId,
    string StrategyName,
    string StrategyVersion,
    IReadOnlyDictionary<string, string> ModelVersions,
    DateTimeOffset StartedAt,
    DateTimeOffset? DataTimestamp,
    string Outcome,
    string? SolverStatus,
    int? Iterations,
    double DurationMs,
    double? Cost,
    IReadOnlyList<DecisionRow> Decisions,
    IReadOnlyList<ConstraintRow> Constraints,
    IReadOnlyList<string> Warnings,
    string? Note);
