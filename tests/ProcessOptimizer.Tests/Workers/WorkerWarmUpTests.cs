using System.Net;
using Microsoft.Extensions.DependencyInjection;
using ProcessOptimizer.Core.Cycle;
using ProcessOptimizer.Inputs;
using ProcessOptimizer.Strategies;
using ProcessOptimizer.Tests.Faults;
using ProcessOptimizer.Workers;

namespace ProcessOptimizer.Tests.Workers;

/// <summary>Issue 15: a new or replaced worker has solved once, and thrown the answer away, before its first request.</summary>
[Collection(nameof(WorkerHostCollection))]
public sealed class WorkerWarmUpTests
{
    [Fact]
    public async Task Replacement_SolvesOnceBeforeItsFirstRequest_AnswersBitForBitAsAWarmWorker()
    {
        await using var host = await WorkerHost.StartAsync("--Solver:Workers=1");
        var (request, artifacts) = KilnRequest(host);
        var pid = (await host.PidsAsync())[0];
        // The start's warm-up ran on the strategy's midpoints: no window had been sent.
        Assert.Equal(1, host.Pool.WarmUps);
        await host.Pool.SolveAsync(request, artifacts, null, CancellationToken.None);
        var warm = await host.Pool.SolveAsync(request, artifacts, null, CancellationToken.None);

        await KillMidSolveAsync(host, pid, () => host.Pool.SolveAsync(request, artifacts, null, CancellationToken.None));
        await WorkerHost.WarmAsync(host.App.Services);
        var replaced = (await host.PidsAsync())[0];
        var warmUps = host.Pool.WarmUps;
        var health = (await WorkerHost.JsonAsync(await host.Client.GetAsync("/health"))).GetProperty("workers");
        var metrics = await host.Client.GetStringAsync("/metrics");
        var first = await host.Pool.SolveAsync(request, artifacts, null, CancellationToken.None);

        Assert.NotEqual(pid, replaced);
        Assert.Equal(2, warmUps);
        Assert.Equal(2, health.GetProperty("warm_ups").GetInt64());
        Assert.True(health.GetProperty("warm_up_seconds").GetDouble() > 0);
        Assert.Matches("process_optimizer_workers_warm_ups(_total)?(\\{[^}]*\\})? 2\\b", metrics);
        Assert.Equal(CycleStatus.Success, warm.Result!.Status);
        Assert.Equal(WorkerAnswerTests.Bits(warm.Result), WorkerAnswerTests.Bits(first.Result!));
        // The warm-up is not a request: it adds nothing to the time spent solving requests, nor to the runs.
        Assert.Equal(2, host.Pool.WarmUps);
        Assert.Equal(replaced, (await host.PidsAsync())[0]);
    }

    [Fact]
    public async Task Replacement_WarmUpWindowTheStrategyRejects_WorkerStillServes()
    {
        // The last window answered holds no value at all: the replacement's warm-up solve on it ends in error.
        await using var host = await WorkerHost.StartAsync("--Solver:Workers=1");
        var (request, artifacts) = KilnRequest(host);
        var pid = (await host.PidsAsync())[0];
        var empty = request with { Rows = [.. request.Rows.Select(r => new ProcessRow(r.Timestamp, r.Values.ToDictionary(v => v.Key, _ => (double?)null)))] };
        var rejected = await host.Pool.SolveAsync(empty, artifacts, null, CancellationToken.None);

        await KillMidSolveAsync(host, pid, () => host.Pool.SolveAsync(empty, artifacts, null, CancellationToken.None));
        await WorkerHost.WarmAsync(host.App.Services);
        var replaced = (await host.PidsAsync())[0];
        var warmUps = host.Pool.WarmUps;
        var next = await host.OptimizeAsync();

        Assert.Equal(CycleStatus.Error, rejected.Result!.Status);
        Assert.Equal(2, warmUps);
        Assert.True(next.StatusCode == HttpStatusCode.OK, $"{(int)next.StatusCode} {await next.Content.ReadAsStringAsync()}");
        Assert.Equal(replaced, (await host.PidsAsync())[0]);
        Assert.Equal(1, host.Pool.Restarts(WorkerFailure.Crashed));
    }

    [Fact]
    public async Task Shutdown_WhileTheReplacementStartsOrWarmsUp_NoWorkerProcessLeft()
    {
        var host = await WorkerHost.StartAsync("--Solver:Workers=1");
        var pid = (await host.PidsAsync())[0];
        var (request, artifacts) = KilnRequest(host);
        await KillMidSolveAsync(host, pid, () => host.Pool.SolveAsync(request, artifacts, null, CancellationToken.None));
        await WorkerHost.UntilAsync(() => Signals.WorkersOf(Environment.ProcessId).Any(p => p != pid), "the replacement's process");
        var ready = host.Pool.Workers[0].Pid is not null;

        await host.DisposeAsync();

        Assert.False(ready, "the replacement was ready before the stop: the stop did not meet its start or warm-up");
        Assert.Empty(Signals.WorkersOf(Environment.ProcessId));
    }

    // The deployed kiln version and its latest window, as the service sends them to a worker.
    private static (SolveRequest Request, IReadOnlyList<Core.Storage.StoredArtifact> Artifacts) KilnRequest(WorkerHost host)
    {
        var deployed = host.App.Services.GetRequiredService<StrategyCatalog>().Default.Repository.Current!;
        var input = InputParser.ReadFile(Path.Combine(TestServers.Kiln, "window-latest.csv"));
        return (WorkerAnswerTests.Request(deployed.Version, null, input, deployed.ArtifactVersions) with { PointerKey = deployed.PointerKey }, deployed.Artifacts);
    }

    // Freezes the worker once it holds a request and kills it; a request answered before the freeze is tried again.
    private static async Task KillMidSolveAsync(WorkerHost host, int pid, Func<Task<SolveReply>> send)
    {
        for (var attempt = 0; attempt < 50; attempt++)
        {
            var pending = send();
            while (!host.Pool.Workers[0].Busy && !pending.IsCompleted)
            {
                await Task.Delay(1);
            }

            Signals.Pause([pid]);
            await Task.Delay(100);
            if (pending.IsCompleted)
            {
                Signals.Resume([pid]);
                await pending;
                continue;
            }

            Signals.Kill([pid]);
            var (_, killed) = await WorkerHost.EndedAsync(pending);
            Assert.NotNull(killed);
            return;
        }

        Assert.Fail("every request was answered before its worker could be frozen");
    }
}
