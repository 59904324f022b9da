using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace ProcessOptimizer.Storage.Caching;

/// <summary>
/// In-memory cache of loaded artifacts (strategy texts, compiled strategies, models) by type, key and stamp
/// (an ETag or a version). Loading is single-flight: concurrent requests for one artifact share one load. An
/// artifact whose stamp changed is loaded again. Values are not disposed here; their owners do that.
/// </summary>
public sealed partial class ArtifactCache(ILogger<ArtifactCache> logger)
{
    private readonly ConcurrentDictionary<(string Type, string Key), Entry> _entries = new();
    private readonly ConcurrentDictionary<string, Counters> _counters = new();

    /// <summary>The cached value for (type, key) at <paramref name="stamp"/>, loading it once if needed.</summary>
    /// <remarks>A failed load is not cached: the next request tries again. The failure goes to every waiter.</remarks>
    public async Task<T> GetOrLoadAsync<T>(string type, string key, string stamp, Func<CancellationToken, Task<(T Value, long Bytes)>> load, CancellationToken cancellationToken)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(load);
        var counters = _counters.GetOrAdd(type, _ => new Counters());
        var candidate = new Entry(stamp, new Lazy<Task<(object Value, long Bytes)>>(() => Load(type, key, counters, load)));
        var entry = _entries.AddOrUpdate((type, key), candidate, (_, existing) => existing.Stamp == stamp ? existing : candidate);
        if (!ReferenceEquals(entry, candidate))
        {
            Interlocked.Increment(ref counters.Hits);
            if (type == "model")
            {
                LogUsingCached(logger, key);
            }
        }
        else
        {
            Interlocked.Increment(ref counters.Misses);
        }

        try
        {
            var (value, _) = await entry.Value.Value.WaitAsync(cancellationToken).ConfigureAwait(false);
            return (T)value;
        }
        catch (Exception) when (!cancellationToken.IsCancellationRequested)
        {
            _entries.TryRemove(new KeyValuePair<(string, string), Entry>((type, key), entry));
            throw;
        }
    }

    /// <summary>Keeps the entries for which <paramref name="keep"/> is true and removes the rest; returns how many went.</summary>
    /// <param name="removed">Called with each removed entry's loaded value, so that its owner can release it.</param>
    public int RetainWhere(Func<string, string, string, bool> keep, Action<object>? removed = null)
    {
        ArgumentNullException.ThrowIfNull(keep);
        var count = 0;
        foreach (var ((type, key), entry) in _entries)
        {
            if (!keep(type, key, entry.Stamp) && _entries.TryRemove(new KeyValuePair<(string, string), Entry>((type, key), entry)))
            {
                count++;
                if (removed is not null && entry.Value.IsValueCreated && entry.Value.Value.IsCompletedSuccessfully)
                {
                    removed(entry.Value.Value.Result.Value);
                }
            }
        }

        return count;
    }

    /// <summary>Empties the cache; returns how many entries there were.</summary>
    public int Clear() => RetainWhere((_, _, _) => false);

    public IReadOnlyList<CacheEntryStats> Stats()
    {
        var items = _entries.Keys.GroupBy(k => k.Type).ToDictionary(g => g.Key, g => g.Count());
        var bytes = _entries.Where(e => e.Value.Value.IsValueCreated && e.Value.Value.Value.IsCompletedSuccessfully)
            .GroupBy(e => e.Key.Type).ToDictionary(g => g.Key, g => g.Sum(e => e.Value.Value.Value.Result.Bytes));
        return [.. _counters.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => new CacheEntryStats(
            c.Key, items.GetValueOrDefault(c.Key), c.Value.Hits, c.Value.Misses, c.Value.Loads, c.Value.Failures,
            c.Value.LoadTicks * 1000.0 / Stopwatch.Frequency, bytes.GetValueOrDefault(c.Key)))];
    }

    private async Task<(object Value, long Bytes)> Load<T>(string type, string key, Counters counters, Func<CancellationToken, Task<(T Value, long Bytes)>> load)
        where T : class
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            // Loads run to completion even if the first requester gives up: others may be waiting on them.
            var (value, bytes) = await load(CancellationToken.None).ConfigureAwait(false);
            Interlocked.Increment(ref counters.Loads);
            if (type == "model")
            {
                LogCached(logger, key);
            }

            return (value, bytes);
        }
        catch
        {
            Interlocked.Increment(ref counters.Failures);
            throw;
        }
        finally
        {
            Interlocked.Add(ref counters.LoadTicks, Stopwatch.GetTimestamp() - started);
        }
    }

    [LoggerMessage(EventId = 100, Level = LogLevel.Information, Message = "Model cached in memory for: {Path}")]
    private static partial void LogCached(ILogger logger, string path);

    [LoggerMessage(EventId = 101, Level = LogLevel.Debug, Message = "Using cached model object for: {Path}")]
    private static partial void LogUsingCached(ILogger logger, string path);

    private sealed record Entry(string Stamp, Lazy<Task<(object Value, long Bytes)>> Value);

    private sealed class Counters
    {
        public long Hits;
        public long Misses;
        public long Loads;
        public long Failures;
        public long LoadTicks;
    }
}
