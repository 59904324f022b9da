using Microsoft.Extensions.Logging.Abstractions;
using ProcessOptimizer.Core.Optimization;
using ProcessOptimizer.Core.Storage;
using ProcessOptimizer.Core.Strategies;
using ProcessOptimizer.Storage.Caching;
using ProcessOptimizer.Storage.ObjectStores;
using ProcessOptimizer.Strategies;

namespace ProcessOptimizer.Workers;

/// <summary>
/// A worker's strategies: the service's own <see cref="StrategyRepository"/> code over an in-memory store that
/// holds only the artifacts the service sent, with their ETags. The worker never opens the real store, so a store
/// that hangs or a version pointer edited to a broken version changes nothing here: the service keeps sending the
/// version it serves.
/// </summary>
internal sealed class WorkerStrategies
{
    private readonly MemoryObjectStore _store = new("the service's artifacts");
    private readonly StorageSettings _settings;
    private readonly INonlinearSolver _solver;
    private readonly StrategyRepository _repository;

    // Versions a backtest replays, built once and kept beside the live one; the least recently used goes first.
    private readonly List<DeployedStrategy> _replayed = [];
    private const int MaxReplayed = 4;
    // One repository per strategy (by its pointer), so that a worker serving several keeps each one warm.
    private readonly Dictionary<string, StrategyRepository> _byPointer = new(StringComparer.Ordinal);

    public WorkerStrategies(StorageSettings settings, INonlinearSolver solver)
    {
        _settings = settings;
        _solver = solver;
        _repository = For(settings.DeployedVersionKey);
    }

    /// <summary>Keys of the request's artifacts this worker does not hold at the ETag the request names.</summary>
    public IReadOnlyList<string> Missing(IReadOnlyDictionary<string, string> artifacts) =>
        [.. artifacts.Where(a => !_store.Holds(a.Key, a.Value)).Select(a => a.Key).Order(StringComparer.Ordinal)];

    public void Add(IEnumerable<StoredArtifact> artifacts)
    {
        foreach (var artifact in artifacts)
        {
            _store.Put(artifact);
        }
    }

    /// <summary>The deployed <paramref name="version"/> built from exactly <paramref name="artifacts"/>, kept warm until another replaces it.</summary>
    /// <exception cref="StrategyVersionException">It does not build here.</exception>
    public async Task<DeployedStrategy> DeployedAsync(string pointer, string version, IReadOnlyDictionary<string, string> artifacts)
    {
        var repository = For(pointer);
        if (repository.Current is { } live && Matches(live, version, artifacts))
        {
            return live;
        }

        // The same path as the service's: a pointer names the version, and the repository builds and swaps it in.
        await _store.PutTextAsync(pointer, StoreLayout.PointerText(pointer, version), CancellationToken.None).ConfigureAwait(false);
        repository.Recheck();
        var current = await repository.CurrentAsync(CancellationToken.None).ConfigureAwait(false);
        if (!Matches(current, version, artifacts))
        {
            throw new StrategyVersionException(version, [new StrategyProblem(repository.Broken?.Reason ?? $"the worker built version {current.Version} from other artifacts", null)]);
        }

        // An older version's artifacts went with it; inline strategies' models are sent again when next needed.
        Retain();
        return current;
    }

    /// <summary>A backtest's <paramref name="version"/> built from exactly <paramref name="artifacts"/>, without touching the live version.</summary>
    /// <exception cref="StrategyVersionException">It does not build here.</exception>
    public async Task<DeployedStrategy> ReplayedAsync(string version, IReadOnlyDictionary<string, string> artifacts)
    {
        if (_repository.Current is { } live && Matches(live, version, artifacts))
        {
            return live;
        }

        var built = _replayed.Find(d => Matches(d, version, artifacts));
        if (built is null)
        {
            // Apart: a switch of the live version must not free a model that a replayed version shares with it.
            built = await _repository.LoadApartAsync(version, CancellationToken.None).ConfigureAwait(false);
            if (!Matches(built, version, artifacts))
            {
                built.Drop();
                throw new StrategyVersionException(version, [new StrategyProblem($"the worker built version {version} from other artifacts", null)]);
            }

            if (_replayed.Count >= MaxReplayed)
            {
                _replayed[0].Drop();
                _replayed.RemoveAt(0);
            }
        }

        _replayed.Remove(built);
        _replayed.Add(built);
        Retain();
        return built;
    }

    private StrategyRepository For(string pointer)
    {
        if (!_byPointer.TryGetValue(pointer, out var repository))
        {
            repository = new StrategyRepository(_store, _settings.ForPointer(pointer), _solver, new ArtifactCache(NullLogger<ArtifactCache>.Instance), TimeProvider.System, NullLogger<StrategyRepository>.Instance);
            _byPointer[pointer] = repository;
        }

        return repository;
    }

    /// <summary>An inline strategy's text, built with the models the service sent.</summary>
    /// <exception cref="StrategyVersionException">It does not read or build.</exception>
    public async Task<DeployedStrategy> InlineAsync(string text)
    {
        var (strategy, problems) = StrategyLoader.Read(text, _solver.ValidateOption, StrategyLimits.Inline);
        return strategy is null
            ? throw new StrategyVersionException("inline", problems)
            : await _repository.BuildAsync("inline", strategy, problems, CancellationToken.None).ConfigureAwait(false);
    }

    /// <summary>The live version, if any: an inline strategy leases it while it borrows the cache's models.</summary>
    public DeployedStrategy? Live => _repository.Current;

    // What neither the live version nor a replayed one is built from is dropped; the service sends it again if asked.
    // Every strategy's pointer and live version, and the replayed versions, keep their artifacts.
    private void Retain()
    {
        var kept = _byPointer.Values.Select(r => r.Current).OfType<DeployedStrategy>().Concat(_replayed).ToList();
        _store.RetainWhere(key => _byPointer.ContainsKey(key) || kept.Any(d => d.ArtifactVersions.ContainsKey(key)));
    }

    private static bool Matches(DeployedStrategy deployed, string version, IReadOnlyDictionary<string, string> artifacts) =>
        deployed.Version == version && deployed.ArtifactVersions.Count == artifacts.Count
        && artifacts.All(a => deployed.ArtifactVersions.TryGetValue(a.Key, out var etag) && etag == a.Value);
}
