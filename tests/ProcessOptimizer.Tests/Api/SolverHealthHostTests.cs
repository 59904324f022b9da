using System.Diagnostics;
using System.Net;
using ProcessOptimizer.Cycles;
using ProcessOptimizer.Tests.Faults;
using ProcessOptimizer.Tests.Workers;
using static ProcessOptimizer.Tests.Hostile.HostileRequests;

namespace ProcessOptimizer.Tests.Api;

/// <summary>Issue 13: <c>/health</c> tells the truth about the solver, on the real host with solver workers.</summary>
[Collection(nameof(WorkerHostCollection))]
public sealed class SolverHealthHostTests
{
    [Fact]
    public async Task Health_AfterSolvesFailingWithEvaluationErrors_IsDegradedWithTheReason_ThenRecovers()
    {
        await using var host = await WorkerHost.StartAsync("--Solver:Workers=1");
        var failing = Normal("1 / (x - 5)");

        for (var i = 0; i < SolverHealth.FailuresForDegraded; i++)
        {
            using var answer = await host.OptimizeAsync(failing);
            Assert.Equal(HttpStatusCode.UnprocessableEntity, answer.StatusCode);
        }

        using var degraded = await host.Client.GetAsync("/health");
        var report = await WorkerHost.JsonAsync(degraded);
        for (var i = 0; i < SolverHealth.Window; i++)
        {
            using var answer = await host.OptimizeAsync(Normal());
            Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        }

        var recovered = await WorkerHost.JsonAsync(await host.Client.GetAsync("/health"));

        Assert.Equal(HttpStatusCode.OK, degraded.StatusCode);
        Assert.Equal("degraded", report.GetProperty("status").GetString());
        Assert.Equal("degraded", report.GetProperty("solver").GetProperty("status").GetString());
        Assert.Equal(
            "3 of the last 3 solves failed; the latest: skill 'f': formula '1 / (x - 5)': division by zero at column 3",
            report.GetProperty("solver").GetProperty("error").GetString());
        Assert.Equal("healthy", recovered.GetProperty("solver").GetProperty("status").GetString());
    }

    [Fact]
    public async Task Health_SolvePastItsDeadlineInAFrozenWorker_IsUnhealthyWithTheReason_WhileOthersAreServed()
    {
        // A worker frozen before its solve begins (as one that is building the strategy) is not killed: the deadline
        // cannot stop it, and /health says so. One frozen in its solve is killed at the deadline and the grace, sooner
        // than /health calls a solve stuck (WorkerDeadlineTests). Both workers are frozen before the request, and the
        // one that did not take it is let go to serve the others.
        await using var host = await WorkerHost.StartAsync("--Solver:Workers=2", "--Api:MaxSolveSeconds=1", "--Solver:KillAfterSeconds=60");
        var pids = await host.PidsAsync();
        using (var warm = await host.OptimizeAsync(Normal()))
        {
            Assert.Equal(HttpStatusCode.OK, warm.StatusCode);
        }

        using var before = await host.Client.GetAsync("/health");

        Signals.Pause(pids);
        var stuck = host.OptimizeAsync(Heavy());
        int pid;
        try
        {
            await WorkerHost.UntilAsync(() => host.Pool.Workers.Any(w => w.Busy), "a worker to take the request");
            pid = host.Pool.Workers.First(w => w.Busy).Pid!.Value;
        }
        finally
        {
            Signals.Resume(pids.Where(p => !host.Pool.Workers.Any(w => w.Busy && w.Pid == p)));
        }

        HttpResponseMessage during;
        try
        {
            using var served = await host.OptimizeAsync(Normal());
            Assert.Equal(HttpStatusCode.OK, served.StatusCode);
            during = await host.Client.GetAsync("/health");
            for (var waited = Stopwatch.StartNew(); during.StatusCode != HttpStatusCode.ServiceUnavailable && waited.Elapsed < TimeSpan.FromSeconds(20); during = await host.Client.GetAsync("/health"))
            {
                await Task.Delay(200);
            }
        }
        finally
        {
            Signals.Resume([pid]);
        }

        // The request itself was answered at its deadline, while the worker was still frozen.
        using var released = await stuck;
        var after = await WorkerHost.JsonAsync(await host.Client.GetAsync("/health"));
        for (var waited = Stopwatch.StartNew(); after.GetProperty("solver").GetProperty("status").GetString() != "healthy" && waited.Elapsed < TimeSpan.FromSeconds(20); after = await WorkerHost.JsonAsync(await host.Client.GetAsync("/health")))
        {
            await Task.Delay(200);
        }

        Assert.True(before.StatusCode == HttpStatusCode.OK, await before.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.ServiceUnavailable, during.StatusCode);
        var report = await WorkerHost.JsonAsync(during);
        Assert.Equal("unhealthy", report.GetProperty("status").GetString());
        Assert.Equal("unhealthy", report.GetProperty("solver").GetProperty("status").GetString());
        Assert.Matches("^a solve has run [0-9]+ s, past its deadline of 1 s$", report.GetProperty("solver").GetProperty("error").GetString());
        Assert.Equal(HttpStatusCode.ServiceUnavailable, released.StatusCode);
        Assert.NotNull(released.Headers.RetryAfter);
        Assert.Equal("solver not ready", (await WorkerHost.JsonAsync(released)).GetProperty("error").GetString());
        // Let go, the solve stops at its next callback, past its deadline, and the solver is healthy again.
        Assert.Equal("healthy", after.GetProperty("solver").GetProperty("status").GetString());
        Assert.Equal(0, host.Pool.Restarts(ProcessOptimizer.Workers.WorkerFailure.ExceededDeadline));
    }
}
