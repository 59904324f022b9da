using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.Data.Sqlite;
using ProcessOptimizer.Core.Data;
using ProcessOptimizer.Storage.Database;
using ProcessOptimizer.Storage.Resilience;

namespace ProcessOptimizer.Storage.Tests.Database;

/// <summary>
/// import-data while a second real session holds a lock the import needs (an operator's open transaction): the import
/// waits for it no longer than the call timeout, then fails naming the database, the step and the lock, and imports
/// nothing. The import has no per-call timeout, and a server that answers is no hang: it waited for ever.
/// </summary>
public abstract class ImportLockTests(DatabaseKind kind) : MigratedDatabase(kind)
{
    protected static readonly TimeSpan Timeout = TimeSpan.FromSeconds(2);

    // What the bound allows beyond the timeout on a loaded machine.
    private static readonly TimeSpan Slack = TimeSpan.FromSeconds(4);

    // Far past the bound: a test that fails does not hang the run.
    protected static readonly TimeSpan GiveUp = TimeSpan.FromSeconds(60);

    private static readonly DateTimeOffset Start = new(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>
    /// Imports 100 rows (a = r), then, while a second session runs <paramref name="holder"/> in a transaction it keeps
    /// open, 200 rows that overwrite them (a = -r, and a new column c when asked): the import must fail within the
    /// bound. Then checks that nothing of it is there, and that once the session ends, the same import goes through.
    /// </summary>
    protected async Task<DatabaseException> ImportWhileHeldAsync(string holder, bool newColumn = false)
    {
        await Importer(Database).ImportAsync(Csv(100, sign: 1, newColumn: false), CancellationToken.None);
        var bounded = ProcessDatabase.Create(Kind, ConnectionString, new DatabaseOptions { Resilience = new ResilienceOptions { Timeout = Timeout } });
        DatabaseException error;
        await using (var held = await HeldAsync(holder))
        {
            var clock = Stopwatch.StartNew();
            error = await Assert.ThrowsAsync<DatabaseException>(() => Importer(bounded).ImportAsync(Csv(200, sign: -1, newColumn), CancellationToken.None).WaitAsync(GiveUp));
            Assert.True(clock.Elapsed < Timeout + Slack, $"the import gave up {clock.Elapsed.TotalSeconds:F1} s after it began, with a {Timeout.TotalSeconds:G} s timeout: {error.Message}");
        }

        var window = await new SqlProcessDataSource(Database).ReadWindowAsync(["a"], 1_000, Start.AddDays(1), CancellationToken.None);
        Assert.Equal(100, window.Count);
        Assert.All(window, row => Assert.True(row.Values["a"] >= 0, "a row was overwritten by the import that failed"));
        Assert.DoesNotContain("c", await ColumnsAsync());

        var (rows, _) = await Importer(bounded).ImportAsync(Csv(200, sign: -1, newColumn), CancellationToken.None);
        Assert.Equal(200, rows);
        return error;
    }

    protected static string Said(ProcessDatabase database, string step) =>
        $"{database.Description}: cannot import process data ({step}): another session holds a lock it needs";

    [Fact]
    public async Task ImportStream_AnotherSessionOnlyReadsInAnOpenTransaction_ImportsEveryRow()
    {
        await Importer(Database).ImportAsync(Csv(100, sign: 1, newColumn: false), CancellationToken.None);

        await using var held = await HeldAsync("SELECT count(*) FROM process_data");
        var (rows, _) = await Importer(Database).ImportAsync(Csv(200, sign: -1, newColumn: false), CancellationToken.None).WaitAsync(GiveUp);

        Assert.Equal(200, rows);
    }

    private static ProcessDataImporter Importer(ProcessDatabase database) => new(database);

    private static CsvRowReader Csv(int rows, int sign, bool newColumn)
    {
        var text = new StringBuilder(newColumn ? "timestamp,a,b,c\n" : "timestamp,a,b\n");
        for (var r = 0; r < rows; r++)
        {
            text.Append(CultureInfo.InvariantCulture, $"{Start.AddMinutes(r):O},{sign * r},{0.5 * r}{(newColumn ? ",1" : "")}\n");
        }

        return new CsvRowReader(new StringReader(text.ToString()), "held.csv");
    }

    // A second session of the database's own kind, in a transaction left open until disposed (then rolled back).
    protected async Task<IAsyncDisposable> HeldAsync(string sql)
    {
        var connection = Database.Dialect.CreateConnection();
        await connection.OpenAsync();
        // Deferred on SQLite, as a psql session's is: a transaction that only reads takes no write lock.
        var transaction = connection is SqliteConnection sqlite ? sqlite.BeginTransaction(deferred: true) : await connection.BeginTransactionAsync();
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
        return new Held(connection, transaction);
    }

    private async Task<IReadOnlyList<string>> ColumnsAsync()
    {
        await using var connection = Database.Dialect.CreateConnection();
        await connection.OpenAsync();
        return await Database.Dialect.ColumnsAsync(connection, "process_data", CancellationToken.None);
    }

    private sealed class Held(DbConnection connection, DbTransaction transaction) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await transaction.RollbackAsync();
            await transaction.DisposeAsync();
            await connection.DisposeAsync();
        }
    }
}
