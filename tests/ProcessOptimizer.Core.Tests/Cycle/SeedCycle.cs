using ProcessOptimizer.Core.Cycle;
using ProcessOptimizer.Core.Models;
using ProcessOptimizer.Core.Strategies;

namespace ProcessOptimizer.Core.Tests.Cycle;

/// <summary>The seed's own strategy file, with a linear stand-in for its network, over synthetic history.</summary>
internal static class SeedCycle
{
    public const string ModelSkill = "im_predict_delta_Burning_zone_temperature";

    // Model inputs, in the seed's order: delta feed, delta coal, calciner temperature, delta secondary air, fan speed.
    public static readonly double[,] Weights = { { -0.5, 20, 0.01, 0.1, 0.02 } };

    public static readonly Dictionary<string, double> Base = new()
    {
        ["Burning_zone_temperature"] = 800,
        ["Calciner_temperature_PV"] = 880,
        ["Cooler_Fan_3_Flow"] = 50000,
        ["Cooler_Fan_4_Flow"] = 58000,
        ["Cooler_Fan_5_Flow"] = 38000,
        ["Cooler_Fan_6_Flow"] = 43000,
        ["Cooler_Fan_7_Flow"] = 37000,
        ["Cooler_Fan_8_Flow"] = 47000,
        ["Cooler_Fan_9_Flow"] = 62000,
        ["Kiln_Coal_PV"] = 12,
        ["Kiln_Feed_SFF_1_Feed_rate"] = 245,
        ["Kiln_Feed_SFF_2_Feed_rate"] = 5,
        ["PH_Fan_Speed_PV"] = 700,
        ["Secondary_Air_Temperature"] = 950,
    };

    public static Strategy Strategy { get; } =
        StrategyLoader.Load(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "fixtures", "seed-strategy-1.0.0.yaml")), "seed");

    public static (CompiledStrategy Compiled, LinearModel Model) Compile(Strategy? strategy = null)
    {
        var model = new LinearModel(Weights);
        return (StrategyCompiler.Compile(strategy ?? Strategy, new Dictionary<string, IModel> { [ModelSkill] = model }), model);
    }

    /// <summary>Rows r = 0..count-1, one minute apart; every tag is its base value plus r/100, so window means are easy to know.</summary>
    public static CycleInput History(int count, Action<Dictionary<string, double?>>? newest = null)
    {
        var start = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var rows = new List<ProcessRow>();
        for (var r = 0; r < count; r++)
        {
            var values = Base.ToDictionary(p => p.Key, p => (double?)(p.Value + (r / 100.0)));
            if (r == count - 1)
            {
                newest?.Invoke(values);
            }

            rows.Add(new ProcessRow(start.AddMinutes(r), values));
        }

        return new CycleInput(rows);
    }
}
