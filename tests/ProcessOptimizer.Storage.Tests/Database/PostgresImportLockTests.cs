using ProcessOptimizer.Storage.Database;

namespace ProcessOptimizer.Storage.Tests.Database;

/// <summary>The locks an operator's psql session can hold on PostgreSQL, each found at the step that needs it.</summary>
public sealed class PostgresImportLockTests() : ImportLockTests(DatabaseKind.Postgres)
{
    // The key PostgresDialect takes for schema changes: another import (or migration) that holds it.
    private const long SchemaLock = 0x50726f634f707431;

    [Fact]
    public async Task ImportStream_RowUpdatedInAnOpenTransaction_FailsAtTheMergeNamingTheLock()
    {
        var error = await ImportWhileHeldAsync("UPDATE process_data SET a = 1000 WHERE a = 50");

        Assert.StartsWith(Said(Database, "writing the 200 rows sent into process_data"), error.Message, StringComparison.Ordinal);
        Assert.Contains("lock timeout", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ImportStream_RowUpdatedInAnOpenTransactionAndANewColumn_FailsAtTheAlterNamingTheLock()
    {
        var error = await ImportWhileHeldAsync("UPDATE process_data SET a = 1000 WHERE a = 50", newColumn: true);

        Assert.StartsWith(Said(Database, "adding the column 'c' to process_data"), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ImportStream_TableLockedInAnOpenTransaction_FailsNamingTheLock()
    {
        var error = await ImportWhileHeldAsync("LOCK TABLE process_data IN SHARE MODE");

        Assert.StartsWith(Said(Database, "writing the 200 rows sent into process_data"), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ImportStream_SchemaLockHeldByAnotherImport_FailsAtTheSchemaLockNamingTheLock()
    {
        var error = await ImportWhileHeldAsync($"SELECT pg_advisory_xact_lock({SchemaLock})");

        Assert.StartsWith(Said(Database, "taking the schema lock"), error.Message, StringComparison.Ordinal);
        Assert.True(error.IsTransient, "a lock held passes when the other session ends, as SQLite's busy file does");
    }
}
