using System.Diagnostics;
using System.Net;
using ProcessOptimizer.Tests.Faults;
using ProcessOptimizer.Workers;

namespace ProcessOptimizer.Tests.Workers;

/// <summary>
/// Workers killed from outside at awkward moments: while their replacement starts, builds or warms up, all at once,
/// as a request arrives, and while the service stops. Each lost worker is replaced without a request, counted once,
/// and none outlives the service.
/// </summary>
[Collection(nameof(WorkerHostCollection))]
public sealed class WorkerReplacementAttackTests
{
    private static readonly TimeSpan Long = TimeSpan.FromSeconds(180);

    [Fact]
    public async Task ReplacementKilledBeforeItConnects_ReplacedAgainWithoutARequest_NextRequestSucceeds()
    {
        await using var host = await WorkerHost.StartAsync("--Solver:Workers=1");
        var pid = (await host.PidsAsync())[0];

        Signals.Kill([pid]);
        // Killed the moment its process appears: the .NET runtime takes far longer to start than this loop to see it.
        var replacement = await NewWorkerAsync([pid]);
        Signals.Kill([replacement]);
        var third = await NewWorkerAsync([pid, replacement]);
        await UntilAsync(() => host.Pool.Workers[0].Pid == third, "a worker in place of the one killed before it connected, with no request sent");
        var next = await host.OptimizeAsync();

        Assert.True(next.StatusCode == HttpStatusCode.OK, $"{(int)next.StatusCode} {await next.Content.ReadAsStringAsync()}");
        Assert.Equal(2, host.Pool.Restarts(WorkerFailure.Crashed));
        Assert.Equal([third], Signals.WorkersOf(Environment.ProcessId));
    }

    [Fact]
    public async Task ShutdownWhileALostStartWaitsToBeTriedAgain_NoWorkerStartedOrLeft()
    {
        var host = await WorkerHost.StartAsync("--Solver:Workers=1");
        var pid = (await host.PidsAsync())[0];

        Signals.Kill([pid]);
        var replacement = await NewWorkerAsync([pid]);
        Signals.Kill([replacement]);
        await host.DisposeAsync();
        // Past the pause after which a lost start is tried again: a try the stop missed would have started by now.
        await Task.Delay(2500);

        Assert.Empty(Signals.WorkersOf(Environment.ProcessId));
    }

    [Fact]
    public async Task ReplacementRefusedBySystem_TriedAgainUntilItStarts_RequestsMeanwhileFail503()
    {
        await using var host = await WorkerHost.StartAsync("--Solver:Workers=1");
        var pid = (await host.PidsAsync())[0];
        HttpResponseMessage during;
        // No socket can be made for a worker while the temporary folder is gone. The collection runs alone, so the
        // process-wide variable reaches no other test.
        var temp = Environment.GetEnvironmentVariable("TMPDIR");
        Environment.SetEnvironmentVariable("TMPDIR", Path.Combine(Path.GetTempPath(), "po-gone-" + Guid.NewGuid().ToString("n")[..8]));
        try
        {
            Signals.Kill([pid]);
            await UntilAsync(() => host.Pool.Restarts(WorkerFailure.Crashed) >= 3, "tries to start a worker again");
            during = await host.OptimizeAsync();
        }
        finally
        {
            Environment.SetEnvironmentVariable("TMPDIR", temp);
        }

        await UntilAsync(() => host.Pool.Workers[0].Pid is not null, "a worker once the system allows one, with no request sent");
        var next = await host.OptimizeAsync();

        var body = await during.Content.ReadAsStringAsync();
        Assert.True(during.StatusCode == HttpStatusCode.ServiceUnavailable && body.Contains("could not be started", StringComparison.Ordinal), $"{(int)during.StatusCode} {body}");
        Assert.True(next.StatusCode == HttpStatusCode.OK, $"{(int)next.StatusCode} {await next.Content.ReadAsStringAsync()}");
        Assert.Equal([host.Pool.Workers[0].Pid!.Value], Signals.WorkersOf(Environment.ProcessId));
    }

    [Fact]
    public async Task TemporaryFolderWithAPathTooLongForASocket_WorkersStartAndServe()
    {
        // 150 characters of folder: no room left in a socket's 108 bytes for the worker's socket name.
        var folder = Path.Combine(Path.GetTempPath(), "po-long-" + new string('x', 150 - Path.GetTempPath().Length - 8));
        Directory.CreateDirectory(folder);
        var temp = Environment.GetEnvironmentVariable("TMPDIR");
        Environment.SetEnvironmentVariable("TMPDIR", folder);
        try
        {
            await using var host = await WorkerHost.StartAsync("--Solver:Workers=1");
            await UntilAsync(() => host.Pool.Workers[0].Pid is not null, "a worker with a long temporary folder");
            var answer = await host.OptimizeAsync();

            Assert.True(answer.StatusCode == HttpStatusCode.OK, $"{(int)answer.StatusCode} {await answer.Content.ReadAsStringAsync()}");
            Assert.All(Enum.GetValues<WorkerFailure>(), r => Assert.Equal(0, host.Pool.Restarts(r)));
        }
        finally
        {
            Environment.SetEnvironmentVariable("TMPDIR", temp);
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task StartThatKeepsFailing_TriedAgainAfterPausesThatGrow_NotEverySecond()
    {
        await using var host = await WorkerHost.StartAsync("--Solver:Workers=1");
        var pid = (await host.PidsAsync())[0];
        var temp = Environment.GetEnvironmentVariable("TMPDIR");
        Environment.SetEnvironmentVariable("TMPDIR", Path.Combine(Path.GetTempPath(), "po-gone-" + Guid.NewGuid().ToString("n")[..8]));
        long tries;
        try
        {
            Signals.Kill([pid]);
            await UntilAsync(() => host.Pool.Restarts(WorkerFailure.Crashed) >= 2, "the first try again");
            // Pauses of 1, 2 and 4 s after the first failures: in the next 7 s at most three more tries, where a
            // pause of a second each would have made seven.
            await Task.Delay(TimeSpan.FromSeconds(7));
            tries = host.Pool.Restarts(WorkerFailure.Crashed);
        }
        finally
        {
            Environment.SetEnvironmentVariable("TMPDIR", temp);
        }

        await UntilAsync(() => host.Pool.Workers[0].Pid is not null, "a worker once the system allows one");
        var next = await host.OptimizeAsync();

        Assert.InRange(tries, 2, 5);
        Assert.True(next.StatusCode == HttpStatusCode.OK, $"{(int)next.StatusCode} {await next.Content.ReadAsStringAsync()}");
    }

    [Fact]
    public async Task SameSlotKilledFiveTimesWhileItsReplacementsStart_FiveCountedAndItServes()
    {
        await using var host = await WorkerHost.StartAsync("--Solver:Workers=1");
        var killed = new List<int> { (await host.PidsAsync())[0] };
        Signals.Kill(killed);

        // Each replacement is killed at a different point of its start: at once, then later into its build and warm-up.
        for (var round = 1; round < 5; round++)
        {
            var next = await NewWorkerAsync(killed);
            await Task.Delay(TimeSpan.FromMilliseconds(300 * (round - 1)));
            Signals.Kill([next]);
            killed.Add(next);
        }

        await UntilAsync(() => host.Pool.Workers[0].Pid is { } p && !killed.Contains(p) && Directory.Exists($"/proc/{p}"), "a worker after five kills");
        var answer = await host.OptimizeAsync();
        var health = (await WorkerHost.JsonAsync(await host.Client.GetAsync("/health"))).GetProperty("workers");

        Assert.True(answer.StatusCode == HttpStatusCode.OK, $"{(int)answer.StatusCode} {await answer.Content.ReadAsStringAsync()}");
        Assert.Equal(5, host.Pool.Restarts(WorkerFailure.Crashed));
        Assert.Equal(5, health.GetProperty("restarts").GetProperty("solver worker crashed").GetInt64());
        Assert.Equal(1, health.GetProperty("alive").GetInt32());
        Assert.Equal([host.Pool.Workers[0].Pid!.Value], Signals.WorkersOf(Environment.ProcessId));
    }

    [Fact]
    public async Task AllWorkersKilledAtOnce_AllReplacedWithoutARequest_CountedOnceEach()
    {
        await using var host = await WorkerHost.StartAsync("--Solver:Workers=2", "--Api:MaxQueuedRequests=16");
        var pids = await host.PidsAsync();

        Signals.Kill(pids);
        await UntilAsync(() => host.Pool.Workers.All(w => w.Pid is { } p && !pids.Contains(p)), "both replacements, with no request sent");
        var alive = (await WorkerHost.JsonAsync(await host.Client.GetAsync("/health"))).GetProperty("workers").GetProperty("alive").GetInt32();
        var answers = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => host.OptimizeAsync()));
        var metrics = await host.Client.GetStringAsync("/metrics");

        Assert.Equal(2, alive);
        Assert.All(answers, a => Assert.Equal(HttpStatusCode.OK, a.StatusCode));
        Assert.Equal(2, host.Pool.Restarts(WorkerFailure.Crashed));
        Assert.Matches("process_optimizer_workers_restarts(_total)?\\{[^}]*solver worker crashed[^}]*\\} 2\\b", metrics);
        Assert.Equal((await host.PidsAsync()).Order(), Signals.WorkersOf(Environment.ProcessId).Order());
    }

    [Fact]
    public async Task WorkerKilledAsRequestsArrive_EachLossCountedOnce_NextRequestSucceeds()
    {
        await using var host = await WorkerHost.StartAsync("--Solver:Workers=1");
        const int Rounds = 4;
        var failed = 0;
        for (var round = 0; round < Rounds; round++)
        {
            var pid = (await host.PidsAsync())[0];
            // The kill and the request race: the request finds the worker dead, or loses it mid-request, or takes its replacement.
            var request = host.OptimizeAsync();
            Signals.Kill([pid]);
            var response = await request.WaitAsync(Long);
            if (response.StatusCode != HttpStatusCode.OK)
            {
                var body = await response.Content.ReadAsStringAsync();
                Assert.True(response.StatusCode == HttpStatusCode.ServiceUnavailable && body.Contains("solver worker crashed", StringComparison.Ordinal), $"{(int)response.StatusCode} {body}");
                failed++;
            }

            await UntilAsync(() => host.Pool.Workers[0].Pid is { } p && p != pid, "the replacement");
        }

        var next = await host.OptimizeAsync();

        Assert.True(next.StatusCode == HttpStatusCode.OK, $"{(int)next.StatusCode} {await next.Content.ReadAsStringAsync()}");
        Assert.Equal(Rounds, host.Pool.Restarts(WorkerFailure.Crashed));
        Assert.True(failed <= Rounds);
        Assert.Equal(await host.PidsAsync(), Signals.WorkersOf(Environment.ProcessId));
    }

    [Fact]
    public async Task WorkerKilledAmidManyRequests_AtMostTheRequestItHeldFails_OthersAnswered()
    {
        await using var host = await WorkerHost.StartAsync("--Solver:Workers=2", "--Api:MaxQueuedRequests=64");
        var pids = await host.PidsAsync();

        var requests = Enumerable.Range(0, 24).Select(_ => host.OptimizeAsync()).ToList();
        await Task.WhenAny(requests).WaitAsync(Long);
        Signals.Kill([pids[1]]);
        var responses = await Task.WhenAll(requests).WaitAsync(Long);
        await UntilAsync(() => host.Pool.Workers[1].Pid is { } p && p != pids[1], "the killed worker's replacement");
        var next = await host.OptimizeAsync();

        var failed = responses.Where(r => r.StatusCode != HttpStatusCode.OK).ToList();
        Assert.True(failed.Count <= 1, $"{failed.Count} requests failed for one worker lost");
        foreach (var response in failed)
        {
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.ServiceUnavailable && body.Contains("solver worker crashed", StringComparison.Ordinal), $"{(int)response.StatusCode} {body}");
        }

        Assert.True(next.StatusCode == HttpStatusCode.OK, $"{(int)next.StatusCode} {await next.Content.ReadAsStringAsync()}");
        Assert.Equal(pids[0], host.Pool.Workers[0].Pid);
        Assert.Equal(1, host.Pool.Restarts(WorkerFailure.Crashed));
    }

    [Fact]
    public async Task WorkerKilledWhileTheServiceStops_NoWorkerProcessLeft_NoneStartedAfter()
    {
        var host = await WorkerHost.StartAsync("--Solver:Workers=2");
        var pids = await host.PidsAsync();

        var stop = host.DisposeAsync().AsTask();
        Signals.Kill([pids[0]]);
        await stop.WaitAsync(Long);
        // Time for a replacement that the stop missed to have appeared.
        await Task.Delay(1500);

        Assert.Empty(Signals.WorkersOf(Environment.ProcessId));
    }

    [Fact]
    public async Task IdleWorkerPausedThenResumed_RequestIsBoundedAndTheNextSucceeds()
    {
        await using var host = await WorkerHost.StartAsync("--Solver:Workers=1", "--Api:MaxSolveSeconds=2");
        var pid = (await host.PidsAsync())[0];

        Signals.Pause([pid]);
        var paused = Stopwatch.StartNew();
        var response = await host.OptimizeAsync().WaitAsync(Long);
        var waited = paused.Elapsed;
        // The request's own bound and the worker's kill both come at the deadline and the grace: a 503 "not ready"
        // may come first, and a worker resumed before its kill would answer. It stays paused until it is killed.
        await UntilAsync(() => host.Pool.Restarts(WorkerFailure.ExceededDeadline) == 1, "the paused worker's kill at its deadline");
        Signals.Resume([pid]);
        await UntilAsync(() => host.Pool.Workers[0].Pid is not null, "a worker after the paused one");
        var next = await host.OptimizeAsync();

        // A paused worker does not exit: the request is bounded by its deadline and the grace, and the worker killed.
        Assert.NotEqual(HttpStatusCode.OK, response.StatusCode);
        Assert.True(waited < TimeSpan.FromSeconds(120), $"the request to a paused worker waited {waited}");
        Assert.True(next.StatusCode == HttpStatusCode.OK, $"{(int)next.StatusCode} {await next.Content.ReadAsStringAsync()}");
        Assert.Equal(1, host.Pool.Restarts(WorkerFailure.ExceededDeadline));
        Assert.Equal(0, host.Pool.Restarts(WorkerFailure.Crashed));
        Assert.False(Directory.Exists($"/proc/{pid}") && !File.ReadAllText($"/proc/{pid}/stat").Contains(") Z ", StringComparison.Ordinal), $"paused worker {pid} still runs");
    }

    [Fact]
    public async Task WorkersKilledForMemory_NeverAlsoCountedAsCrashed()
    {
        await using var host = await WorkerHost.StartAsync("--Solver:Workers=1", "--Solver:WorkerMemoryMB=1");
        await host.PidsAsync();

        var first = await host.OptimizeAsync();
        await host.PidsAsync();
        var second = await host.OptimizeAsync();
        await host.PidsAsync();
        // Time for a watch that miscounted to have done so.
        await Task.Delay(1000);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, first.StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, second.StatusCode);
        Assert.Equal(2, host.Pool.Restarts(WorkerFailure.ExceededMemory));
        Assert.Equal(0, host.Pool.Restarts(WorkerFailure.Crashed));
    }

    [Fact]
    public async Task TwentyKillAndReplaceRounds_NoFileDescriptorsOrThreadsLeak()
    {
        await using var host = await WorkerHost.StartAsync("--Solver:Workers=1");
        var afterTwo = (Fds: 0, Threads: 0);
        for (var round = 1; round <= 20; round++)
        {
            var pid = (await host.PidsAsync())[0];
            Signals.Kill([pid]);
            await UntilAsync(() => host.Pool.Workers[0].Pid is { } p && p != pid, "the replacement");
            if (round == 2)
            {
                afterTwo = Counts();
            }
        }

        await host.PidsAsync();
        var afterTwenty = Counts();

        Assert.Equal(20, host.Pool.Restarts(WorkerFailure.Crashed));
        // Eighteen more workers: a leak of one per worker shows as eighteen; the thread pool may grow by a few.
        Assert.True(afterTwenty.Fds - afterTwo.Fds < 10, $"file descriptors: {afterTwo.Fds} after 2 rounds, {afterTwenty.Fds} after 20");
        Assert.True(afterTwenty.Threads - afterTwo.Threads < 10, $"threads: {afterTwo.Threads} after 2 rounds, {afterTwenty.Threads} after 20");
    }

    private static (int Fds, int Threads) Counts()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        return (Directory.GetFileSystemEntries("/proc/self/fd").Length, Directory.GetDirectories("/proc/self/task").Length);
    }

    // A worker process of this service that is none of those known.
    private static async Task<int> NewWorkerAsync(IReadOnlyCollection<int> known)
    {
        for (var waited = Stopwatch.StartNew(); ; await Task.Delay(5))
        {
            if (Signals.WorkersOf(Environment.ProcessId).FirstOrDefault(p => !known.Contains(p)) is > 0 and var pid)
            {
                return pid;
            }

            if (waited.Elapsed > TimeSpan.FromSeconds(30))
            {
                throw new TimeoutException("no new worker process within 30 s");
            }
        }
    }

    // A replacement builds the kiln strategy and solves it once: far longer than WorkerHost's 20 s on a loaded machine.
    private static async Task UntilAsync(Func<bool> condition, string what)
    {
        for (var waited = Stopwatch.StartNew(); !condition(); await Task.Delay(20))
        {
            if (waited.Elapsed > Long)
            {
                throw new TimeoutException($"waited {Long.TotalSeconds} s for {what}");
            }
        }
    }
}
