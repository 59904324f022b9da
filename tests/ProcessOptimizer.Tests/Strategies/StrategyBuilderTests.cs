using System.Collections.Concurrent;
using Microsoft.Extensions.Logging.Abstractions;
using ProcessOptimizer.Core.Storage;
using ProcessOptimizer.Core.Strategies;
using ProcessOptimizer.Storage.Caching;
using ProcessOptimizer.Storage.ObjectStores;
using ProcessOptimizer.Strategies;

namespace ProcessOptimizer.Tests.Strategies;

/// <summary>How often a build through the cache asks the store about each model artifact.</summary>
public sealed class StrategyBuilderTests
{
    private static readonly string Store = Path.Combine(TestServers.Kiln, "store");

    // The kiln's version 1.0.0 and its model artifacts' keys, and a builder through a fresh cache on a store that counts its calls.
    private static (CountingStore Store, Strategy Strategy, List<string> Keys, StrategyBuilder Builder) Cached()
    {
        var store = new CountingStore(new LocalFolderStore(Store));
        var strategy = StrategyLoader.Load(File.ReadAllText(Path.Combine(Store, "configs", "process-optimization-strategy-config-1.0.0.yaml")), "kiln");
        var keys = strategy.SkillsOf<InferenceModelSkill>().SelectMany(s => s.ArtifactKeys).ToList();
        return (store, strategy, keys, new StrategyBuilder(store, new ArtifactCache(NullLogger<ArtifactCache>.Instance)));
    }

    [Fact]
    public async Task Build_ThroughTheCache_AsksTheStoreOnceForEachArtifactAndFetchesEachOnce()
    {
        var (store, strategy, keys, builder) = Cached();

        var built = await builder.BuildAsync("kiln", "kiln", "1.0.0", strategy, [], null, apart: false, CancellationToken.None);

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
        var (store, strategy, keys, builder) = Cached();
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
