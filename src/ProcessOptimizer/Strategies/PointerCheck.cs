using System.Diagnostics;
using ProcessOptimizer.Core.Storage;

namespace ProcessOptimizer.Strategies;

/// <summary>
/// The freshness check of a strategy's version pointer: one stat of the pointer, shared by every caller while it
/// is in flight. A caller that has a cached version to serve waits for it only briefly: a store that hangs is then
/// not waited for until the call's own timeout, and the check runs on to that timeout, where the store's guard
/// counts it, whoever is still waiting.
/// </summary>
internal sealed class PointerCheck(IObjectStore store, string key)
{
    /// <summary>
    /// How long a caller with a cached version waits for the check: a stat on the same network answers in a few
    /// milliseconds, and a version at most a second or so old is what the once-a-second check serves anyway.
    /// </summary>
    public static readonly TimeSpan CachedPatience = TimeSpan.FromMilliseconds(500);

    private readonly Lock _gate = new();
    private Task<ObjectInfo?>? _inFlight;
    private long _startedAt;

    /// <param name="patience">How long the check may have been waiting, counted from its start (a caller joining a
    /// check in flight waits only for what is left); <see cref="Timeout.InfiniteTimeSpan"/>: until it ends.</param>
    /// <returns>Whether the store answered in time, and the pointer's metadata (null: there is no pointer).</returns>
    /// <exception cref="StorageException">The store failed the check (a refusal, its timeout, an open circuit).</exception>
    public async Task<(bool Answered, ObjectInfo? Pointer)> StatAsync(TimeSpan patience, CancellationToken cancellationToken)
    {
        var (check, age) = Join();
        if (!check.IsCompleted && patience != Timeout.InfiniteTimeSpan)
        {
            // A wall-clock wait, like the call's own timeout: the store's answer does not follow the plant's clock.
            if (patience > age)
            {
                await Task.WhenAny(check, Task.Delay(patience - age, TimeProvider.System, cancellationToken)).ConfigureAwait(false);
            }

            cancellationToken.ThrowIfCancellationRequested();
            if (!check.IsCompleted)
            {
                return (false, null);
            }
        }

        return (true, await check.WaitAsync(cancellationToken).ConfigureAwait(false));
    }

    private (Task<ObjectInfo?> Check, TimeSpan Age) Join()
    {
        lock (_gate)
        {
            if (_inFlight is not { IsCompleted: false })
            {
                _startedAt = Stopwatch.GetTimestamp();
                // Not the caller's token: the check is everyone's, and ends at the store's own timeout.
                _inFlight = store.StatAsync(key, CancellationToken.None);
                // A check that every caller stopped waiting for still has its failure looked at, so none goes unobserved.
                _inFlight.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            }

            return (_inFlight, Stopwatch.GetElapsedTime(_startedAt));
        }
    }
}
