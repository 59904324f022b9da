using ProcessOptimizer.Core.Cycle;
using ProcessOptimizer.Core.Storage;
using ProcessOptimizer.Core.Strategies;
using ProcessOptimizer.Inference;

namespace ProcessOptimizer.Strategies;

/// <summary>
/// One strategy version ready to run: validated, models loaded, compiled. Immutable. Cycles take a lease while
/// they use it; once it is retired and the last lease ends, it releases the models no newer version shares.
/// </summary>
public sealed class DeployedStrategy
{
    private readonly IReadOnlyList<LoadedModel> _models;
    private readonly Lock _gate = new();
    private int _leases;
    private Func<LoadedModel, bool>? _stillUsed;
    private IReadOnlyList<LoadedModel> _borrowed = [];

    internal DeployedStrategy(string name, string pointerKey, string version, Strategy definition, CompiledStrategy compiled, IReadOnlyList<LoadedModel> models, IReadOnlyList<string> warnings, StoredArtifact? source, bool apart)
    {
        Apart = apart;
        Name = name;
        PointerKey = pointerKey;
        Version = version;
        Definition = definition;
        Compiled = compiled;
        _models = models;
        Warnings = warnings;
        ModelVersions = models.SelectMany(m => m.ArtifactVersions).GroupBy(p => p.Key).ToDictionary(g => g.Key, g => g.First().Value);
        Artifacts = [.. new[] { source }.OfType<StoredArtifact>().Concat(models.SelectMany(m => m.Artifacts)).DistinctBy(a => a.Key)];
        ArtifactVersions = Artifacts.ToDictionary(a => a.Key, a => a.ETag);
    }

    public string Name { get; }

    /// <summary>The version pointer of the strategy this version belongs to; its config key follows from it.</summary>
    public string PointerKey { get; }

    public string Version { get; }

    public Strategy Definition { get; }

    public CompiledStrategy Compiled { get; }

    /// <summary>ETag of each model artifact, by key: stored with every run.</summary>
    public IReadOnlyDictionary<string, string> ModelVersions { get; }

    public IReadOnlyList<string> Warnings { get; }

    /// <summary>
    /// What it was built from, as read: the strategy's YAML (none for an inline strategy, whose text travels on
    /// its own) and every model artifact. Solver workers are built from these, never from the store.
    /// </summary>
    public IReadOnlyList<StoredArtifact> Artifacts { get; }

    /// <summary>ETag of each of <see cref="Artifacts"/>, by key: the content identity of this build.</summary>
    public IReadOnlyDictionary<string, string> ArtifactVersions { get; }

    internal IReadOnlyList<LoadedModel> Models => _models;

    /// <summary>
    /// Loaded apart from the live versions (<see cref="StrategyRepository.LoadApartAsync"/>): its models are its own,
    /// and whoever holds it retires it when done.
    /// </summary>
    internal bool Apart { get; }

    /// <summary>Marks the strategy in use until the returned lease is disposed.</summary>
    public IDisposable Lease()
    {
        lock (_gate)
        {
            _leases++;
        }

        return new Releaser(this);
    }

    /// <summary>No new cycle will get this version; its models go once no cycle uses them and <paramref name="stillUsed"/> says no newer version does.</summary>
    /// <param name="borrowed">
    /// Models of inline strategies that left the cache with this version. Inline requests lease the live version
    /// while they borrow cached models, so these go when this version's last lease does.
    /// </param>
    internal void Retire(Func<LoadedModel, bool> stillUsed, IReadOnlyList<LoadedModel>? borrowed = null)
    {
        lock (_gate)
        {
            _stillUsed = stillUsed;
            _borrowed = borrowed ?? [];
            if (_leases > 0)
            {
                return;
            }
        }

        ReleaseModels();
    }

    /// <summary>Its holder is done with a version loaded apart: its models go when its last lease ends. A live version is left to its repository.</summary>
    internal void Drop()
    {
        if (Apart)
        {
            Retire(_ => false);
        }
    }

    private void End()
    {
        lock (_gate)
        {
            if (--_leases > 0 || _stillUsed is null)
            {
                return;
            }
        }

        ReleaseModels();
    }

    private void ReleaseModels()
    {
        foreach (var model in _models.Where(m => !_stillUsed!(m)).Concat(_borrowed))
        {
            model.Dispose();
        }
    }

    private sealed class Releaser(DeployedStrategy owner) : IDisposable
    {
        private int _done;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _done, 1) == 0)
            {
                owner.End();
            }
        }
    }
}
