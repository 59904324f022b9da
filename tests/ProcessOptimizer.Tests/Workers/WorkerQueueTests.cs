using System.Diagnostics;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using ProcessOptimizer.Configuration;
using ProcessOptimizer.Core.Cycle;
using ProcessOptimizer.Core.Runs;
using ProcessOptimizer.Cycles;
using ProcessOptimizer.Strategies;
using ProcessOptimizer.Tests.Faults;
using ProcessOptimizer.Tests.Hostile;
using ProcessOptimizer.Workers;

namespace ProcessOptimizer.Tests.Workers;

/// <summary>
/// Issue 15: waiting for a worker belongs to the queue, not to the solve. A solve's deadline counts from when it
/// begins in a worker, and a worker still busy with an answer nobody waits for keeps its place in the queue.
/// </summary>
[Collection(nameof(WorkerHostCollection))]
public sealed class WorkerQueueTests
{
    [Fact]
    public async Task Solve_WaitedPastTheGraceForTheBusyWorker_GetsItsWholeDeadlineFromWhenTheWorkerHasIt()
    {
        // One worker, held (frozen) with a first request for longer than the grace while a second waits for it; the
        // second is then frozen in its solve. Counted from when the second asked, its deadline and the grace (5 s)
        // pass before its answer; counted from when the worker has it, they do not.
        await using var pool = new WorkerPool(new SolverSettingsSection { Workers = 1, KillAfterSeconds = 120 }, new StorageSettings { LocalRoot = Path.Combine(TestServers.Kiln, "store") }, NullLogger<WorkerPool>.Instance);
        await pool.StartAsync(CancellationToken.None);
        var normal = Request(HostileRequests.Normal());
        var heavy = Request(HostileRequests.Heavy());
        // A new worker's first solves compile their code, which on a loaded machine takes longer than the deadline.
        await WarmAsync(pool, normal);
        await WarmAsync(pool, heavy);
        var pid = pool.Workers[0].Pid!.Value;
        var pastTheGrace = WorkerPool.AnswerGrace + TimeSpan.FromSeconds(0.5);
        var pastTheAnswerBy = WorkerPool.AnswerBy(heavy.MaxSolveSeconds) + TimeSpan.FromSeconds(0.5);

        // Frozen once its solve has begun (the worker says so), not before: a worker frozen while it still builds the
        // inline strategy (about a second on a loaded machine) would be left too little of the bound on beginning
        // after the freeze, and the test would time the build instead of the queue.
        var freezer = SolveFreezer.Next(pool, r => ReferenceEquals(r, heavy));
        var clock = Stopwatch.StartNew();
        Task<SolveReply> first, second;
        Signals.Pause([pid]);
        try
        {
            first = pool.SolveAsync(normal, [], null, CancellationToken.None);
            second = pool.SolveAsync(heavy, [], null, CancellationToken.None);
            await WorkerHost.UntilAsync(() => pool.Waiting == 1, "the second request waiting for the worker");
            await Task.Delay(Left(pastTheGrace, clock));
        }
        finally
        {
            Signals.Resume([pid]);
        }

        await first;
        await freezer.Frozen;
        bool solving;
        try
        {
            await Task.Delay(Left(pastTheAnswerBy, clock));
            // An answer written before the freeze would have been read by now.
            solving = !second.IsCompleted;
        }
        finally
        {
            Signals.Resume([pid]);
        }

        var reply = await second;
        var answered = clock.Elapsed;

        Assert.True(solving, "the second request was answered before its worker was frozen");
        Assert.True(answered > pastTheAnswerBy, $"answered after {answered.TotalSeconds:F1} s");
        Assert.NotNull(reply.Result);
        Assert.All(Enum.GetValues<WorkerFailure>(), r => Assert.Equal(0, pool.Restarts(r)));
    }

    [Fact]
    public async Task Optimize_AfterALateAnswer_NextRequestWaitsInTheQueueBehindTheLoopAndIsAnswered()
    {
        // The demo history ends at the current minute, so a loop cycle reaches the solver.
        await using var host = await WorkerHost.StartAsync("--Solver:Workers=1", "--Demo:Replay=true", "--Api:MaxSolveSeconds=2", "--Solver:KillAfterSeconds=120");
        var pid = (await host.PidsAsync())[0];
        for (var warming = Stopwatch.StartNew(); (await host.OptimizeAsync()).StatusCode != HttpStatusCode.OK; await Task.Delay(500))
        {
            Assert.True(warming.Elapsed < TimeSpan.FromSeconds(60), "no /optimize was answered within 60 s of the start");
        }

        // Told apart by their deadline: a loop cycle's is Optimization:MaxSolveSeconds, a request's Api:MaxSolveSeconds.
        // The order in which the worker answered them is the queue's; the order in which the callers were done with
        // them is not (the cycle stores its run after its answer, while the request after it is answered).
        var loopSeconds = host.App.Services.GetRequiredService<OptimizationSettings>().MaxSolveSeconds;
        var order = new System.Collections.Concurrent.ConcurrentQueue<int>();
        host.Pool.Answered = (_, request) =>
        {
            order.Enqueue(request.MaxSolveSeconds);
            return Task.CompletedTask;
        };
        HttpResponseMessage late;
        Task<HttpResponseMessage> next;
        Task<RunRecord?> cycle;
        int queued;
        Signals.Pause([pid]);
        try
        {
            // The worker holds this request, whose inline strategy it builds, past its deadline and the grace:
            // answered 503, and the worker, to the service still building, goes on.
            late = await host.OptimizeAsync(HostileRequests.Normal());
            next = host.OptimizeAsync();
            await WorkerHost.UntilAsync(() => host.Pool.Waiting == 1, "the next request waiting");
            cycle = host.App.Services.GetRequiredService<CycleExecutor>().RunOnceAsync(host.App.Services.GetRequiredService<StrategyCatalog>().Default, null, CancellationToken.None);
            await WorkerHost.UntilAsync(() => host.App.Services.GetRequiredService<SolveQueue>().LoopWaiting == 1, "the cycle waiting");
            queued = (await WorkerHost.JsonAsync(await host.Client.GetAsync("/health"))).GetProperty("workers").GetProperty("queue").GetInt32();
            // Well within the next request's deadline and grace, which count its wait in the queue too.
            await Task.Delay(TimeSpan.FromSeconds(1));
        }
        finally
        {
            Signals.Resume([pid]);
        }

        var answer = await next;
        var run = await cycle;

        Assert.Equal(HttpStatusCode.ServiceUnavailable, late.StatusCode);
        Assert.Equal("solver not ready", (await WorkerHost.JsonAsync(late)).GetProperty("error").GetString());
        Assert.Equal(2, queued);
        Assert.True(answer.StatusCode == HttpStatusCode.OK, $"the next request: {(int)answer.StatusCode} {await answer.Content.ReadAsStringAsync()}");
        Assert.NotNull(run);
        Assert.True(run.SolverStatus is not null, $"the cycle did not reach the solver: {run.Outcome} {run.Message}");
        // The held request, then the cycle, then the request that waited before the cycle.
        Assert.Equal([2, loopSeconds, 2], order);
        Assert.Equal(pid, (await host.PidsAsync())[0]);
        Assert.All(Enum.GetValues<WorkerFailure>(), r => Assert.Equal(0, host.Pool.Restarts(r)));
    }

    // An inline request with a 3 s deadline, for a worker of its own pool: the body's strategy and its one row.
    private static SolveRequest Request(System.Text.Json.Nodes.JsonObject body)
    {
        var row = body["input_data"]!.AsObject().ToDictionary(p => p.Key, p => (double?)p.Value!.GetValue<double>());
        return WorkerAnswerTests.Request("inline", body["config"]!.ToJsonString(), new CycleInput([new ProcessRow(null, row)])) with { MaxSolveSeconds = 3 };
    }

    private static async Task WarmAsync(WorkerPool pool, SolveRequest request)
    {
        for (var warming = Stopwatch.StartNew(); ; await WorkerHost.UntilAsync(() => !pool.Workers[0].Busy, "the worker idle"))
        {
            Assert.True(warming.Elapsed < TimeSpan.FromSeconds(60), "no solve was answered within 60 s of the start");
            try
            {
                await pool.SolveAsync(request, [], null, CancellationToken.None);
                return;
            }
            catch (SolverLateException)
            {
                // Still compiling: the worker goes on, and the next solve finds it warmer.
            }
        }
    }

    private static TimeSpan Left(TimeSpan until, Stopwatch clock) => until > clock.Elapsed ? until - clock.Elapsed : TimeSpan.Zero;
}
