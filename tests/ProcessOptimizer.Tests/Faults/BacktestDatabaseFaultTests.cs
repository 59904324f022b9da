using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;
using ProcessOptimizer.Tests.Service;

namespace ProcessOptimizer.Tests.Faults;

/// <summary>
/// A backtest whose database is paused under it fails, and its end is recorded once the database is back, with the
/// real reason. The end's write failed in the outage and was not tried again: the backtest read as running for the
/// stale sweep's whole wait (120 s) after the database was back, and was then stored as interrupted by a stopped
/// process, which it was not.
/// </summary>
[Collection(ServiceHostCollection.Name)]
public sealed class BacktestDatabaseFaultTests
{
    [Fact]
    public async Task Backtest_DatabasePausedUnderIt_EndsFailedWithItsReasonOnceTheDatabaseIsBack()
    {
        await using var cluster = await PostgresCluster.StartAsync();
        var service = new ServiceFixture
        {
            Postgres = cluster.Connection,
            Settings = ["--Database:TimeoutSeconds=1", "--Database:MaxRetries=1", "--Database:BreakSeconds=2", "--Scheduling:Clustered=false"],
        };
        try
        {
            await service.InitializeAsync();
            var from = service.LastDataRow.AddMinutes(-89);
            using var start = new HttpRequestMessage(HttpMethod.Post, "/strategies/process-optimization/backtests")
            {
                Content = JsonContent.Create(new { from, to = service.LastDataRow.AddMinutes(1), step = "1m" }),
            };
            start.Headers.Add("X-Api-Key", ServiceFixture.ApiKey);
            using var started = await service.Client.SendAsync(start);
            var id = (await started.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
            cluster.Pause();

            // Every step's read fails once the circuit is open, so the run reaches its end, and its writes, in the pause.
            await Task.Delay(TimeSpan.FromSeconds(8));
            cluster.Resume();
            NpgsqlConnection.ClearAllPools();

            // Well within the stale sweep's 120 s (the service's clock is the test's).
            JsonElement backtest = default;
            await FaultKit.WaitForAsync(async () =>
            {
                service.Clock.Advance(TimeSpan.FromSeconds(1));
                using var read = await service.Client.GetAsync($"/backtests/{id}");
                if (!read.IsSuccessStatusCode)
                {
                    // The database is still coming back.
                    return false;
                }

                backtest = await read.Content.ReadFromJsonAsync<JsonElement>();
                return backtest.GetProperty("status").GetString() != "running";
            }, TimeSpan.FromSeconds(30), "the backtest's end recorded after the outage");

            Assert.Equal("failed", backtest.GetProperty("status").GetString());
            var error = backtest.GetProperty("error").GetString()!;
            Assert.DoesNotContain("interrupted", error, StringComparison.Ordinal);
            Assert.Contains("postgres", error, StringComparison.Ordinal);
        }
        finally
        {
            await service.DisposeAsync();
        }
    }
}
