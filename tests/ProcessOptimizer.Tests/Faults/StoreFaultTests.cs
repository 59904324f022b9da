using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using ProcessOptimizer.Workers;
using ProcessOptimizer.Tests.Service;
using ProcessOptimizer.Tests.Strategies;

namespace ProcessOptimizer.Tests.Faults;

/// <summary>
/// Issue 14: an object store that hangs (SIGSTOP) or is stopped. Each test runs its own s3rver, so pausing it
/// does not disturb other tests. The service must serve from its cache, say so in /health within a second,
/// and be back to healthy within one cycle of the store's return.
/// </summary>
[Collection(ServiceHostCollection.Name)]
public sealed class StoreFaultTests
{
    [Theory]
    [InlineData("paused")]
    [InlineData("stopped")]
    public async Task Store_HungOrDown_ServesFromCacheReportsDegradedAndRecovers(string fault)
    {
        using var s3 = new S3rverProcess();
        await s3.StartAsync();
        var service = new ServiceFixture
        {
            S3 = s3.Endpoint,
            // One solver worker: it never talks to the store, so the outage must change nothing for it.
            Settings = ["--Solver:Workers=1", "--Storage:S3:TimeoutSeconds=1", "--Storage:S3:MaxRetries=1", "--Storage:BreakSeconds=2", "--Optimization:IntervalSeconds=60"],
        };
        try
        {
            await service.InitializeAsync();
            var first = await service.LatestRunAsync();
            Assert.Equal("success", first.GetProperty("outcome").GetString());

            if (fault == "paused")
            {
                s3.Pause();
            }
            else
            {
                s3.Stop();
            }

            // Nothing else is calling the store now: health's own probe must find it out, within a second.
            using var since = OwnLateness.Start();
            var (down, report) = await FaultKit.SaysWithinASecondAsync(service.Client, since, (_, h) => h.GetProperty("store").GetProperty("status").GetString() == "degraded", "the store degraded");
            Assert.Equal(HttpStatusCode.OK, down);
            Assert.Equal("degraded", report.GetProperty("status").GetString());
            Assert.Equal("1.0.0", report.GetProperty("strategy").GetProperty("deployed_version").GetString());

            // A cycle while the store is away: the feed delivers a minute, the clock moves on.
            var minute = service.LastDataRow.AddMinutes(1);
            await FaultKit.AppendRowAsync(service.DatabaseConnection, minute);
            service.Clock.Advance(TimeSpan.FromSeconds(60));
            var during = await FaultKit.NextLoopRunAsync(service.DatabaseConnection, first.GetProperty("id").GetInt64());
            Assert.Equal("success", during.Outcome);
            Assert.Equal("1.0.0", during.Version);

            var answer = await FaultKit.OptimizeAsync(service.Client);
            Assert.Equal("1.0.0", answer.GetProperty("strategy_version").GetString());
            Assert.True(answer.GetProperty("run_id").GetInt64() > 0);

            // A worker replaced during the outage gets the strategy and models from the service, not the store.
            var pool = service.App.Services.GetRequiredService<WorkerPool>();
            var worker = pool.Workers[0].Pid!.Value;
            Signals.Kill([worker]);
            await FaultKit.WaitForAsync(() => Task.FromResult(!Directory.Exists($"/proc/{worker}")), TimeSpan.FromSeconds(5), "the worker's end");
            var replaced = await FaultKit.OptimizeAsync(service.Client);
            Assert.Equal("1.0.0", replaced.GetProperty("strategy_version").GetString());
            Assert.Equal(answer.GetProperty("cost_function_value").GetDouble(), replaced.GetProperty("cost_function_value").GetDouble());
            Assert.NotEqual(worker, pool.Workers[0].Pid);

            var (status, health) = await FaultKit.HealthAsync(service.Client);
            Assert.Equal(HttpStatusCode.OK, status);
            Assert.Equal("degraded", health.GetProperty("status").GetString());
            Assert.Equal("degraded", health.GetProperty("store").GetProperty("status").GetString());
            Assert.False(string.IsNullOrEmpty(health.GetProperty("store").GetProperty("error").GetString()));

            // Repeated failures open the circuit: requests no longer wait for the store at all.
            var circuit = FaultKit.WaitForAsync(
                async () => await FaultKit.MetricAsync(service.Client, "process_optimizer_circuit_open", "dependency=\"store\"") == 1,
                TimeSpan.FromSeconds(10),
                "the store's circuit opening");
            Assert.True(await Task.WhenAny(circuit, Task.Delay(TimeSpan.FromSeconds(11))) == circuit && circuit.IsCompletedSuccessfully, await service.Client.GetStringAsync("/metrics"));

            if (fault == "paused")
            {
                s3.Resume();
            }
            else
            {
                await s3.StartAsync();
            }

            // The background probe finds the store again, and the next cycle runs normally.
            await AssertRecoversAsync(service, minute.AddMinutes(1), during.Id, first.GetProperty("id").GetInt64(), api: 2);
        }
        finally
        {
            s3.Resume();
            await service.DisposeAsync();
        }
    }

    [Fact]
    public async Task Store_Hung_FirstRequestIsServedFromCacheWellBeforeTheCallTimeout()
    {
        const int timeoutSeconds = 20;
        using var s3 = new S3rverProcess();
        await s3.StartAsync();
        var service = new ServiceFixture { S3 = s3.Endpoint, Settings = ["--Solver:Workers=0", $"--Storage:S3:TimeoutSeconds={timeoutSeconds}", "--Optimization:IntervalSeconds=3600"] };
        try
        {
            await service.InitializeAsync();
            await FaultKit.OptimizeAsync(service.Client);

            // The store hangs, and the cached version is due for its freshness check (once a second) when the
            // first request comes, a second later: the check cannot be answered, and the cache can.
            s3.Pause();
            service.Clock.Advance(TimeSpan.FromSeconds(2));
            await Task.Delay(TimeSpan.FromSeconds(1));
            var watch = Stopwatch.StartNew();
            var answer = await FaultKit.OptimizeAsync(service.Client);
            watch.Stop();

            Assert.Equal("1.0.0", answer.GetProperty("strategy_version").GetString());
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(timeoutSeconds / 2.0), $"the first request after the hang took {watch.Elapsed.TotalSeconds:F1} s, against the store's {timeoutSeconds} s call timeout");
        }
        finally
        {
            s3.Resume();
            await service.DisposeAsync();
        }
    }

    [Fact]
    public async Task Store_Paused_AVersionsTextIs503NamingTheStore()
    {
        // The dashboard's view of a version's YAML reads the store itself: with the store paused it was a 500, logged
        // as an unhandled error with its stack, where every other route answers 503 or from the cache.
        using var s3 = new S3rverProcess();
        await s3.StartAsync();
        var service = new ServiceFixture { S3 = s3.Endpoint, Settings = ["--Solver:Workers=0", "--Storage:S3:TimeoutSeconds=1", "--Storage:S3:MaxRetries=0", "--Optimization:IntervalSeconds=3600"] };
        try
        {
            await service.InitializeAsync();
            Assert.Equal(HttpStatusCode.OK, (await service.Client.GetAsync("/strategies/process-optimization/versions/1.0.0")).StatusCode);

            s3.Pause();
            var response = await service.Client.GetAsync("/strategies/process-optimization/versions/1.0.0");
            var problem = await response.Content.ReadFromJsonAsync<JsonElement>();

            Assert.True(HttpStatusCode.ServiceUnavailable == response.StatusCode, problem.GetRawText());
            Assert.Equal("The store is unreachable", problem.GetProperty("title").GetString());
            Assert.Contains("s3 bucket", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        }
        finally
        {
            s3.Resume();
            await service.DisposeAsync();
        }
    }

    [Fact]
    public async Task Store_LocalFolderRemoved_IsAStoreDownServesFromCacheAndRecovers()
    {
        var root = Directory.CreateTempSubdirectory("po-local-store-").FullName;
        TestServers.CopyKilnStore(root, overwrite: true);
        var service = new ServiceFixture
        {
            Settings = ["--Solver:Workers=1", "--Storage:Kind=local", "--Storage:LocalRoot=" + root, "--Storage:S3:MaxRetries=1", "--Storage:BreakSeconds=2", "--Optimization:IntervalSeconds=60"],
        };
        try
        {
            await service.InitializeAsync();
            var first = await service.LatestRunAsync();
            Assert.Equal("success", first.GetProperty("outcome").GetString());

            // rm -rf of the store folder while the service runs: the store is gone, not empty.
            Directory.Delete(root, recursive: true);
            using var since = OwnLateness.Start();
            var (status, health) = await FaultKit.SaysWithinASecondAsync(service.Client, since, (_, h) => h.GetProperty("store").GetProperty("status").GetString() == "degraded", "the store degraded");
            Assert.Equal(HttpStatusCode.OK, status);
            Assert.Equal("degraded", health.GetProperty("status").GetString());
            Assert.Equal("1.0.0", health.GetProperty("strategy").GetProperty("deployed_version").GetString());
            Assert.Equal(JsonValueKind.Null, health.GetProperty("strategy").GetProperty("error").ValueKind);

            var answer = await FaultKit.OptimizeAsync(service.Client);
            Assert.Equal("1.0.0", answer.GetProperty("strategy_version").GetString());
            var minute = service.LastDataRow.AddMinutes(1);
            await FaultKit.AppendRowAsync(service.DatabaseConnection, minute);
            service.Clock.Advance(TimeSpan.FromSeconds(60));
            var during = await FaultKit.NextLoopRunAsync(service.DatabaseConnection, first.GetProperty("id").GetInt64());
            Assert.Equal("success", during.Outcome);
            Assert.Equal("1.0.0", during.Version);
            await FaultKit.WaitForAsync(
                async () => (await FaultKit.HealthAsync(service.Client)).Body.GetProperty("store").GetProperty("error").GetString()?.Contains("does not exist", StringComparison.Ordinal) == true,
                TimeSpan.FromSeconds(10),
                "health naming the missing folder");

            // The folder is restored: the store is back within a probe, and the next cycle runs as usual.
            TestServers.CopyKilnStore(root, overwrite: true);
            await AssertRecoversAsync(service, minute.AddMinutes(1), during.Id, first.GetProperty("id").GetInt64(), api: 1);
        }
        finally
        {
            await service.DisposeAsync();
            if (Directory.Exists(root))
            {
                Directory.Delete(root, recursive: true);
            }
        }
    }

    // No run lost or stored twice: one loop run per slot and one per answer since the first, each with its own key.
    // The store is healthy again, the next minute's cycle succeeds, and every run of the test was stored once.
    private static async Task AssertRecoversAsync(ServiceFixture service, DateTimeOffset nextMinute, long during, long first, int api)
    {
        await FaultKit.WaitForAsync(async () => (await FaultKit.HealthAsync(service.Client)).Body.GetProperty("store").GetProperty("status").GetString() == "healthy", TimeSpan.FromSeconds(20), "the store's recovery");
        await FaultKit.AppendRowAsync(service.DatabaseConnection, nextMinute);
        service.Clock.Advance(TimeSpan.FromSeconds(60));
        var after = await FaultKit.NextLoopRunAsync(service.DatabaseConnection, during);
        Assert.Equal("success", after.Outcome);
        Assert.Equal("healthy", (await FaultKit.HealthAsync(service.Client)).Body.GetProperty("status").GetString());
        FaultKit.AssertEachStoredOnce(await FaultKit.RunsAsync(service.DatabaseConnection), first, loop: 2, api: api);
    }
}
