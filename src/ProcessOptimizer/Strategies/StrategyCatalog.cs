namespace ProcessOptimizer.Strategies;

/// <summary>
/// The strategies this deployment runs, and the one place a strategy name from a route or a job is resolved.
/// The first enabled strategy is the default: today's routes and the seed's <c>/process/...</c> paths act on it.
/// </summary>
public sealed class StrategyCatalog
{
    private readonly Dictionary<string, StrategyRuntime> _byName;

    /// <param name="configured">Every configured strategy, disabled ones too, in order.</param>
    /// <param name="strategies">The enabled strategies, in configured order; at least one.</param>
    public StrategyCatalog(IReadOnlyList<StrategySettings> configured, IReadOnlyList<StrategyRuntime> strategies)
    {
        ArgumentNullException.ThrowIfNull(configured);
        ArgumentNullException.ThrowIfNull(strategies);
        if (strategies.Count == 0)
        {
            throw new ArgumentException("a deployment runs at least one strategy", nameof(strategies));
        }

        Configured = configured;
        All = strategies;
        _byName = strategies.ToDictionary(s => s.Name, StringComparer.Ordinal);
    }

    /// <summary>Every configured strategy, for listing; disabled ones have no runtime.</summary>
    public IReadOnlyList<StrategySettings> Configured { get; }

    /// <summary>The enabled strategies.</summary>
    public IReadOnlyList<StrategyRuntime> All { get; }

    public StrategyRuntime Default => All[0];

    /// <summary>The version live now of each enabled strategy that has one loaded, in configured order.</summary>
    public IEnumerable<DeployedStrategy> Live() => All.Select(s => s.Repository.Current).OfType<DeployedStrategy>();

    /// <summary>The enabled strategy called <paramref name="name"/> (names are case-sensitive), or null.</summary>
    public StrategyRuntime? Find(string name) => _byName.GetValueOrDefault(name);
}
