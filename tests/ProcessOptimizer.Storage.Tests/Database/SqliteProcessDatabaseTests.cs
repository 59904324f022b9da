using Microsoft.Data.Sqlite;
using ProcessOptimizer.Core.Runs;
using ProcessOptimizer.Storage.Database;

namespace ProcessOptimizer.Storage.Tests.Database;

public sealed class SqliteProcessDatabaseTests() : ProcessDatabaseTests(DatabaseKind.Sqlite)
{
    // SQLite has no server to kill: cancelling the write part-way has the same effect, a connection that
    // goes away inside an open transaction.
    // 200 000 recommendations take far longer than the 20 ms before the cancellation.
    protected override async Task InterruptedSaveAsync(SqlRunStore store)
    {
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(20));
        await store.SaveAsync(Run(Start.AddMinutes(1), RunOutcome.Success, 200_000), cancel.Token);
    }

    [Fact]
    public async Task Migrate_File_UsesWriteAheadLogging()
    {
        await new SqlRunStore(Database).SaveAsync(Run(Start, RunOutcome.Success, 3), CancellationToken.None);

        await using var connection = new SqliteConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new SqliteCommand("PRAGMA journal_mode", connection);
        Assert.Equal("wal", (string?)await command.ExecuteScalarAsync());
    }
}
