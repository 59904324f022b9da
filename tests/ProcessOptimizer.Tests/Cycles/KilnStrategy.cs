using ProcessOptimizer.Cli;
using ProcessOptimizer.Core.Cycle;
using ProcessOptimizer.Core.Strategies;
using ProcessOptimizer.Storage.ObjectStores;

namespace ProcessOptimizer.Tests.Cycles;

/// <summary>The kiln example's version 1.0.0 compiled with its models from the example's store, for cycles run in the test.</summary>
internal sealed class KilnStrategy : IDisposable
{
    private readonly ModelSet _models;

    private KilnStrategy(Strategy definition, ModelSet models)
    {
        Definition = definition;
        _models = models;
        Compiled = StrategyCompiler.Compile(definition, models.Models);
    }

    public Strategy Definition { get; }

    public CompiledStrategy Compiled { get; }

    public static async Task<KilnStrategy> LoadAsync()
    {
        var store = Path.Combine(TestServers.Kiln, "store");
        var strategy = StrategyLoader.Load(File.ReadAllText(Path.Combine(store, "configs", "process-optimization-strategy-config-1.0.0.yaml")), "kiln");
        return new KilnStrategy(strategy, await ModelSet.LoadAsync(strategy, new LocalFolderStore(store), CancellationToken.None));
    }

    public void Dispose() => _models.Dispose();
}
