using System.Diagnostics;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using ProcessOptimizer.Cycles;
using ProcessOptimizer.Strategies;
using ProcessOptimizer.Tests.Workers;
using static ProcessOptimizer.Tests.Hostile.HostileRequests;

namespace ProcessOptimizer.Tests.Api;

/// <summary>Issue 13: /optimize cannot starve the loop. One solver worker, and requests queued for it before a loop cycle.</summary>
[Collection(nameof(WorkerHostCollection))]
public sealed class SolveQueueHostTests
{
    // Long enough for the test's own steps on a loaded machine (4 to 5 s), which count against the queued requests'
    // bound: a request's whole wait, the queue included, ends at its deadline and the grace (issue 15).
    private const int Deadline = 10;

    [Fact]
    public async Task Optimize_QueueFull_Is503WithRetryAfter_AndTheLoopCycleGoesBeforeQueuedRequests()
    {
        // The demo history ends at the current minute, so a loop cycle reaches the solver.
        await using var host = await WorkerHost.StartAsync(
            "--Solver:Workers=1", "--Demo:Replay=true", $"--Api:MaxSolveSeconds={Deadline}", "--Api:MaxQueuedRequests=2");
        await host.PidsAsync();
        // A new worker's first solve still compiles the solve's code, which on a loaded machine may outlast the
        // deadline and is rightly answered 503 "not ready": the worker is warmed until it answers, since what is
        // tested here is the order of the queue.
        for (var warming = Stopwatch.StartNew(); (await host.OptimizeAsync()).StatusCode != HttpStatusCode.OK; await Task.Delay(500))
        {
            Assert.True(warming.Elapsed < TimeSpan.FromSeconds(60), "no /optimize was answered within 60 s of the start");
        }

        var queue = host.App.Services.GetRequiredService<SolveQueue>();
        var clock = Stopwatch.StartNew();

        // The test holds the only solve slot, as a request in the worker does, until the cycle waits for it. A request
        // held the slot before, for its 3 s deadline: on a loaded machine queueing two requests, refusing a third and
        // reading the cycle's window took 4 to 5 s, so the slot passed to a queued request before the cycle asked.
        // The queued requests are short: two that each held the worker to its deadline could not both be answered
        // within their own, which count from when they were queued.
        var held = await queue.TryEnterApiAsync(CancellationToken.None)!;
        var first = Timed(host.OptimizeAsync(Normal()), clock);
        await WorkerHost.UntilAsync(() => queue.Waiting == 1, "one request waiting");
        var second = Timed(host.OptimizeAsync(Normal()), clock);
        await WorkerHost.UntilAsync(() => queue.Waiting == 2, "two requests waiting");
        using var refused = await host.OptimizeAsync(Normal());
        var cycle = Timed(host.App.Services.GetRequiredService<CycleExecutor>().RunOnceAsync(host.App.Services.GetRequiredService<StrategyCatalog>().Default, null, CancellationToken.None), clock);
        await WorkerHost.UntilAsync(() => queue.LoopWaiting == 1, "the cycle waiting");
        held.Dispose();
        var answers = await Task.WhenAll(first, second);
        var (run, cycleDone) = await cycle;

        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(Deadline), refused.Headers.RetryAfter?.Delta);
        Assert.Contains("(Api:MaxQueuedRequests)", (await WorkerHost.JsonAsync(refused)).GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.All(answers, a => Assert.Equal(HttpStatusCode.OK, a.Value.StatusCode));
        Assert.NotNull(run);
        Assert.True(run.SolverStatus is not null, $"the cycle did not reach the solver: {run.Outcome} {run.Message}");
        // Queued first, the requests would each be answered before the cycle got the worker.
        Assert.True(cycleDone < answers[0].Done, $"cycle done at {cycleDone}, the first queued request at {answers[0].Done}");
        Assert.True(cycleDone < answers[1].Done, $"cycle done at {cycleDone}, the second queued request at {answers[1].Done}");
    }

    private static async Task<(T Value, TimeSpan Done)> Timed<T>(Task<T> task, Stopwatch clock)
    {
        var value = await task;
        return (value, clock.Elapsed);
    }
}
