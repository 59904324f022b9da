using System.Net;
using Npgsql;
using ProcessOptimizer.Tests.Service;

namespace ProcessOptimizer.Tests.Faults;

/// <summary>
/// Issue 14 (N4 of the fourth fault round): with PostgreSQL paused, health knew within a second, yet each answer
/// waited about two call timeouts before going to the outbox; after the pause the circuit stayed open for the rest of
/// its break, and the first cycles were stored as errors although the database was back. The call timeout and the
/// break are long here (20 s and 60 s): an answer or a cycle that waited for either would show it.
/// </summary>
[Collection(ServiceHostCollection.Name)]
public sealed class DatabaseBreakerTests
{
    [Fact]
    public async Task Database_Paused_AnswersGoToTheOutboxAtOnceAndTheFirstCycleAfterItSucceeds()
    {
        await using var cluster = await PostgresCluster.StartAsync();
        var service = new ServiceFixture
        {
            Postgres = cluster.Connection,
            Settings = ["--Database:TimeoutSeconds=20", "--Database:MaxRetries=1", "--Database:BreakSeconds=60", "--Optimization:IntervalSeconds=60"],
        };
        try
        {
            await service.InitializeAsync();
            await service.LatestRunAsync();
            var before = await FaultKit.RunsAsync(service.DatabaseConnection);
            cluster.Pause();

            using var since = OwnLateness.Start();
            var (down, _) = await FaultKit.SaysWithinASecondAsync(service.Client, since, (_, h) => h.GetProperty("database").GetProperty("status").GetString() == "unhealthy", "the database unhealthy");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, down);

            // The probe that found the hang opened the circuit: answers do not wait for the 20 s call timeout.
            await FaultKit.WaitForAsync(async () => await FaultKit.MetricAsync(service.Client, "process_optimizer_circuit_open", "database") == 1, TimeSpan.FromSeconds(5), "the database's circuit open");
            var answering = System.Diagnostics.Stopwatch.StartNew();
            for (var i = 0; i < 3; i++)
            {
                Assert.True((await FaultKit.OptimizeAsync(service.Client)).GetProperty("run_pending").GetBoolean());
            }

            Assert.True(answering.Elapsed < TimeSpan.FromSeconds(10), $"three answers took {answering.Elapsed.TotalSeconds:F1} s: they waited for the database");
            service.Clock.Advance(TimeSpan.FromSeconds(60));
            await FaultKit.WaitForAsync(async () => (await FaultKit.HealthAsync(service.Client)).Body.GetProperty("data").GetProperty("pending_runs").GetInt32() == 4, TimeSpan.FromSeconds(10), "the outage cycle's run joining the outbox");

            // Back: the probe waiting on the database closes the circuit, long before the 60 s break ends.
            cluster.Resume();
            NpgsqlConnection.ClearAllPools();
            await FaultKit.WaitForAsync(async () => (await FaultKit.HealthAsync(service.Client)).Body.GetProperty("data").GetProperty("pending_runs").GetInt32() == 0, TimeSpan.FromSeconds(30), "the outbox replay");
            Assert.Equal(0, await FaultKit.MetricAsync(service.Client, "process_optimizer_circuit_open", "database"));
            var replayed = await FaultKit.RunsAsync(service.DatabaseConnection);
            await FaultKit.AppendRowAsync(service.DatabaseConnection, service.LastDataRow.AddMinutes(2));
            service.Clock.Advance(TimeSpan.FromSeconds(60));
            Assert.Equal("success", (await FaultKit.NextLoopRunAsync(service.DatabaseConnection, replayed[^1].Id)).Outcome);
            Assert.Equal("healthy", (await FaultKit.HealthAsync(service.Client)).Body.GetProperty("status").GetString());
            FaultKit.AssertEachStoredOnce(await FaultKit.RunsAsync(service.DatabaseConnection), before[^1].Id, loop: 2, api: 3);
        }
        finally
        {
            cluster.Resume();
            await service.DisposeAsync();
        }
    }
}
