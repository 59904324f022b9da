namespace ProcessOptimizer.Core.Data;

/// <summary>
/// The one precision of process-data times: whole microseconds, the finest PostgreSQL's <c>timestamptz</c> keeps.
/// A time given finer (.NET writes seven fraction digits) is cut to the microsecond before it is used anywhere,
/// so that an answer, its stored run and every later comparison see the same instant on either database.
/// </summary>
/// <remarks>
/// Cut towards the past, as PostgreSQL stores a time after 2000 (Npgsql drops the last digit of the ticks since
/// 2000-01-01; before that date it moves the time towards 2000, so a time is cut here before it reaches the driver).
/// The offset is kept: offsets are whole minutes, so the cut is the same in any of them.
/// </remarks>
public static class DataTime
{
    /// <summary><paramref name="time"/> cut to the whole microsecond at or before it, in its own offset.</summary>
    public static DateTimeOffset Whole(DateTimeOffset time) => time.AddTicks(-(time.UtcTicks % TimeSpan.TicksPerMicrosecond));

    /// <inheritdoc cref="Whole(DateTimeOffset)"/>
    public static DateTime Whole(DateTime time) => time.AddTicks(-(time.Ticks % TimeSpan.TicksPerMicrosecond));

    /// <summary>The UTC text of a time cut to the microsecond, with all six digits: <c>2026-01-03T17:19:00.123456Z</c>.</summary>
    public static string Text(DateTimeOffset time) =>
        Whole(time).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", System.Globalization.CultureInfo.InvariantCulture);
}
