using System.Net;
using Npgsql;
using ProcessOptimizer.Tests.Service;

namespace ProcessOptimizer.Tests.Faults;

/// <summary>
/// Issue 14: a database that hangs (SIGSTOP on the postmaster and its backends), is stopped, or has no free
/// connection. Each test runs its own PostgreSQL cluster. No answer may lose its run, no run may be stored
/// twice, /health must answer within a second, and the loop must come back with one cycle, not a burst.
/// </summary>
[Collection(ServiceHostCollection.Name)]
public sealed class DatabaseFaultTests
{
    private static readonly string[] Settings =
        ["--Database:TimeoutSeconds=1", "--Database:MaxRetries=1", "--Database:BreakSeconds=2", "--Optimization:IntervalSeconds=60"];

    [Theory]
    [InlineData("paused")]
    [InlineData("stopped")]
    public async Task Database_HungOrDown_AnswersWithRunsPendingAndStoresEachOnceAfterwards(string fault)
    {
        await using var cluster = await PostgresCluster.StartAsync();
        var service = new ServiceFixture { Postgres = cluster.Connection, Settings = Settings };
        try
        {
            await service.InitializeAsync();
            var first = await service.LatestRunAsync();
            var before = await FaultKit.RunsAsync(service.DatabaseConnection);

            if (fault == "paused")
            {
                cluster.Pause();
            }
            else
            {
                await cluster.StopServerAsync();
            }

            // Nothing else is calling the database now: health's own probe must find it out, within a second.
            using var since = OwnLateness.Start();
            var (down, report) = await FaultKit.SaysWithinASecondAsync(service.Client, since, (_, h) => h.GetProperty("database").GetProperty("status").GetString() == "unhealthy", "the database unhealthy");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, down);
            Assert.Equal("unhealthy", report.GetProperty("status").GetString());
            Assert.False(string.IsNullOrEmpty(report.GetProperty("database").GetProperty("error").GetString()));

            var answers = new List<System.Text.Json.JsonElement>();
            for (var i = 0; i < 3; i++)
            {
                answers.Add(await FaultKit.OptimizeAsync(service.Client));
            }

            Assert.All(answers, a => Assert.True(a.GetProperty("run_pending").GetBoolean()));
            Assert.All(answers, a => Assert.Equal(System.Text.Json.JsonValueKind.Null, a.GetProperty("run_id").ValueKind));

            // A cycle during the outage is recorded as an error and waits with the answers.
            service.Clock.Advance(TimeSpan.FromSeconds(60));
            await FaultKit.WaitForAsync(async () => (await FaultKit.HealthAsync(service.Client)).Body.GetProperty("data").GetProperty("pending_runs").GetInt32() == 4, TimeSpan.FromSeconds(30), "the outage cycle's run joining the outbox");

            var (status, health) = await FaultKit.HealthAsync(service.Client);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
            Assert.Equal("unhealthy", health.GetProperty("status").GetString());
            Assert.Equal("unhealthy", health.GetProperty("database").GetProperty("status").GetString());
            Assert.False(string.IsNullOrEmpty(health.GetProperty("database").GetProperty("error").GetString()));

            if (fault == "paused")
            {
                cluster.Resume();
            }
            else
            {
                await cluster.StartServerAsync();
            }

            // The test's own pooled connections died with the server.
            NpgsqlConnection.ClearAllPools();

            await FaultKit.WaitForAsync(async () => (await FaultKit.HealthAsync(service.Client)).Body.GetProperty("data").GetProperty("pending_runs").GetInt32() == 0, TimeSpan.FromSeconds(30), "the outbox replay");
            var after = await FaultKit.RunsAsync(service.DatabaseConnection);
            var added = after.Where(r => r.Id > before[^1].Id).ToList();
            Assert.Equal(3, added.Count(r => r.Strategy == "process-optimization/api" && r.Outcome == "success"));
            Assert.Single(added, r => r.Strategy == "process-optimization");
            Assert.Equal(added.Count, added.Select(r => r.Key).Distinct().Count());
            Assert.Equal(4, added.Count);

            // Back: the next slot runs one cycle for the newest data.
            await FaultKit.AppendRowAsync(service.DatabaseConnection, service.LastDataRow.AddMinutes(2));
            service.Clock.Advance(TimeSpan.FromSeconds(60));
            await FaultKit.WaitForAsync(async () => (await FaultKit.RunsAsync(service.DatabaseConnection)).Any(r => r.Id > after[^1].Id && r.Strategy == "process-optimization"), TimeSpan.FromSeconds(30), "the cycle after the outage");
            await Task.Delay(500);
            var loop = (await FaultKit.RunsAsync(service.DatabaseConnection)).Where(r => r.Id > after[^1].Id && r.Strategy == "process-optimization").ToList();
            Assert.Equal("success", Assert.Single(loop).Outcome);
            Assert.Equal("healthy", (await FaultKit.HealthAsync(service.Client)).Body.GetProperty("status").GetString());
            Assert.True(first.GetProperty("id").GetInt64() > 0);
        }
        finally
        {
            cluster.Resume();
            if (!cluster.IsRunning)
            {
                await cluster.StartServerAsync();
            }

            await service.DisposeAsync();
        }
    }

    [Fact]
    public async Task Database_NoFreeConnection_EveryAnswerKeepsItsRunExactlyOnce()
    {
        await using var cluster = await PostgresCluster.StartAsync(maxConnections: 6);
        // All eight requests wait for the solver rather than some being turned away busy. The service's pool is
        // bounded below the server's limit, so that some connection is always left for the test to take first:
        // a service holding all six (its loop, health probe, outbox and requests at once) left none.
        var service = new ServiceFixture { Postgres = cluster.Connection, Settings = [.. Settings, "--Api:MaxQueuedRequests=16", "--Database:MaxPoolSize=3"] };
        var held = new List<NpgsqlConnection>();
        try
        {
            await service.InitializeAsync();
            await service.LatestRunAsync();
            var before = await FaultKit.RunsAsync(service.DatabaseConnection);

            // Other clients take every connection the server allows, including those the service held. The test's
            // own idle pooled connections are given back first. The service's background probe may reconnect between
            // the termination and the refill; then it has a connection after all, so this repeats until no backend
            // but the test's is left.
            NpgsqlConnection.ClearAllPools();
            await FillAsync(service.DatabaseConnection, held);
            for (var round = 0; ; round++)
            {
                Assert.True(round < 20, "the service kept reconnecting while the connections were being taken");
                await OthersAsync(held, terminate: true);
                await Task.Delay(200);
                await FillAsync(service.DatabaseConnection, held);
                if (await OthersAsync(held, terminate: false) == 0)
                {
                    break;
                }
            }

            using var since = OwnLateness.Start();
            var (down, _) = await FaultKit.SaysWithinASecondAsync(service.Client, since, (_, h) => h.GetProperty("database").GetProperty("status").GetString() == "unhealthy", "the database unhealthy");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, down);

            var answers = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => FaultKit.OptimizeAsync(service.Client)));
            Assert.All(answers, a => Assert.True(a.GetProperty("run_pending").GetBoolean() || a.GetProperty("run_id").GetInt64() > 0));
            Assert.Contains(answers, a => a.GetProperty("run_pending").GetBoolean());

            foreach (var connection in held)
            {
                await connection.DisposeAsync();
            }

            held.Clear();
            NpgsqlConnection.ClearAllPools();
            await FaultKit.WaitForAsync(async () => (await FaultKit.HealthAsync(service.Client)).Body.GetProperty("data").GetProperty("pending_runs").GetInt32() == 0, TimeSpan.FromSeconds(30), "the outbox replay");
            var added = (await FaultKit.RunsAsync(service.DatabaseConnection)).Where(r => r.Id > before[^1].Id && r.Strategy == "process-optimization/api").ToList();
            Assert.Equal(8, added.Count);
            Assert.Equal(8, added.Select(r => r.Key).Distinct().Count());

            // Connections free again: the database is healthy within a probe and a break, and the next slot runs
            // one normal cycle with health healthy.
            await FaultKit.WaitForAsync(async () => (await FaultKit.HealthAsync(service.Client)).Body.GetProperty("database").GetProperty("status").GetString() == "healthy", TimeSpan.FromSeconds(10), "the database's recovery");
            var last = (await FaultKit.RunsAsync(service.DatabaseConnection))[^1].Id;
            await FaultKit.AppendRowAsync(service.DatabaseConnection, service.Clock.GetUtcNow().AddSeconds(50));
            service.Clock.Advance(TimeSpan.FromSeconds(60));
            var cycle = await FaultKit.NextLoopRunAsync(service.DatabaseConnection, last);
            Assert.Equal("success", cycle.Outcome);
            Assert.Equal("healthy", (await FaultKit.HealthAsync(service.Client)).Body.GetProperty("status").GetString());
            FaultKit.AssertEachStoredOnce(await FaultKit.RunsAsync(service.DatabaseConnection), before[^1].Id, loop: 1, api: 8);
        }
        finally
        {
            foreach (var connection in held)
            {
                await connection.DisposeAsync();
            }

            await service.DisposeAsync();
        }
    }

    // The client backends that are not the test's held connections; terminated when asked.
    private static async Task<int> OthersAsync(List<NpgsqlConnection> held, bool terminate)
    {
        var select = terminate ? "pg_terminate_backend(pid)" : "pid";
        await using var command = new NpgsqlCommand($"SELECT count({select}) FROM pg_stat_activity WHERE backend_type = 'client backend' AND NOT (pid = ANY(@ours))", held[0]);
        command.Parameters.AddWithValue("ours", held.Select(c => c.ProcessID).ToArray());
        return Convert.ToInt32(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static async Task FillAsync(string connectionString, List<NpgsqlConnection> held)
    {
        while (true)
        {
            var connection = new NpgsqlConnection(connectionString + ";Pooling=false");
            try
            {
                await connection.OpenAsync();
                held.Add(connection);
            }
            catch (PostgresException ex) when (ex.SqlState == "53300")
            {
                await connection.DisposeAsync();
                return;
            }
        }
    }
}
