using System.Diagnostics;
using System.Net;
using ProcessOptimizer.Tests.Faults;
using ProcessOptimizer.Workers;

namespace ProcessOptimizer.Tests.Workers;

/// <summary>
/// A worker that ends in the moment between its answer and its request giving the slot back fails nobody. The watch
/// of its exit found the slot held and left it to the request, which had its answer and never looked again: the
/// dead worker stayed in its slot, counted alive by /health, until the next request found it and waited for one
/// started cold. The pool's seam kills it in that moment, after the watch has seen the slot held.
/// </summary>
[Collection(nameof(WorkerHostCollection))]
public sealed class WorkerLostAfterAnswerTests
{
    [Fact]
    public async Task WorkerKilledRightAfterItsAnswer_ReplacedAndWarmedUpWithNoRequest_CountedOnce()
    {
        await using var host = await WorkerHost.StartAsync("--Solver:Workers=1");
        var pid = (await host.PidsAsync())[0];
        var warmUps = host.Pool.WarmUps;
        host.Pool.Answered = KillOnceAsync(host.Pool, () => Task.CompletedTask);

        using var answer = await host.OptimizeAsync();
        await UntilAsync(() => host.Pool.Workers[0].Pid is { } p && p != pid && host.Pool.WarmUps == warmUps + 1, "the replacement, warmed up, with no request sent");
        var replaced = (await host.PidsAsync())[0];
        var workers = (await WorkerHost.JsonAsync(await host.Client.GetAsync("/health"))).GetProperty("workers");
        using var next = await host.OptimizeAsync();

        Assert.True(answer.StatusCode == HttpStatusCode.OK, $"{(int)answer.StatusCode} {await answer.Content.ReadAsStringAsync()}");
        Assert.Equal(1, workers.GetProperty("alive").GetInt32());
        Assert.Equal(1, workers.GetProperty("restarts").GetProperty("solver worker crashed").GetInt64());
        Assert.True(next.StatusCode == HttpStatusCode.OK, $"{(int)next.StatusCode} {await next.Content.ReadAsStringAsync()}");
        Assert.Equal(replaced, (await host.PidsAsync())[0]);
        Assert.Equal(1, host.Pool.Restarts(WorkerFailure.Crashed));
        Assert.All(Enum.GetValues<WorkerFailure>().Where(r => r != WorkerFailure.Crashed), r => Assert.Equal(0, host.Pool.Restarts(r)));
        Assert.Equal([replaced], Signals.WorkersOf(Environment.ProcessId));
    }

    [Fact]
    public async Task WorkerKilledRightAfterItsAnswerWithARequestWaiting_BothAnswered_CountedOnce()
    {
        // The waiting request takes the slot as soon as it is given back, and finds the dead worker as the watch
        // replaces it: one replacement, one loss counted, whoever comes first. Its bound leaves room for a start.
        await using var host = await WorkerHost.StartAsync("--Solver:Workers=1", "--Api:MaxSolveSeconds=120");
        var pid = (await host.PidsAsync())[0];
        Task<HttpResponseMessage>? second = null;
        host.Pool.Answered = KillOnceAsync(host.Pool, async () =>
        {
            second = host.OptimizeAsync();
            await WorkerHost.UntilAsync(() => host.Pool.Waiting == 1, "the second request waiting for the worker");
        });

        using var first = await host.OptimizeAsync();
        using var next = await second!;
        await UntilAsync(() => host.Pool.Workers.All(w => w is { Pid: not null, Busy: false }), "the replacement idle");
        var replaced = (await host.PidsAsync())[0];

        Assert.True(first.StatusCode == HttpStatusCode.OK, $"{(int)first.StatusCode} {await first.Content.ReadAsStringAsync()}");
        Assert.True(next.StatusCode == HttpStatusCode.OK, $"{(int)next.StatusCode} {await next.Content.ReadAsStringAsync()}");
        Assert.NotEqual(pid, replaced);
        Assert.Equal(1, host.Pool.Restarts(WorkerFailure.Crashed));
        Assert.Equal([replaced], Signals.WorkersOf(Environment.ProcessId));
    }

    // Once: runs `before`, then kills the worker that has just answered and waits until it has ended. The wait is
    // registered on the exit before the kill, behind the watch of that exit, registered when the worker started: the
    // exit runs them in that order, so the watch has seen the exit, with the slot still held, when this returns.
    private static Func<WorkerProcess, SolveRequest, Task> KillOnceAsync(WorkerPool pool, Func<Task> before) => async (worker, _) =>
    {
        pool.Answered = null;
        await before();
        var ended = worker.Exited.ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        Signals.Kill([worker.Pid]);
        await ended;
    };

    // A replacement builds the kiln strategy and solves it once: far longer than WorkerHost's 20 s on a loaded machine.
    private static async Task UntilAsync(Func<bool> condition, string what)
    {
        for (var waited = Stopwatch.StartNew(); !condition(); await Task.Delay(20))
        {
            if (waited.Elapsed > TimeSpan.FromSeconds(120))
            {
                throw new TimeoutException($"waited 120 s for {what}");
            }
        }
    }
}
