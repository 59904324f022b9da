using ProcessOptimizer.Core.Cycle;
using ProcessOptimizer.Core.Runs;

namespace ProcessOptimizer.Cycles;

/// <summary>A cycle's data window and the data guards' verdict: <see cref="Skip"/> is the outcome to record instead of solving, or null.</summary>
public sealed record CycleWindow(IReadOnlyList<ProcessRow> Rows, RunOutcome? Skip, string? Message)
{
    /// <summary>The newest row's time, when there is a row.</summary>
    public DateTimeOffset? DataTimestamp => Rows.Count > 0 ? Rows[^1].Timestamp : null;
}
