using System.Globalization;
using ProcessOptimizer.Core.Storage;
using ProcessOptimizer.Strategies;

namespace ProcessOptimizer.Tests.Scheduling;

/// <summary>Small formula strategies for scheduling tests: one tag each, moved toward a target that differs per version.</summary>
internal static class TestStrategies
{
    /// <summary>The strategy's text: the recommendation moves <paramref name="tag"/> toward <paramref name="target"/>.</summary>
    public static string Yaml(string tag, double target) => $"""
        weights:
          target: {target.ToString(CultureInfo.InvariantCulture)}
        variables:
          {tag}: {"{"}type: Operative, threshold: 50.0, min_hard_limit: 0.0, max_hard_limit: 100.0{"}"}
          cost: {"{"}type: CalculatedKPI{"}"}
        skills:
          mf_cost:
            class: MathFunction
            inputs: [{tag}]
            outputs: [cost]
            config:
              formula: ({tag} - target)**2
          os_bounds:
            class: Bounds
            inputs: [{tag}]
          os_optimizer:
            class: OptimizationSkill
            inputs: [{tag}]
            config:
              cost_skill_name: mf_cost
              cost_feature_name: cost
        tasks:
          - name: CalculateRecommendations
            skill_sequence: [os_bounds, os_optimizer]
        """;

    /// <summary>Puts versions 1.0.0 (target 10) and 2.0.0 (target 20) of a strategy at <paramref name="pointer"/>, with 1.0.0 deployed.</summary>
    public static async Task UploadAsync(IObjectStore store, string pointer, string tag)
    {
        await store.PutTextAsync(StoreLayout.ConfigKey(pointer, "1.0.0"), Yaml(tag, 10), CancellationToken.None);
        await store.PutTextAsync(StoreLayout.ConfigKey(pointer, "2.0.0"), Yaml(tag, 20), CancellationToken.None);
        await store.PutTextAsync(pointer, StoreLayout.PointerText(pointer, "1.0.0"), CancellationToken.None);
    }

    /// <summary>The <c>--Strategies:i:...</c> settings of one list entry.</summary>
    public static IEnumerable<string> Setting(int index, string name, string pointer, int intervalSeconds, string table = "process_data") =>
    [
        $"--Strategies:{index}:Name={name}",
        $"--Strategies:{index}:DeployedVersionKey={pointer}",
        $"--Strategies:{index}:IntervalSeconds={intervalSeconds}",
        $"--Strategies:{index}:DataTable={table}",
    ];
}
