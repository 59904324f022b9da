using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Npgsql;
using ProcessOptimizer.Tests.Faults;

namespace ProcessOptimizer.Tests.Scheduling;

/// <summary>
/// Issue 14 (N1): the service's database is dropped and created again empty while the service runs, as a restore to
/// nothing would leave it. The service must say so at once, make its own tables and the cluster's Quartz tables
/// again, run its cycles again once the plant's data is back, store nothing twice, and still stop on SIGTERM.
/// Before, health went back to healthy after 3 s, no table was made again, no cycle ever ran again, and SIGTERM hung.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class SchemaLossTests() : OneReplicaClusterTest("drop")
{
    private const int IntervalSeconds = 2;
    private const double MisfireSeconds = 3;

    [Fact]
    public async Task Database_DroppedAndCreatedEmpty_HealthSaysSoSchemaComesBackCyclesResumeAndSigtermEnds()
    {
        await using var replica = Start("restored-replica", IntervalSeconds, workers: 0);
        using var feeding = new CancellationTokenSource();
        var feeder = Database.FeedAsync(feeding.Token);
        try
        {
            await WaitForSuccessesAsync(replica, 1, "the replica's first cycle");

            // The first request compiles the endpoint: the one-second limit is for the service, not the JIT.
            await replica.Client.GetAsync("/health");

            // The restore to nothing: the database is gone for a moment, then there again without a table.
            await DropAndCreateAsync();
            using var fault = OwnLateness.Start();
            var (_, said) = await FaultKit.SaysWithinASecondAsync(replica.Client, fault, (status, body) => status == HttpStatusCode.ServiceUnavailable && body.GetProperty("status").GetString() == "unhealthy", "unhealthy");
            // The database names the missing table or database until its tables are made again (within a round of 2 s),
            // and the scheduler the lost schema until the cluster's schedule is checked.
            var reason = $"{said.GetProperty("database").GetProperty("error")} {said.GetProperty("scheduler").GetProperty("error")}";
            Assert.True(reason.Contains("schema", StringComparison.Ordinal) || reason.Contains("does not exist", StringComparison.Ordinal), $"/health does not name the lost schema: {said}");

            // The service makes its own tables and the cluster's again; until the plant's data is back, no cycle can
            // succeed, and health never says healthy meanwhile.
            using var watching = new CancellationTokenSource();
            var watch = WatchHealthAsync(replica.Client, watching.Token);
            await FaultKit.WaitForAsync(async () => await TablesAsync("optimization_runs", "schema_version", "qrtz_triggers", "qrtz_scheduler_state") == 4 && await TriggersAsync() == 1, TimeSpan.FromSeconds(30), $"the service's tables and the cluster's trigger made again{Environment.NewLine}{replica.Output}");
            await Task.Delay(TimeSpan.FromSeconds(2 * IntervalSeconds));
            var back = DateTimeOffset.UtcNow;
            await Database.CreateProcessDataAsync();
            await FaultKit.WaitForAsync(async () => (await Database.RunsAsync("kiln")).Any(r => r.Outcome == "success"), TimeSpan.FromSeconds(30), $"a cycle after the data is back{Environment.NewLine}{replica.Output}");
            var first = (await Database.RunsAsync("kiln")).First(r => r.Outcome == "success");

            // One slot after the data came back, and the misfire threshold; the rest is room for a loaded machine.
            var late = first.StartedAt - back;
            Assert.True(late < TimeSpan.FromSeconds(IntervalSeconds + MisfireSeconds + 5), $"the first cycle after the data came back started {late.TotalSeconds:F1} s after it{Environment.NewLine}{replica.Output}");
            await watching.CancelAsync();
            // Until that cycle began, no cycle could succeed; once it is stored, healthy is right again.
            var statuses = (await watch).Where(s => s.At < first.StartedAt).Select(s => s.Status).ToList();
            Assert.True(statuses.All(s => s != "healthy"), $"/health said healthy while no cycle could run: {string.Join(", ", statuses)}");

            // Recovery is whole: health healthy again, and every run (the ones the outbox replays too) stored once.
            await FaultKit.WaitForAsync(async () => (await FaultKit.HealthAsync(replica.Client)).Body.GetProperty("status").GetString() == "healthy", TimeSpan.FromSeconds(20), $"/health healthy again{Environment.NewLine}{replica.Output}");
            var runs = await Database.RunsAsync("kiln");
            Assert.Equal(runs.Count, runs.Select(r => r.Key).Distinct().Count());
            var consumed = runs.Where(r => r.Outcome == "success").Select(r => r.DataTimestamp).ToList();
            Assert.Equal(consumed.Count, consumed.Distinct().Count());

            // SIGTERM ends the process within the host's shutdown timeout (2 s), with room for a loaded machine.
            var stopping = Stopwatch.StartNew();
            Signals.Terminate([replica.Pid]);
            var exited = await replica.WaitForExitAsync(TimeSpan.FromSeconds(10));
            Assert.True(exited, $"the replica was still running {stopping.Elapsed.TotalSeconds:F1} s after SIGTERM{Environment.NewLine}{replica.Output}");
        }
        finally
        {
            await feeding.CancelAsync();
            await feeder;
        }
    }

    private async Task DropAndCreateAsync()
    {
        var name = new NpgsqlConnectionStringBuilder(Database.Connection).Database;
        await using var admin = new NpgsqlConnection(TestServers.Postgres);
        await admin.OpenAsync();
        await new NpgsqlCommand($"DROP DATABASE {name} WITH (FORCE)", admin).ExecuteNonQueryAsync();
        await new NpgsqlCommand($"CREATE DATABASE {name}", admin).ExecuteNonQueryAsync();
        NpgsqlConnection.ClearAllPools();
    }

    // Every status /health gives until the watch is cancelled.
    private static async Task<List<(DateTimeOffset At, string Status)>> WatchHealthAsync(HttpClient client, CancellationToken cancellationToken)
    {
        var said = new List<(DateTimeOffset, string)>();
        while (!cancellationToken.IsCancellationRequested)
        {
            var asked = DateTimeOffset.UtcNow;
            var response = await client.GetAsync("/health", CancellationToken.None);
            var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(CancellationToken.None)).RootElement;
            said.Add((asked, body.GetProperty("status").GetString()!));
            try
            {
                await Task.Delay(200, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        return said;
    }

    private async Task<long> TablesAsync(params string[] names)
    {
        await using var db = new NpgsqlConnection(Database.Connection);
        await db.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tablename = ANY(@names)", db);
        command.Parameters.AddWithValue("names", names);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private async Task<long> TriggersAsync()
    {
        await using var db = new NpgsqlConnection(Database.Connection);
        await db.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT count(*) FROM qrtz_triggers", db);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
