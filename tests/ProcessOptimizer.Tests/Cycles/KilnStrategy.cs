using ProcessOptimizer.Core.Cycle;
using ProcessOptimizer.Core.Strategies;
using ProcessOptimizer.Storage.ObjectStores;
using ProcessOptimizer.Strategies;

namespace ProcessOptimizer.Tests.Cycles;

/// <summary>The kiln example's version 1.0.0 built as the service builds it, with models of its own, for cycles run in the test.</summary>
internal sealed class KilnStrategy : IDisposable
{
    private readonly DeployedStrategy _built;

    private KilnStrategy(DeployedStrategy built) => _built = built;

    public Strategy Definition => _built.Definition;

    public CompiledStrategy Compiled => _built.Compiled;

    public static async Task<KilnStrategy> LoadAsync()
    {
        var store = Path.Combine(TestServers.Kiln, "store");
        var strategy = StrategyLoader.Load(File.ReadAllText(Path.Combine(store, "configs", "process-optimization-strategy-config-1.0.0.yaml")), "kiln");
        return new KilnStrategy(await new StrategyBuilder(new LocalFolderStore(store), cache: null).BuildAsync("kiln", "kiln", "1.0.0", strategy, [], null, apart: true, CancellationToken.None));
    }

    public void Dispose() => _built.Drop();
}
