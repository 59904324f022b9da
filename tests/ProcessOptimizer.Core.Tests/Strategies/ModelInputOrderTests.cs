using ProcessOptimizer.Core.Strategies;

namespace ProcessOptimizer.Core.Tests.Strategies;

/// <summary>
/// A model without metadata: nothing checks the order of its inputs against its training, so a strategy whose skill
/// lists them in another order would feed each into another's place. Validation says so.
/// </summary>
public class ModelInputOrderTests
{
    [Theory]
    [InlineData("[x, z]", false, true)]
    [InlineData("[z, x]", false, true)]
    [InlineData("[x, z]", true, false)]
    [InlineData("[x]", false, false)]
    public void Read_ModelWithoutMetadata_WarnsAtTheSkillWhenItHasSeveralInputs(string inputs, bool metadata, bool warned)
    {
        var yaml = $"""
            variables:
              x:
                type: Operative
                max_hard_limit: 10
              z:
                type: Operative
                max_hard_limit: 10
              y:
                type: CalculatedKPI
            skills:
              model:
                class: InferenceModel
                inputs: {inputs}
                outputs: [y]
                config:
                  model_path: models/m.onnx
                  scaler_path: models/m.json
            {(metadata ? "      metadata_path: models/m-metadata.json" : "")}
            tasks:
              - name: CalculateRecommendations
                skill_sequence: [model]
            """;

        var (strategy, problems) = StrategyLoader.Read(yaml);

        Assert.True(strategy is not null, string.Join("; ", problems));
        var found = problems.Where(p => p.Message.Contains("no metadata_path", StringComparison.Ordinal)).ToList();
        Assert.Equal(warned ? 1 : 0, found.Count);
        Assert.All(found, p =>
        {
            Assert.True(p.IsWarning);
            Assert.Equal(11, p.Location?.Line);
            Assert.Contains($"skill 'model'", p.Message, StringComparison.Ordinal);
            Assert.Contains(inputs, p.Message, StringComparison.Ordinal);
        });
    }
}
