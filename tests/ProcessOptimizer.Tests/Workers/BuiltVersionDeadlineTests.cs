using System.Diagnostics;
using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using ProcessOptimizer.Core.Cycle;
using ProcessOptimizer.Core.Storage;
using ProcessOptimizer.Inputs;
using ProcessOptimizer.Solver.Ipopt;
using ProcessOptimizer.Storage.Caching;
using ProcessOptimizer.Strategies;
using ProcessOptimizer.Tests.Faults;
using ProcessOptimizer.Workers;

namespace ProcessOptimizer.Tests.Workers;

/// <summary>
/// Issue 15: a worker frozen before it tells of its solve (which it does only once the solve has run 0.1 s) was
/// taken to be building the strategy, and only Solver:KillAfterSeconds ended it. A request for a deployed version
/// the worker has built (it answered it, or built it when it started) has no build phase: such a worker is killed at
/// the deadline and the grace from the sending. A request that makes it build a version still has the longer allowance.
/// </summary>
[Collection(nameof(WorkerHostCollection))]
public sealed class BuiltVersionDeadlineTests
{
    private const int Deadline = 2;

    private static readonly TimeSpan Grace = WorkerPool.AnswerGrace;

    // Far longer than any wait here: a kill by Solver:KillAfterSeconds would fail the test by its own bounds.
    private static readonly SolverSettingsSection OneWorker = new() { Workers = 1, KillAfterSeconds = 120 };

    [Fact]
    public async Task Optimize_WarmWorkerFrozenBeforeItReadsTheRequest_KilledAtTheDeadlineAndGrace_ReplacementServes_NoWorkerLeftAfterShutdown()
    {
        var host = await WorkerHost.StartAsync("--Solver:Workers=1", $"--Api:MaxSolveSeconds={Deadline}", "--Solver:KillAfterSeconds=120");
        var frozen = (await host.PidsAsync())[0];
        HttpResponseMessage late, next;
        TimeSpan killed;
        int replacement;
        System.Text.Json.JsonElement restarts;
        try
        {
            // The deployed version, built when the worker started and answered once since.
            Assert.Equal(HttpStatusCode.OK, (await ServedAsync(host)).StatusCode);
            Signals.Pause([frozen]);
            var clock = Stopwatch.StartNew();
            // Written to the socket, never read: no notice of a solve ever comes.
            late = await host.OptimizeAsync();
            await WorkerHost.UntilAsync(() => !Directory.Exists($"/proc/{frozen}"), "the frozen worker to be killed");
            killed = clock.Elapsed;
            await WorkerHost.WarmAsync(host.App.Services);
            next = await ServedAsync(host);
            replacement = (await host.PidsAsync())[0];
            restarts = (await WorkerHost.JsonAsync(await host.Client.GetAsync("/health"))).GetProperty("workers").GetProperty("restarts");
        }
        finally
        {
            await host.DisposeAsync();
        }

        Assert.Equal(HttpStatusCode.ServiceUnavailable, late.StatusCode);
        // The request was sent after the clock started, and the kill counts from the sending.
        Assert.True(killed > TimeSpan.FromSeconds(Deadline) + Grace, $"killed {killed.TotalSeconds:F1} s after the request");
        Assert.True(killed < 2 * (TimeSpan.FromSeconds(Deadline) + Grace), $"killed {killed.TotalSeconds:F1} s after the request, for a deadline of {Deadline} s and a kill after 120 s");
        Assert.True(next.StatusCode == HttpStatusCode.OK, $"the next request: {(int)next.StatusCode} {await next.Content.ReadAsStringAsync()}");
        Assert.NotEqual(frozen, replacement);
        Assert.Equal(1, restarts.GetProperty("solver worker exceeded deadline").GetInt64());
        Assert.Equal(0, restarts.GetProperty("solver worker crashed").GetInt64());
        Assert.False(Directory.Exists($"/proc/{replacement}"), $"worker {replacement} outlived the service");
        Assert.Empty(Signals.WorkersOf(Environment.ProcessId));
    }

    [Fact]
    public async Task Solve_NewVersionsBuiltWhileFrozenPastTheDeadlineAndGrace_NotKilled_ThenTheVersionItBuiltLast_Killed()
    {
        var (v1, input) = await KilnAsync();
        // The same strategy under another version: the worker must build it, as it would a new version's models.
        var config = v1.Artifacts.Single(a => a.Key == StoreLayout.ConfigKey(v1.Version));
        const string Version2 = "1.0.1-frozen";
        IReadOnlyList<StoredArtifact> artifacts2 = [.. v1.Artifacts.Where(a => a != config), config with { Key = StoreLayout.ConfigKey(Version2), ETag = "\"v2\"" }];
        var request1 = WorkerAnswerTests.Request(v1.Version, null, input, v1.ArtifactVersions) with { MaxSolveSeconds = Deadline };
        var request2 = request1 with { Version = Version2, Artifacts = artifacts2.ToDictionary(a => a.Key, a => a.ETag) };
        var pool = new WorkerPool(OneWorker, new StorageSettings { LocalRoot = Directory.CreateTempSubdirectory("po-empty-store-").FullName }, NullLogger<WorkerPool>.Instance);
        SolveReply switched, back;
        SolverWorkerException? killed = null;
        TimeSpan killedAfter;
        int pid;
        try
        {
            await pool.StartAsync(CancellationToken.None);
            Assert.Equal(CycleStatus.Success, (await SolvedAsync(pool, request1, v1.Artifacts)).Result!.Status);
            pid = pool.Workers[0].Pid!.Value;

            // To the service, a worker building slowly: frozen with a version it does not hold, past the kill due for one it holds.
            switched = await FrozenAsync(pool, pid, request2, artifacts2, TimeSpan.FromSeconds(Deadline) + Grace + TimeSpan.FromSeconds(1));
            // Version 1 went when version 2 replaced it: back to it is a build again, not a held version.
            back = await FrozenAsync(pool, pid, request1, v1.Artifacts, TimeSpan.FromSeconds(Deadline) + Grace + TimeSpan.FromSeconds(1));

            // Version 1 is now the one it holds: frozen with it, the worker is killed at the deadline and the grace.
            Signals.Pause([pid]);
            var clock = Stopwatch.StartNew();
            killed = (await WorkerHost.EndedAsync(pool.SolveAsync(request1, v1.Artifacts, null, CancellationToken.None))).Killed;

            killedAfter = clock.Elapsed;
        }
        finally
        {
            await pool.DisposeAsync();
        }

        Assert.Equal(CycleStatus.Success, switched.Result!.Status);
        Assert.Equal(CycleStatus.Success, back.Result!.Status);
        Assert.NotNull(killed);
        Assert.Equal(WorkerFailure.ExceededDeadline, killed.Reason);
        Assert.True(killedAfter < 2 * (TimeSpan.FromSeconds(Deadline) + Grace), $"killed {killedAfter.TotalSeconds:F1} s after the request");
        Assert.Equal(1, pool.Restarts(WorkerFailure.ExceededDeadline));
        Assert.Equal(0, pool.Restarts(WorkerFailure.Crashed));
        Assert.False(Directory.Exists($"/proc/{pid}"), $"worker {pid} outlived its kill");
        Assert.Empty(Signals.WorkersOf(Environment.ProcessId));
    }

    [Theory]
    [InlineData(-150)]
    [InlineData(0)]
    [InlineData(60)]
    public async Task Solve_WarmWorkerFrozenBeforeItReadsTheRequest_LetGoAboutWhenItsKillIsDue_OneOutcome_SlotFreed_NextServed(int resumeAfterGraceMs)
    {
        // Let go about when the kill is due, the worker reads the request and answers in milliseconds: the answer
        // and the kill race, and the request ends once, one way or the other.
        var (v1, input) = await KilnAsync();
        var request = WorkerAnswerTests.Request(v1.Version, null, input, v1.ArtifactVersions) with { MaxSolveSeconds = Deadline };
        await using var pool = new WorkerPool(OneWorker, new StorageSettings(), NullLogger<WorkerPool>.Instance);
        await pool.StartAsync(CancellationToken.None);
        await SolvedAsync(pool, request, v1.Artifacts);
        var pid = pool.Workers[0].Pid!.Value;

        var clock = Stopwatch.StartNew();
        Signals.Pause([pid]);
        Task<SolveReply> outcome;
        try
        {
            outcome = pool.SolveAsync(request, v1.Artifacts, null, CancellationToken.None);
            var resume = TimeSpan.FromSeconds(Deadline) + Grace + TimeSpan.FromMilliseconds(resumeAfterGraceMs) - clock.Elapsed;
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
            after.Add(await SolvedAsync(pool, request, v1.Artifacts));
        }

        Assert.True((reply is null) != (killed is null), "the request ended with both an answer and a kill, or neither");
        Assert.Equal(killed is null ? 0 : 1, pool.Restarts(WorkerFailure.ExceededDeadline));
        Assert.Equal(killed is null, pool.Workers[0].Pid == pid);
        Assert.Equal(killed is null, Directory.Exists($"/proc/{pid}"));
        Assert.All(after, a => Assert.Equal(CycleStatus.Success, a.Result!.Status));
        Assert.Equal(0, pool.Restarts(WorkerFailure.Crashed));
        Assert.Equal(0, pool.Waiting);
    }

    // Sent to the worker frozen, which is let go after `held`: the worker's answer, once it has built and solved.
    private static async Task<SolveReply> FrozenAsync(WorkerPool pool, int pid, SolveRequest request, IReadOnlyList<StoredArtifact> artifacts, TimeSpan held)
    {
        Task<SolveReply> outcome;
        Signals.Pause([pid]);
        try
        {
            outcome = pool.SolveAsync(request, artifacts, null, CancellationToken.None);
            await Task.Delay(held);
        }
        finally
        {
            Signals.Resume([pid]);
        }

        // The caller stopped waiting at its bound, as for any worker still building; the worker went on.
        var late = await Assert.ThrowsAsync<SolverLateException>(() => outcome.WaitAsync(TimeSpan.FromSeconds(60)));
        var reply = await late.Work!.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(pid, pool.Workers[0].Pid);
        Assert.All(Enum.GetValues<WorkerFailure>(), r => Assert.Equal(0, pool.Restarts(r)));
        return reply;
    }

    // The kiln example's deployed version as the service loads it from its store, and its latest window.
    private static async Task<(DeployedStrategy Deployed, CycleInput Input)> KilnAsync()
    {
        var store = new StorageSettings { LocalRoot = Path.Combine(TestServers.Kiln, "store") };
        var repository = new StrategyRepository(store.CreateStore(), store, new IpoptSolver(), new ArtifactCache(NullLogger<ArtifactCache>.Instance), TimeProvider.System, NullLogger<StrategyRepository>.Instance);
        return (await repository.CurrentAsync(CancellationToken.None), InputParser.ReadFile(Path.Combine(TestServers.Kiln, "window-latest.csv")));
    }

    // A solve through the pool once its worker (new, or a replacement) is ready: one started meanwhile may be late.
    private static async Task<SolveReply> SolvedAsync(WorkerPool pool, SolveRequest request, IReadOnlyList<StoredArtifact> artifacts)
    {
        for (var warming = Stopwatch.StartNew(); ; await Task.Delay(200))
        {
            Assert.True(warming.Elapsed < TimeSpan.FromSeconds(60), "no solve was answered within 60 s");
            try
            {
                return await pool.SolveAsync(request, artifacts, null, CancellationToken.None);
            }
            catch (SolverLateException)
            {
                // Still starting: it goes on, and the next solve finds it ready.
            }
        }
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
}
