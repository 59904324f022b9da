using ProcessOptimizer.Core.Runs;

namespace ProcessOptimizer.Cycles;

/// <summary>The last cycle's time and outcome, for /health. Written by the loop, read by requests.</summary>
public sealed class CycleHealth
{
    private volatile LastCycle? _last;

    public LastCycle? Last => _last;

    public void Record(DateTimeOffset at, RunOutcome? outcome, string? error) => _last = new LastCycle(at, outcome, error);

    /// <summary>A cycle's end as health reports it; <see cref="Outcome"/> is null when the cycle itself crashed.</summary>
    public sealed record LastCycle(DateTimeOffset At, RunOutcome? Outcome, string? Error);
}
