using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using ProcessOptimizer.Core.Runs;
using ProcessOptimizer.Cycles;
using ProcessOptimizer.Hosting;
using ProcessOptimizer.Storage.ObjectStores;
using ProcessOptimizer.Strategies;
using ProcessOptimizer.Tests.Faults;
using ProcessOptimizer.Tests.Service;

namespace ProcessOptimizer.Tests.Scheduling;

/// <summary>
/// Issue 16: two strategies in one SQLite deployment, each on its own pointer, data table, schedule and version.
/// One process schedules both; a version switch of one leaves the other alone, and the plain routes act on the first.
/// </summary>
[Collection(ServiceHostCollection.Name)]
public sealed class SingleNodeTests : IAsyncLifetime
{
    private const string ApiKey = "single-key";

    private readonly string _folder = Directory.CreateTempSubdirectory("po-single-").FullName;
    private readonly CancellationTokenSource _feeding = new();
    private Task _feeder = Task.CompletedTask;
    private WebApplication _app = null!;
    private HttpClient _client = null!;

    private string Database => Path.Combine(_folder, "runs.db");

    public async Task InitializeAsync()
    {
        var store = new LocalFolderStore(Path.Combine(_folder, "store"));
        await TestStrategies.UploadAsync(store, "kiln-strategy-config.yaml", "kiln_feed");
        await TestStrategies.UploadAsync(store, "lines/cooler.yaml", "cooler_air");
        await TestStrategies.UploadAsync(store, "spare.yaml", "kiln_feed");
        await SqlitePlant.CreateAsync(Database, ("process_data", "kiln_feed"), ("cooler_data", "cooler_air"));
        _feeder = SqlitePlant.FeedAsync(Database, ["process_data", "cooler_data"], _feeding.Token);
        _app = ServiceHost.Build(
        [
            "--Urls=http://127.0.0.1:0", "--App:Mode=hybrid", "--Api:Key=" + ApiKey, "--Demo:Replay=false", "--Solver:Workers=0",
            "--Database:ConnectionString=Data Source=" + Database, "--Database:OutboxFolder=" + Path.Combine(_folder, "outbox"),
            "--Storage:LocalRoot=" + Path.Combine(_folder, "store"),
            .. TestStrategies.Setting(0, "kiln", "kiln-strategy-config.yaml", 1),
            .. TestStrategies.Setting(1, "cooler", "lines/cooler.yaml", 2, "cooler_data"),
            .. TestStrategies.Setting(2, "spare", "spare.yaml", 3600),
        ]);
        await ServiceHost.InitializeAsync(_app, CancellationToken.None);
        await _app.StartAsync();
        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        _client = new HttpClient { BaseAddress = new Uri(address) };
    }

    [Fact]
    public async Task TwoStrategies_OnSqlite_EachRunsOnItsOwnScheduleDataAndVersion()
    {
        var health = await _client.GetFromJsonAsync<JsonElement>("/health");
        Assert.Equal("single-node", health.GetProperty("scheduler").GetProperty("mode").GetString());
        Assert.Equal(["cooler", "kiln", "spare"], health.GetProperty("strategies").EnumerateObject().Select(p => p.Name).Order());

        // Both run, each from its own table, toward its own target (version 1.0.0: 10).
        var kiln = await NextSuccessAsync("kiln", after: 0);
        var cooler = await NextSuccessAsync("cooler", after: 0);
        Assert.Equal(("kiln_feed", 10.0), Recommended(kiln));
        Assert.Equal(("cooler_air", 10.0), Recommended(cooler));

        // The plain routes are the first strategy's.
        var latest = await _client.GetFromJsonAsync<JsonElement>("/runs/latest");
        Assert.Equal("kiln", latest.GetProperty("strategy_name").GetString());
        var list = await _client.GetFromJsonAsync<JsonElement>("/strategies");
        Assert.Equal([("kiln", true), ("cooler", false), ("spare", false)], list.EnumerateArray().Select(s => (s.GetProperty("name").GetString(), s.GetProperty("default").GetBoolean())));

        // A switch of the cooler leaves the kiln on its version.
        var switched = await _client.SendAsync(new HttpRequestMessage(HttpMethod.Put, "/strategies/cooler/version")
        {
            Headers = { { "X-Api-Key", ApiKey } },
            Content = JsonContent.Create(new { version = "2.0.0" }),
        });
        Assert.Equal(HttpStatusCode.OK, switched.StatusCode);
        var coolerAfter = await NextSuccessAsync("cooler", after: cooler.GetProperty("id").GetInt64());
        var kilnAfter = await NextSuccessAsync("kiln", after: coolerAfter.GetProperty("id").GetInt64());
        Assert.Equal(("2.0.0", 20.0), (coolerAfter.GetProperty("strategy_version").GetString(), Recommended(coolerAfter).Value));
        Assert.Equal(("1.0.0", 10.0), (kilnAfter.GetProperty("strategy_version").GetString(), Recommended(kilnAfter).Value));
        Assert.Equal("1.0.0", (await _client.GetFromJsonAsync<JsonElement>("/strategy")).GetProperty("version").GetString());

        // On demand, by name, stored apart from the loop's runs.
        var answer = await _client.PostAsJsonAsync("/strategies/cooler/optimize", new { input_data = new Dictionary<string, double> { ["cooler_air"] = 30 } });
        var body = await answer.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(answer.StatusCode == HttpStatusCode.OK, body.ToString());
        var stored = await _client.GetFromJsonAsync<JsonElement>($"/runs/{body.GetProperty("run_id").GetInt64()}");
        Assert.Equal(("cooler/api", 20.0), (stored.GetProperty("strategy_name").GetString(), Recommended(stored).Value));

        // Each strategy kept its own cadence: the cooler's cycles are its 2 s apart, not the kiln's 1 s.
        var coolerRuns = await _client.GetFromJsonAsync<JsonElement>("/strategies/cooler/runs");
        var starts = coolerRuns.EnumerateArray().Select(r => r.GetProperty("started_at").GetDateTimeOffset()).Order().ToList();
        Assert.True(starts.Count >= 2, coolerRuns.ToString());
        Assert.All(starts.Zip(starts.Skip(1), (a, b) => (b - a).TotalSeconds), gap => Assert.InRange(gap, 1.9, 60));

        // Each strategy is its own metrics label; OpenAPI documents the named routes beside today's.
        var metrics = await _client.GetStringAsync("/metrics");
        Assert.Contains(metrics.Split('\n'), l => l.StartsWith("process_optimizer_cycle_outcomes_total{", StringComparison.Ordinal) && l.Contains("strategy=\"cooler\"", StringComparison.Ordinal));
        var paths = (await _client.GetFromJsonAsync<JsonElement>("/openapi/v1.json")).GetProperty("paths");
        Assert.All(["/optimize", "/process/optimize", "/strategies", "/strategies/{name}", "/strategies/{name}/optimize", "/strategies/{name}/version", "/strategies/{name}/runs", "/strategies/{name}/runs/latest"],
            path => Assert.True(paths.TryGetProperty(path, out _), path));

        // An unknown name is a 404 naming the strategies there are.
        var unknown = await _client.GetAsync("/strategies/raw-mill/runs/latest");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Contains("kiln, cooler, spare", await unknown.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    // The version text read the seed's key (configs/process-optimization-strategy-config-V.yaml) for every
    // strategy, so a strategy on its own pointer had no version to show, or another strategy's.
    [Fact]
    public async Task VersionText_OfAStrategyOnItsOwnPointer_IsItsOwnYaml()
    {
        var cooler = await _client.GetAsync("/strategies/cooler/versions/2.0.0");
        var kiln = await _client.GetAsync("/strategies/kiln/versions/1.0.0");

        Assert.Equal(HttpStatusCode.OK, cooler.StatusCode);
        Assert.Equal(TestStrategies.Yaml("cooler_air", 20), await cooler.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, kiln.StatusCode);
        Assert.Equal(TestStrategies.Yaml("kiln_feed", 10), await kiln.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task SameCycleFiredTwice_IsStoredAndCountedOnce()
    {
        // A retried or recovered firing repeats the slot: its run is the stored one, and nothing is counted again.
        var strategy = _app.Services.GetRequiredService<StrategyCatalog>().Find("spare")!;
        var executor = _app.Services.GetRequiredService<CycleExecutor>();
        await NextSuccessAsync("spare", after: 0);
        await Task.Delay(600);
        var slot = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

        var first = await executor.RunOnceAsync(strategy, slot, CancellationToken.None);
        var counted = strategy.Health.Counts.Values.Sum();
        var again = await executor.RunOnceAsync(strategy, slot, CancellationToken.None);

        Assert.Equal("success", first!.Outcome.Name());
        Assert.Equal(first.Id, again!.Id);
        Assert.Equal(counted, strategy.Health.Counts.Values.Sum());
        var runs = await _client.GetFromJsonAsync<JsonElement>("/strategies/spare/runs");
        Assert.Equal(2, runs.GetArrayLength());
    }

    public async Task DisposeAsync()
    {
        await _feeding.CancelAsync();
        await _feeder;
        _client?.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
        _feeding.Dispose();
    }

    // The recommendation for the strategy's one tag (the run also lists its cost).
    private static (string Variable, double Value) Recommended(JsonElement run)
    {
        var recommendation = run.GetProperty("recommendations").EnumerateArray().Single(r => r.GetProperty("variable").GetString() != "cost");
        return (recommendation.GetProperty("variable").GetString()!, Math.Round(recommendation.GetProperty("recommended").GetDouble(), 4));
    }

    private async Task<JsonElement> NextSuccessAsync(string strategy, long after)
    {
        JsonElement found = default;
        await FaultKit.WaitForAsync(async () =>
        {
            var response = await _client.GetAsync($"/strategies/{strategy}/runs/latest");
            if (response.StatusCode != HttpStatusCode.OK)
            {
                return false;
            }

            found = await response.Content.ReadFromJsonAsync<JsonElement>();
            return found.GetProperty("id").GetInt64() > after && found.GetProperty("outcome").GetString() == "success";
        }, TimeSpan.FromSeconds(20), $"a new successful cycle of {strategy}");
        return found;
    }
}
