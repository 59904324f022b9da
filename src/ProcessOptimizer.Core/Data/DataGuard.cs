using ProcessOptimizer.Core.Cycle;
using ProcessOptimizer.Core.Runs;

namespace ProcessOptimizer.Core.Data;

/// <summary>
/// Decides whether a data window is fit to optimize on. Each failing check is a named outcome that the
/// cycle records, not an exception.
/// </summary>
public static class DataGuard
{
    /// <returns>Null when the window may be used; otherwise the outcome to record and why.</returns>
    public static (RunOutcome Outcome, string Message)? Check(
        IReadOnlyList<ProcessRow> rows, IEnumerable<string> requiredTags, DateTimeOffset now, TimeSpan maxAge, DateTimeOffset? lastRun)
    {
        ArgumentNullException.ThrowIfNull(rows);
        if (rows.Count == 0)
        {
            return (RunOutcome.SkippedStale, $"no process data at or before {now:O}");
        }

        var window = ProcessWindow.Of(rows);
        var newest = window.Count - 1;
        var time = window.Timestamp(newest) ?? now;

        // Staleness first: a feed that stopped must read as stale, not as "nothing new" forever.
        if (now - time > maxAge)
        {
            return (RunOutcome.SkippedStale, $"the newest row ({time:O}) is {(now - time).TotalSeconds:F0} s old; the limit is {maxAge.TotalSeconds:F0} s");
        }

        if (lastRun is { } last && time <= last)
        {
            return (RunOutcome.SkippedNoNewData, $"no data newer than the last run's {last:O}");
        }

        var bad = requiredTags.Where(t => window.TagIndex(t) is var tag && (tag < 0 || !double.IsFinite(window.Column(tag)[newest]))).ToList();
        return bad.Count > 0
            ? (RunOutcome.SkippedBadData, $"the newest row ({time:O}) has no valid value for {string.Join(", ", bad)}")
            : null;
    }
}
