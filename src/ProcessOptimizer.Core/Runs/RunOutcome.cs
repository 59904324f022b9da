namespace ProcessOptimizer.Core.Runs;

/// <summary>How a cycle ended, as stored with its run.</summary>
public enum RunOutcome
{
    Success,
    Infeasible,
    SolverFailed,
    NotConverged,
    SkippedStale,
    SkippedNoNewData,
    SkippedBadData,
    Error,
}
