using ProcessOptimizer.Storage.Resilience;

namespace ProcessOptimizer.Storage.Tests.Resilience;

/// <summary>
/// Issue 19: a guarded call's cancellation source is kept for the next call instead of a linked one made per call.
/// A source kept must carry nothing of the call before it: not its cancellation, not its callers' tokens.
/// </summary>
public sealed class CallCancellationTests
{
    [Fact]
    public void Rent_EarlierCallersTokenCancelledAfterItsLinkEnded_DoesNotCancelTheNextCall()
    {
        var calls = new CallCancellation();
        using var earlier = new CancellationTokenSource();
        using (calls.Rent(earlier.Token, CancellationToken.None))
        {
        }

        using var next = calls.Rent(CancellationToken.None, CancellationToken.None);
        earlier.Cancel();

        Assert.False(next.Token.IsCancellationRequested);
    }

    [Fact]
    public void Rent_LinkCancelledThenEnded_NextCallStartsUncancelledAndIsCancelledByItsOwnCaller()
    {
        var calls = new CallCancellation();
        using var first = new CancellationTokenSource();
        var cancelled = calls.Rent(first.Token, CancellationToken.None);
        first.Cancel();
        Assert.True(cancelled.Token.IsCancellationRequested);
        cancelled.Dispose();

        using var second = new CancellationTokenSource();
        using var next = calls.Rent(second.Token, CancellationToken.None);
        Assert.False(next.Token.IsCancellationRequested);
        second.Cancel();
        Assert.True(next.Token.IsCancellationRequested);
    }

    [Fact]
    public void Rent_TwoCallsAtOnce_EachIsCancelledByItsOwnCallerOnlyAndBothByTheShared()
    {
        var calls = new CallCancellation();
        using var isolation = new CancellationTokenSource();
        using var firstCaller = new CancellationTokenSource();
        using var secondCaller = new CancellationTokenSource();
        using (calls.Rent(CancellationToken.None, CancellationToken.None))
        {
        }

        // The first takes the source kept, the second one of its own.
        using var first = calls.Rent(firstCaller.Token, isolation.Token);
        using var second = calls.Rent(secondCaller.Token, isolation.Token);
        Assert.NotEqual(first.Token, second.Token);

        firstCaller.Cancel();
        Assert.True(first.Token.IsCancellationRequested);
        Assert.False(second.Token.IsCancellationRequested);

        isolation.Cancel();
        Assert.True(second.Token.IsCancellationRequested);
    }

    [Fact]
    public void Rent_TokenAlreadyCancelled_LinkIsCancelledAtOnce()
    {
        var calls = new CallCancellation();
        using var isolation = new CancellationTokenSource();
        isolation.Cancel();

        using var link = calls.Rent(CancellationToken.None, isolation.Token);

        Assert.True(link.Token.IsCancellationRequested);
    }
}
