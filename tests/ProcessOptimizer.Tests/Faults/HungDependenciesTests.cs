using System.Diagnostics;
using System.Net;
using Npgsql;
using ProcessOptimizer.Tests.Service;
using ProcessOptimizer.Tests.Strategies;
using Xunit.Abstractions;

namespace ProcessOptimizer.Tests.Faults;

/// <summary>
/// Issue 14 (fifth fault round, N4 and /health): PostgreSQL and the object store both paused (SIGSTOP) at once.
/// /health must answer every time within a second, from what the background probes found, and say so for both within
/// a second of the pause; the first answer, asked before health knew, must come from the outbox path well before the
/// database's 20 s call timeout (its call is given up when the probe finds the hang); and a cycle on time after the
/// wake must be stored normally, not as an error. The call timeouts are long here so that any wait for one shows.
/// </summary>
[Collection(ServiceHostCollection.Name)]
public sealed class HungDependenciesTests(ITestOutputHelper output)
{
    private const int TimeoutSeconds = 20;

    [Fact]
    public async Task DatabaseAndStorePaused_HealthAnswersWithinASecondFirstAnswerGoesToTheOutboxAndTheNextCycleIsStored()
    {
        await using var cluster = await PostgresCluster.StartAsync();
        using var s3 = new S3rverProcess();
        await s3.StartAsync();
        var service = new ServiceFixture
        {
            Postgres = cluster.Connection,
            S3 = s3.Endpoint,
            Settings =
            [
                "--Solver:Workers=0", $"--Database:TimeoutSeconds={TimeoutSeconds}", "--Database:BreakSeconds=60",
                $"--Storage:S3:TimeoutSeconds={TimeoutSeconds}", "--Optimization:IntervalSeconds=60",
            ],
        };
        try
        {
            await service.InitializeAsync();
            await service.LatestRunAsync();
            var before = await FaultKit.RunsAsync(service.DatabaseConnection);

            cluster.Pause();
            s3.Pause();
            var since = Stopwatch.StartNew();

            // The first answer is asked at once, before any probe has found the hang.
            var answering = Stopwatch.StartNew();
            var first = Task.Run(async () =>
            {
                var body = await FaultKit.OptimizeAsync(service.Client);
                return (body, answering.Elapsed);
            });

            // Every health answer within a second (HealthAsync gives up after one), for six seconds of the pause; the
            // database named within a second of it, the store within the bar its recent answers set (at most 2 s, plus
            // the probes' 0.25 s spacing; see README, Failure behaviour).
            var said = new List<string>();
            while (since.Elapsed < TimeSpan.FromSeconds(6))
            {
                var asked = since.Elapsed;
                var (status, health) = await FaultKit.HealthAsync(service.Client);
                var database = health.GetProperty("database").GetProperty("status").GetString();
                var store = health.GetProperty("store").GetProperty("status").GetString();
                said.Add($"{asked.TotalSeconds:F2} s: {(int)status} database {database}, store {store}");
                if (asked > TimeSpan.FromSeconds(1))
                {
                    Assert.True(status == HttpStatusCode.ServiceUnavailable && database == "unhealthy", string.Join(Environment.NewLine, said) + Environment.NewLine + health);
                }

                if (asked > TimeSpan.FromSeconds(2.5))
                {
                    Assert.True(store == "degraded", string.Join(Environment.NewLine, said) + Environment.NewLine + health);
                }

                await Task.Delay(50);
            }

            var (answer, took) = await first;
            output.WriteLine($"first answer during the pause: {took.TotalSeconds:F2} s; health: {said.Count} answers");
            Assert.True(answer.GetProperty("run_pending").GetBoolean(), answer.ToString());
            Assert.True(took < TimeSpan.FromSeconds(TimeoutSeconds / 2.0), $"the first answer during the hang took {took.TotalSeconds:F1} s, against the database's {TimeoutSeconds} s call timeout");

            // Back; a slot a few seconds after the wake, as the next on-time slot of a short outage falls.
            cluster.Resume();
            s3.Resume();
            NpgsqlConnection.ClearAllPools();
            await Task.Delay(TimeSpan.FromSeconds(3));
            await FaultKit.AppendRowAsync(service.DatabaseConnection, service.LastDataRow.AddMinutes(1));
            service.Clock.Advance(TimeSpan.FromSeconds(60));
            var cycle = await FaultKit.NextLoopRunAsync(service.DatabaseConnection, before[^1].Id);
            Assert.Equal("success", cycle.Outcome);
            await FaultKit.WaitForAsync(async () => (await FaultKit.HealthAsync(service.Client)).Body.GetProperty("data").GetProperty("pending_runs").GetInt32() == 0, TimeSpan.FromSeconds(30), "the outbox replay");
            FaultKit.AssertEachStoredOnce(await FaultKit.RunsAsync(service.DatabaseConnection), before[^1].Id, loop: 1, api: 1);
        }
        finally
        {
            cluster.Resume();
            s3.Resume();
            await service.DisposeAsync();
        }
    }
}
