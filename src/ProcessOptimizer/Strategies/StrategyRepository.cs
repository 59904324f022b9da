using ProcessOptimizer.Core.Optimization;
using ProcessOptimizer.Core.Storage;
using ProcessOptimizer.Core.Strategies;
using ProcessOptimizer.Inference;
using ProcessOptimizer.Storage.Caching;

namespace ProcessOptimizer.Strategies;

/// <summary>
/// The deployed strategy, shared by every replica through a version pointer kept in the store. Each call
/// notices a pointer changed elsewhere with a cheap stat. A version goes live only after it parses,
/// validates and loads all its models; an unreachable store leaves the cached version running (degraded).
/// </summary>
public sealed partial class StrategyRepository(
    IObjectStore store,
    StorageSettings settings,
    INonlinearSolver solver,
    ArtifactCache cache,
    TimeProvider time,
    ILogger<StrategyRepository> logger,
    LastGoodVersionFile? lastGood = null,
    string name = StrategyRepository.StrategyName)
{
    /// <summary>The seed's name for its strategy family; runs are stored under it.</summary>
    public const string StrategyName = "process-optimization";

    // The store is asked whether anything changed at most this often: a burst of API requests shares one check.
    private static readonly TimeSpan RecheckInterval = TimeSpan.FromSeconds(1);

    private readonly StrategyBuilder _builder = new(store, cache);
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly PointerCheck _pointerCheck = new(store, settings.DeployedVersionKey);
    private volatile DeployedStrategy? _current;
    private string? _pointerETag;
    private long _checkedAtTicks = long.MinValue;

    // A version that failed to load is tried again this often while the pointer still names it.
    private static readonly TimeSpan BrokenRetryInterval = TimeSpan.FromSeconds(30);

    /// <summary>The version the pointer names but that cannot load, while an older one keeps running; else null.</summary>
    public BrokenVersion? Broken { get; private set; }

    /// <summary>Why no version could be loaded, while none is live; else null.</summary>
    public string? LoadError { get; private set; }

    /// <summary>The store's state as the last access found it.</summary>
    public StoreHealth Health { get; private set; } = new(true, null, null);

    public IObjectStore Store => store;

    /// <summary>The strategy's name: its runs, routes and health carry it.</summary>
    public string Name => name;

    /// <summary>The strategy's version pointer in the store.</summary>
    public string PointerKey => settings.DeployedVersionKey;

    /// <summary>The live version, if one has been loaded.</summary>
    public DeployedStrategy? Current => _current;

    /// <summary>The version that last went live, kept across <see cref="ClearCache"/> (which only defers its reload).</summary>
    public string? LiveVersion { get; private set; }

    /// <summary>The deployed version, reloaded when its pointer changed.</summary>
    /// <exception cref="StrategyVersionException">The deployed version is invalid and nothing is cached.</exception>
    /// <exception cref="StorageException">The store is unreachable and nothing is cached.</exception>
    public async Task<DeployedStrategy> CurrentAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        // Compared as "checked after now minus the interval": the never-checked mark (long.MinValue) must not overflow into "just checked".
        if (_current is { } recent && Interlocked.Read(ref _checkedAtTicks) > now.UtcTicks - RecheckInterval.Ticks && Health.IsReachable)
        {
            return recent;
        }

        ObjectInfo? pointer = null;
        try
        {
            // With a version cached, a store that does not answer the check at once (it hangs, or is slow) is not
            // waited for: the cached version serves, and the store's guard judges the check when it ends.
            var cachedBefore = _current;
            var (answered, info) = await _pointerCheck.StatAsync(cachedBefore is null ? Timeout.InfiniteTimeSpan : PointerCheck.CachedPatience, cancellationToken).ConfigureAwait(false);
            if (!answered)
            {
                return cachedBefore!;
            }

            if (info is null)
            {
                // A pointer deleted (by hand, or by a deploy that removes and then writes it) is a broken deploy like a
                // pointer that names no valid version: the live version keeps serving, and health names the problem.
                var missing = new StrategyVersionException("?", [new StrategyProblem($"there is no deployed-version file '{settings.DeployedVersionKey}' in {store.Description}", null)]);
                if (_current is { } live && Broken is { PointerETag: null } known && known.Reason == missing.Message)
                {
                    // Already reported: logged once, not at every check.
                    Reachable();
                    Interlocked.Exchange(ref _checkedAtTicks, now.UtcTicks);
                    return live;
                }

                throw missing;
            }

            pointer = info;
            var current = _current;
            var broken = Broken;
            if (current is not null && broken is not null && broken.PointerETag == pointer.ETag && now - broken.TriedAt < BrokenRetryInterval)
            {
                // The pointer still names the version that failed: do not load it again at every request.
                Reachable();
                Interlocked.Exchange(ref _checkedAtTicks, now.UtcTicks);
                return current;
            }

            if (current is not null && pointer.ETag == _pointerETag && await ArtifactsUnchangedAsync(current, cancellationToken).ConfigureAwait(false))
            {
                // The pointer names the live version again, unchanged: nothing is broken any more.
                Broken = null;
                Reachable();
                Interlocked.Exchange(ref _checkedAtTicks, now.UtcTicks);
                return current;
            }

            await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                var text = await store.GetTextAsync(settings.DeployedVersionKey, cancellationToken).ConfigureAwait(false);
                var version = StoreLayout.ParsePointer(settings.DeployedVersionKey, text);
                if (_current is not { } live || live.Version != version || !await ArtifactsUnchangedAsync(live, cancellationToken).ConfigureAwait(false))
                {
                    try
                    {
                        Swap(await LoadAsync(version, false, cancellationToken).ConfigureAwait(false));
                    }
                    catch (StrategyVersionException ex) when (_current is null && lastGood?.Read() is { } good && good != ex.Version)
                    {
                        return await LastGoodAsync(good, ex, pointer.ETag, now, cancellationToken).ConfigureAwait(false);
                    }
                }

                _pointerETag = pointer.ETag;
                Broken = null;
                LoadError = null;
                Reachable();
                Interlocked.Exchange(ref _checkedAtTicks, now.UtcTicks);
                return _current!;
            }
            finally
            {
                _gate.Release();
            }
        }
        catch (StrategyVersionException ex) when (_current is { } cached)
        {
            // The pointer names a version that does not load, or a live artifact was replaced by a broken one:
            // the last good version keeps running, and health names the broken one.
            Reachable();
            Broken = new BrokenVersion(ex.Version, ex.Message, Broken?.Since ?? now, now, pointer?.ETag);
            Interlocked.Exchange(ref _checkedAtTicks, now.UtcTicks);
            LogBroken(logger, ex.Version, cached.Version, ex.Message);
            return cached;
        }
        catch (StorageException ex) when (ex.IsTransient && _current is { } cached)
        {
            // A store that refuses, hangs, or is skipped by its open circuit: the cached version stays live.
            Health = new StoreHealth(false, ex.Message, Health.Since ?? now);
            LogDegraded(logger, store.Description, cached.Version, ex.Message);
            return cached;
        }
        catch (Exception ex) when (ex is StorageException or StrategyVersionException)
        {
            // With nothing live, a broken version is served by no fallback either; health says why not.
            LoadError = ex is StrategyVersionException && lastGood?.Problem is { } noFallback ? $"{ex.Message}; {noFallback}" : ex.Message;
            if (ex is StorageException { IsTransient: true })
            {
                Health = new StoreHealth(false, ex.Message, Health.Since ?? now);
            }

            throw;
        }
    }

    // A cold start while the pointer names a version that does not load: the version this service last ran goes
    // live instead, and the broken one is reported as it would be had the service kept running.
    private async Task<DeployedStrategy> LastGoodAsync(string good, StrategyVersionException broken, string pointerETag, DateTimeOffset now, CancellationToken cancellationToken)
    {
        DeployedStrategy fallback;
        try
        {
            fallback = await LoadAsync(good, false, cancellationToken).ConfigureAwait(false);
        }
        catch (StrategyVersionException failed)
        {
            // The last good version no longer loads either: the pointer's problem is reported, with this one.
            lastGood!.Failed(good, failed.Message);
            throw broken;
        }

        Swap(fallback);
        Broken = new BrokenVersion(broken.Version, broken.Message, now, now, pointerETag);
        LoadError = null;
        Reachable();
        Interlocked.Exchange(ref _checkedAtTicks, now.UtcTicks);
        LogBroken(logger, broken.Version, good, broken.Message);
        return fallback;
    }

    /// <summary>Makes the next <see cref="CurrentAsync"/> look at the store, as when a caller knows of a newer version.</summary>
    public void Recheck() => Interlocked.Exchange(ref _checkedAtTicks, long.MinValue);

    /// <summary>Makes <paramref name="version"/> live everywhere, after it loads completely.</summary>
    /// <exception cref="StrategyVersionException">The version is invalid; every problem is listed and the live version stays.</exception>
    public async Task<DeployedStrategy> SwitchAsync(string version, CancellationToken cancellationToken)
    {
        if (!StoreLayout.IsValidVersion(version))
        {
            throw new StrategyVersionException(version, [new StrategyProblem(StoreLayout.InvalidVersion(version), null)]);
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var next = await LoadAsync(version, false, cancellationToken).ConfigureAwait(false);
            await store.PutTextAsync(settings.DeployedVersionKey, StoreLayout.PointerText(settings.DeployedVersionKey, version), cancellationToken).ConfigureAwait(false);
            _pointerETag = (await store.StatAsync(settings.DeployedVersionKey, cancellationToken).ConfigureAwait(false))?.ETag;
            if (_current?.Version != version)
            {
                Swap(next);
            }

            Broken = null;

            return _current!;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Every version with a config in the store.</summary>
    public async Task<IReadOnlyList<string>> VersionsAsync(CancellationToken cancellationToken)
    {
        var versions = new List<string>();
        await foreach (var item in store.ListAsync(StoreLayout.ConfigPrefixOf(PointerKey), cancellationToken).ConfigureAwait(false))
        {
            if (StoreLayout.VersionOf(PointerKey, item.Key) is { } version)
            {
                versions.Add(version);
            }
        }

        return versions;
    }

    /// <summary>Empties the cache and forgets the live version; the next access loads everything again.</summary>
    public int ClearCache()
    {
        var cleared = cache.Clear();
        var old = _current;
        _current = null;
        _pointerETag = null;
        Interlocked.Exchange(ref _checkedAtTicks, long.MinValue);
        old?.Retire(_ => false);
        return cleared;
    }

    // A model file or the strategy's YAML replaced under the same key has a new ETag: the version must be rebuilt with it.
    private async Task<bool> ArtifactsUnchangedAsync(DeployedStrategy deployed, CancellationToken cancellationToken)
    {
        foreach (var (key, etag) in deployed.ArtifactVersions)
        {
            var info = await store.StatAsync(key, cancellationToken).ConfigureAwait(false);
            if (info?.ETag != etag)
            {
                LogArtifactChanged(logger, key, deployed.Version);
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// Raised once a version other than the live one (or the first) goes live, on the thread that loaded it, which
    /// may hold the repository's gate: a handler must hand its work on, not do it there.
    /// </summary>
    public event Action<DeployedStrategy>? Switched;

    private void Swap(DeployedStrategy next)
    {
        var old = _current;
        _current = next;
        LiveVersion = next.Version;
        lastGood?.Write(next.Version, time.GetUtcNow());
        if (old?.Version != next.Version)
        {
            Switched?.Invoke(next);
        }

        if (old is null)
        {
            return;
        }

        if (old.Version == next.Version)
        {
            old.Retire(next.Models.ToHashSet().Contains);
            return;
        }

        LogVersionChanged(logger, old.Version, next.Version);
        var keep = next.Models.ToHashSet();
        var textKey = StoreLayout.ConfigKey(PointerKey, next.Version);
        var borrowed = new List<LoadedModel>();
        var cleared = cache.RetainWhere(
            (type, key, _) => type == "model" ? next.Definition.SkillsOf<InferenceModelSkill>().Any(s => s.ModelPath == key) : key == textKey,
            value =>
            {
                // A model only inline strategies used: nobody else will dispose it.
                if (value is LoadedModel model && !keep.Contains(model) && !old.Models.Contains(model))
                {
                    borrowed.Add(model);
                }
            });
        LogInvalidated(logger, cleared);
        old.Retire(keep.Contains, borrowed);
    }

    private void Reachable()
    {
        if (!Health.IsReachable)
        {
            LogRecovered(logger, store.Description);
        }

        Health = new StoreHealth(true, null, null);
    }
}
