using ProcessOptimizer.Core.Storage;

namespace ProcessOptimizer.Strategies;

/// <summary>
/// Health's look at a strategy's version pointer, so that a pointer edited in the store (by an operator or another
/// replica) is reflected by <c>/health</c> within a second, broken version named, even when no request or cycle
/// asks for the strategy. Health never waits for it: the look runs on the thread pool, one at a time, at most one
/// every quarter second.
/// </summary>
public sealed class PointerWatch(StrategyRepository repository)
{
    // Wall-clock pacing, as for the dependency probes: a health check polled in a tight loop costs the store at
    // most four looks a second (a stat of the pointer and of the live artifacts; a version loads only when it changed).
    private static readonly TimeSpan Spacing = TimeSpan.FromMilliseconds(250);

    private readonly TimeProvider _clock = TimeProvider.System;
    private int _running;
    private long _endedAt;

    /// <summary>Starts a look when none is running and none ended in the last quarter second.</summary>
    public void Look()
    {
        var ended = Interlocked.Read(ref _endedAt);
        if ((ended == 0 || _clock.GetElapsedTime(ended) >= Spacing) && Interlocked.CompareExchange(ref _running, 1, 0) == 0)
        {
            _ = Task.Run(LookAsync);
        }
    }

    private async Task LookAsync()
    {
        try
        {
            repository.Recheck();
            await repository.CurrentAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is StorageException or StrategyVersionException)
        {
            // Recorded by the repository where health reads it (the store's state, the broken version, the load error).
        }
        finally
        {
            Interlocked.Exchange(ref _endedAt, _clock.GetTimestamp());
            Interlocked.Exchange(ref _running, 0);
        }
    }
}
