using System.Net;
using Npgsql;
using ProcessOptimizer.Tests.Service;

namespace ProcessOptimizer.Tests.Faults;

/// <summary>
/// Issue 14 (N3 of the fourth fault round): a database that answers reads but takes no writes (SQLite on a full
/// disk; here PostgreSQL set read-only, as a standby after a failover is). Health flapped between 503 and 200,
/// since the read-only probe cleared what the failed writes had found; and the no-new-data check did not see the
/// run waiting in the outbox, so the next slot solved the same minute again and lost its own record on replay.
/// </summary>
[Collection(ServiceHostCollection.Name)]
public sealed class DatabaseWriteFailureTests
{
    [Fact]
    public async Task Database_TakesNoWrites_StaysUnhealthyAndEachSlotKeepsItsOwnRecord()
    {
        var service = new ServiceFixture { Settings = ["--Database:MaxRetries=1", "--Database:BreakSeconds=60", "--Optimization:IntervalSeconds=60"] };
        try
        {
            await service.InitializeAsync();
            await service.LatestRunAsync();
            var before = await FaultKit.RunsAsync(service.DatabaseConnection);
            await FaultKit.AppendRowAsync(service.DatabaseConnection, service.LastDataRow.AddMinutes(1));
            await ReadOnlyAsync(service.DatabaseConnection, true);

            // The slot solves the new minute; its run cannot be stored and waits in the outbox.
            service.Clock.Advance(TimeSpan.FromSeconds(60));
            await FaultKit.WaitForAsync(async () => (await FaultKit.HealthAsync(service.Client)).Body.GetProperty("data").GetProperty("pending_runs").GetInt32() == 1, TimeSpan.FromSeconds(30), "the slot's run in the outbox");

            // Reads and the probe succeed all along; health stays unhealthy with the write's reason, and the circuit
            // stays closed for the reads.
            for (var i = 0; i < 20; i++)
            {
                var (status, health) = await FaultKit.HealthAsync(service.Client);
                Assert.True(status == HttpStatusCode.ServiceUnavailable, health.ToString());
                Assert.True(health.GetProperty("database").GetProperty("error").GetString()!.Contains("read-only", StringComparison.Ordinal), health.ToString());
                await Task.Delay(100);
            }

            Assert.Equal(0, await FaultKit.MetricAsync(service.Client, "process_optimizer_circuit_open", "database"));

            // The next slot finds no newer minute than the one waiting: an explicit skip, not a second solve of it.
            service.Clock.Advance(TimeSpan.FromSeconds(60));
            await FaultKit.WaitForAsync(async () => (await FaultKit.HealthAsync(service.Client)).Body.GetProperty("data").GetProperty("pending_runs").GetInt32() == 2, TimeSpan.FromSeconds(30), "the second slot's run in the outbox");

            await ReadOnlyAsync(service.DatabaseConnection, false);
            await FaultKit.WaitForAsync(async () => (await FaultKit.HealthAsync(service.Client)).Body.GetProperty("data").GetProperty("pending_runs").GetInt32() == 0, TimeSpan.FromSeconds(30), "the outbox replay");
            var loop = (await FaultKit.RunsAsync(service.DatabaseConnection)).Where(r => r.Id > before[^1].Id).ToList();
            Assert.Equal(["success", "skipped-no-new-data"], loop.Select(r => r.Outcome));
            FaultKit.AssertEachStoredOnce(loop, before[^1].Id, loop: 2, api: 0);
            await FaultKit.WaitForAsync(async () => (await FaultKit.HealthAsync(service.Client)).Body.GetProperty("status").GetString() == "healthy", TimeSpan.FromSeconds(10), "health healthy once writes succeed");
        }
        finally
        {
            await ReadOnlyAsync(service.DatabaseConnection, false);
            await service.DisposeAsync();
        }
    }

    // Sessions opened from now on take no writes (or do again); open ones are ended so that the service reconnects.
    private static async Task ReadOnlyAsync(string connection, bool readOnly)
    {
        var database = new NpgsqlConnectionStringBuilder(connection).Database;
        await using var db = new NpgsqlConnection(connection + ";Pooling=false");
        await db.OpenAsync();
        // One statement each: a batch runs as one transaction, read-only from its start.
        foreach (var sql in new[]
        {
            "SET default_transaction_read_only = off",
            $"ALTER DATABASE {database} {(readOnly ? "SET default_transaction_read_only = on" : "RESET default_transaction_read_only")}",
            $"SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = '{database}' AND pid <> pg_backend_pid()",
        })
        {
            await using var command = new NpgsqlCommand(sql, db);
            await command.ExecuteNonQueryAsync();
        }

        // The test's own pooled connections were among those ended.
        NpgsqlConnection.ClearAllPools();
    }
}
