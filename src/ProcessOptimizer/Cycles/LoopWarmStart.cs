using ProcessOptimizer.Core.Optimization;

namespace ProcessOptimizer.Cycles;

/// <summary>
/// A strategy loop's memory between cycles: the last cycle's solves, for the next cycle to start from, tied to the
/// version that produced them. Only the strategy's own loop writes it (one cycle at a time); the value is immutable
/// and published by one reference swap, and goes with the request to whichever worker solves, so no solve ever
/// shares mutable state. It lives in memory only: a restart starts cold.
/// </summary>
public sealed class LoopWarmStart
{
    private volatile Kept? _kept;

    /// <summary>The state to start a cycle of <paramref name="version"/> from; null, and forgotten, when it came from another version.</summary>
    public CycleWarmStart? For(string version)
    {
        var kept = _kept;
        if (kept is null || kept.Version == version)
        {
            return kept?.Start;
        }

        _kept = null;
        return null;
    }

    /// <summary>Keeps what a cycle of <paramref name="version"/> left (null: nothing to keep, the next cycle starts cold).</summary>
    public void Keep(string version, CycleWarmStart? next) => _kept = next is null ? null : new Kept(version, next);

    private sealed record Kept(string Version, CycleWarmStart Start);
}
