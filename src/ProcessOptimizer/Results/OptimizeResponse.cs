namespace ProcessOptimizer.Results;

/// <summary>The seed's optimize response, plus the solver block and warnings. Serialised in snake_case.</summary>
public sealed record OptimizeResponse(
    string Status,
    DateTimeOffset Timestamp,
    DateTimeOffset? DataTimestamp,
    string? StrategyVersion,
    IReadOnlyDictionary<string, VariableEntry> Variables,
    IReadOnlyDictionary<string, VariableEntry> OptimizedVariables,
    IReadOnlyDictionary<string, VariableEntry> PredictedVariables,
    IReadOnlyDictionary<string, VariableEntry> ConstraintVariables,
    string? CostFeature,
    double? CostFunctionValue,
    Summary Summary,
    IReadOnlyList<Core.Cycle.SolverReport> Solver,
    ViolationEntry? MostViolatedConstraint,
    IReadOnlyList<string> Warnings)
{
    /// <summary>The stored run of this answer, for <c>GET /runs/{id}</c>.</summary>
    public long? RunId { get; init; }

    /// <summary>True when the database could not take the run now: it waits in the local outbox and is stored, once, when the database is back.</summary>
    public bool RunPending { get; init; }
}
