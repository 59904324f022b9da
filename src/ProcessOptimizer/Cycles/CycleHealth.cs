using System.Collections.Concurrent;
using ProcessOptimizer.Core.Runs;

namespace ProcessOptimizer.Cycles;

/// <summary>The last cycle's time and outcome, and how many cycles ended with each outcome, for /health. Written by the loop, read by requests.</summary>
public sealed class CycleHealth
{
    private readonly ConcurrentDictionary<RunOutcome, long> _counts = new();
    private volatile LastCycle? _last;
    private volatile Spell? _staleSince;
    private volatile Spell? _next;
    private readonly Lock _gate = new();
    private volatile Spell? _began;
    private volatile Spell? _expectedFrom;

    public LastCycle? Last => _last;

    /// <summary>Cycles by outcome since the service started, in the stored spelling (<c>not-converged</c>, …).</summary>
    public IReadOnlyDictionary<string, long> Counts => _counts.ToDictionary(p => p.Key.Name(), p => p.Value, StringComparer.Ordinal);

    /// <summary>When the first of the current run of cycles without usable data (stale, or a required tag not a number) ended; null while data arrives.</summary>
    public DateTimeOffset? StaleSince => _staleSince?.Value;

    /// <summary>When the loop's next cycle is due; null while no loop runs (api mode) or before it has scheduled one.</summary>
    public DateTimeOffset? NextAt => _next?.Value;

    /// <summary>The loop tells when its next cycle is due, before it waits for it.</summary>
    public void Scheduled(DateTimeOffset at) => _next = new Spell(at);

    /// <summary>When the newest cycle known began: here, or in the cluster on any replica.</summary>
    public DateTimeOffset? LastBegan => _began?.Value;

    /// <summary>
    /// A schedule runs this strategy's cycles from <paramref name="at"/> on: the loop or the cluster scheduler has
    /// started, or the cluster's schedule was made again. Until then (API mode) nothing is expected of it.
    /// </summary>
    public void ExpectFrom(DateTimeOffset at) => _expectedFrom = new Spell(at);

    /// <summary>A cycle began at <paramref name="at"/>; an older time than the newest known is ignored.</summary>
    public void Began(DateTimeOffset at)
    {
        lock (_gate)
        {
            if (_began is not { } seen || seen.Value < at)
            {
                _began = new Spell(at);
            }
        }
    }

    /// <summary>
    /// How long no cycle has begun, when that is longer than a schedule at <paramref name="interval"/> explains: two
    /// intervals, and 10 s more for a slot fired late on a loaded machine. Null while cycles keep their cadence, or
    /// no schedule runs them.
    /// </summary>
    public TimeSpan? Overdue(DateTimeOffset now, TimeSpan interval)
    {
        if (_expectedFrom is not { } expected)
        {
            return null;
        }

        var since = _began is { } began && began.Value > expected.Value ? began.Value : expected.Value;
        var quiet = now - since;
        return quiet > (2 * interval) + TimeSpan.FromSeconds(10) ? quiet : null;
    }

    public void Record(DateTimeOffset at, RunOutcome? outcome, string? error)
    {
        if (outcome is { } counted)
        {
            _counts.AddOrUpdate(counted, 1, (_, n) => n + 1);
        }

        _last = new LastCycle(at, outcome, error);
        if (outcome is RunOutcome.SkippedStale or RunOutcome.SkippedBadData)
        {
            // Old data or unusable data: either way the plant gets no recommendation, and an operator must see it.
            _staleSince ??= new Spell(at);
        }
        else if (outcome is not null and not RunOutcome.Error and not RunOutcome.SkippedNoNewData)
        {
            // A cycle that used data ends the spell; a crash, an error or a minute without a new row says nothing about the feed.
            _staleSince = null;
        }
    }

    /// <summary>A cycle's end as health reports it; <see cref="Outcome"/> is null when the cycle itself crashed.</summary>
    public sealed record LastCycle(DateTimeOffset At, RunOutcome? Outcome, string? Error);

    private sealed record Spell(DateTimeOffset Value);
}
