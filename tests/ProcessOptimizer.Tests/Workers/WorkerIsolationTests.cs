using System.Diagnostics;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using ProcessOptimizer.Core.Runs;
using ProcessOptimizer.Cycles;
using ProcessOptimizer.Strategies;
using ProcessOptimizer.Tests.Faults;
using ProcessOptimizer.Workers;

namespace ProcessOptimizer.Tests.Workers;

/// <summary>A lost worker costs its own request only; the service and the next request go on.</summary>
[Collection(nameof(WorkerHostCollection))]
public sealed class WorkerIsolationTests
{
    [Fact]
    public async Task Optimize_WorkerKilledMidSolve_FailsThatRequestAndNextSucceedsOnNewWorker()
    {
        await using var host = await WorkerHost.StartAsync("--Solver:Workers=1");
        var pid = (await host.PidsAsync())[0];
        Assert.Equal(HttpStatusCode.OK, (await host.OptimizeAsync()).StatusCode);

        // Freeze the worker once it holds the request; if the answer still arrives, it was sent before: try again.
        HttpResponseMessage? failed = null;
        for (var attempt = 0; attempt < 20 && failed is null; attempt++)
        {
            var pending = host.OptimizeAsync();
            while (!host.Pool.Workers[0].Busy && !pending.IsCompleted)
            {
                await Task.Delay(1);
            }

            await SignalAsync("STOP", pid);
            await Task.Delay(100);
            if (pending.IsCompleted)
            {
                await SignalAsync("CONT", pid);
                Assert.Equal(HttpStatusCode.OK, (await pending).StatusCode);
                continue;
            }

            await SignalAsync("KILL", pid);
            failed = await pending;
        }

        Assert.NotNull(failed);
        // The next request goes to the worker started in the lost one's place once that is up. Sent at once, it
        // waits for the new worker to start and build the strategy, which on a loaded machine takes longer than its
        // deadline (10 s and the grace), and is then rightly answered 503 "not ready", as
        // Optimize_WorkerNotReadyByTheDeadline asks: the start's duration is not what this test is about.
        await WorkerHost.WarmAsync(host.App.Services);
        var next = await host.OptimizeAsync();

        Assert.Equal(HttpStatusCode.ServiceUnavailable, failed.StatusCode);
        Assert.Equal("solver worker crashed", (await WorkerHost.JsonAsync(failed)).GetProperty("title").GetString());
        Assert.Contains("signal 9", (await WorkerHost.JsonAsync(failed)).GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.True(next.StatusCode == HttpStatusCode.OK, $"the next request: {(int)next.StatusCode} {await next.Content.ReadAsStringAsync()}");
        Assert.NotEqual(pid, (await host.PidsAsync())[0]);
        Assert.Equal(1, host.Pool.Restarts(WorkerFailure.Crashed));
        var workers = (await WorkerHost.JsonAsync(await host.Client.GetAsync("/health"))).GetProperty("workers");
        Assert.Equal(1, workers.GetProperty("alive").GetInt32());
        Assert.Equal(1, workers.GetProperty("restarts").GetProperty("solver worker crashed").GetInt64());
        Assert.Equal(0, workers.GetProperty("restarts").GetProperty("solver worker exceeded memory").GetInt64());
        Assert.True(workers.GetProperty("busy_seconds").GetDouble() > 0);
        var metrics = await host.Client.GetStringAsync("/metrics");
        Assert.Matches("process_optimizer_workers_restarts_total\\{[^}]*reason=\"solver worker crashed\"[^}]*\\} 1\\b", metrics);
        Assert.Matches("process_optimizer_workers_alive(\\{[^}]*\\})? 1\\b", metrics);
    }

    [Fact]
    public async Task Start_NewWorkerBuildsTheDeployedStrategyBeforeItsFirstRequest()
    {
        // Issue 14: the first request must not pay for the build. Building the kiln strategy loads its models in
        // ONNX Runtime (the exact evaluator is checked against it), whose library a worker maps only then.
        await using var host = await WorkerHost.StartAsync("--Solver:Workers=1");
        var pid = (await host.PidsAsync())[0];

        Assert.Contains("libonnxruntime", await File.ReadAllTextAsync($"/proc/{pid}/maps"), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await host.OptimizeAsync()).StatusCode);
        Assert.Equal(pid, (await host.PidsAsync())[0]);
    }

    [Fact]
    public async Task Optimize_WorkerNotReadyByTheDeadline_Answers503WithRetryAfterAndTheWorkerGoesOnToServe()
    {
        // Issue 14: a worker frozen before it begins the solve, as a machine loaded many times over leaves one that is
        // starting or building a strategy: the request's inline strategy is built for it. The request's deadline
        // (1 s, plus the answer's grace) holds anyway, far below Solver:KillAfterSeconds; a worker that is building
        // is not killed for being slow, since the next request would then wait for a new one that must build again,
        // and it serves the next requests. (A worker whose solve has begun, or that was sent a version it holds
        // built, is killed at the deadline and the grace: WorkerDeadlineTests, BuiltVersionDeadlineTests.)
        await using var host = await WorkerHost.StartAsync("--Solver:Workers=1", "--Api:MaxSolveSeconds=1", "--Solver:KillAfterSeconds=120");
        var pid = (await host.PidsAsync())[0];
        Signals.Pause([pid]);
        HttpResponseMessage late;
        var watch = Stopwatch.StartNew();
        try
        {
            late = await host.OptimizeAsync(Hostile.HostileRequests.Normal());
            watch.Stop();
        }
        finally
        {
            Signals.Resume([pid]);
        }

        Assert.Equal(HttpStatusCode.ServiceUnavailable, late.StatusCode);
        Assert.NotNull(late.Headers.RetryAfter);
        Assert.Equal("solver not ready", (await WorkerHost.JsonAsync(late)).GetProperty("error").GetString());
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(20), $"answered after {watch.Elapsed.TotalSeconds:F1} s, for a deadline of 1 s and a kill after 120 s");

        // Warm now, the same worker answers.
        HttpResponseMessage next;
        for (var waited = Stopwatch.StartNew(); (next = await host.OptimizeAsync()).StatusCode != HttpStatusCode.OK && waited.Elapsed < TimeSpan.FromSeconds(60);)
        {
            await Task.Delay(500);
        }

        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
        Assert.Equal(pid, (await host.PidsAsync())[0]);
        Assert.All(Enum.GetValues<WorkerFailure>(), r => Assert.Equal(0, host.Pool.Restarts(r)));
    }

    [Fact]
    public async Task Optimize_SolvePastKillDeadline_KilledAndReported422()
    {
        await using var host = await WorkerHost.StartAsync("--Solver:Workers=1", "--Solver:KillAfterSeconds=0.001");
        var pid = (await host.PidsAsync())[0];

        var response = await host.OptimizeAsync();

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal("solver worker exceeded deadline", (await WorkerHost.JsonAsync(response)).GetProperty("error").GetString());
        Assert.Equal(1, host.Pool.Restarts(WorkerFailure.ExceededDeadline));
        Assert.NotEqual(pid, (await host.PidsAsync())[0]);
        Assert.False(Directory.Exists($"/proc/{pid}"), $"worker {pid} still exists");
    }

    [Fact]
    public async Task LoopCycle_WorkerPastKillDeadline_StoresErrorRunNamingTheReason()
    {
        // The demo history ends at the current minute, so the cycle reaches the solver.
        await using var host = await WorkerHost.StartAsync("--Solver:Workers=1", "--Solver:KillAfterSeconds=0.001", "--Demo:Replay=true");

        var run = await host.App.Services.GetRequiredService<CycleExecutor>().RunOnceAsync(host.App.Services.GetRequiredService<StrategyCatalog>().Default, null, CancellationToken.None);

        Assert.NotNull(run);
        Assert.Equal(RunOutcome.Error, run.Outcome);
        Assert.StartsWith("solver worker exceeded deadline", run.Message, StringComparison.Ordinal);
        Assert.True(run.Id > 0);
        Assert.Equal(1, host.Pool.Restarts(WorkerFailure.ExceededDeadline));
    }

    [Fact]
    public async Task Optimize_WorkerAboveMemoryCap_KilledAndReported422()
    {
        // Every .NET process has more than 1 MB resident, so the first sample during the solve is over the cap.
        await using var host = await WorkerHost.StartAsync("--Solver:Workers=1", "--Solver:WorkerMemoryMB=1");
        var pid = (await host.PidsAsync())[0];

        var response = await host.OptimizeAsync();

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var body = await WorkerHost.JsonAsync(response);
        Assert.Equal("solver worker exceeded memory", body.GetProperty("error").GetString());
        Assert.Contains("above 1 MB", body.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(1, host.Pool.Restarts(WorkerFailure.ExceededMemory));
        Assert.False(Directory.Exists($"/proc/{pid}"), $"worker {pid} still exists");
    }

    [Fact]
    public async Task Shutdown_StopsEveryWorker_NoWorkerProcessLeft()
    {
        var host = await WorkerHost.StartAsync("--Solver:Workers=2");
        var pids = await host.PidsAsync();
        Assert.Equal(HttpStatusCode.OK, (await host.OptimizeAsync()).StatusCode);
        Assert.Equal(2, WorkersOfThisProcess().Count);

        await host.DisposeAsync();

        Assert.All(pids, pid => Assert.False(Directory.Exists($"/proc/{pid}"), $"worker {pid} still exists"));
        Assert.Empty(WorkersOfThisProcess());
    }

    private static async Task SignalAsync(string signal, int pid)
    {
        using var kill = Process.Start("kill", ["-" + signal, pid.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        await kill.WaitForExitAsync();
        Assert.Equal(0, kill.ExitCode);
    }

    // Every process in the table started as a solver worker of this test process, found by its command line.
    private static List<int> WorkersOfThisProcess()
    {
        var parent = Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var found = new List<int>();
        foreach (var folder in Directory.GetDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(folder), out var pid))
            {
                continue;
            }

            string[] args;
            try
            {
                args = File.ReadAllText(Path.Combine(folder, "cmdline")).Split('\0');
            }
            catch (IOException)
            {
                continue;
            }

            if (args.Contains(SolverWorker.Command) && args.Contains(parent))
            {
                found.Add(pid);
            }
        }

        return found;
    }
}
