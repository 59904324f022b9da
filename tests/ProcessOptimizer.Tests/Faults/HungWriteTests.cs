using System.Diagnostics;
using System.Text.Json;
using Npgsql;
using ProcessOptimizer.Tests.Service;

namespace ProcessOptimizer.Tests.Faults;

/// <summary>
/// Issue 14 (N4 of the seventh fault round): an <c>/optimize</c> whose run was written in the first second of a
/// PostgreSQL pause, before the probe had found the hang, was answered 17-24 s later with a 5 s call timeout, and
/// the answers queued behind its write waited with it. Npgsql's cancellation of the timed-out statement held the
/// timeout's own thread for the driver's connect timeout, and the late end was taken for a pause of the service.
/// </summary>
[Collection(ServiceHostCollection.Name)]
public sealed class HungWriteTests
{
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task Optimize_PostgresPausedJustBefore_EachAnswerIsPendingWithinTheCallTimeout()
    {
        await using var cluster = await PostgresCluster.StartAsync();
        var service = new ServiceFixture
        {
            Postgres = cluster.Connection,
            Settings = [$"--Database:TimeoutSeconds={CallTimeout.TotalSeconds}", "--Database:MaxRetries=1", "--Optimization:IntervalSeconds=60"],
        };
        try
        {
            await service.InitializeAsync();
            await service.LatestRunAsync();

            // Both workers answer real requests before the pause: a worker's first solve runs its code cold (1.2 s of
            // solve against 0.2 s warm), and at a load of 17-31 the one request of the burst below that met the second
            // worker cold was answered 9-14 s after it had its place, a wait that is no part of the write's. Six at
            // once reach both workers unless each solve ends before the next request comes; three rounds.
            for (var round = 0; round < 3; round++)
            {
                await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => FaultKit.OptimizeAsync(service.Client)));
            }

            var before = await FaultKit.RunsAsync(service.DatabaseConnection);
            Assert.False((await FaultKit.OptimizeAsync(service.Client)).GetProperty("run_pending").GetBoolean());

            cluster.Pause();
            using var lateness = OwnLateness.Start();
            var first = TimedAsync(service.Client);
            var next = Enumerable.Range(0, 5).Select(_ => TimedAsync(service.Client)).ToList();
            var answers = await Task.WhenAll([first, .. next]);

            // The call timeout and 2 s, and the time this process did not run meanwhile: the service's timers and
            // answers wait for a core like the rest of it. A write that waited for the driver's cancellation or was
            // tried again after its timeout (issue 14: 17-24 s) still fails this unless the process stalled for most of it.
            var limit = lateness.Allow(CallTimeout + TimeSpan.FromSeconds(2));
            var took = string.Join(", ", answers.Select(a => $"{a.Took.TotalSeconds:F1}"));

            Assert.All(answers, a => Assert.True(a.Body.GetProperty("run_pending").GetBoolean(), $"an answer during the pause: {a.Body}"));
            Assert.All(answers, a => Assert.True(
                a.Took < limit,
                $"an answer asked at the pause came after {a.Took.TotalSeconds:F1} s (all: {took} s), with a {CallTimeout.TotalSeconds:G} s call timeout, {limit.TotalSeconds:F1} s allowed with this process's lateness"));

            cluster.Resume();
            NpgsqlConnection.ClearAllPools();
            await FaultKit.WaitForAsync(async () => (await FaultKit.HealthAsync(service.Client)).Body.GetProperty("data").GetProperty("pending_runs").GetInt32() == 0, TimeSpan.FromSeconds(30), "the outbox replay");
            FaultKit.AssertEachStoredOnce(await FaultKit.RunsAsync(service.DatabaseConnection), before[^1].Id, loop: 0, api: 7);
        }
        finally
        {
            cluster.Resume();
            await service.DisposeAsync();
        }
    }

    private static async Task<(JsonElement Body, TimeSpan Took)> TimedAsync(HttpClient client)
    {
        var clock = Stopwatch.StartNew();
        var body = await FaultKit.OptimizeAsync(client);
        return (body, clock.Elapsed);
    }
}
