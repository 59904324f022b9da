using ProcessOptimizer.Core.Data;
using ProcessOptimizer.Cycles;
using ProcessOptimizer.Storage.Caching;

namespace ProcessOptimizer.Strategies;

/// <summary>One configured strategy in this process: its settings, its versions and cache, its data and its cycles' health.</summary>
public sealed class StrategyRuntime(StrategySettings settings, StrategyRepository repository, ArtifactCache cache, IProcessDataSource data)
{
    public string Name => settings.Name;

    public StrategySettings Settings => settings;

    /// <summary>The deployed version, behind the strategy's own pointer.</summary>
    public StrategyRepository Repository => repository;

    /// <summary>Health's background look at the version pointer.</summary>
    public PointerWatch Pointer { get; } = new(repository);

    /// <summary>The strategy's own cache entries (texts and models), cleared on its own version changes.</summary>
    public ArtifactCache Cache => cache;

    /// <summary>Reads the strategy's data table.</summary>
    public IProcessDataSource Data => data;

    /// <summary>The cycles this process ran for the strategy.</summary>
    public CycleHealth Health { get; } = new();

    /// <summary>The loop's last solves, which its next cycle of the same version starts from; <c>/optimize</c> and backtests start cold.</summary>
    public LoopWarmStart WarmStart { get; } = new();

    /// <summary>The name <c>/optimize</c> answers on this strategy are stored under, apart from the loop's runs.</summary>
    public string ApiRunsName => Name + "/api";
}
