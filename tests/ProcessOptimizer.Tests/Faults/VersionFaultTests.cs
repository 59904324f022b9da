using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using ProcessOptimizer.Core.Storage;
using ProcessOptimizer.Storage.ObjectStores;
using ProcessOptimizer.Tests.Service;
using ProcessOptimizer.Workers;

namespace ProcessOptimizer.Tests.Faults;

/// <summary>
/// Issue 14: versions that cannot load, a YAML file that does not parse and a model with NaN weights, deployed
/// through the API or by editing the version pointer in the store. The live version must keep running, the
/// API must answer 422 with where the problem is, and /health must name the broken version.
/// </summary>
[Collection(ServiceHostCollection.Name)]
public sealed class VersionFaultTests
{
    private const string Pointer = "process-optimization-strategy-config.yaml";

    [Fact]
    public async Task Version_UnparsableYaml_Is422WithLineAndColumnAndPointerToItKeepsTheGoodVersion()
    {
        await using var service = new OwnedFixture();
        await service.Fixture.InitializeAsync();
        using var store = new S3ObjectStore(service.Fixture.S3Settings());
        await store.PutTextAsync("configs/process-optimization-strategy-config-9.9.9.yaml", "bad: [unclosed\n", CancellationToken.None);

        var put = await Admin(service.Fixture, "9.9.9");
        var problem = await put.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.UnprocessableEntity, put.StatusCode);
        Assert.True(problem.Contains("line 2, column 1", StringComparison.Ordinal), problem);

        await AssertLastGoodKeepsRunningAsync(service.Fixture, store, "9.9.9", "line 2, column 1");
    }

    // The seed's field: the switch's answer listed only the version it switched to, where GET /strategy lists the store's.
    [Fact]
    public async Task Switch_ToAGoodVersion_AnswerListsEveryVersionInTheStore()
    {
        await using var service = new OwnedFixture();
        await service.Fixture.InitializeAsync();
        using var store = new S3ObjectStore(service.Fixture.S3Settings());
        var yaml = await store.GetTextAsync("configs/process-optimization-strategy-config-1.0.0.yaml", CancellationToken.None);
        await store.PutTextAsync("configs/process-optimization-strategy-config-1.0.1.yaml", yaml, CancellationToken.None);

        var put = await Admin(service.Fixture, "1.0.1");
        var answer = await put.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        Assert.Equal("1.0.1", answer.GetProperty("version").GetString());
        Assert.Equal(["1.0.0", "1.0.1"], answer.GetProperty("available_versions").EnumerateArray().Select(v => v.GetString()!).Order());
    }

    [Fact]
    public async Task Version_ModelWithNanWeights_IsRefusedNamingItsKeyAndPointerToItKeepsTheGoodVersion()
    {
        await using var service = new OwnedFixture();
        await service.Fixture.InitializeAsync();
        using var store = new S3ObjectStore(service.Fixture.S3Settings());
        var configs = Path.Combine(TestServers.Kiln, "store", "configs", "process-optimization-strategy-config-1.0.0.yaml");
        var good = Path.Combine(TestServers.Kiln, "store", "models", "Burning_zone_temperature", "Burning_zone_temperature_model.onnx");
        const string poisoned = "models/poisoned/Burning_zone_temperature_model.onnx";
        await store.PutAsync(poisoned, new MemoryStream(OnnxPoison.NanWeights(await File.ReadAllBytesAsync(good))), CancellationToken.None);
        var yaml = (await File.ReadAllTextAsync(configs)).Replace("models/Burning_zone_temperature/Burning_zone_temperature_model.onnx", poisoned, StringComparison.Ordinal);
        Assert.Contains(poisoned, yaml, StringComparison.Ordinal);
        await store.PutTextAsync("configs/process-optimization-strategy-config-1.0.2.yaml", yaml, CancellationToken.None);

        var put = await Admin(service.Fixture, "1.0.2");
        var problem = await put.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.UnprocessableEntity, put.StatusCode);
        Assert.True(problem.Contains(poisoned, StringComparison.Ordinal) && problem.Contains("non-finite", StringComparison.Ordinal), problem);

        await AssertLastGoodKeepsRunningAsync(service.Fixture, store, "1.0.2", poisoned);
    }

    [Fact]
    public async Task Version_ColdStartOnABrokenPointer_ServesTheLastGoodVersionAndNamesTheBrokenOne()
    {
        await using var service = new OwnedFixture();
        await service.Fixture.InitializeAsync();
        var before = await service.Fixture.LatestRunAsync();
        Assert.Equal("1.0.0", before.GetProperty("strategy_version").GetString());
        using var store = new S3ObjectStore(service.Fixture.S3Settings());
        await store.PutTextAsync("configs/process-optimization-strategy-config-9.9.9.yaml", "bad: [unclosed\n", CancellationToken.None);
        await store.PutTextAsync(Pointer, $"{Pointer}: 9.9.9\n", CancellationToken.None);

        // The service restarts while the pointer names the broken version: nothing of 1.0.0 is in memory now.
        await service.Fixture.RestartAsync();

        var answer = await FaultKit.OptimizeAsync(service.Fixture.Client);
        Assert.Equal("1.0.0", answer.GetProperty("strategy_version").GetString());
        var (status, health) = await FaultKit.HealthAsync(service.Fixture.Client);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("degraded", health.GetProperty("status").GetString());
        Assert.Equal("1.0.0", health.GetProperty("strategy").GetProperty("deployed_version").GetString());
        Assert.Equal("9.9.9", health.GetProperty("strategy").GetProperty("broken_version").GetString());
        Assert.Contains("line 2, column 1", health.GetProperty("strategy").GetProperty("broken_reason").GetString(), StringComparison.Ordinal);

        // The restarted loop's first cycle ran the last good version too.
        FaultKit.StoredRun? next = null;
        await FaultKit.WaitForAsync(async () =>
        {
            next = (await FaultKit.RunsAsync(service.Fixture.DatabaseConnection)).FirstOrDefault(r => r.Id > before.GetProperty("id").GetInt64() && r.Strategy == "process-optimization");
            return next is not null;
        }, TimeSpan.FromSeconds(30), "the restarted loop's cycle");
        Assert.Equal("1.0.0", next!.Version);
        Assert.NotEqual("error", next.Outcome);
    }

    // The four things every fault asserts: what is served, what /health says within a second of the pointer's
    // edit (and of its repair), that no run is lost or stored twice, and that the first cycle after the repair is
    // a normal one with health healthy.
    private static async Task AssertLastGoodKeepsRunningAsync(ServiceFixture service, S3ObjectStore store, string broken, string why)
    {
        var first = (await service.LatestRunAsync()).GetProperty("id").GetInt64();

        // An operator (or another replica) points the store at the broken version. Nothing else asks for the
        // strategy now: health must find it out by itself.
        await store.PutTextAsync(Pointer, $"{Pointer}: {broken}\n", CancellationToken.None);
        using var since = OwnLateness.Start();
        var (status, health) = await FaultKit.SaysWithinASecondAsync(service.Client, since, (_, h) => h.GetProperty("strategy").GetProperty("broken_version").GetString() == broken, $"the broken version {broken}");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("degraded", health.GetProperty("status").GetString());
        Assert.Equal("1.0.0", health.GetProperty("strategy").GetProperty("deployed_version").GetString());
        Assert.Contains(why, health.GetProperty("strategy").GetProperty("broken_reason").GetString(), StringComparison.Ordinal);
        Assert.Equal("healthy", health.GetProperty("store").GetProperty("status").GetString());

        service.Clock.Advance(TimeSpan.FromSeconds(5));
        var answer = await FaultKit.OptimizeAsync(service.Client);
        Assert.Equal("1.0.0", answer.GetProperty("strategy_version").GetString());

        // A worker started while the pointer is broken still gets the good version, from the service.
        var worker = service.App.Services.GetRequiredService<WorkerPool>().Workers[0].Pid!.Value;
        Signals.Kill([worker]);
        await FaultKit.WaitForAsync(() => Task.FromResult(!Directory.Exists($"/proc/{worker}")), TimeSpan.FromSeconds(5), "the worker's end");
        var replaced = await FaultKit.OptimizeAsync(service.Client);
        Assert.Equal("1.0.0", replaced.GetProperty("strategy_version").GetString());
        Assert.Equal(answer.GetProperty("cost_function_value").GetDouble(), replaced.GetProperty("cost_function_value").GetDouble());

        // The loop's next cycle runs the good version too.
        await NextHourAsync(service);
        var during = await FaultKit.NextLoopRunAsync(service.DatabaseConnection, first);
        Assert.Equal("1.0.0", during.Version);
        Assert.Equal("success", during.Outcome);
        Assert.Equal("degraded", (await FaultKit.HealthAsync(service.Client)).Body.GetProperty("status").GetString());

        // Pointing back at the good version clears the alarm within a second, and the next cycle is a normal one.
        await store.PutTextAsync(Pointer, $"{Pointer}: 1.0.0\n", CancellationToken.None);
        using var cleared = OwnLateness.Start();
        await FaultKit.SaysWithinASecondAsync(service.Client, cleared, (_, h) => h.GetProperty("strategy").GetProperty("broken_version").ValueKind == JsonValueKind.Null, "the broken-version alarm cleared");
        await NextHourAsync(service);
        var after = await FaultKit.NextLoopRunAsync(service.DatabaseConnection, during.Id);
        Assert.Equal(("1.0.0", "success"), (after.Version, after.Outcome));
        (status, health) = await FaultKit.HealthAsync(service.Client);
        Assert.True(status == HttpStatusCode.OK && health.GetProperty("status").GetString() == "healthy", health.ToString());

        // Nothing was lost or stored twice: the two cycles and the two answers, each once.
        FaultKit.AssertEachStoredOnce(await FaultKit.RunsAsync(service.DatabaseConnection), first, loop: 2, api: 2);
    }

    // The feed delivers a row just before the next hourly slot, and the clock lands on the slot itself: a slot reached
    // later than the misfire threshold is skipped, as after a pause of the service.
    private static async Task NextHourAsync(ServiceFixture service)
    {
        // The loop began at the fixture's start time and fires every hour after it.
        var start = service.LastDataRow.AddSeconds(30);
        var now = service.Clock.GetUtcNow();
        var next = start.AddHours(Math.Floor((now - start).TotalHours) + 1);
        await FaultKit.AppendRowAsync(service.DatabaseConnection, next.AddSeconds(-10));
        service.Clock.Advance(next - now);
    }

    private static Task<HttpResponseMessage> Admin(ServiceFixture service, string version)
    {
        var request = new HttpRequestMessage(HttpMethod.Put, "/strategy/version") { Content = JsonContent.Create(new { version }) };
        request.Headers.Add("X-Api-Key", ServiceFixture.ApiKey);
        return service.Client.SendAsync(request);
    }

    private sealed class OwnedFixture : IAsyncDisposable
    {
        // One solver worker: it gets the good version from the service, whatever the store's pointer says.
        public ServiceFixture Fixture { get; } = new() { Settings = ["--Solver:Workers=1"] };

        public async ValueTask DisposeAsync() => await Fixture.DisposeAsync();
    }
}
