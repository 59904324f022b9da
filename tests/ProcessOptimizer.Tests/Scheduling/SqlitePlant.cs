using System.Globalization;
using Microsoft.Data.Sqlite;

namespace ProcessOptimizer.Tests.Scheduling;

/// <summary>
/// The plant's side of a single-node test on SQLite: its data tables, each a timestamp and one tag, and its feed,
/// which writes 30 into each of them every half second, stamped now.
/// </summary>
internal static class SqlitePlant
{
    /// <param name="database">The SQLite file the service reads its data from.</param>
    /// <param name="tables">Each table and its one tag column.</param>
    public static async Task CreateAsync(string database, params (string Table, string Tag)[] tables)
    {
        await using var db = new SqliteConnection("Data Source=" + database);
        await db.OpenAsync();
        await using var create = db.CreateCommand();
        create.CommandText = string.Concat(tables.Select(t => $"CREATE TABLE {t.Table} (\"timestamp\" TEXT PRIMARY KEY, {t.Tag} DOUBLE PRECISION);"));
        await create.ExecuteNonQueryAsync();
    }

    /// <summary>One new row in each of <paramref name="tables"/> every half second, until cancelled.</summary>
    public static async Task FeedAsync(string database, IReadOnlyList<string> tables, CancellationToken cancellationToken)
    {
        await using var db = new SqliteConnection("Data Source=" + database);
        await db.OpenAsync(CancellationToken.None);
        while (!cancellationToken.IsCancellationRequested)
        {
            await using var insert = db.CreateCommand();
            insert.CommandText = string.Concat(tables.Select(t => $"INSERT OR IGNORE INTO {t} VALUES (@at, 30);"));
            insert.Parameters.AddWithValue("@at", DateTime.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture));
            await insert.ExecuteNonQueryAsync(CancellationToken.None);
            try
            {
                await Task.Delay(500, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
