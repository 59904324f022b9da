using Microsoft.Extensions.DependencyInjection;
using ProcessOptimizer.Core.Runs;
using ProcessOptimizer.Cycles;
using ProcessOptimizer.Strategies;
using ProcessOptimizer.Tests.Faults;
using ProcessOptimizer.Tests.Workers;
using ProcessOptimizer.Workers;
using static ProcessOptimizer.Tests.Hostile.HostileRequests;

namespace ProcessOptimizer.Tests.Api;

/// <summary>
/// A client that goes away in the middle of its solve: the solve stops, and since nobody receives an answer, no run
/// is stored for it. In-process, the solve stopped at its next callback and its cut-short result was stored as an
/// API run (not-converged, User_Requested_Stop, with recommendations), where through a worker nothing was.
/// </summary>
[Collection(nameof(WorkerHostCollection))]
public sealed class OptimizeClientGoneTests
{
    [Fact]
    public async Task Optimize_ClientGoneMidSolveInProcess_StoresNoRun()
    {
        await using var host = await WorkerHost.StartAsync("--Solver:Workers=0", "--Api:MaxSolveSeconds=30");
        var runs = host.App.Services.GetRequiredService<IRunStore>();
        var api = host.App.Services.GetRequiredService<StrategyCatalog>().Default.ApiRunsName;
        // Answered and stored: the schema is made, which the start does not wait for on a slow machine.
        Assert.Equal(System.Net.HttpStatusCode.OK, (await host.OptimizeAsync()).StatusCode);

        // The heaviest solve the limits allow runs to its 3,000 iterations in well under a second on a fast machine:
        // the client leaves sooner each time its solve ended first (that answer and its run are the client's).
        foreach (var held in new[] { 500, 100, 0 })
        {
            var before = (await runs.LatestAsync(api, CancellationToken.None))?.Id;
            using var leave = new CancellationTokenSource();
            var request = host.Client.PostAsync("/optimize", System.Net.Http.Json.JsonContent.Create(Heavy()), leave.Token);
            await WorkerHost.UntilAsync(() => SolverHeld(host.App.Services.GetRequiredService<SolveQueue>()) || request.IsCompleted, "the request holding the solver");
            await Task.Delay(held);
            await leave.CancelAsync();
            try
            {
                (await request).Dispose();
                continue;
            }
            catch (OperationCanceledException)
            {
                // The client left during its solve.
            }

            // The solve stops at its next callback, milliseconds after the client left; a run would be stored then.
            await Task.Delay(TimeSpan.FromSeconds(3));
            var stored = await runs.LatestAsync(api, CancellationToken.None);
            if (stored?.Id != before && stored?.SolverStatus == "Maximum_Iterations_Exceeded")
            {
                // The solve ended on its own as the client left: its answer was made, and its run is kept.
                continue;
            }

            Assert.True(stored?.Id == before, $"stored for a client that left: {stored?.Outcome} {stored?.SolverStatus} {stored?.StartedAt:O}");
            // The service goes on: the next client is answered.
            Assert.Equal(System.Net.HttpStatusCode.OK, (await host.OptimizeAsync()).StatusCode);
            return;
        }

        Assert.Fail("every solve ended before its client could leave");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Optimize_ClientGoneMidSolveThroughAWorker_StoresNoRunAndTheNextIsServed(bool frozen)
    {
        // The client leaves once the worker's solve has begun. The worker goes on to its answer at the solve's 3 s
        // deadline, which nobody takes; frozen, it is killed at the deadline and the grace and replaced. Either way no
        // run is stored, the slot is freed, and the next client is answered.
        await using var host = await WorkerHost.StartAsync("--Solver:Workers=1", "--Api:MaxSolveSeconds=3", "--Solver:KillAfterSeconds=120");
        for (var warming = System.Diagnostics.Stopwatch.StartNew(); (await host.OptimizeAsync()).StatusCode != System.Net.HttpStatusCode.OK; await Task.Delay(500))
        {
            Assert.True(warming.Elapsed < TimeSpan.FromSeconds(60), "no /optimize was answered within 60 s of the start");
        }

        var pid = (await host.PidsAsync())[0];
        var api = host.App.Services.GetRequiredService<StrategyCatalog>().Default.ApiRunsName;
        var runs = host.App.Services.GetRequiredService<IRunStore>();
        var before = (await runs.LatestAsync(api, CancellationToken.None))?.Id;
        using var leave = new CancellationTokenSource();
        var request = host.Client.PostAsync("/optimize", System.Net.Http.Json.JsonContent.Create(Heavy()), leave.Token);
        await WorkerHost.UntilAsync(() => host.Pool.Workers[0].Solving, "the solve to begin");
        if (frozen)
        {
            Signals.Pause([pid]);
        }

        await leave.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => request);
        // Answered (3 s) or killed (5 s after the solve began): the worker is free again, or a new one took its place.
        await WorkerHost.UntilAsync(() => host.Pool.Workers[0] is { Busy: false } w && (w.Pid == pid) != frozen, "the worker's end of the request");
        await WorkerHost.WarmAsync(host.App.Services);
        HttpResponseMessage next;
        for (var warming = System.Diagnostics.Stopwatch.StartNew(); (next = await host.OptimizeAsync()).StatusCode != System.Net.HttpStatusCode.OK && warming.Elapsed < TimeSpan.FromSeconds(60); await Task.Delay(500))
        {
            next.Dispose();
        }

        var answered = await WorkerHost.JsonAsync(next);
        var stored = await runs.RangeAsync(DateTimeOffset.MinValue, DateTimeOffset.MaxValue, 100, api, CancellationToken.None);

        Assert.Equal(System.Net.HttpStatusCode.OK, next.StatusCode);
        // Only the next client's run is stored after the one before the client that left.
        Assert.Equal([answered.GetProperty("run_id").GetInt64()], stored.Where(r => r.Id > (before ?? 0)).Select(r => r.Id));
        Assert.Equal(frozen ? 1 : 0, host.Pool.Restarts(WorkerFailure.ExceededDeadline));
        Assert.Equal(0, host.Pool.Restarts(WorkerFailure.Crashed));
        Assert.Equal(frozen, !Directory.Exists($"/proc/{pid}"));
        Assert.Equal(0, host.Pool.Waiting);
    }

    // The only solve slot is taken (a probe would have to wait for it): the request is solving.
    private static bool SolverHeld(SolveQueue queue)
    {
        using var probe = new CancellationTokenSource();
        var slot = queue.TryEnterApiAsync(probe.Token);
        if (slot is { IsCompletedSuccessfully: true })
        {
            slot.Result.Dispose();
            return false;
        }

        probe.Cancel();
        return true;
    }
}
