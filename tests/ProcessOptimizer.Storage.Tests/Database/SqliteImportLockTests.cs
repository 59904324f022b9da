using ProcessOptimizer.Storage.Database;
using ProcessOptimizer.Storage.Resilience;

namespace ProcessOptimizer.Storage.Tests.Database;

/// <summary>Another connection to the SQLite file that holds its write lock, in a transaction left open.</summary>
public sealed class SqliteImportLockTests() : ImportLockTests(DatabaseKind.Sqlite)
{
    [Fact]
    public async Task ImportStream_RowUpdatedInAnOpenTransaction_FailsAtTheWriteLockNamingTheLock()
    {
        var error = await ImportWhileHeldAsync("UPDATE process_data SET a = 1000 WHERE a = 50");

        Assert.StartsWith(Said(Database, "beginning the transaction"), error.Message, StringComparison.Ordinal);
        Assert.True(error.IsTransient, "a busy file passes when the other writer ends, as a PostgreSQL lock does");
    }

    [Fact]
    public async Task ImportStream_RowUpdatedInAnOpenTransactionAndANewColumn_FailsAtTheWriteLockNamingTheLock()
    {
        var error = await ImportWhileHeldAsync("UPDATE process_data SET a = 1000 WHERE a = 50", newColumn: true);

        Assert.StartsWith(Said(Database, "beginning the transaction"), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Migrate_SchemaWholeWhileAnotherConnectionHoldsTheWriteLock_WritesNothingAndWaitsForNoOne()
    {
        // import-data checks the schema before it imports: the check took the write lock, so it met another writer's
        // lock first, and was retried like every call (three waits of the timeout), instead of the import meeting it once.
        var bounded = ProcessDatabase.Create(Kind, ConnectionString, new DatabaseOptions { Resilience = new ResilienceOptions { Timeout = Timeout, MaxRetries = 0 } });
        await using var held = await HeldAsync("CREATE TABLE held (x)");

        await bounded.MigrateAsync(CancellationToken.None).WaitAsync(GiveUp);

        Assert.True(bounded.IsMigrated);
    }
}
