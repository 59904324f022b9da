using Microsoft.Extensions.DependencyInjection;
using ProcessOptimizer.Core.Runs;
using ProcessOptimizer.Cycles;
using ProcessOptimizer.Strategies;
using ProcessOptimizer.Tests.Workers;
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

        // A solve that runs to its 30 s deadline; the client leaves once it holds the solver.
        using var leave = new CancellationTokenSource();
        var request = host.Client.PostAsync("/optimize", System.Net.Http.Json.JsonContent.Create(Heavy()), leave.Token);
        await WorkerHost.UntilAsync(() => SolverHeld(host.App.Services.GetRequiredService<SolveQueue>()), "the request holding the solver");
        await Task.Delay(500);
        await leave.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => request);
        // The solve stops at its next callback, milliseconds after the client left; a run would be stored then.
        await Task.Delay(TimeSpan.FromSeconds(3));
        var api = host.App.Services.GetRequiredService<StrategyCatalog>().Default.ApiRunsName;
        var stored = await host.App.Services.GetRequiredService<IRunStore>().LatestAsync(api, CancellationToken.None);

        Assert.True(stored is null, $"stored for a client that left: {stored?.Outcome} {stored?.SolverStatus} {stored?.StartedAt:O}");
        // The service goes on: the next client is answered.
        Assert.Equal(System.Net.HttpStatusCode.OK, (await host.OptimizeAsync()).StatusCode);
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
