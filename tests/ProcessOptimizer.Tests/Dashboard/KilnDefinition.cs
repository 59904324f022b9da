using ProcessOptimizer.Core.Strategies;

namespace ProcessOptimizer.Tests.Dashboard;

/// <summary>The kiln example's strategy, read as the dashboard reads stored versions.</summary>
internal static class KilnDefinition
{
    public static Strategy Strategy { get; } = StrategyLoader.Load(
        File.ReadAllText(Path.Combine(TestServers.Kiln, "store", "configs", "process-optimization-strategy-config-1.0.0.yaml")), "kiln 1.0.0");
}
