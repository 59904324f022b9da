using ProcessOptimizer.Storage.Resilience;

namespace ProcessOptimizer.Storage.Tests.Resilience;

/// <summary>
/// Issue 14 (N3 and N4 of the fourth fault round). With PostgreSQL paused, health knew within a second but each
/// request still waited about two call timeouts, and after the pause the circuit stayed open for the rest of its
/// break, so the first cycles were stored as errors. With SQLite's disk full, a read-only probe cleared what failed
/// writes had found, and health flapped. The guard's probe now steers the circuit, and a failed write stays until a
/// write succeeds. These run on the wall clock (the guard waits on real sockets), so they wait for what they
/// assert with generous limits and never assert a time.
/// </summary>
public sealed class DependencyGuardTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(10);

    private int _calls;
    private int _probes;

    [Fact]
    public async Task Observe_ProbeSucceedsWhileTheCircuitIsOpen_ClosesItLongBeforeTheBreakEnds()
    {
        var down = true;
        var guard = Guard(TimeSpan.FromSeconds(5), ct => down ? throw new IOException("refused") : Task.CompletedTask);
        await OpenAsync(guard);
        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => CallAsync(guard, () => 1));
        Assert.Contains("skipped for now (refused)", refused.Message, StringComparison.Ordinal);
        Assert.Equal(2, _calls);

        down = false;
        await WaitForAsync(() => !guard.Observe().IsCircuitOpen, "the circuit closed by a probe");

        Assert.Equal(1, await CallAsync(guard, () => 1));
        Assert.True(guard.State.IsAvailable);
    }

    [Fact]
    public async Task Observe_ProbeHangs_IsolatesTheCircuitSoCallsFailWithoutBeingMadeAndClosesWhenItAnswers()
    {
        var answer = new TaskCompletionSource();
        var guard = Guard(TimeSpan.FromSeconds(60), _ => answer.Task);

        // One look starts the probe; the probe itself finds the hang, with nobody asking again.
        guard.Observe();
        await WaitForAsync(() => guard.IsCircuitOpen, "the circuit isolated by the hung probe");

        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => CallAsync(guard, () => 1));
        Assert.Contains("has not answered a probe", refused.Message, StringComparison.Ordinal);
        Assert.Equal(0, _calls);
        Assert.False(guard.Observe().IsAvailable);

        answer.SetResult();
        await WaitForAsync(() => !guard.IsCircuitOpen, "the circuit closed when the probe was answered");
        Assert.Equal(1, await CallAsync(guard, () => 1));
        Assert.True(guard.Observe().IsAvailable);
    }

    [Fact]
    public async Task ExecuteAsync_CallEndsWhenTheIsolationCancelsIt_FailsAsACallGivenUpNotAsACancellation()
    {
        // A driver that gives up as soon as its token is cancelled (Npgsql waiting for a connection) can end the call
        // before the guard has noted that it gave the call up: under load at a start-up, the driver's cancellation
        // escaped as an OperationCanceledException and stopped the host. Forty guards run it at once.
        var answer = new TaskCompletionSource();
        var races = Enumerable.Range(0, 40).Select(async _ =>
        {
            var guard = Guard(TimeSpan.FromSeconds(60), _ => answer.Task);
            var inFlight = guard.ExecuteAsync(
                async ct =>
                {
                    // Ended inside the cancellation itself, on its thread (the registration is left to the token).
                    var waiting = new TaskCompletionSource<int>();
                    ct.UnsafeRegister(_ => waiting.TrySetCanceled(ct), null);
                    return await waiting.Task;
                },
                (message, ex) => new InvalidOperationException(message, ex),
                CancellationToken.None);
            guard.Observe();
            var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => inFlight);
            Assert.Contains("skipped for now", refused.Message, StringComparison.Ordinal);
        }).ToList();

        try
        {
            await Task.WhenAll(races);
        }
        finally
        {
            answer.SetResult();
        }
    }

    [Fact]
    public async Task State_WriteFailedThenReadsAndProbesSucceed_StaysUnavailableUntilAWriteSucceeds()
    {
        var guard = Guard(TimeSpan.FromSeconds(5), _ =>
        {
            Interlocked.Increment(ref _probes);
            return Task.CompletedTask;
        });
        for (var i = 0; i < 4; i++)
        {
            await CallAsync(guard, () => 1);
        }

        await Assert.ThrowsAsync<IOException>(() => CallAsync(guard, () => throw new IOException("database or disk is full"), write: true));
        await CallAsync(guard, () => 1);
        // A second probe starts only once the first has ended and been recorded.
        await WaitForAsync(() => guard.Observe() is not null && Volatile.Read(ref _probes) >= 2, "two probes that succeeded");

        Assert.False(guard.Observe().IsAvailable);
        Assert.Equal("database or disk is full", guard.Observe().LastError);

        await CallAsync(guard, () => 1, write: true);
        Assert.True(guard.Observe().IsAvailable);
        Assert.Null(guard.Observe().LastError);
    }

    [Fact]
    public async Task ExecuteAsync_WritesFailFastRepeatedly_LeaveTheCircuitClosedForReads()
    {
        var guard = Guard(TimeSpan.FromSeconds(5), null);
        for (var i = 0; i < 4; i++)
        {
            await Assert.ThrowsAsync<IOException>(() => CallAsync(guard, () => throw new IOException("database or disk is full"), write: true));
        }

        Assert.False(guard.IsCircuitOpen);
        Assert.Equal(7, await CallAsync(guard, () => 7));
        Assert.Equal("database or disk is full", guard.State.LastError);
    }

    [Fact]
    public async Task ExecuteAsync_DriversOwnTimeout_IsNotRetriedLikeOtherTransientFailures()
    {
        var hung = Guard(TimeSpan.FromSeconds(5), null, retries: 1);
        await Assert.ThrowsAsync<IOException>(() => CallAsync(hung, () => throw new IOException("reading from stream", new TimeoutException("timed out"))));
        Assert.Equal(1, _calls);

        _calls = 0;
        var refused = Guard(TimeSpan.FromSeconds(5), null, retries: 1);
        await Assert.ThrowsAsync<IOException>(() => CallAsync(refused, () => throw new IOException("refused")));
        Assert.Equal(2, _calls);
    }

    [Fact]
    public async Task ClosesWithinAsync_DependencyAnswersAgainWhileACycleWaits_ReturnsOnceAProbeClosesTheCircuit()
    {
        // A scheduled cycle at the moment the database came back failed on the open circuit, which the monitor's next
        // probe (every 2 s) closed just after: that minute was stored as an error.
        var down = true;
        var guard = Guard(TimeSpan.FromSeconds(5), ct => down ? throw new IOException("refused") : Task.CompletedTask);
        await OpenAsync(guard);
        var waiting = guard.ClosesWithinAsync(Limit, CancellationToken.None);
        await Task.Delay(300);
        Assert.False(waiting.IsCompleted);

        down = false;
        Assert.True(await waiting);
        Assert.Equal(1, await CallAsync(guard, () => 1));
    }

    [Fact]
    public async Task ClosesWithinAsync_DependencyStillDown_ReturnsFalseAtTheLimitAndAClosedCircuitAtOnce()
    {
        var guard = Guard(TimeSpan.FromSeconds(5), _ => throw new IOException("refused"));
        Assert.True(await guard.ClosesWithinAsync(Limit, CancellationToken.None));

        await OpenAsync(guard);
        Assert.False(await guard.ClosesWithinAsync(TimeSpan.FromMilliseconds(500), CancellationToken.None));
        Assert.True(guard.IsCircuitOpen);
    }

    [Fact]
    public async Task ExecuteAsync_OneOfTwoCallsAtOnceCancelledByItsCaller_TheOtherAndTheNextCallsAnswer()
    {
        // Issue 19: the calls share no cancellation made per call any more; one kept source is taken by one call at a time.
        var guard = Guard(TimeSpan.FromSeconds(60), probe: null);
        var answer = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var caller = new CancellationTokenSource();
        var cancelled = guard.ExecuteAsync(_ => answer.Task, (message, ex) => new InvalidOperationException(message, ex), caller.Token);
        var other = guard.ExecuteAsync(_ => answer.Task, (message, ex) => new InvalidOperationException(message, ex), CancellationToken.None);

        await caller.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
        Assert.False(other.IsCompleted);
        answer.SetResult(7);
        Assert.Equal(7, await other);

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(i, await guard.ExecuteAsync(
                static (n, ct) => ValueTask.FromResult(ct.IsCancellationRequested ? -1 : n),
                static (n, message, ex) => new InvalidOperationException($"{n}: {message}", ex),
                i,
                CancellationToken.None));
        }

        Assert.True(guard.State.IsAvailable);
    }

    [Fact]
    public async Task ExecuteAsync_StatePassedCallTimesOut_FailBuildsTheExceptionFromTheState()
    {
        var guard = Guard(TimeSpan.FromMilliseconds(200), probe: null);

        var failed = await Assert.ThrowsAsync<InvalidOperationException>(async () => await guard.ExecuteAsync(
            static async ValueTask<int> (string what, CancellationToken ct) =>
            {
                await Task.Delay(Timeout.Infinite, ct);
                return 0;
            },
            static (what, message, ex) => new InvalidOperationException($"cannot {what}: {message}", ex),
            "read the window",
            CancellationToken.None));

        Assert.StartsWith("cannot read the window: test dependency did not answer within", failed.Message, StringComparison.Ordinal);
        Assert.False(guard.State.IsAvailable);
    }

    private static DependencyGuard Guard(TimeSpan timeout, Func<CancellationToken, Task>? probe, int retries = 0) =>
        new("test dependency", new ResilienceOptions { Timeout = timeout, MaxRetries = retries, BreakDuration = TimeSpan.FromMinutes(5) }, ex => ex is IOException, probe);

    // Two refused calls: half the calls of the window failed, so the breaker opens.
    private async Task OpenAsync(DependencyGuard guard)
    {
        for (var i = 0; i < 2; i++)
        {
            await Assert.ThrowsAsync<IOException>(() => CallAsync(guard, () => throw new IOException("refused")));
        }

        Assert.True(guard.IsCircuitOpen);
    }

    private Task<int> CallAsync(DependencyGuard guard, Func<int> call, bool write = false) =>
        guard.ExecuteAsync(_ =>
        {
            Interlocked.Increment(ref _calls);
            return Task.FromResult(call());
        }, (message, ex) => new InvalidOperationException(message, ex), CancellationToken.None, write);

    private static async Task WaitForAsync(Func<bool> condition, string what)
    {
        var until = DateTime.UtcNow + Limit;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < until, $"{what} did not happen within {Limit.TotalSeconds} s");
            await Task.Delay(50);
        }
    }
}
