using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using ProcessOptimizer.Core.Backtests;
using ProcessOptimizer.Hosting;

using static ProcessOptimizer.Tests.Backtests.BacktestPolling;

namespace ProcessOptimizer.Tests.Backtests;

/// <summary>Issue 18: backtests over the API run in the background, a bounded number at once, and can be cancelled.</summary>
public sealed class BacktestApiTests
{
    private const string Start = "/strategies/process-optimization/backtests";

    [Fact]
    public async Task Delete_RunningBacktest_StopsItKeepingTheStepsDoneAndFreesTheSlot()
    {
        using var kiln = new KilnBacktest();
        await using var app = ServiceHost.Build(kiln.ServiceArguments(0, "--Backtests:MaxRunning=1"));
        await ServiceHost.InitializeAsync(app, CancellationToken.None);
        await app.StartAsync();
        using var client = new HttpClient { BaseAddress = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()) };

        var unknown = await client.PostAsJsonAsync("/strategies/cement-mill/backtests", new { from = "2026-01-02T00:00:00Z", to = "2026-01-03T00:00:00Z" });
        var invalid = await client.PostAsJsonAsync(Start, new { from = "2026-01-02T00:00:00Z", step = "soon" });
        var twice = await client.PostAsync(Start, new StringContent("{\"from\": \"2026-01-02T00:00:00Z\", \"to\": \"2026-01-03T00:00:00Z\", \"to\": \"2026-01-02T01:00:00Z\"}", System.Text.Encoding.UTF8, "application/json"));
        var badVersion = await client.PostAsJsonAsync(Start, new { from = "2026-01-02T00:00:00Z", to = "2026-01-03T00:00:00Z", versions = new[] { "7.7.7" } });
        // A day of one-minute steps: long enough to be cancelled part-way.
        var started = await client.PostAsJsonAsync(Start, new { from = "2026-01-02T00:00:00Z", to = "2026-01-03T00:00:00Z", step = "1m" });
        var busy = await client.PostAsJsonAsync(Start, new { from = "2026-01-02T00:00:00Z", to = "2026-01-02T01:00:00Z" });

        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        var problems = (await Json(invalid)).GetProperty("errors");
        Assert.True(problems.TryGetProperty("to", out _) && problems.TryGetProperty("step", out _), problems.ToString());
        Assert.Equal(HttpStatusCode.BadRequest, twice.StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, badVersion.StatusCode);
        Assert.Contains("7.7.7", (await Json(badVersion)).GetProperty("detail").GetString());
        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        var id = (await Json(started)).GetProperty("id").GetInt64();
        Assert.Equal($"/backtests/{id}", started.Headers.Location!.OriginalString);
        Assert.Equal((HttpStatusCode)429, busy.StatusCode);

        var running = await UntilAsync(client, id, s => s.GetProperty("steps_done").GetInt32() >= 3);
        Assert.Equal("running", running.GetProperty("status").GetString());
        Assert.Equal(1440, running.GetProperty("steps_total").GetInt32());
        Assert.Equal(HttpStatusCode.Accepted, (await client.DeleteAsync($"/backtests/{id}")).StatusCode);
        var cancelled = await UntilAsync(client, id, s => s.GetProperty("status").GetString() != "running");

        Assert.Equal("cancelled", cancelled.GetProperty("status").GetString());
        Assert.InRange(cancelled.GetProperty("steps_done").GetInt32(), 1, 1439);
        Assert.Equal(JsonValueKind.Null, cancelled.GetProperty("summary").ValueKind);
        var stored = await Json(await client.GetAsync($"/backtests/{id}/steps?limit=1000"));
        Assert.Equal(cancelled.GetProperty("steps_done").GetInt32(), stored.GetProperty("steps").GetArrayLength());
        Assert.Equal(HttpStatusCode.Conflict, (await client.DeleteAsync($"/backtests/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.DeleteAsync($"/backtests/{id + 100}")).StatusCode);

        // The slot is free again, and a short backtest runs to its summary and report.
        var next = await client.PostAsJsonAsync(Start, new { from = "2026-01-02T00:00:00Z", to = "2026-01-02T00:10:00Z", step = "5m" });
        Assert.Equal(HttpStatusCode.Accepted, next.StatusCode);
        var nextId = (await Json(next)).GetProperty("id").GetInt64();
        var completed = await UntilAsync(client, nextId, s => s.GetProperty("status").GetString() != "running");
        Assert.Equal("completed", completed.GetProperty("status").GetString());
        Assert.Equal(2, completed.GetProperty("summary").GetProperty("versions").GetProperty("1.0.0").GetProperty("steps").GetInt32());
        var page = await Json(await client.GetAsync($"/backtests/{nextId}/steps?offset=1&limit=5"));
        Assert.Equal("2026-01-02T00:05:00+00:00", page.GetProperty("steps")[0].GetProperty("time").GetString());
        var report = await client.GetAsync($"/backtests/{nextId}/report");
        Assert.Equal("text/html", report.Content.Headers.ContentType!.MediaType);
        Assert.Contains("<svg", await report.Content.ReadAsStringAsync());
        await app.StopAsync();
    }

    [Fact]
    public async Task Restart_BacktestLeftRunningByADeadProcess_IsStoredAsInterruptedAndALiveOneIsNot()
    {
        // A backtest running when its process was killed stays "running" in the table: the next start finds it
        // silent for longer than the limit and fails it, while one that keeps proving it is alive runs on.
        using var kiln = new KilnBacktest();
        kiln.AddVersion("1.0.1", text => text.Replace("threshold: 0.05", "threshold: 0.1", StringComparison.Ordinal));
        await using var app = ServiceHost.Build(kiln.ServiceArguments(0, "--Backtests:StaleAfterSeconds=8"));
        await ServiceHost.InitializeAsync(app, CancellationToken.None);
        var store = app.Services.GetRequiredService<IBacktestStore>();
        var lostAt = DateTimeOffset.UtcNow.AddMinutes(-10);
        var lost = await store.CreateAsync(Record(lostAt), CancellationToken.None);
        await store.SaveStepsAsync(lost, [], 40, CancellationToken.None);
        await app.StartAsync();
        using var client = new HttpClient { BaseAddress = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()) };

        var interrupted = await UntilAsync(client, lost, s => s.GetProperty("status").GetString() != "running");
        // Two versions over a day of one-minute steps: about 2,900 solves, far longer than the 8 s limit.
        var started = await client.PostAsJsonAsync(Start, new { from = "2026-01-02T00:00:00Z", to = "2026-01-03T00:00:00Z", step = "1m", versions = new[] { "1.0.0", "1.0.1" } });
        var live = (await Json(started)).GetProperty("id").GetInt64();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var state = await UntilAsync(client, live, s => s.GetProperty("status").GetString() != "running" || clock.Elapsed > TimeSpan.FromSeconds(12));

        Assert.Equal("failed", interrupted.GetProperty("status").GetString());
        Assert.Contains("interrupted", interrupted.GetProperty("error").GetString());
        Assert.Equal(40, interrupted.GetProperty("steps_done").GetInt32());
        // Longer than the limit, and still running: its heartbeat, not its steps, kept it alive.
        Assert.Equal("running", state.GetProperty("status").GetString());
        await client.DeleteAsync($"/backtests/{live}");
        await app.StopAsync();
    }

    private static BacktestRecord Record(DateTimeOffset created) => new()
    {
        StrategyName = "process-optimization",
        From = created.AddDays(-1),
        To = created,
        Step = TimeSpan.FromMinutes(5),
        Versions = ["1.0.0"],
        Status = BacktestStatus.Running,
        CreatedAt = created,
        StepsTotal = 288,
    };
}
