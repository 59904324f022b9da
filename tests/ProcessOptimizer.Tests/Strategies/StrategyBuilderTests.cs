using System.Collections.Concurrent;
using Microsoft.Extensions.Logging.Abstractions;
using ProcessOptimizer.Core.Storage;
using ProcessOptimizer.Core.Strategies;
using ProcessOptimizer.Storage.Caching;
using ProcessOptimizer.Storage.ObjectStores;
using ProcessOptimizer.Strategies;

namespace ProcessOptimizer.Tests.Strategies;

/// <summary>How often a build asks the store about each model artifact, through the cache and apart.</summary>
public sealed class StrategyBuilderTests
{
    private static readonly string Store = Path.Combine(TestServers.Kiln, "store");

    private static Strategy Kiln() =>
        StrategyLoader.Load(File.ReadAllText(Path.Combine(Store, "configs", "process-optimization-strategy-config-1.0.0.yaml")), "kiln");

    [Fact]
    public async Task Build_ThroughTheCache_AsksTheStoreOnceForEachArtifactAndFetchesEachOnce()
    {
        var store = new CountingStore(new LocalFolderStore(Store));
        var strategy = Kiln();
        var keys = strategy.SkillsOf<InferenceModelSkill>().SelectMany(s => s.ArtifactKeys).ToList();
        var cache = new ArtifactCache(NullLogger<ArtifactCache>.Instance);

        var built = await new StrategyBuilder(store, cache).BuildAsync("kiln", "kiln", "1.0.0", strategy, [], null, apart: false, CancellationToken.None);

        Assert.NotEmpty(keys);
        Assert.All(keys, key => Assert.Equal(1, store.Stats.GetValueOrDefault(key)));
        Assert.All(keys, key => Assert.Equal(1, store.Gets.GetValueOrDefault(key)));
        // The ETags the build records are the store's own.
        foreach (var key in keys)
        {
            Assert.Equal((await store.StatAsync(key, CancellationToken.None))!.ETag, built.ArtifactVersions[key]);
        }
    }

    [Fact]
    public async Task Build_AgainWithTheSameArtifacts_AsksOnlyWhetherTheyChanged()
    {
        var store = new CountingStore(new LocalFolderStore(Store));
        var strategy = Kiln();
        var keys = strategy.SkillsOf<InferenceModelSkill>().SelectMany(s => s.ArtifactKeys).ToList();
        var cache = new ArtifactCache(NullLogger<ArtifactCache>.Instance);
        var builder = new StrategyBuilder(store, cache);
        await builder.BuildAsync("kiln", "kiln", "1.0.0", strategy, [], null, apart: false, CancellationToken.None);

        await builder.BuildAsync("kiln", "kiln", "1.0.1", strategy, [], null, apart: false, CancellationToken.None);

        Assert.All(keys, key => Assert.Equal(2, store.Stats.GetValueOrDefault(key)));
        Assert.All(keys, key => Assert.Equal(1, store.Gets.GetValueOrDefault(key)));
    }

    private sealed class CountingStore(IObjectStore inner) : IObjectStore
    {
        public ConcurrentDictionary<string, int> Stats { get; } = new();

        public ConcurrentDictionary<string, int> Gets { get; } = new();

        public string Description => inner.Description;

        public Task<Stream> GetAsync(string key, CancellationToken cancellationToken)
        {
            Gets.AddOrUpdate(key, 1, (_, n) => n + 1);
            return inner.GetAsync(key, cancellationToken);
        }

        public Task<ObjectInfo?> StatAsync(string key, CancellationToken cancellationToken)
        {
            Stats.AddOrUpdate(key, 1, (_, n) => n + 1);
            return inner.StatAsync(key, cancellationToken);
        }

        public Task PutAsync(string key, Stream content, CancellationToken cancellationToken) => inner.PutAsync(key, content, cancellationToken);

        public IAsyncEnumerable<ObjectInfo> ListAsync(string prefix, CancellationToken cancellationToken) => inner.ListAsync(prefix, cancellationToken);
    }
}
