using ProcessOptimizer.Core.Strategies;

namespace ProcessOptimizer.Core.Tests.Strategies;

public class StrategyLoaderSeedTests
{
    private static string SeedText => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "fixtures", "seed-strategy-1.0.0.yaml"));

    [Fact]
    public void Read_SeedStrategy_LoadsUnchangedWithOnlyTheAlgorithmNote()
    {
        var (strategy, problems) = StrategyLoader.Read(SeedText);

        Assert.NotNull(strategy);
        var warning = Assert.Single(problems);
        Assert.True(warning.IsWarning);
        Assert.Contains("algorithm 'SLSQP' is solved with IPOPT", warning.Message);
        Assert.Equal(30, strategy.Variables.Count);
        Assert.Equal(17, strategy.Skills.Count);
        Assert.Equal(["PreCalculateVariables", "CalculateRecommendations"], strategy.Tasks.Select(t => t.Name));
    }

    [Fact]
    public void Read_SeedStrategy_AppliesTheSeedsDefaultsAndAnchors()
    {
        var strategy = StrategyLoader.Load(SeedText, "seed");

        var calciner = strategy.Variables["Calciner_temperature_PV"];
        Assert.Equal((0.0, 1000.0, 0.0), (calciner.MinHardLimit, calciner.MaxHardLimit, calciner.Threshold));
        Assert.Equal("°C", calciner.Units);
        var optimizer = Assert.IsType<OptimizationSkill>(strategy.Skills["os_main_optimizer"]);
        Assert.Equal(["Secondary_Air_Temperature", "combined_Feed_rate", "PH_Fan_Speed_PV", "Kiln_Coal_PV"], optimizer.Inputs);
        Assert.Equal("cost_function_total", optimizer.CostFeatureName);
        var model = Assert.IsType<InferenceModelSkill>(strategy.Skills["im_predict_delta_Burning_zone_temperature"]);
        Assert.Equal(new LagOffset(9, 29, Variation.Absolute), model.FeatureEngineering.For("Calciner_temperature_PV"));
        Assert.Equal(new LagOffset(26, 59, Variation.Increment), model.FeatureEngineering.For("delta_Kiln_Coal_PV"));
        Assert.True(Assert.IsType<MathFunctionSkill>(strategy.Skills["mf_sum_combined_feed_rate"]).RowSum);
    }

    [Fact]
    public void Bind_SeedCostFormula_FoldsWeightsAndThresholds()
    {
        var strategy = StrategyLoader.Load(SeedText, "seed");
        var skill = Assert.IsType<MathFunctionSkill>(strategy.Skills["mf_cost_function"]);

        var bound = FormulaBinder.Bind(skill, strategy, out var problems);

        Assert.Empty(problems);
        Assert.NotNull(bound);
        Assert.Equal(["delta_Kiln_Coal_PV", "delta_combined_Feed_rate", "penalty_coal_intervention"], bound.DofVariables);
        // 1.0 * 0.1 / 0.05 + (-1.0) * 4 / 2 + 3 = 3
        var gradient = new double[3];
        Assert.Equal(3.0, bound.Formula.Evaluate([0.1, 4, 3], gradient), 12);
        Assert.Equal([20.0, -0.5, 1.0], gradient);
    }
}
