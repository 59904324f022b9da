using System.Net;
using Npgsql;
using ProcessOptimizer.Tests.Service;

namespace ProcessOptimizer.Tests.Faults;

/// <summary>
/// Issue 14 (8e of the seventh fault round): PostgreSQL set read-only (<c>ALTER SYSTEM SET
/// default_transaction_read_only = on</c> and a reload, as an operator or a failover to a standby does). In a cluster
/// no cycle runs then, since Quartz can neither check in nor take a trigger, so no run's write is refused either, and
/// <c>/health</c> said healthy for about 6 s, until an answer's write failed. Health must name the read-only database
/// within a second whatever writes or not: here nothing writes at all.
/// </summary>
[Collection(ServiceHostCollection.Name)]
public sealed class ReadOnlyPostgresTests
{
    [Fact]
    public async Task Database_SetReadOnlyWhileNothingWrites_HealthNamesItWithinASecondAndClearsOnceWritable()
    {
        await using var cluster = await PostgresCluster.StartAsync();
        var service = new ServiceFixture { Postgres = cluster.Connection };
        try
        {
            await service.InitializeAsync();
            await service.LatestRunAsync();
            await FaultKit.WaitForAsync(async () => (await FaultKit.HealthAsync(service.Client)).Body.GetProperty("database").GetProperty("status").GetString() == "healthy", TimeSpan.FromSeconds(30), "the database healthy");

            // The sessions the service holds open are not ended: they turn read-only at the reload, as in production.
            await ReadOnlyAsync(cluster.Connection, true);
            using var since = OwnLateness.Start();
            var (status, report) = await FaultKit.SaysWithinASecondAsync(service.Client, since, (_, h) => h.GetProperty("database").GetProperty("status").GetString() == "unhealthy", "the database unhealthy");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
            Assert.Contains("read-only", report.GetProperty("database").GetProperty("error").GetString(), StringComparison.Ordinal);
            // No write told it: none was tried, and the reads still work, so the circuit stays closed.
            Assert.Equal(0, report.GetProperty("data").GetProperty("pending_runs").GetInt32());
            Assert.Equal(0, await FaultKit.MetricAsync(service.Client, "process_optimizer_circuit_open", "database"));

            await ReadOnlyAsync(cluster.Connection, false);
            await FaultKit.WaitForAsync(async () => (await FaultKit.HealthAsync(service.Client)).Body.GetProperty("database").GetProperty("status").GetString() == "healthy", TimeSpan.FromSeconds(10), "the database healthy once it takes writes");
        }
        finally
        {
            await ReadOnlyAsync(cluster.Connection, false);
            await service.DisposeAsync();
        }
    }

    // Server-wide, as an operator sets it: ALTER SYSTEM and a reload.
    private static async Task ReadOnlyAsync(string connection, bool readOnly)
    {
        await using var db = new NpgsqlConnection(connection + ";Pooling=false");
        await db.OpenAsync();
        // One statement each: ALTER SYSTEM cannot run in a transaction block, and this session may be read-only already.
        foreach (var sql in new[] { "SET default_transaction_read_only = off", readOnly ? "ALTER SYSTEM SET default_transaction_read_only = on" : "ALTER SYSTEM RESET default_transaction_read_only", "SELECT pg_reload_conf()" })
        {
            await using var command = new NpgsqlCommand(sql, db);
            await command.ExecuteNonQueryAsync();
        }
    }
}
