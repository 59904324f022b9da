namespace ProcessOptimizer.Backtests;

/// <summary>One version over every step of a backtest.</summary>
/// <param name="Steps">Steps replayed.</param>
/// <param name="Outcomes">Steps by outcome, every outcome listed (<c>success</c>, <c>infeasible</c>, <c>skipped-stale</c>, …).</param>
/// <param name="Solved">Steps whose cycle reached the solver: the moves, limits and costs are over these.</param>
public sealed record VersionSummary(
    int Steps,
    IReadOnlyDictionary<string, int> Outcomes,
    int Solved,
    IReadOnlyDictionary<string, DecisionSummary> Decisions,
    CostSummary Cost,
    IReadOnlyDictionary<string, ModelQuality> ModelQuality,
    IfFollowed IfFollowed);
