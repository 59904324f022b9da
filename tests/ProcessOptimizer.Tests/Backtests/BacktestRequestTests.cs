using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using ProcessOptimizer.Hosting;

using static ProcessOptimizer.Tests.Backtests.BacktestPolling;

namespace ProcessOptimizer.Tests.Backtests;

/// <summary>Backtest requests that were taken and then misread or failed late, and a steps filter that hid a typo.</summary>
public sealed class BacktestRequestTests
{
    private const string Start = "/strategies/process-optimization/backtests";

    [Fact]
    public async Task Backtests_StepWithoutUnitHorizonPastTimeAndVersionNotRun_AreRefusedNamingThem()
    {
        using var kiln = new KilnBacktest();
        await using var app = ServiceHost.Build(kiln.ServiceArguments(1));
        await ServiceHost.InitializeAsync(app, CancellationToken.None);
        await app.StartAsync();
        using var client = new HttpClient { BaseAddress = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()) };

        // "300" was read as 300 days: one step where 288 were meant, answered 202.
        var bare = await client.PostAsJsonAsync(Start, new { from = "2026-01-02T00:00:00Z", to = "2026-01-03T00:00:00Z", step = "300" });
        // Ten thousand years after 'to' cannot be measured: the backtest was taken, then failed on the date arithmetic.
        var far = await client.PostAsJsonAsync(Start, new { from = "2026-01-02T00:00:00Z", to = "2026-01-02T01:00:00Z", step = "30m", horizon = "3650000d" });

        Assert.Equal(HttpStatusCode.BadRequest, bare.StatusCode);
        Assert.Contains("'300' has no unit", (await Json(bare)).GetProperty("errors").GetProperty("step")[0].GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, far.StatusCode);
        Assert.Contains("the horizon", (await Json(far)).GetProperty("detail").GetString(), StringComparison.Ordinal);

        var started = await client.PostAsJsonAsync(Start, new { from = "2026-01-02T00:00:00Z", to = "2026-01-02T00:10:00Z", step = "5m" });
        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        var id = (await Json(started)).GetProperty("id").GetInt64();
        var deadline = DateTime.UtcNow.AddSeconds(120);
        while ((await Json(await client.GetAsync($"/backtests/{id}"))).GetProperty("status").GetString() == "running" && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        // A version the backtest did not run answered an empty page, read as "that version did nothing".
        var notRun = await client.GetAsync($"/backtests/{id}/steps?version=1.0.1");
        var invalid = await client.GetAsync($"/backtests/{id}/steps?version=..%2Fx&limit=0");
        var run = await Json(await client.GetAsync($"/backtests/{id}/steps?version=1.0.0"));

        Assert.Equal(HttpStatusCode.NotFound, notRun.StatusCode);
        var problem = await Json(notRun);
        Assert.Contains("'1.0.1'", problem.GetProperty("title").GetString(), StringComparison.Ordinal);
        Assert.Contains("1.0.0", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        var errors = (await Json(invalid)).GetProperty("errors");
        Assert.True(errors.TryGetProperty("version", out _) && errors.TryGetProperty("limit", out _), errors.ToString());
        Assert.Equal(2, run.GetProperty("steps").GetArrayLength());
        await app.StopAsync();
    }
}
