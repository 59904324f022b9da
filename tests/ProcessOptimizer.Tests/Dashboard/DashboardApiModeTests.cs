using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using ProcessOptimizer.Core.Data;
using ProcessOptimizer.Core.Runs;
using ProcessOptimizer.Hosting;
using ProcessOptimizer.Storage.Database;
using ProcessOptimizer.Tests.Service;

namespace ProcessOptimizer.Tests.Dashboard;

/// <summary>The dashboard in api mode, which has no loop: its files are served and its status shows the recorded runs only.</summary>
[Collection(ServiceHostCollection.Name)]
public sealed class DashboardApiModeTests : IAsyncLifetime
{
    private readonly string _folder = Directory.CreateTempSubdirectory("po-dashboard-").FullName;
    private WebApplication _app = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        _app = ServiceHost.Build(
        [
            "--Urls=http://127.0.0.1:0", "--App:Mode=api", "--Demo:Replay=false", "--Solver:Workers=0",
            "--Database:ConnectionString=Data Source=" + Path.Combine(_folder, "runs.db"), "--Database:OutboxFolder=" + Path.Combine(_folder, "outbox"),
        ]);
        await ServiceHost.InitializeAsync(_app, CancellationToken.None);
        await _app.StartAsync();
        _client = new HttpClient { BaseAddress = new Uri(_app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()) };
    }

    [Fact]
    public async Task Status_ApiMode_ShowsTheRecordedRunAndNoNextCycle()
    {
        var at = DateTimeOffset.UtcNow.AddMinutes(-5);
        var id = (await _app.Services.GetRequiredService<IRunStore>().SaveAsync(
            new RunRecord { StrategyName = "process-optimization", StrategyVersion = "1.0.0", StartedAt = at, FinishedAt = at.AddSeconds(1), Outcome = RunOutcome.Infeasible },
            CancellationToken.None)).Id;

        var status = await _client.GetFromJsonAsync<JsonElement>("/strategies/process-optimization/status");

        Assert.Equal("api", status.GetProperty("mode").GetString());
        Assert.Equal(JsonValueKind.Null, status.GetProperty("next_cycle_at").ValueKind);
        Assert.Equal(id, status.GetProperty("last_run").GetProperty("id").GetInt64());
        Assert.Equal("infeasible", status.GetProperty("last_run").GetProperty("outcome").GetString());
        Assert.Equal((0, 1), (status.GetProperty("service_factor24h").GetProperty("usable").GetInt32(), status.GetProperty("service_factor24h").GetProperty("total").GetInt32()));
        // The deployed version is loaded before the service listens, so from the first request only the data is
        // missing: nothing was imported.
        Assert.False(string.IsNullOrEmpty(status.GetProperty("deployed_version").GetString()));
        Assert.Equal("unhealthy", status.GetProperty("health").GetString());
        Assert.Equal("no process data is stored", status.GetProperty("reasons")[0].GetString());
    }

    [Fact]
    public async Task Status_RowStampedInTheFuture_FreshnessIsTheNewestRowACycleReads()
    {
        // A plant writer whose clock or zone is wrong stamps a row a year ahead, and the feed then stops: a cycle
        // reads only rows at or before now, so it is stale, and the overview must not call the data fresh.
        var now = DateTimeOffset.UtcNow;
        var hourAgo = DataTime.Whole(now.AddHours(-1));
        var database = ProcessDatabase.Create(DatabaseKind.Sqlite, "Data Source=" + Path.Combine(_folder, "runs.db"));
        await new ProcessDataImporter(database).ImportAsync(
            new CsvTable(["Kiln_Coal_PV"], [new CsvRow(hourAgo, [10.0]), new CsvRow(DataTime.Whole(now.AddYears(1)), [10.0])]),
            CancellationToken.None);

        var status = await _client.GetFromJsonAsync<JsonElement>("/strategies/process-optimization/status");

        var data = status.GetProperty("data");
        Assert.False(data.GetProperty("fresh").GetBoolean());
        Assert.Equal(hourAgo, data.GetProperty("newest_row").GetDateTimeOffset());
        Assert.InRange(data.GetProperty("age_seconds").GetDouble(), 3500, 4000);
        var reasons = status.GetProperty("reasons").EnumerateArray().Select(r => r.GetString()!).ToList();
        Assert.Contains(reasons, r => r.Contains("60 min old", StringComparison.Ordinal));
        Assert.Contains(reasons, r => r.Contains("in the future", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("/", "text/html", "app.js")]
    [InlineData("/app.js", "text/javascript", "pollMilliseconds")]
    [InlineData("/lib/uPlot.iife.min.js", "text/javascript", "uPlot")]
    [InlineData("/lib/uPlot.LICENSE.txt", "text/plain", "MIT")]
    public async Task Site_File_IsServedByTheServiceWithItsPolicy(string path, string type, string contains)
    {
        var response = await _client.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(type, response.Content.Headers.ContentType!.MediaType);
        Assert.Contains(contains, await response.Content.ReadAsStringAsync());
        Assert.StartsWith("default-src 'self'", response.Headers.GetValues("Content-Security-Policy").Single());
    }

    [Fact]
    public async Task Status_UnknownStrategy_IsNotFoundNamingIt()
    {
        var response = await _client.GetAsync("/strategies/cooler/status");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("'cooler'", await response.Content.ReadAsStringAsync());
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }
}
