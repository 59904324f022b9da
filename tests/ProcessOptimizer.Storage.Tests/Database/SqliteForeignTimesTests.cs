using System.Globalization;
using Microsoft.Data.Sqlite;
using ProcessOptimizer.Core.Data;
using ProcessOptimizer.Storage.Database;

namespace ProcessOptimizer.Storage.Tests.Database;

/// <summary>
/// A row another program wrote into SQLite with a seventh fraction digit (.NET's round-trip form) reads cut to the
/// microsecond, as PostgreSQL would have stored it, and a read at or before a time takes it when its microsecond is
/// not after that time's, to the tick or not.
/// </summary>
public sealed class SqliteForeignTimesTests() : MigratedDatabase(DatabaseKind.Sqlite)
{
    private const string Earlier = "1960-01-01T00:00:00.0000000+00:00";

    [Theory]
    [InlineData("2026-01-03T17:19:00.1234567Z", "2026-01-03T17:19:00.1234567Z", "2026-01-03T17:19:00.1234560+00:00")]
    [InlineData("2026-01-03T17:19:00.1234567Z", "2026-01-03T17:19:00.1234560Z", "2026-01-03T17:19:00.1234560+00:00")]
    [InlineData("2026-01-03T17:19:00.1234567Z", "2026-01-03T12:19:00.1234569-05:00", "2026-01-03T17:19:00.1234560+00:00")]
    [InlineData("2026-01-03T17:19:00.1234567Z", "2026-01-03T17:19:00.1234559Z", Earlier)]
    [InlineData("2025-12-31T23:59:59.9999999Z", "2025-12-31T23:59:59.9999990Z", "2025-12-31T23:59:59.9999990+00:00")]
    [InlineData("1969-12-31T23:59:59.9999999Z", "1969-12-31T23:59:59.9999999Z", "1969-12-31T23:59:59.9999990+00:00")]
    [InlineData("1969-12-31T23:59:59.9999999Z", "1969-12-31T23:59:59.9999989Z", Earlier)]
    public async Task ReadWindow_RowStoredWithSevenDigits_ReadCutAndTakenAtItsMicrosecond(string stored, string at, string newest)
    {
        await new ProcessDataImporter(Database).ImportAsync(CsvTable.Read(new StringReader($"timestamp,a\n{Earlier},1\n"), "first.csv"), CancellationToken.None);
        await using (var connection = new SqliteConnection(ConnectionString))
        {
            await connection.OpenAsync();
            await using var insert = connection.CreateCommand();
            insert.CommandText = "INSERT INTO process_data (\"timestamp\", a) VALUES (@t, 2)";
            insert.Parameters.AddWithValue("@t", stored);
            await insert.ExecuteNonQueryAsync();
        }

        var time = DateTimeOffset.Parse(at, CultureInfo.InvariantCulture);
        using var window = await new SqlProcessDataSource(Database).ReadWindowAsync(["a"], 5, time, CancellationToken.None);
        var history = await new ProcessHistory(Database).RowsAsync("process_data", ["a"], DateTimeOffset.Parse(Earlier, CultureInfo.InvariantCulture), time, CancellationToken.None);

        Assert.Equal(newest, window[^1].Timestamp!.Value.ToString("O", CultureInfo.InvariantCulture));
        Assert.Equal(newest, history[^1].Timestamp!.Value.ToString("O", CultureInfo.InvariantCulture));
        Assert.Equal(stored[..26] + "0+00:00", (await new ProcessHistory(Database).NewestRowAsync("process_data", CancellationToken.None))!.Value.ToString("O", CultureInfo.InvariantCulture));
    }
}
