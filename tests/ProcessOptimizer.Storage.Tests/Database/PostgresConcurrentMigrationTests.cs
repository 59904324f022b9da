using Npgsql;
using ProcessOptimizer.Storage.Database;

namespace ProcessOptimizer.Storage.Tests.Database;

/// <summary>Replicas starting at once on one fresh PostgreSQL database, and a plant's writer making its own table meanwhile.</summary>
public sealed class PostgresConcurrentMigrationTests
{
    [Fact]
    public async Task Migrate_ReplicasStartingAtOnceOnAFreshDatabase_EachMakesTheSchemaOnce()
    {
        // Every schema step, process_data first, runs under one advisory lock: the replicas take turns.
        for (var round = 0; round < 5; round++)
        {
            await using var fresh = await DatabaseUnderTest.CreateAsync(DatabaseKind.Postgres);
            var replicas = Enumerable.Range(0, 4).Select(_ => fresh.Open()).ToList();

            await Task.WhenAll(replicas.Select(r => Task.Run(() => r.MigrateAsync(CancellationToken.None))));

            Assert.All(replicas, r => Assert.True(r.IsMigrated));
            await using var db = new NpgsqlConnection(fresh.ConnectionString);
            await db.OpenAsync();
            await using var versions = new NpgsqlCommand("SELECT count(*) FROM schema_version", db);
            Assert.Equal(1L, await versions.ExecuteScalarAsync());
        }
    }

    [Fact]
    public async Task Migrate_PlantWriterMakesProcessDataMeanwhile_SchemaIsMade()
    {
        // A plant's own writer takes no lock of ours: its table is made in a transaction the migration waits for.
        await using var fresh = await DatabaseUnderTest.CreateAsync(DatabaseKind.Postgres);
        await using var plant = new NpgsqlConnection(fresh.ConnectionString);
        await plant.OpenAsync();
        await using var transaction = await plant.BeginTransactionAsync();
        await using (var create = new NpgsqlCommand("CREATE TABLE IF NOT EXISTS process_data (\"timestamp\" TIMESTAMPTZ PRIMARY KEY, tag0 DOUBLE PRECISION)", plant, transaction))
        {
            await create.ExecuteNonQueryAsync();
        }

        var service = fresh.Open();
        var migrate = Task.Run(() => service.MigrateAsync(CancellationToken.None));
        await WaitUntilBlockedAsync(fresh.ConnectionString, migrate);
        await transaction.CommitAsync();
        await migrate;

        Assert.True(service.IsMigrated);
    }

    // Until a backend of the database waits for a lock (the migration's CREATE TABLE behind the plant's), or the migration ended.
    private static async Task WaitUntilBlockedAsync(string connection, Task migrate)
    {
        await using var admin = new NpgsqlConnection(connection);
        await admin.OpenAsync();
        await using var waiting = new NpgsqlCommand("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'", admin);
        while (!migrate.IsCompleted && (long)(await waiting.ExecuteScalarAsync())! == 0)
        {
            await Task.Delay(10);
        }
    }
}
