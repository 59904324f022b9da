namespace ProcessOptimizer.Core.Runs;

/// <summary>The stored spelling of <see cref="RunOutcome"/>: <c>success</c>, <c>skipped-stale</c>, …</summary>
public static class RunOutcomes
{
    private static readonly Dictionary<RunOutcome, string> Names = new()
    {
        [RunOutcome.Success] = "success",
        [RunOutcome.Infeasible] = "infeasible",
        [RunOutcome.SolverFailed] = "solver-failed",
        [RunOutcome.NotConverged] = "not-converged",
        [RunOutcome.SkippedStale] = "skipped-stale",
        [RunOutcome.SkippedNoNewData] = "skipped-no-new-data",
        [RunOutcome.SkippedBadData] = "skipped-bad-data",
        [RunOutcome.Error] = "error",
    };

    public static string Name(this RunOutcome outcome) => Names[outcome];

    public static RunOutcome Parse(string name) => Names.Single(p => p.Value == name).Key;

    /// <summary>Outcomes that consumed their data: the next cycle needs a newer row.</summary>
    /// <remarks>
    /// A cycle that solved (whatever the solver's verdict) or judged its row unfit consumed it. An error did not: the
    /// minute was never solved (a worker lost mid-solve, a model that threw), so the next cycle tries it again
    /// rather than recording "no new data" for it.
    /// </remarks>
    public static IReadOnlyList<RunOutcome> ConsumedData { get; } =
        [RunOutcome.Success, RunOutcome.Infeasible, RunOutcome.SolverFailed, RunOutcome.NotConverged, RunOutcome.SkippedBadData];
}
