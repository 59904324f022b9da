using ProcessOptimizer.Storage.Database;

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
}
