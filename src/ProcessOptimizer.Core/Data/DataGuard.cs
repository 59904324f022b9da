using ProcessOptimizer.Core.Cycle;
using ProcessOptimizer.Core.Runs;

namespace ProcessOptimizer.Core.Data;

/// <summary>
/// Decides whether a data window is fit to optimize on. Each failing check is a named outcome that the
/// cycle records, not an exception.
/// </summary>
public static class DataGuard
{
    /// <summary>
    /// How far ahead of the service's clock a row may be stamped before it is named: a writer's clock a little ahead is
    /// not a wrong zone.
    /// </summary>
    public static readonly TimeSpan AheadTolerance = TimeSpan.FromMinutes(1);

    /// <summary>
    /// What a cycle at <paramref name="now"/> must say of rows stamped more than <see cref="AheadTolerance"/> after it:
    /// it reads none of them, and a plant writer whose clock or time zone is wrong makes every row of a live feed look
    /// older than it is (stale, when it is ahead by more than the data age), which the age alone does not tell.
    /// </summary>
    public static string Ahead(RowsAfter rows, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var ahead = rows.Newest is { } newest
            ? $"{rows.Count} row{(rows.Count == 1 ? " is" : "s are")} stamped more than a minute after now, the newest at {newest:O} ({Span(newest - now)} ahead of the service's clock); "
                + "cycles read no row after now, so a plant writer's clock or time zone may be wrong"
            : null;
        return rows.Timeless is { } timeless ? (ahead is null ? "" : ahead + ". ") + Timeless(timeless) : ahead ?? "";
    }

    // Such a row has no place in time, so no window reads it; it may be a writer's newest, in a form of its own.
    private static string Timeless(TimelessRows rows) =>
        $"{rows.Count} row{(rows.Count == 1 ? "" : "s")} of {rows.Table} {(rows.Count == 1 ? "is" : "are")} stamped with no time ({(rows.Example is null ? "null" : $"'{Strategies.Echo.Short(rows.Example)}'")}{(rows.Count == 1 ? "" : " and others")}), so no cycle reads {(rows.Count == 1 ? "it" : "them")}: "
        + "timestamps are UTC text such as '2026-01-03T17:19:00.0000000Z' (the form the service writes), '2026-01-03 17:19:00' (SQLite's datetime('now')) or with an offset ('2026-01-03T18:19:00+01:00'); fix or delete "
        + (rows.Count == 1 ? "that row" : "those rows");

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

    /// <summary>
    /// A warning when two neighbouring rows of <paramref name="window"/> are further apart than <paramref name="maxAge"/>
    /// (the newest such gap), or null. The feed stopped there: a cycle in the gap would have been stale, and the rows
    /// before it are older than any cycle accepts, yet lags and smoothing count rows, not minutes, so they would be used
    /// as if they were recent.
    /// </summary>
    public static string? Gap(ProcessWindow window, TimeSpan maxAge)
    {
        ArgumentNullException.ThrowIfNull(window);
        for (var r = window.Count - 1; r > 0; r--)
        {
            if (window.Timestamp(r) is { } after && window.Timestamp(r - 1) is { } before && after - before > maxAge)
            {
                return $"the data window has a gap of {Span(after - before)} between {before:O} and {after:O}, longer than the {maxAge.TotalSeconds:F0} s a cycle accepts as fresh: "
                    + $"{r} of its {window.Count} rows are from before it, and lags and smoothing count rows, not minutes";
            }
        }

        return null;
    }

    /// <summary>
    /// A warning when every tag of <paramref name="window"/> has held the same value for longer than
    /// <paramref name="maxAge"/> up to the newest row, or null. A writer that keeps stamping its last sample after its
    /// source stopped (a historian's "hold last value") makes rows that look fresh and are not; one tag that holds
    /// still can be a plant at rest, every tag at once cannot.
    /// </summary>
    public static string? Frozen(ProcessWindow window, TimeSpan maxAge)
    {
        ArgumentNullException.ThrowIfNull(window);
        var newest = window.Count - 1;
        if (newest < 1 || window.Tags.Count == 0 || window.Timestamp(newest) is not { } last)
        {
            return null;
        }

        // The oldest row of the run of identical rows that ends at the newest one.
        var first = newest;
        while (first > 0 && SameRow(window, first - 1, first))
        {
            first--;
        }

        return window.Timestamp(first) is { } since && last - since > maxAge
            ? $"every tag of the data window holds the same value in its last {newest - first + 1} rows, from {since:O} to {last:O}, longer than the {maxAge.TotalSeconds:F0} s a cycle accepts as fresh: the feed may be repeating its last sample"
            : null;
    }

    private static bool SameRow(ProcessWindow window, int a, int b)
    {
        for (var t = 0; t < window.Tags.Count; t++)
        {
            var column = window.Column(t);
            if (!column[a].Equals(column[b]))
            {
                return false;
            }
        }

        return true;
    }

    private static string Span(TimeSpan span) => span.TotalSeconds < 120 ? $"{span.TotalSeconds:0} s" : span.TotalMinutes < 120 ? $"{span.TotalMinutes:0} min" : $"{span.TotalHours:0.#} h";
}
