using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using ProcessOptimizer.Storage.Outbox;
using ProcessOptimizer.Storage.Tests.Outbox;
using ProcessOptimizer.Tests.Service;

namespace ProcessOptimizer.Tests.Faults;

/// <summary>
/// Issue 14 (N2 of the fourth fault round): PostgreSQL hung while the outbox's disk is full. The answers were a bare
/// 500 after 13 s, the loop's run was lost, empty temporary files stayed, and health said healthy afterwards. An
/// answer that cannot be stored anywhere is refused (503 naming the outbox and why); the loop's run is held in
/// memory; health shows both; and once there is space and the database is back, every kept run is stored once.
/// </summary>
[Collection(ServiceHostCollection.Name)]
public sealed class OutboxFaultTests
{
    [Fact]
    public async Task OutboxDiskFull_DatabaseHung_RefusesAnswersHoldsTheLoopsRunAndStoresEachOnceAfterwards()
    {
        await using var cluster = await PostgresCluster.StartAsync();
        var folder = Path.Combine(Path.GetTempPath(), "po-outbox-full-" + Guid.NewGuid().ToString("n"));
        var disk = new FillingDisk();
        var service = new ServiceFixture
        {
            Postgres = cluster.Connection,
            Settings = ["--Database:TimeoutSeconds=1", "--Database:MaxRetries=1", "--Database:BreakSeconds=2", "--Optimization:IntervalSeconds=60"],
            Services = services => services.AddSingleton(sp => new RunOutbox(folder, sp.GetRequiredService<TimeProvider>(), disk.Create)),
        };
        try
        {
            await service.InitializeAsync();
            await service.LatestRunAsync();
            var before = await FaultKit.RunsAsync(service.DatabaseConnection);
            disk.IsFull = true;
            cluster.Pause();

            // An answer neither the database nor the outbox can keep is not given.
            using var refused = await service.Client.PostAsJsonAsync("/optimize", FaultKit.KilnRequest());
            using var since = OwnLateness.Start();
            var problem = await refused.Content.ReadFromJsonAsync<JsonElement>();
            Assert.True(refused.StatusCode == HttpStatusCode.ServiceUnavailable, problem.ToString());
            Assert.Equal("The run cannot be stored", problem.GetProperty("title").GetString());
            Assert.Equal($"outbox folder '{Path.GetFileName(folder)}'", problem.GetProperty("outbox").GetString());
            Assert.Contains("No space left on device", problem.GetProperty("reason").GetString(), StringComparison.Ordinal);
            // The answer goes to anyone who asks: the outbox is named without the machine's path.
            AssertNoMachinePath(problem.ToString(), folder);
            Assert.NotNull(refused.Headers.RetryAfter);
            Assert.True(disk.FailedOpens > 0);
            var (_, full) = await FaultKit.SaysWithinASecondAsync(service.Client, since, (_, h) => h.GetProperty("outbox").GetProperty("status").GetString() == "degraded", "the outbox failing");
            Assert.Contains("No space left on device", full.GetProperty("outbox").GetProperty("error").GetString(), StringComparison.Ordinal);
            AssertNoMachinePath(full.GetProperty("outbox").ToString(), folder);

            // The loop's run of a slot in the outage is held in memory, and health says the runs are at risk.
            service.Clock.Advance(TimeSpan.FromSeconds(60));
            await FaultKit.WaitForAsync(async () => Pending(await FaultKit.HealthAsync(service.Client)) == (0, 1), TimeSpan.FromSeconds(30), "the outage cycle's run held in memory");
            var (status, held) = await FaultKit.HealthAsync(service.Client);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
            Assert.Equal("unhealthy", held.GetProperty("outbox").GetProperty("status").GetString());
            Assert.Equal(1, held.GetProperty("data").GetProperty("pending_runs").GetInt32());
            Assert.Matches(@"process_optimizer_outbox_held(\{[^}]*\})? 1\b", await service.Client.GetStringAsync("/metrics"));
            Assert.Empty(Directory.GetFiles(folder));

            // Space returns while the database is still hung: the held run goes to the folder, and answers are kept again.
            disk.IsFull = false;
            await FaultKit.WaitForAsync(async () => Pending(await FaultKit.HealthAsync(service.Client)) == (1, 0), TimeSpan.FromSeconds(30), "the held run written to the outbox");
            Assert.Equal("healthy", (await FaultKit.HealthAsync(service.Client)).Body.GetProperty("outbox").GetProperty("status").GetString());
            var kept = await FaultKit.OptimizeAsync(service.Client);
            Assert.True(kept.GetProperty("run_pending").GetBoolean());

            cluster.Resume();
            NpgsqlConnection.ClearAllPools();
            await FaultKit.WaitForAsync(async () => Pending(await FaultKit.HealthAsync(service.Client)) == (0, 0), TimeSpan.FromSeconds(30), "the outbox replay");
            Assert.Empty(Directory.GetFiles(folder));
            var replayed = await FaultKit.RunsAsync(service.DatabaseConnection);
            FaultKit.AssertEachStoredOnce(replayed, before[^1].Id, loop: 1, api: 1);

            // Recovery within one cycle: the next slot succeeds, health healthy.
            await FaultKit.AppendRowAsync(service.DatabaseConnection, service.LastDataRow.AddMinutes(2));
            service.Clock.Advance(TimeSpan.FromSeconds(60));
            Assert.Equal("success", (await FaultKit.NextLoopRunAsync(service.DatabaseConnection, replayed[^1].Id)).Outcome);
            await FaultKit.WaitForAsync(async () => (await FaultKit.HealthAsync(service.Client)).Body.GetProperty("status").GetString() == "healthy", TimeSpan.FromSeconds(10), "health healthy after the recovery");
            FaultKit.AssertEachStoredOnce(await FaultKit.RunsAsync(service.DatabaseConnection), before[^1].Id, loop: 2, api: 1);
        }
        finally
        {
            cluster.Resume();
            await service.DisposeAsync();
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
    }

    // Neither the folder nor any other absolute path (a quoted file's, such as the full disk's device) is in the text.
    private static void AssertNoMachinePath(string text, string folder)
    {
        Assert.DoesNotContain(folder, text, StringComparison.Ordinal);
        Assert.DoesNotMatch(@"['""\s(]/[A-Za-z0-9_.-]+/", text);
    }

    private static (int OnDisk, int InMemory) Pending((HttpStatusCode Status, JsonElement Body) health) =>
        (health.Body.GetProperty("data").GetProperty("pending_on_disk").GetInt32(), health.Body.GetProperty("data").GetProperty("pending_in_memory").GetInt32());
}
