using Microsoft.Extensions.Time.Testing;
using ProcessOptimizer.Cycles;
using ProcessOptimizer.Workers;

namespace ProcessOptimizer.Tests.Cycles;

/// <summary>Issue 13: one solve at a time, loop cycles first, and a bounded line of API requests; issue 15: a bounded wait for the loop.</summary>
public class SolveQueueTests
{
    [Fact]
    public async Task Release_WithLoopAndApiWaiting_GivesTheSlotToTheLoopFirst()
    {
        var queue = new SolveQueue(capacity: 4);
        var first = await queue.EnterLoopAsync(Timeout.InfiniteTimeSpan, CancellationToken.None);
        var api = queue.TryEnterApiAsync(CancellationToken.None)!;
        var loop = queue.EnterLoopAsync(Timeout.InfiniteTimeSpan, CancellationToken.None);

        first.Dispose();
        var winner = await Task.WhenAny(api, loop);

        Assert.Same(loop, winner);
        Assert.False(api.IsCompleted);
        (await loop).Dispose();
        (await api).Dispose();
        // Free again: the next caller enters at once.
        Assert.True(queue.EnterLoopAsync(Timeout.InfiniteTimeSpan, CancellationToken.None).IsCompletedSuccessfully);
    }

    [Fact]
    public async Task TryEnterApi_LineFull_RefusesAtOnce()
    {
        var queue = new SolveQueue(capacity: 2);
        using var held = await queue.EnterLoopAsync(Timeout.InfiniteTimeSpan, CancellationToken.None);
        var waiting = new[] { queue.TryEnterApiAsync(CancellationToken.None), queue.TryEnterApiAsync(CancellationToken.None) };

        var refused = queue.TryEnterApiAsync(CancellationToken.None);

        Assert.All(waiting, w => Assert.NotNull(w));
        Assert.Null(refused);
        Assert.Equal(2, queue.Waiting);
    }

    [Fact]
    public async Task Wait_Cancelled_LeavesTheLineAndTheSlotPassesOn()
    {
        var queue = new SolveQueue(capacity: 1);
        var held = await queue.EnterLoopAsync(Timeout.InfiniteTimeSpan, CancellationToken.None);
        using var gone = new CancellationTokenSource();
        var abandoned = queue.TryEnterApiAsync(gone.Token)!;

        await gone.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => abandoned);
        var waitingAfterCancel = queue.Waiting;
        var next = queue.TryEnterApiAsync(CancellationToken.None);
        held.Dispose();

        Assert.Equal(0, waitingAfterCancel);
        Assert.NotNull(next);
        (await next.WaitAsync(TimeSpan.FromSeconds(5))).Dispose();
    }

    [Fact]
    public async Task Release_WithBacktestApiAndLoopWaiting_ServesLoopThenApiThenBacktest()
    {
        // Issue 18: backtests run at a lower priority than the loop and /optimize.
        var queue = new SolveQueue(capacity: 4);
        var held = await queue.EnterBacktestAsync(CancellationToken.None);
        var backtest = queue.EnterBacktestAsync(CancellationToken.None);
        var api = queue.TryEnterApiAsync(CancellationToken.None)!;
        var loop = queue.EnterLoopAsync(Timeout.InfiniteTimeSpan, CancellationToken.None);
        var order = new List<string>();

        held.Dispose();
        foreach (var _ in Enumerable.Range(0, 3))
        {
            var next = await Task.WhenAny(backtest, api, loop).WaitAsync(TimeSpan.FromSeconds(5));
            order.Add(next == loop ? "loop" : next == api ? "api" : "backtest");
            (await next).Dispose();
            (backtest, api, loop) = (next == backtest ? Never : backtest, next == api ? Never : api, next == loop ? Never : loop);
        }

        Assert.Equal(["loop", "api", "backtest"], order);
    }

    [Fact]
    public async Task EnterLoop_NoSlotFreeWithinItsWait_FailsAsLateLeavesTheLineAndTheSlotPassesOn()
    {
        // Issue 15: a loop cycle behind a worker that never comes free does not wait forever.
        var clock = new FakeTimeProvider();
        var queue = new SolveQueue(capacity: 4, time: clock);
        var held = await queue.TryEnterApiAsync(CancellationToken.None)!;
        var cycle = queue.EnterLoopAsync(TimeSpan.FromSeconds(62), CancellationToken.None);
        var api = queue.TryEnterApiAsync(CancellationToken.None)!;

        clock.Advance(TimeSpan.FromSeconds(61));
        var waitingBefore = (cycle.IsCompleted, queue.Waiting);
        clock.Advance(TimeSpan.FromSeconds(1));
        var late = await Assert.ThrowsAsync<SolverLateException>(() => cycle);
        var waitingAfter = queue.Waiting;
        held.Dispose();

        Assert.Equal((false, 2), waitingBefore);
        Assert.Contains("within 62 s", late.Message, StringComparison.Ordinal);
        Assert.Equal(1, waitingAfter);
        (await api.WaitAsync(TimeSpan.FromSeconds(5))).Dispose();
        Assert.True(queue.EnterLoopAsync(TimeSpan.FromSeconds(62), CancellationToken.None).IsCompletedSuccessfully);
    }

    private static Task<IDisposable> Never { get; } = new TaskCompletionSource<IDisposable>().Task;
}
