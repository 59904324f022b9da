using System.Diagnostics;
using System.Net;
using ProcessOptimizer.Tests.Faults;
using ProcessOptimizer.Workers;

namespace ProcessOptimizer.Tests.Workers;

/// <summary>
/// A worker that ends while it holds no request (killed from outside, or by the kernel for memory) is replaced at
/// once, warm, where the next request used to find it dead and wait for a cold one.
/// </summary>
[Collection(nameof(WorkerHostCollection))]
public sealed class IdleWorkerTests
{
    [Fact]
    public async Task IdleWorkerKilled_ReplacedAndWarmedUpBeforeAnyRequest_CountedOnce()
    {
        await using var host = await WorkerHost.StartAsync("--Solver:Workers=1");
        var pid = (await host.PidsAsync())[0];
        Assert.Equal(1, host.Pool.WarmUps);

        Signals.Kill([pid]);
        await UntilAsync(() => host.Pool.Workers[0].Pid is { } p && p != pid && host.Pool.WarmUps == 2, "the killed worker's replacement, warmed up, with no request sent");
        var replaced = (await host.PidsAsync())[0];
        var workers = (await WorkerHost.JsonAsync(await host.Client.GetAsync("/health"))).GetProperty("workers");
        var next = await host.OptimizeAsync();

        Assert.Equal(1, workers.GetProperty("alive").GetInt32());
        Assert.Equal(1, workers.GetProperty("restarts").GetProperty("solver worker crashed").GetInt64());
        Assert.True(next.StatusCode == HttpStatusCode.OK, $"{(int)next.StatusCode} {await next.Content.ReadAsStringAsync()}");
        Assert.Equal(replaced, (await host.PidsAsync())[0]);
        Assert.Equal(1, host.Pool.Restarts(WorkerFailure.Crashed));
        Assert.Equal(2, host.Pool.WarmUps);
        Assert.False(Directory.Exists($"/proc/{pid}"), $"worker {pid} was not reaped");
        Assert.Equal([replaced], Signals.WorkersOf(Environment.ProcessId));
    }

    [Fact]
    public async Task TwoWorkers_OneKilledWhileIdle_OnlyItsSlotIsReplacedAndBothServe()
    {
        await using var host = await WorkerHost.StartAsync("--Solver:Workers=2", "--Api:MaxQueuedRequests=16");
        var pids = await host.PidsAsync();

        Signals.Kill([pids[0]]);
        await UntilAsync(() => host.Pool.Workers[0].Pid is { } p && p != pids[0], "the killed worker's replacement");
        var after = await host.PidsAsync();
        var answers = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => host.OptimizeAsync()));

        Assert.Equal(pids[1], after[1]);
        Assert.All(answers, a => Assert.Equal(HttpStatusCode.OK, a.StatusCode));
        Assert.Equal(after, await host.PidsAsync());
        Assert.Equal(1, host.Pool.Restarts(WorkerFailure.Crashed));
        Assert.All(Enum.GetValues<WorkerFailure>().Where(r => r != WorkerFailure.Crashed), r => Assert.Equal(0, host.Pool.Restarts(r)));
        Assert.Equal(after.Order(), Signals.WorkersOf(Environment.ProcessId).Order());
    }

    [Fact]
    public async Task IdleWorkerKilled_ThenShutdownAtOnce_NoWorkerProcessLeft()
    {
        var host = await WorkerHost.StartAsync("--Solver:Workers=2");
        var pids = await host.PidsAsync();

        // The replacement is starting, or building, or warming up when the stop comes.
        Signals.Kill([pids[0]]);
        await WorkerHost.UntilAsync(() => Signals.WorkersOf(Environment.ProcessId).Any(p => !pids.Contains(p)), "the replacement's process");
        await host.DisposeAsync();

        Assert.Empty(Signals.WorkersOf(Environment.ProcessId));
    }

    [Fact]
    public async Task WorkerKilledByThePoolPastItsDeadline_IsNotAlsoCountedAsCrashed()
    {
        // The pool's own kill ends the process too: the watch of idle exits must leave it to the request it failed.
        await using var host = await WorkerHost.StartAsync("--Solver:Workers=1", "--Solver:KillAfterSeconds=0.001");
        var pid = (await host.PidsAsync())[0];

        var response = await host.OptimizeAsync();
        await UntilAsync(() => host.Pool.Workers[0].Pid is { } p && p != pid, "the replacement");
        // Time for a watch that miscounted to have done so.
        await Task.Delay(1000);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal(1, host.Pool.Restarts(WorkerFailure.ExceededDeadline));
        Assert.Equal(0, host.Pool.Restarts(WorkerFailure.Crashed));
    }

    // A replacement builds the kiln strategy and solves it once: far longer than WorkerHost's 20 s on a loaded machine.
    private static async Task UntilAsync(Func<bool> condition, string what)
    {
        for (var waited = Stopwatch.StartNew(); !condition(); await Task.Delay(20))
        {
            if (waited.Elapsed > TimeSpan.FromSeconds(180))
            {
                throw new TimeoutException($"waited 180 s for {what}");
            }
        }
    }
}
