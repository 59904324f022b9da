using System.Net;
using Microsoft.Extensions.DependencyInjection;
using ProcessOptimizer.Cycles;
using ProcessOptimizer.Strategies;
using ProcessOptimizer.Tests.Workers;
using static ProcessOptimizer.Tests.Hostile.HostileRequests;

namespace ProcessOptimizer.Tests.Cycles;

/// <summary>Issue 13: the service prunes /optimize answers past their retention and keeps every loop run.</summary>
[Collection(nameof(WorkerHostCollection))]
public sealed class RunRetentionHostTests
{
    [Fact]
    public async Task Service_ApiRunsBeyondTheRowLimit_PrunedNewestKept_LoopRunsUntouched()
    {
        await using var host = await WorkerHost.StartAsync(
            "--Solver:Workers=1", "--App:Mode=hybrid", "--Demo:Replay=true", "--Api:RunRetention:Rows=3", "--Api:RunRetention:IntervalSeconds=1");
        var executor = host.App.Services.GetRequiredService<CycleExecutor>();
        var loop = new List<long>();
        for (var i = 0; i < 4; i++)
        {
            // Cycles after the first find no new data; each is stored all the same, under the loop's name.
            loop.Add((await executor.RunOnceAsync(host.App.Services.GetRequiredService<StrategyCatalog>().Default, null, CancellationToken.None))!.Id);
        }

        var api = new List<long>();
        for (var i = 0; i < 7; i++)
        {
            using var answer = await host.OptimizeAsync(Normal());
            Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
            api.Add((await WorkerHost.JsonAsync(answer)).GetProperty("run_id").GetInt64());
        }

        var kept = await IdsAsync(host, "?strategy=process-optimization/api");
        for (var waited = System.Diagnostics.Stopwatch.StartNew(); kept.Count > 3 && waited.Elapsed < TimeSpan.FromSeconds(20); kept = await IdsAsync(host, "?strategy=process-optimization/api"))
        {
            await Task.Delay(200);
        }

        var loopRuns = await IdsAsync(host, "");

        Assert.Equal(api[^3..].AsEnumerable().Reverse(), kept);
        Assert.All(loop, id => Assert.Contains(id, loopRuns));
        // The loop's own first cycle may consume the same row as the first one here: that row is stored once (issue 16).
        Assert.True(loopRuns.Count >= 4, $"{loopRuns.Count} loop runs: the four here and the loop's own first cycle");
    }

    private static async Task<List<long>> IdsAsync(WorkerHost host, string query)
    {
        var runs = await WorkerHost.JsonAsync(await host.Client.GetAsync("/runs" + query));
        return [.. runs.EnumerateArray().Select(r => r.GetProperty("id").GetInt64())];
    }
}
