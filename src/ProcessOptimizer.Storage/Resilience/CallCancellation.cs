namespace ProcessOptimizer.Storage.Resilience;

/// <summary>
/// The cancellation of a guarded call, which either of two tokens cancels (the caller's, the guard's isolation), with
/// one source kept for the next call. A linked source made per call cost the source, its registrations' list and
/// the timeout's registration on it, every call (about 200 bytes of every window read).
/// </summary>
/// <remarks>
/// A source is kept only when its call ended without it being cancelled, after both registrations are disposed (which
/// waits for a cancellation running on another thread) and after the call's own users are done with its token: the
/// attempt under it has returned, and the timeout's registration on it is disposed when the timeout's attempt ends. Calls
/// at once each take a source of their own: only the one kept is shared, and it is taken by one call at a time.
/// </remarks>
internal sealed class CallCancellation
{
    private static readonly Action<object?> Cancel = static source => ((CancellationTokenSource)source!).Cancel();

    private CancellationTokenSource? _kept;

    /// <summary>A source that <paramref name="first"/> or <paramref name="second"/> cancels, until the link is disposed.</summary>
    public Link Rent(CancellationToken first, CancellationToken second)
    {
        var source = Interlocked.Exchange(ref _kept, null) ?? new CancellationTokenSource();
        return new Link(this, source, first.UnsafeRegister(Cancel, source), second.UnsafeRegister(Cancel, source));
    }

    private void Return(CancellationTokenSource source)
    {
        // A cancelled source cannot be reset, and is left to the collector with any call still holding its token.
        if (source.TryReset())
        {
            Interlocked.CompareExchange(ref _kept, source, null);
        }
    }

    /// <summary>One call's cancellation; disposed once, when the call has ended.</summary>
    public readonly struct Link(CallCancellation owner, CancellationTokenSource source, CancellationTokenRegistration first, CancellationTokenRegistration second) : IDisposable
    {
        public CancellationToken Token => source.Token;

        public void Dispose()
        {
            first.Dispose();
            second.Dispose();
            owner.Return(source);
        }
    }
}
