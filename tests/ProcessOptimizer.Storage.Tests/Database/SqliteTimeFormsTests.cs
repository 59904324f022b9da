using System.Globalization;
using Microsoft.Data.Sqlite;
using ProcessOptimizer.Core.Data;
using ProcessOptimizer.Storage.Database;

namespace ProcessOptimizer.Storage.Tests.Database;

/// <summary>
/// Rows another program wrote into SQLite with timestamps in a text form of its own (SQLite's own
/// <c>datetime('now')</c> form, an offset, fewer fraction digits) beside rows in the service's form: every read takes
/// them in true time order, as PostgreSQL's <c>timestamptz</c> would, where text order left the newest rows out of the
/// window and the cycle reported a live feed as stale.
/// </summary>
public sealed class SqliteTimeFormsTests() : MigratedDatabase(DatabaseKind.Sqlite)
{
    private static readonly DateTimeOffset Start = new(2026, 1, 3, 17, 0, 0, TimeSpan.Zero);

    // Regression: '2026-01-03 17:11:00' sorts as text before '2026-01-03T17:00:00.0000000Z', so a window read in
    // text order at 17:19:30 ended at 17:10, and the cycle skipped the feed as stale with no word of why.
    [Fact]
    public async Task ReadWindow_NewerRowsInSqlitesOwnForm_ReadsTheNewestInTimeOrder()
    {
        await ImportMinutesAsync(0, 10);
        await InsertAsync(Enumerable.Range(11, 9).Select(m => (Start.AddMinutes(m).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture), (double)m)));
        var at = Start.AddMinutes(19.5);

        using var window = await new SqlProcessDataSource(Database).ReadWindowAsync(["a"], 5, at, CancellationToken.None);

        Assert.Equal([15, 16, 17, 18, 19], window.Select(r => r.Timestamp!.Value.Minute));
        Assert.Equal([15.0, 16, 17, 18, 19], window.Select(r => r.Values["a"]!.Value));
        Assert.Null(DataGuard.Check(window, ["a"], at, TimeSpan.FromMinutes(2), null));
    }

    [Fact]
    public async Task ReadWindow_RowsInEveryForm_ReadInTimeOrderToTheMicrosecond()
    {
        await ImportMinutesAsync(0, 0);
        await InsertAsync([
            ("2026-01-03T17:01:00.5Z", 1),
            ("2026-01-03 17:02:00.25", 2),
            ("2026-01-03T18:03:00+01:00", 3),
            ("2026-01-03T12:04:00.1234569-05:00", 4),
            ("2026-01-03T17:05:00Z", 5),
            ("2026-01-03 17:06", 6),
            ("2026-01-04T02:07:00.000001+09:00", 7),
        ]);

        using var window = await new SqlProcessDataSource(Database).ReadWindowAsync(["a"], 8, Start.AddHours(1), CancellationToken.None);

        Assert.Equal(
            ["17:00:00.000000", "17:01:00.500000", "17:02:00.250000", "17:03:00.000000", "17:04:00.123456", "17:05:00.000000", "17:06:00.000000", "17:07:00.000001"],
            window.Select(r => r.Timestamp!.Value.UtcDateTime.ToString("HH:mm:ss.ffffff", CultureInfo.InvariantCulture)));
        Assert.Equal([0.0, 1, 2, 3, 4, 5, 6, 7], window.Select(r => r.Values["a"]!.Value));
    }

    [Fact]
    public async Task History_NewerRowsInSqlitesOwnForm_ReadInTimeOrder()
    {
        await ImportMinutesAsync(0, 10);
        await InsertAsync([("2026-01-03 17:11:00", 11), ("2026-01-03 17:12:00.5", 12), ("2026-01-04 00:00:00", 24)]);
        var history = new ProcessHistory(Database);

        var rows = await history.RowsAsync("process_data", ["a"], Start.AddMinutes(9), Start.AddMinutes(13), CancellationToken.None);
        var newest = await history.NewestRowAsync("process_data", Start.AddMinutes(20), CancellationToken.None);
        var latest = await history.NewestRowAsync("process_data", CancellationToken.None);
        var span = await new SqlProcessDataSource(Database).SpanAsync(CancellationToken.None);
        var ahead = await new SqlProcessDataSource(Database).AfterAsync(Start.AddMinutes(11), CancellationToken.None);

        Assert.Equal([9.0, 10, 11, 12], rows.Select(r => r.Values["a"]!.Value));
        Assert.Equal(Start.AddMinutes(12).AddSeconds(0.5), rows[^1].Timestamp);
        Assert.Equal(Start.AddMinutes(12).AddSeconds(0.5), newest);
        Assert.Equal(Start.AddHours(7), latest);
        Assert.Equal(new ProcessDataSpan(Start, Start.AddHours(7), 14), span);
        Assert.Equal(new RowsAfter(2, Start.AddHours(7)), ahead);
    }

    // The text key keeps one row per text: an import and a plant writer may both store the same minute.
    [Fact]
    public async Task ReadWindow_OneTimeInTwoForms_RefusedNamingTheTableAndTheTime()
    {
        await ImportMinutesAsync(0, 5);
        await InsertAsync([("2026-01-03 17:05:00", 50)]);

        var failure = await Assert.ThrowsAsync<DataSourceException>(async () => await new SqlProcessDataSource(Database).ReadWindowAsync(["a"], 3, Start.AddMinutes(6), CancellationToken.None));

        Assert.Contains("process_data has more than one row stamped 2026-01-03T17:05:00.0000000+00:00, in different text forms of that time", failure.Message, StringComparison.Ordinal);
        Assert.False(failure.IsTransient);
    }

    // Such a row has no place in time, so no window reads it; a junk row in the history must not stop every cycle, but
    // it could be a writer's newest, so the count of rows no cycle reads names it, table, text and the forms read.
    [Theory]
    [InlineData("03/01/2026 17:19", "03/01/2026 17:19")]
    [InlineData(null, null)]
    public async Task ReadWindow_ARowStampedWithNoTime_LeftOutAndNamedByTheRowsNoCycleReads(string? stamp, string? named)
    {
        await ImportMinutesAsync(0, 5);
        await using (var connection = new SqliteConnection(ConnectionString))
        {
            await connection.OpenAsync();
            await using var insert = connection.CreateCommand();
            insert.CommandText = "INSERT INTO process_data (\"timestamp\", a) VALUES (@t, 1)";
            insert.Parameters.AddWithValue("@t", (object?)stamp ?? DBNull.Value);
            await insert.ExecuteNonQueryAsync();
        }

        var source = new SqlProcessDataSource(Database);
        using var window = await source.ReadWindowAsync(["a"], 3, Start.AddMinutes(6), CancellationToken.None);
        var unread = await source.AfterAsync(Start.AddMinutes(6), CancellationToken.None);

        Assert.Equal([Start.AddMinutes(3), Start.AddMinutes(4), Start.AddMinutes(5)], Enumerable.Range(0, window.Count).Select(r => window.Timestamp(r)));
        Assert.Equal(new RowsAfter(0, null, new TimelessRows("process_data", 1, named)), unread);
        Assert.Contains($"1 row of process_data is stamped with no time ({(named is null ? "null" : $"'{named}'")}), so no cycle reads it: timestamps are UTC text such as '2026-01-03T17:19:00.0000000Z'", DataGuard.Ahead(unread!, Start.AddMinutes(6)), StringComparison.Ordinal);
    }

    // A year of minutes is 525,600 rows: each read must find its rows through an index, never by a scan or a sort.
    [Theory]
    [InlineData("process_data")]
    [InlineData("kiln_data")]
    public async Task ReadWindow_AnyDataTable_ReadThroughTheIndexOnItsTime(string table)
    {
        await ImportMinutesAsync(0, 0);
        await using (var connection = new SqliteConnection(ConnectionString))
        {
            await connection.OpenAsync();
            await using var create = connection.CreateCommand();
            create.CommandText = "CREATE TABLE IF NOT EXISTS kiln_data (\"timestamp\" TEXT PRIMARY KEY, a DOUBLE PRECISION)";
            await create.ExecuteNonQueryAsync();
        }

        using (await new SqlProcessDataSource(Database, table).ReadWindowAsync(["a"], 3, Start, CancellationToken.None))
        {
        }

        var dialect = Database.Dialect;
        var key = dialect.TimeKey("timestamp");
        var from = $"FROM {table}";
        Assert.Equal($"SEARCH {table} USING INDEX {table}_time (<expr><?)", await PlanAsync(WindowQuery.Sql(dialect, table, ["a"])));
        Assert.Equal($"SEARCH {table} USING INDEX {table}_time (<expr>>?)", await PlanAsync($"SELECT count(*), max({key}) {from} WHERE {key} > @at"));
        Assert.Equal($"SEARCH {table} USING INDEX {table}_time (<expr><?)", await PlanAsync($"SELECT {key} {from} WHERE {key} <= @at ORDER BY {key} DESC LIMIT 1"));
        Assert.Equal($"SEARCH {table} USING INDEX {table}_time (<expr>>? AND <expr><?)", await PlanAsync($"SELECT {key}, a {from} WHERE {key} >= @rows AND {key} <= @at ORDER BY {key}"));
        Assert.Equal($"SEARCH {table} USING INDEX {table}_time (<expr>=?)", await PlanAsync($"SELECT \"timestamp\" {from} WHERE {key} IS NULL LIMIT 1"));
    }

    private async Task<string> PlanAsync(string sql)
    {
        await using var connection = new SqliteConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "EXPLAIN QUERY PLAN " + sql;
        command.Parameters.AddWithValue("@at", 0L);
        command.Parameters.AddWithValue("@rows", 5L);
        var plan = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            plan.Add(reader.GetString(3));
        }

        // Whether the index alone answers (covering) depends on the columns selected, not on whether it is used.
        return string.Join(" | ", plan).Replace("COVERING INDEX", "INDEX", StringComparison.Ordinal);
    }

    private async Task ImportMinutesAsync(int first, int last)
    {
        var csv = string.Concat(Enumerable.Range(first, last - first + 1).Select(m => $"{Start.AddMinutes(m):O},{m}\n"));
        await new ProcessDataImporter(Database).ImportAsync(CsvTable.Read(new StringReader("timestamp,a\n" + csv), "minutes.csv"), CancellationToken.None);
    }

    // As a plant's own writer does: its text as it is, through SQLite alone.
    private async Task InsertAsync(IEnumerable<(string Time, double Value)> rows)
    {
        await using var connection = new SqliteConnection(ConnectionString);
        await connection.OpenAsync();
        foreach (var (time, value) in rows)
        {
            await using var insert = connection.CreateCommand();
            insert.CommandText = "INSERT INTO process_data (\"timestamp\", a) VALUES (@t, @v)";
            insert.Parameters.AddWithValue("@t", time);
            insert.Parameters.AddWithValue("@v", value);
            await insert.ExecuteNonQueryAsync();
        }
    }
}
