namespace ProcessOptimizer.Cycles;

/// <summary>
/// The one rule for a slot that fires late, whoever schedules it (the cluster or this process's own loop): a slot that
/// starts more than the misfire threshold after its time is skipped, logged once and counted as
/// <c>skipped-late</c>; the strategy's next slot comes on time. A cycle on stale timing would only run into the next
/// slot's, and a slot fires that late only when this process was not running (paused, frozen with its machine) or,
/// in the cluster, the database held the trigger.
/// </summary>
public static partial class LateSlot
{
    /// <summary>How late a firing of <paramref name="slot"/> at <paramref name="now"/> is, when that is past <paramref name="threshold"/>; else null.</summary>
    public static TimeSpan? By(DateTimeOffset? slot, DateTimeOffset now, TimeSpan threshold) =>
        slot is { } at && now - at > threshold ? now - at : null;

    /// <summary>Records the skip of <paramref name="slot"/>: one warning and one count in <c>/metrics</c>.</summary>
    public static void Skip(ILogger logger, ServiceMetrics metrics, string strategy, DateTimeOffset slot, TimeSpan late)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        LogLate(logger, strategy, slot, late.TotalSeconds);
        metrics.SlotSkipped(strategy);
    }

    [LoggerMessage(EventId = 262, Level = LogLevel.Warning, Message = "Strategy {Strategy}: the slot of {Slot:O} fired {Late:F1} s late (this process or the database was not running); skipped, as a missed slot is")]
    private static partial void LogLate(ILogger logger, string strategy, DateTimeOffset slot, double late);
}
