using Microsoft.Extensions.Configuration;
using ProcessOptimizer.Configuration;
using ProcessOptimizer.Strategies;

namespace ProcessOptimizer.Tests.Strategies;

/// <summary>Issue 16: the <c>Strategies</c> list, and a configuration without one.</summary>
public class StrategyListTests
{
    [Fact]
    public void Read_NoList_IsTheOneSeedStrategyOnTodaysKeys()
    {
        var (strategies, problems) = Read(new Dictionary<string, string?>());

        Assert.Empty(problems);
        var only = Assert.Single(strategies);
        Assert.Equal(("process-optimization", "pointer.yaml", 42, "process_data", true), (only.Name, only.DeployedVersionKey, only.IntervalSeconds, only.DataTable, only.Enabled));
    }

    [Fact]
    public void Read_TwoEntries_KeepsTheirOrderAndDefaults()
    {
        var (strategies, problems) = Read(new()
        {
            ["Strategies:0:Name"] = "kiln", ["Strategies:0:DeployedVersionKey"] = "kiln.yaml", ["Strategies:0:IntervalSeconds"] = "60",
            ["Strategies:1:Name"] = "cooler", ["Strategies:1:DeployedVersionKey"] = "a/cooler.yaml", ["Strategies:1:DataTable"] = "cooler_data", ["Strategies:1:Enabled"] = "false",
        });

        Assert.Empty(problems);
        Assert.Equal([("kiln", 60, "process_data", true), ("cooler", 300, "cooler_data", false)], strategies.Select(s => (s.Name, s.IntervalSeconds, s.DataTable, s.Enabled)));
    }

    [Fact]
    public void Read_BadEntries_NamesEveryProblemWithItsPositionAndField()
    {
        var (_, problems) = Read(new()
        {
            ["Strategies:0:Name"] = "kiln", ["Strategies:0:DeployedVersionKey"] = "same.yaml", ["Strategies:0:Enabled"] = "false",
            ["Strategies:1:Name"] = "kiln", ["Strategies:1:DeployedVersionKey"] = "same.yaml", ["Strategies:1:Enabled"] = "false",
            ["Strategies:2:Name"] = "raw/mill", ["Strategies:2:DeployedVersionKey"] = "", ["Strategies:2:IntervalSeconds"] = "0",
            ["Strategies:2:DataTable"] = "process_data; DROP TABLE optimization_runs", ["Strategies:2:Enabled"] = "false",
        });

        Assert.Contains(problems, p => p.StartsWith("Strategies:2:Name must be", StringComparison.Ordinal) && p.Contains("raw/mill", StringComparison.Ordinal));
        Assert.Contains("Strategies:2:DeployedVersionKey is empty", problems);
        Assert.Contains("Strategies:2:IntervalSeconds must be at least 1 (got 0)", problems);
        Assert.Contains(problems, p => p.StartsWith("Strategies:2:DataTable must be a plain table name", StringComparison.Ordinal));
        Assert.Contains("Strategies: entries 0, 1 share the Name 'kiln'", problems);
        Assert.Contains("Strategies: entries 0, 1 share the DeployedVersionKey 'same.yaml'", problems);
        Assert.Contains("Strategies: at least one strategy must be enabled", problems);
        Assert.Equal(7, problems.Count);
    }

    private static (IReadOnlyList<StrategySettings> Strategies, IReadOnlyList<string> Problems) Read(Dictionary<string, string?> values)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        return StrategyList.Read(configuration, new StorageSettings { DeployedVersionKey = "pointer.yaml" }, new OptimizationSettings { IntervalSeconds = 42 });
    }
}
