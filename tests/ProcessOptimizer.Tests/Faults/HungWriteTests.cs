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
            var before = await FaultKit.RunsAsync(service.DatabaseConnection);
            Assert.False((await FaultKit.OptimizeAsync(service.Client)).GetProperty("run_pending").GetBoolean());

            cluster.Pause();
            var first = TimedAsync(service.Client);
            var next = Enumerable.Range(0, 5).Select(_ => TimedAsync(service.Client)).ToList();
            var answers = await Task.WhenAll([first, .. next]);

            Assert.All(answers, a => Assert.True(a.Body.GetProperty("run_pending").GetBoolean(), $"an answer during the pause: {a.Body}"));
            Assert.All(answers, a => Assert.True(
                a.Took < CallTimeout + TimeSpan.FromSeconds(2),
                $"an answer asked at the pause came after {a.Took.TotalSeconds:F1} s, with a {CallTimeout.TotalSeconds:G} s call timeout"));

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
