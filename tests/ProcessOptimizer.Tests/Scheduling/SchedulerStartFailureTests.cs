using System.Net.Http.Json;
using Npgsql;
using ProcessOptimizer.Scheduling;
using ProcessOptimizer.Tests.Faults;

namespace ProcessOptimizer.Tests.Scheduling;

/// <summary>
/// Issue 14 (7a'): a replica whose Quartz scheduler fails to start after the service's own schema is ready. The
/// tester met it with PostgreSQL refusing or hung at start-up for longer than Quartz's first attempt: the failed
/// scheduler was shut down, every later attempt was handed the same dead one, and the replica never ran a cycle
/// again, with the database long back. Here the service's account may use its own tables but not Quartz's until
/// the test grants it: a failure that ends while the service runs, as an outage does, without a race on timing.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class SchedulerStartFailureTests() : OneReplicaClusterTest("qstart")
{
    [Fact]
    public async Task QuartzRefusedAtStart_ThenAllowed_ReplicaStartsItsSchedulerAndRunsCycles()
    {
        var role = "po_qstart_" + Guid.NewGuid().ToString("n")[..12];
        var name = new NpgsqlConnectionStringBuilder(Database.Connection).Database;
        // Quartz's tables made by the server's superuser, so the service's account cannot use them.
        await new QuartzSchema(Database.Connection).CreateMissingAsync(CancellationToken.None);
        await AdminAsync(Database.Connection, $"CREATE ROLE {role} LOGIN", $"ALTER DATABASE {name} OWNER TO {role}", $"GRANT SELECT ON process_data TO {role}");
        try
        {
            var account = new NpgsqlConnectionStringBuilder(Database.Connection) { Username = role }.ConnectionString;
            await using var replica = Start("refused-replica", intervalSeconds: 2, workers: 0, "--Database:ConnectionString=" + account);
            using var feeding = new CancellationTokenSource();
            var feeder = Database.FeedAsync(feeding.Token);
            try
            {
                // The scheduler has failed at least once (logged), and no cycle ran.
                await FaultKit.WaitForAsync(() => Task.FromResult(replica.HasExited ? throw new InvalidOperationException(replica.Output) : replica.Output.Contains("cluster scheduler cannot start yet", StringComparison.Ordinal)), TimeSpan.FromSeconds(90), $"Quartz's refusal{Environment.NewLine}{replica.Output}");
                Assert.Empty(await Database.RunsAsync("kiln"));
                // Health names the refused privilege, in the database's words, and does not send the operator to
                // Quartz's migration scripts for a schema that is complete.
                using var health = await replica.Client.GetAsync("/health");
                var refusal = (await health.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("scheduler").GetProperty("error").GetString();
                Assert.Contains("42501: permission denied for table qrtz_", refusal, StringComparison.Ordinal);
                Assert.DoesNotContain("migration", refusal, StringComparison.OrdinalIgnoreCase);

                await AdminAsync(Database.Connection, $"GRANT ALL ON ALL TABLES IN SCHEMA public TO {role}");

                await WaitForSuccessesAsync(replica, 1, "a cycle once Quartz may use its tables");
                // The first request compiles the endpoint: the one-second limit is for the service, not the JIT.
                await replica.Client.GetAsync("/health");
                await FaultKit.WaitForAsync(async () => (await FaultKit.HealthAsync(replica.Client)).Body.GetProperty("scheduler").GetProperty("error").ValueKind == System.Text.Json.JsonValueKind.Null, TimeSpan.FromSeconds(20), $"the scheduler's error cleared{Environment.NewLine}{replica.Output}");
            }
            finally
            {
                await feeding.CancelAsync();
                await feeder;
            }
        }
        finally
        {
            // The database goes with the fixture; the role is the server's, so it goes here, once nothing it owns is left.
            NpgsqlConnection.ClearAllPools();
            await AdminAsync(Database.Connection, $"REASSIGN OWNED BY {role} TO postgres", $"DROP OWNED BY {role}");
            await AdminAsync(TestServers.Postgres, $"ALTER DATABASE {name} OWNER TO postgres", $"DROP ROLE {role}");
        }
    }

    private static async Task AdminAsync(string connection, params string[] statements)
    {
        await using var admin = new NpgsqlConnection(connection);
        await admin.OpenAsync();
        foreach (var statement in statements)
        {
            await using var command = new NpgsqlCommand(statement, admin);
            await command.ExecuteNonQueryAsync();
        }
    }
}
