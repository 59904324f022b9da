using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using ProcessOptimizer.Core.Optimization;
using ProcessOptimizer.Core.Runs;
using ProcessOptimizer.Solver.Ipopt;
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
        // The solve waits in its first evaluation until the service has seen the client leave: a problem made heavy to
        // outlast the client ended first on a fast machine, and its answer and run were then the client's.
        var solver = new HeldSolver(new IpoptSolver());
        await using var host = await WorkerHost.StartAsync(b => b.Services.AddSingleton<INonlinearSolver>(solver), "--Solver:Workers=0", "--Api:MaxSolveSeconds=30");
        var runs = host.App.Services.GetRequiredService<IRunStore>();
        var api = host.App.Services.GetRequiredService<StrategyCatalog>().Default.ApiRunsName;
        // Answered and stored: the schema is made, which the start does not wait for on a slow machine.
        Assert.Equal(System.Net.HttpStatusCode.OK, (await host.OptimizeAsync()).StatusCode);
        var before = (await runs.LatestAsync(api, CancellationToken.None))?.Id;

        solver.HoldNext();
        using var leave = new CancellationTokenSource();
        // Alone, this solve converges in a few iterations: only the client's leaving stops it.
        var request = host.Client.PostAsync("/optimize", System.Net.Http.Json.JsonContent.Create(Normal()), leave.Token);
        try
        {
            var solve = await solver.Held.WaitAsync(TimeSpan.FromSeconds(60));
            await leave.CancelAsync();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => request);
            await WorkerHost.UntilAsync(() => solve.IsCancellationRequested, "the service to see the client leave");
        }
        finally
        {
            solver.Release();
        }

        var stopped = await solver.Ended.WaitAsync(TimeSpan.FromSeconds(60));
        // The service goes on: the next client is answered, and its run is the only one stored since.
        using var next = await host.OptimizeAsync();
        var answered = await WorkerHost.JsonAsync(next);
        var stored = await runs.RangeAsync(DateTimeOffset.MinValue, DateTimeOffset.MaxValue, 100, api, CancellationToken.None);

        Assert.Equal(("User_Requested_Stop", SolveStatus.Failed), (stopped.SolverStatus, stopped.Status));
        Assert.Equal(System.Net.HttpStatusCode.OK, next.StatusCode);
        Assert.Equal([answered.GetProperty("run_id").GetInt64()], stored.Where(r => r.Id > (before ?? 0)).Select(r => r.Id));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Optimize_ClientGoneMidSolveThroughAWorker_StoresNoRunAndTheNextIsServed(bool frozen)
    {
        // The worker is frozen as soon as the service learns that its solve began, and the client leaves. Let go once
        // the service has seen the client leave, the worker goes on to its answer, which nobody takes; its deadline
        // (10 s) leaves its kill far behind however long a loaded machine takes to see the client go. Left frozen, it
        // is killed at the solve's deadline (3 s) and the grace and replaced. Either way no run is stored, the slot is
        // freed, and the next client is answered. The solve, heavy as the limits allow, ended first on a fast machine
        // when the test waited to see it begun, and its answer and run were then the client's.
        var abandoned = new AbandonedRequest();
        await using var host = await WorkerHost.StartAsync(b => b.Services.AddSingleton<IStartupFilter>(abandoned), "--Solver:Workers=1", $"--Api:MaxSolveSeconds={(frozen ? 3 : 10)}", "--Solver:KillAfterSeconds=120");
        for (var warming = System.Diagnostics.Stopwatch.StartNew(); (await host.OptimizeAsync()).StatusCode != System.Net.HttpStatusCode.OK; await Task.Delay(500))
        {
            Assert.True(warming.Elapsed < TimeSpan.FromSeconds(60), "no /optimize was answered within 60 s of the start");
        }

        // A worker's first build of the heavy strategy compiles code, which on a loaded machine outlasted the bound on
        // beginning its solve: the request was answered 503 before its solve began, and the client had nothing to leave.
        for (var warming = System.Diagnostics.Stopwatch.StartNew(); (await host.OptimizeAsync(Heavy())).StatusCode != System.Net.HttpStatusCode.OK; await Task.Delay(500))
        {
            Assert.True(warming.Elapsed < TimeSpan.FromSeconds(60), "no heavy /optimize was answered within 60 s");
        }

        var api = host.App.Services.GetRequiredService<StrategyCatalog>().Default.ApiRunsName;
        var runs = host.App.Services.GetRequiredService<IRunStore>();
        var before = (await runs.LatestAsync(api, CancellationToken.None))?.Id;
        var freezer = SolveFreezer.Next(host.Pool, r => r.InlineText is not null);
        using var leave = new CancellationTokenSource();
        var request = host.Client.PostAsync("/optimize", System.Net.Http.Json.JsonContent.Create(Heavy()), leave.Token);
        var (pid, _) = await freezer.Frozen;
        try
        {
            await leave.CancelAsync();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => request);
            await abandoned.Ended;
        }
        finally
        {
            if (!frozen)
            {
                Signals.Resume([pid]);
            }
        }

        // Answered (at the iteration cap or its deadline) or killed (5 s after the solve began): the worker is free
        // again, or a new one took its place.
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
}
