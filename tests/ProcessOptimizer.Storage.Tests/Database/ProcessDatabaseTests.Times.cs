using System.Globalization;
using ProcessOptimizer.Core.Data;
using ProcessOptimizer.Storage.Database;

namespace ProcessOptimizer.Storage.Tests.Database;

/// <summary>
/// Process-data times finer than a microsecond, imported or written by another program, read back cut to the
/// microsecond on either database: the same instants a request's rows would have, and a cycle's window at a time
/// given to the tick takes the row of that microsecond.
/// </summary>
public abstract partial class ProcessDatabaseTests
{
    // Given, then kept: the end of a second, of a day and of a year, before 2000 (where Npgsql would move a time
    // forward), before 1970 in a negative offset, and the plain forms.
    public static TheoryData<string, string> FineTimes => new()
    {
        { "1969-12-31T23:59:59.9999999-05:00", "1970-01-01T04:59:59.9999990+00:00" },
        { "1999-12-31T23:59:59.9999999Z", "1999-12-31T23:59:59.9999990+00:00" },
        { "2025-12-31T23:59:59.9999999Z", "2025-12-31T23:59:59.9999990+00:00" },
        { "2026-01-02T23:59:59.9999999+01:00", "2026-01-02T22:59:59.9999990+00:00" },
        { "2026-01-03T17:19:00.1234567Z", "2026-01-03T17:19:00.1234560+00:00" },
        { "2026-01-03T17:20:00.123456Z", "2026-01-03T17:20:00.1234560+00:00" },
        { "2026-01-03T17:21:00.123Z", "2026-01-03T17:21:00.1230000+00:00" },
        { "2026-01-03T17:22:00Z", "2026-01-03T17:22:00.0000000+00:00" },
    };

    [Fact]
    public async Task Import_TimesFinerThanAMicrosecond_ReadBackCutToTheMicrosecond()
    {
        var times = FineTimes.Select(t => ((string)t[0], (string)t[1])).ToList();
        await ImportAsync(CsvTable.Read(new StringReader("timestamp,a\n" + string.Concat(times.Select((t, i) => $"{t.Item1},{i}\n"))), "fine.csv"));

        using var window = await new SqlProcessDataSource(Database).ReadWindowAsync(["a"], 20, DateTimeOffset.Parse("2030-01-01T00:00:00Z", CultureInfo.InvariantCulture), CancellationToken.None);
        var history = await new ProcessHistory(Database).RowsAsync("process_data", ["a"], DateTimeOffset.UnixEpoch.AddYears(-10), DateTimeOffset.UnixEpoch.AddYears(60), CancellationToken.None);

        var kept = times.Select(t => t.Item2).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(kept, window.Select(r => r.Timestamp!.Value.ToString("O", CultureInfo.InvariantCulture)));
        Assert.Equal(kept, history.Select(r => r.Timestamp!.Value.ToString("O", CultureInfo.InvariantCulture)));
    }

    [Theory]
    [MemberData(nameof(FineTimes))]
    public async Task ReadWindow_AtTheGivenTimeToTheTick_EndsAtThatRow(string given, string kept)
    {
        await ImportAsync(CsvTable.Read(new StringReader($"timestamp,a\n{given},1\n"), "one.csv"));
        var at = DateTimeOffset.Parse(given, CultureInfo.InvariantCulture);

        using var window = await new SqlProcessDataSource(Database).ReadWindowAsync(["a"], 5, at, CancellationToken.None);

        Assert.Equal(kept, window[^1].Timestamp!.Value.ToString("O", CultureInfo.InvariantCulture));
        Assert.Equal(kept, (await new ProcessHistory(Database).NewestRowAsync("process_data", CancellationToken.None))!.Value.ToString("O", CultureInfo.InvariantCulture));
    }

    // The rows stamped after a time are exactly those a window read at that time leaves out, to the microsecond:
    // a cycle names them as rows ahead of its clock, and must not count the row it read.
    [Theory]
    [MemberData(nameof(FineTimes))]
    public async Task After_AtEachGivenTime_CountsExactlyTheRowsAWindowThereLeavesOut(string given, string kept)
    {
        var times = FineTimes.Select(t => ((string)t[0], (string)t[1])).ToList();
        await ImportAsync(CsvTable.Read(new StringReader("timestamp,a\n" + string.Concat(times.Select((t, i) => $"{t.Item1},{i}\n"))), "fine.csv"));
        var at = DateTimeOffset.Parse(given, CultureInfo.InvariantCulture);
        var source = new SqlProcessDataSource(Database);

        using var window = await source.ReadWindowAsync(["a"], 20, at, CancellationToken.None);
        var after = await source.AfterAsync(at, CancellationToken.None);

        var newest = times.Select(t => t.Item2).Max(StringComparer.Ordinal)!;
        Assert.Equal(kept, window[^1].Timestamp!.Value.ToString("O", CultureInfo.InvariantCulture));
        if (kept == newest)
        {
            Assert.Null(after);
        }
        else
        {
            Assert.Equal(times.Count - window.Count, after!.Count);
            Assert.Equal(newest, after.Newest!.Value.ToString("O", CultureInfo.InvariantCulture));
        }
    }
}
