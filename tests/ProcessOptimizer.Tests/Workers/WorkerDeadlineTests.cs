using System.Diagnostics;
using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using ProcessOptimizer.Core.Cycle;
using ProcessOptimizer.Strategies;
using ProcessOptimizer.Tests.Faults;
using ProcessOptimizer.Tests.Hostile;
using ProcessOptimizer.Workers;

namespace ProcessOptimizer.Tests.Workers;

/// <summary>
/// Issue 15: a worker whose solve has begun and that has not answered by the solve's deadline and the grace is
/// killed and replaced; one that has not begun (starting, building the strategy) is not, whatever the request.
/// </summary>
[Collection(nameof(WorkerHostCollection))]
public sealed class WorkerDeadlineTests
{
    private const int Deadline = 2;

    private static readonly TimeSpan Grace = WorkerPool.AnswerGrace;

    [Fact]
    public async Task Optimize_WorkerFrozenInItsSolve_KilledAtTheDeadlineAndGrace_ReplacementServes_NoWorkerLeftAfterShutdown()
    {
        var host = await WorkerHost.StartAsync("--Solver:Workers=1", $"--Api:MaxSolveSeconds={Deadline}", "--Solver:KillAfterSeconds=120");
        var frozen = (await host.PidsAsync())[0];
        HttpResponseMessage late, next;
        TimeSpan began, answered, killed;
        int replacement;
        System.Text.Json.JsonElement restarts;
        try
        {
            Assert.Equal(HttpStatusCode.OK, (await ServedAsync(host)).StatusCode);
            var clock = Stopwatch.StartNew();
            // Frozen as soon as the service learns that the solve began; never resumed: a stopped process is killed
            // like any other.
            var freezer = SolveFreezer.Next(host.Pool, r => r.InlineText is not null);
            var stuck = host.OptimizeAsync(HostileRequests.Heavy());
            var (_, at) = await freezer.Frozen;
            began = clock.Elapsed - Stopwatch.GetElapsedTime(at);
            late = await stuck;
            answered = clock.Elapsed;
            // An answer here would be the solve's own, had it ended before the freeze: then nothing is killed.
            Assert.True(late.StatusCode == HttpStatusCode.ServiceUnavailable, $"the frozen solve's request: {(int)late.StatusCode} {await late.Content.ReadAsStringAsync()}");
            await WorkerHost.UntilAsync(() => !Directory.Exists($"/proc/{frozen}"), "the frozen worker to be killed");
            killed = clock.Elapsed;
            // A new worker's first solves compile their code, which on a loaded machine takes longer than this short
            // deadline: it is asked until it answers, as a client told to retry would.
            await WorkerHost.WarmAsync(host.App.Services);
            next = await ServedAsync(host);
            replacement = (await host.PidsAsync())[0];
            restarts = (await WorkerHost.JsonAsync(await host.Client.GetAsync("/health"))).GetProperty("workers").GetProperty("restarts");
        }
        finally
        {
            await host.DisposeAsync();
        }

        Assert.Equal("solver not ready", (await WorkerHost.JsonAsync(late)).GetProperty("error").GetString());
        Assert.True(answered < 2 * (TimeSpan.FromSeconds(Deadline) + Grace), $"answered after {answered.TotalSeconds:F1} s");
        // Not before the solve's deadline and the grace, counted from when it began, which the service learns once the
        // worker tells of it, a little after.
        Assert.True(killed - began > TimeSpan.FromSeconds(Deadline) + Grace - SolveNotice.After - TimeSpan.FromMilliseconds(100), $"killed {(killed - began).TotalSeconds:F1} s after the solve began");
        Assert.True(next.StatusCode == HttpStatusCode.OK, $"the next request: {(int)next.StatusCode} {await next.Content.ReadAsStringAsync()}");
        Assert.NotEqual(frozen, replacement);
        Assert.Equal(1, restarts.GetProperty("solver worker exceeded deadline").GetInt64());
        Assert.Equal(0, restarts.GetProperty("solver worker crashed").GetInt64());
        Assert.False(Directory.Exists($"/proc/{replacement}"), $"worker {replacement} outlived the service");
        Assert.Empty(Signals.WorkersOf(Environment.ProcessId));
    }

    [Fact]
    public async Task Optimize_WorkerFrozenBeforeItsSolveBegins_Answered503ByTheBound_NotKilled_ThenSolvesWithItsWholeDeadline()
    {
        // Frozen with an inline strategy it has not built yet: to the service, a worker building. Held past the
        // deadline and grace, it is not killed; let go, it builds and solves the heavy request for its whole deadline
        // (which counts from the solve's start) and then serves the next request.
        await using var host = await WorkerHost.StartAsync("--Solver:Workers=1", $"--Api:MaxSolveSeconds={Deadline}", "--Solver:KillAfterSeconds=120");
        var pid = (await host.PidsAsync())[0];
        Assert.Equal(HttpStatusCode.OK, (await ServedAsync(host)).StatusCode);
        // Told as the service learns of it: a solve that ended within the wait for its flag to show was never seen.
        var begun = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        host.Pool.SolveBegun = (_, _) => begun.TrySetResult();

        var clock = Stopwatch.StartNew();
        HttpResponseMessage late;
        TimeSpan answered;
        Signals.Pause([pid]);
        try
        {
            late = await host.OptimizeAsync(HostileRequests.Heavy());
            answered = clock.Elapsed;
            await Task.Delay(TimeSpan.FromSeconds(Deadline) + Grace);
        }
        finally
        {
            Signals.Resume([pid]);
        }

        var held = clock.Elapsed;
        await begun.Task.WaitAsync(TimeSpan.FromSeconds(60));
        await WorkerHost.UntilAsync(() => !host.Pool.Workers[0].Busy, "the held request's solve to end");
        using var next = await host.OptimizeAsync();

        Assert.Equal(HttpStatusCode.ServiceUnavailable, late.StatusCode);
        Assert.Equal("solver not ready", (await WorkerHost.JsonAsync(late)).GetProperty("error").GetString());
        Assert.True(answered < 2 * (TimeSpan.FromSeconds(Deadline) + Grace), $"answered after {answered.TotalSeconds:F1} s");
        Assert.True(held > 2 * (TimeSpan.FromSeconds(Deadline) + Grace), $"the worker was held only {held.TotalSeconds:F1} s");
        Assert.True(next.StatusCode == HttpStatusCode.OK, $"the next request: {(int)next.StatusCode} {await next.Content.ReadAsStringAsync()}");
        Assert.Equal(pid, (await host.PidsAsync())[0]);
        Assert.All(Enum.GetValues<WorkerFailure>(), r => Assert.Equal(0, host.Pool.Restarts(r)));
    }

    [Theory]
    [InlineData(-150)]
    [InlineData(0)]
    [InlineData(60)]
    public async Task Solve_WorkerAnswersAboutWhenItIsKilled_OneOutcome_SlotFreed_NextRequestsServed(int resumeAfterGraceMs)
    {
        // Frozen in its solve and let go about when the kill is due: the answer (the solve stops at its deadline's
        // next callback and answers in milliseconds) and the kill race. The request ends once, one way or the other,
        // and the pool's one slot is free for the next requests either way.
        await using var pool = new WorkerPool(new SolverSettingsSection { Workers = 1, KillAfterSeconds = 120 }, new StorageSettings { LocalRoot = Path.Combine(TestServers.Kiln, "store") }, NullLogger<WorkerPool>.Instance);
        await pool.StartAsync(CancellationToken.None);
        var heavy = Request(HostileRequests.Heavy());
        var normal = Request(HostileRequests.Normal());
        await SolvedAsync(pool, normal);
        // Built once, so that its build (compiling code, the first time) is not what the request waits for.
        await SolvedAsync(pool, heavy);
        var freezer = SolveFreezer.Next(pool, r => ReferenceEquals(r, heavy));

        var outcome = pool.SolveAsync(heavy, [], null, CancellationToken.None);
        var (pid, began) = await freezer.Frozen;
        try
        {
            // The solve began about SolveNotice.After before the worker told of it.
            var resume = TimeSpan.FromSeconds(Deadline) + Grace - SolveNotice.After + TimeSpan.FromMilliseconds(resumeAfterGraceMs) - Stopwatch.GetElapsedTime(began);
            await Task.Delay(resume > TimeSpan.Zero ? resume : TimeSpan.Zero);
        }
        finally
        {
            Signals.Resume([pid]);
        }

        var (reply, killed) = await WorkerHost.EndedAsync(outcome);

        var after = new List<SolveReply>();
        for (var i = 0; i < 3; i++)
        {
            after.Add(await SolvedAsync(pool, normal));
        }

        Assert.True((reply is null) != (killed is null), "the request ended with both an answer and a kill, or neither");
        Assert.Equal(killed is null ? 0 : 1, pool.Restarts(WorkerFailure.ExceededDeadline));
        Assert.Equal(killed is null, pool.Workers[0].Pid == pid);
        Assert.Equal(killed is null, Directory.Exists($"/proc/{pid}"));
        Assert.All(after, a => Assert.Equal(CycleStatus.Success, a.Result!.Status));
        Assert.Equal(0, pool.Restarts(WorkerFailure.Crashed));
        Assert.Equal(0, pool.Waiting);
    }

    // The first answer 200 within 60 s, or the last one.
    private static async Task<HttpResponseMessage> ServedAsync(WorkerHost host)
    {
        HttpResponseMessage answer;
        for (var warming = Stopwatch.StartNew(); (answer = await host.OptimizeAsync()).StatusCode != HttpStatusCode.OK && warming.Elapsed < TimeSpan.FromSeconds(60); await Task.Delay(500))
        {
            answer.Dispose();
        }

        return answer;
    }

    // A solve through the pool once its worker (new, or a replacement) is ready: one started meanwhile may be late.
    private static async Task<SolveReply> SolvedAsync(WorkerPool pool, SolveRequest request)
    {
        for (var warming = Stopwatch.StartNew(); ; await Task.Delay(200))
        {
            Assert.True(warming.Elapsed < TimeSpan.FromSeconds(60), "no solve was answered within 60 s");
            try
            {
                return await pool.SolveAsync(request, [], null, CancellationToken.None);
            }
            catch (SolverLateException)
            {
                // Still starting: it goes on, and the next solve finds it ready.
            }
        }
    }

    // An inline request with the test's deadline: the body's strategy and its one row.
    private static SolveRequest Request(System.Text.Json.Nodes.JsonObject body)
    {
        var row = body["input_data"]!.AsObject().ToDictionary(p => p.Key, p => (double?)p.Value!.GetValue<double>());
        return WorkerAnswerTests.Request("inline", body["config"]!.ToJsonString(), new CycleInput([new ProcessRow(null, row)])) with { MaxSolveSeconds = Deadline };
    }
}
