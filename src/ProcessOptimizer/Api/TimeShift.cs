namespace ProcessOptimizer.Api;

/// <summary>Times reckoned from a query's times, such as a range's default start a day before its end.</summary>
public static class TimeShift
{
    /// <summary>
    /// <paramref name="time"/> moved by <paramref name="span"/>, held at the first or last instant a
    /// <see cref="DateTimeOffset"/> holds, and in <paramref name="time"/>'s offset where that offset can show it.
    /// </summary>
    /// <remarks>
    /// <c>/runs?to=0001-01-01T00:00:00Z</c>, whose default start is a day earlier, and a trend ending at
    /// 9999-12-31 read with its horizon after it threw on the date arithmetic: a 500 for times the API takes.
    /// Held at the edge, such a range simply holds no rows.
    /// </remarks>
    public static DateTimeOffset By(DateTimeOffset time, TimeSpan span)
    {
        var ticks = Int128.Clamp((Int128)time.UtcTicks + span.Ticks, DateTimeOffset.MinValue.UtcTicks, DateTimeOffset.MaxValue.UtcTicks);
        var utc = new DateTimeOffset((long)ticks, TimeSpan.Zero);
        var local = ticks + time.Offset.Ticks;
        return local >= DateTimeOffset.MinValue.UtcTicks && local <= DateTimeOffset.MaxValue.UtcTicks ? utc.ToOffset(time.Offset) : utc;
    }
}
