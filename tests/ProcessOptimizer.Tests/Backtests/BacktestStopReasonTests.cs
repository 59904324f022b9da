using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using ProcessOptimizer.Core.Backtests;
using ProcessOptimizer.Hosting;
using ProcessOptimizer.Storage.Database;

using static ProcessOptimizer.Tests.Backtests.BacktestPolling;

namespace ProcessOptimizer.Tests.Backtests;

/// <summary>
/// A backtest cancelled by a request and one cancelled by the service's shutdown were both stored with the error
/// "cancelled": after a restart, an operator could not tell whether someone had stopped it. Each now says which.
/// </summary>
public sealed class BacktestStopReasonTests
{
    private const string Start = "/strategies/process-optimization/backtests";

    [Fact]
    public async Task Cancel_ByRequestOrByShutdown_IsStoredWithWhoStoppedIt()
    {
        using var kiln = new KilnBacktest();
        await using var app = ServiceHost.Build(kiln.ServiceArguments(1));
        await ServiceHost.InitializeAsync(app, CancellationToken.None);
        await app.StartAsync();
        using var client = new HttpClient { BaseAddress = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()) };

        // Days of one-minute steps: each runs far longer than the test waits for it.
        var deleted = await StartedAsync(client);
        await UntilAsync(client, deleted, s => s.GetProperty("steps_done").GetInt32() >= 1);
        Assert.Equal(HttpStatusCode.Accepted, (await client.DeleteAsync($"/backtests/{deleted}")).StatusCode);
        var cancelled = await UntilAsync(client, deleted, s => s.GetProperty("status").GetString() != "running");
        var stopped = await StartedAsync(client);
        await UntilAsync(client, stopped, s => s.GetProperty("steps_done").GetInt32() >= 1);
        await app.StopAsync();
        var stored = await new SqlBacktestStore(ProcessDatabase.Create(DatabaseKind.Sqlite, kiln.ConnectionString)).GetAsync(stopped, CancellationToken.None);

        Assert.Equal("cancelled", cancelled.GetProperty("status").GetString());
        Assert.Equal($"cancelled by DELETE /backtests/{deleted}", cancelled.GetProperty("error").GetString());
        Assert.Equal(BacktestStatus.Cancelled, stored!.Status);
        Assert.Equal("cancelled: the service stopped", stored.Error);
    }

    private static async Task<long> StartedAsync(HttpClient client)
    {
        var started = await client.PostAsJsonAsync(Start, new { from = "2026-01-02T00:00:00Z", to = "2026-01-04T00:00:00Z", step = "1m" });
        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        return (await Json(started)).GetProperty("id").GetInt64();
    }
}
